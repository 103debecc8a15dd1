"""What pack rules match: lemmas, compounds, allowlists, token patterns, substitutions,
scope, continuous scripts, and the findings run_pack builds from matches."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from _pack_helpers import DATA, context, records, write_pack

from locale_guard.packs import match_records, run_pack
from locale_guard.packs.matching import CompiledRules
from locale_guard.packs.model import PackRule, Term
from locale_guard.text.segmenters import segmenter_for


def rule(kind: str = "lexicon", **fields) -> PackRule:
    base = {
        "id": "offensive/test",
        "kind": kind,
        "severity": "warning",
        "message": "found {match}",
        "check": "offensive",
        "source": Path("inline.yaml"),
        "pack_tag": "de",
    }
    base.update(fields)
    return PackRule(**base)


def matched(rules: list[PackRule], texts: list[str], language: str = "de") -> list[list[str]]:
    """For each text, the matched substrings, in order."""
    compiled = CompiledRules(rules, segmenter_for(language))
    hits = compiled.match(texts, compiled.tokens_for(texts)["tokens"])
    out: list[list[str]] = [[] for _ in texts]
    for row, start, end in hits.sort("_row", "start").select("_row", "start", "end").iter_rows():
        out[row].append(texts[row][start:end])
    return out


def test_lexicon_matches_whole_words_casefolded() -> None:
    found = matched([rule(terms=(Term("Straße", compound=False),))], ["STRASSE gesperrt", "Straßenbahn", "die strasse"])
    assert found == [["STRASSE"], [], ["strasse"]]


def test_lexicon_is_inflection_aware_through_lemmas() -> None:
    # "Häuser" and "Hauses" have the lemma "Haus" in spaCy's German lookup table
    found = matched([rule(terms=(Term("Haus", compound=False),))], ["Die Häuser sind alt.", "des Hauses", "Hausboot"])
    assert found == [["Häuser"], ["Hauses"], []]


def test_lemma_matching_can_be_turned_off() -> None:
    found = matched([rule(terms=(Term("Haus", lemma=False),))], ["Die Häuser sind alt.", "Das Haus"])
    assert found == [[], ["Haus"]]


def test_compound_parts_match_inside_words() -> None:
    terms = (Term("wetter", compound=True),)
    found = matched([rule(terms=terms)], ["Scheißwetter heute", "Der Wetterbericht", "Wetten, dass", "wetter"])
    assert found == [["wetter"], ["Wetter"], [], ["wetter"]]


def test_hyphens_are_compound_boundaries() -> None:
    found = matched([rule(terms=(Term("mail", compound=True),))], ["die E-Mail-Adresse", "Mailer", "Gmail"])
    assert found == [["Mail"], [], []]


def test_compound_parts_need_a_plausible_rest() -> None:
    # "ass" inside "class" or "Bass" leaves one or two letters: not a word part
    found = matched([rule(terms=(Term("ass", compound=True),))], ["class", "Bass", "Kassel", "Assmann"], "en")
    assert found == [[], [], [], ["Ass"]]


def test_allowlist_beats_lexicon() -> None:
    r = rule(terms=(Term("wetter", compound=True),), allow=("Wetterfrosch", "Wetter-App"))
    found = matched([r], ["Der Wetterfrosch quakt", "Regenwetter", "die Wetter-App"])
    assert found == [[], ["wetter"], []]


def test_allowlist_protects_pattern_matches_too() -> None:
    r = rule("pattern", pattern=r"cunt", allow=("Scunthorpe",))
    assert matched([r], ["Scunthorpe United", "a cunt"], "en") == [[], ["cunt"]]


def test_multi_word_terms_match_token_sequences() -> None:
    found = matched([rule(terms=(Term("lorem ipsum"),))], ["Lorem  Ipsum dolor", "lorem, ipsum", "ipsum lorem"], "en")
    assert found == [["Lorem  Ipsum"], [], []]


def test_longest_hit_wins_within_a_rule() -> None:
    found = matched([rule(terms=(Term("guten morgen"), Term("morgen")))], ["Guten Morgen! Bis morgen."])
    assert found == [["Guten Morgen", "morgen"]]


def test_token_pattern_uses_lemmas_and_lower() -> None:
    r = rule("token-pattern", patterns=(({"LEMMA": "Sein"}, {"LOWER": "schön"}),))
    assert matched([r], ["Das Wetter ist schön.", "Die Tage waren schön.", "Schön ist es."]) == [
        ["ist schön"],
        ["waren schön"],
        [],
    ]


def test_token_pattern_sees_japanese_parts_of_speech() -> None:
    # a polite auxiliary (助動詞 です/ます) as the segmenter tags it
    r = rule("token-pattern", patterns=(({"TAG": {"REGEX": "^助動詞"}, "LEMMA": {"IN": ["です", "ます"]}},),), pack_tag="ja")
    assert matched([r], ["今日は雨です", "食べました", "雨だ"], "ja") == [["です"], ["まし"], []]


def test_pattern_spans_are_character_offsets() -> None:
    r = rule("pattern", pattern=r"grüß\s+gott")
    texts = ["Ähm, Grüß  Gott!"]
    assert matched([r], texts) == [["Grüß  Gott"]]


def test_pattern_is_case_insensitive_unless_told() -> None:
    loose = rule("pattern", pattern=r"\bTODO\b")
    strict = rule("pattern", pattern=r"\bTODO\b", case_sensitive=True)
    assert matched([loose], ["todo"], "en") == [["todo"]]
    assert matched([strict], ["todo", "TODO"], "en") == [[], ["TODO"]]


def test_catastrophic_pattern_runs_in_linear_time() -> None:
    import time

    r = rule("pattern", pattern=r"(a+)+$")
    text = "a" * 100_000 + "!"
    started = time.perf_counter()
    assert matched([r], [text, "baaa"], "en") == [[], ["aaa"]]
    assert time.perf_counter() - started < 10.0  # backtracking would take hours


def test_japanese_terms_match_on_token_boundaries() -> None:
    # 天気予報 spans two tokens (天気 + 予報); 気予 would be inside them and must not match
    r = rule(terms=(Term("天気予報"), Term("気予")), pack_tag="ja")
    assert matched([r], ["明日の天気予報を見る"], "ja") == [["天気予報"]]


def test_japanese_lemma_finds_inflected_verbs() -> None:
    r = rule(terms=(Term("食べる"),), pack_tag="ja")
    assert matched([r], ["もう食べました", "食べ物"], "ja") == [["食べ"], []]


def test_chinese_and_thai_terms() -> None:
    # jieba cuts 北京烤鸭 (Peking duck) as one word: only compound matching looks inside it
    zh = rule(terms=(Term("北京"),), pack_tag="zh")
    assert matched([zh], ["我们去北京吧", "北京烤鸭很好吃"], "zh") == [["北京"], []]
    zh_parts = rule(terms=(Term("北京", compound=True),), pack_tag="zh")
    assert matched([zh_parts], ["北京烤鸭很好吃"], "zh") == [["北京"]]
    th = rule(terms=(Term("โรงเรียน"),), pack_tag="th")
    assert matched([th], ["ฉันไปโรงเรียน"], "th") == [["โรงเรียน"]]


def test_per_term_severity_category_and_substitution_suggestion(tmp_path: Path) -> None:
    ctx = context(DATA)
    found = match_records(
        records([{"text": "Schick die EMAIL und die Häuser", "locale": "de-DE", "kind": "response"}]),
        ctx,
        "offensive",
    )
    rows = {(r["rule"], r["match"]): r for r in found.iter_rows(named=True)}
    assert rows[("offensive/email-spelling", "EMAIL")]["suggestion"] == "E-Mail"
    assert rows[("offensive/email-spelling", "EMAIL")]["message"] == "Schreibe E-Mail statt EMAIL"
    assert rows[("offensive/weather", "Häuser")]["severity"] == "error"
    assert rows[("offensive/weather", "Häuser")]["category"] == "building"


def test_suggestion_follows_the_case_of_the_match(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "en",
        "formatting",
        """
        version: "1"
        language: en
        check: formatting
        rules:
          - id: okay
            kind: substitution
            severity: info
            message: "use {suggestion}"
            replace: {ok: okay}
            examples: {match: [ok]}
        """,
    )
    found = match_records(
        records([{"text": "Ok. OK. ok.", "locale": "en-US", "kind": "response"}]), context(tmp_path), "formatting"
    )
    assert found.sort("start")["suggestion"].to_list() == ["Okay", "OKAY", "okay"]


def test_scope_limits_rules_to_record_kinds() -> None:
    ctx = context(DATA)
    recs = records(
        [
            {"text": "Bitteschön!", "locale": "de-DE", "kind": "response"},
            {"text": "Bitteschön!", "locale": "de-DE", "kind": "utterance"},
        ]
    )
    found = match_records(recs, ctx, "offensive").filter(pl.col("rule") == "offensive/responses-only")
    assert found["record_id"].to_list() == [recs["record_id"][0]]


def test_run_pack_builds_findings_with_span_evidence_and_rule_ids() -> None:
    ctx = context(DATA)
    recs = records([{"text": "Guten Morgen im Jänner", "locale": "de-AT", "kind": "response"}])
    findings = run_pack(recs, ctx, "offensive").sort("rule")
    assert findings["rule"].to_list() == ["offensive/greeting", "offensive/month-name"]
    assert findings["check"].to_list() == ["offensive", "offensive"]
    assert findings["severity"].to_list() == ["info", "info"]
    assert findings["span"].to_list() == [{"start": 0, "end": 12}, {"start": 16, "end": 22}]
    assert findings["evidence"].to_list() == [["Guten Morgen"], ["Jänner"]]
    assert findings["message"].to_list() == ["Grußformel: Guten Morgen", "österreichischer Monatsname Jänner"]
    assert findings["path"].to_list() == ["strings.json", "strings.json"]


def test_records_without_packs_or_locale_get_language_independent_rules() -> None:
    ctx = context(DATA)
    recs = records(
        [
            {"text": "TODO lorem ipsum", "locale": None, "kind": "response"},
            {"text": "TODO", "locale": "fr-FR", "kind": "response"},
            {"text": "Guten Morgen", "locale": "fr-FR", "kind": "response"},
        ]
    )
    found = match_records(recs, ctx, "offensive")
    assert sorted(zip(found["record_id"], found["rule"], strict=True)) == sorted(
        [
            (recs["record_id"][0], "offensive/todo-marker"),
            (recs["record_id"][0], "offensive/placeholder-text"),
            (recs["record_id"][1], "offensive/todo-marker"),
        ]
    )


def test_no_packs_for_check_gives_no_findings() -> None:
    ctx = context(DATA)
    recs = records([{"text": "TODO", "locale": "de-DE", "kind": "response"}])
    assert run_pack(recs, ctx, "holidays").height == 0


def test_token_pattern_regex_runs_on_re2() -> None:
    import time

    r = rule("token-pattern", patterns=(({"TEXT": {"REGEX": "(a+)+$"}},),))
    started = time.perf_counter()
    # Python's re would backtrack for hours on this single 30,000-letter token
    assert matched([r], ["a" * 30_000 + "b", "baaa"], "en") == [[], ["baaa"]]
    assert time.perf_counter() - started < 10.0  # backtracking would take hours


def test_token_pattern_regex_keeps_other_predicates() -> None:
    r = rule("token-pattern", patterns=(({"LOWER": {"REGEX": "^re", "NOT_IN": ["rest"]}},),))
    assert matched([r], ["Regen rest rege"]) == [["Regen", "rege"]]
