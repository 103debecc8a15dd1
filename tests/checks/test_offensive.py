"""The offensive check and its rule packs (content warning: the cases name offensive words).

Cases live in tests/data/offensive/cases.json: words planted in sentences (inflected, compound
and evasive spellings included) must give one finding each, and clean sentences (Scunthorpe
cases, place names, words innocent in this language) none.
"""

from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from locale_guard.checks import CheckContext
from locale_guard.checks.offensive import CHECK, evasion_forms, run
from locale_guard.config import Config, ConfigError
from locale_guard.engine import FILE_SCHEMA, RunOptions
from locale_guard.engine import run as engine_run
from locale_guard.packs import validate
from locale_guard.packs.loader import builtin_root
from locale_guard.readers.base import InputError
from locale_guard.records import records_from_rows

DATA = Path(__file__).parents[1] / "data" / "offensive"
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))
RULES = builtin_root()
PACKS = sorted(RULES.glob("*/offensive.yaml"))
#: the languages of MASSIVE's 52 locales, in the codes the locale profiles use (tl-PH is fil-PH)
MASSIVE_LANGUAGES = [
    "af", "am", "ar", "az", "bn", "ca", "cy", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he",
    "hi", "hu", "hy", "id", "is", "it", "ja", "jv", "ka", "km", "kn", "ko", "lv", "ml", "mn", "ms",
    "my", "nb", "nl", "pl", "pt", "ro", "ru", "sl", "sq", "sv", "sw", "ta", "te", "th", "fil", "tr",
    "ur", "vi", "zh",
]


def _wordy(ch: str) -> bool:
    """A letter, a digit or a combining vowel sign (Devanagari ा ends a word)."""
    return unicodedata.category(ch)[0] in "LMN"


def check(rows: list[dict[str, Any]], config: Config | None = None) -> pl.DataFrame:
    for i, row in enumerate(rows):
        row.setdefault("kind", "response")
        row.setdefault("key", f"k{i}")
        row.setdefault("line", i + 1)
    records = records_from_rows(rows, path="catalog.json")
    ctx = CheckContext(config=config or Config(), source_locale=None, files=pl.DataFrame(schema=FILE_SCHEMA))
    return run(records, ctx)


def test_check_is_registered_with_the_category_rules() -> None:
    assert CHECK.name == "offensive"
    assert {r.id for r in CHECK.rules} >= {"offensive/slur", "offensive/profanity", "offensive/sexual"}
    assert {r.id: r.severity for r in CHECK.rules}["offensive/slur"] == "error"


@pytest.mark.parametrize("locale", sorted(CASES["planted"]))
def test_planted_words_are_found_with_category_span_and_normal_form(locale: str) -> None:
    cases = CASES["planted"][locale]
    found = check([{"locale": locale, "text": text, "key": f"p{i}"} for i, (text, _, _) in enumerate(cases)])
    by_key = {key: group for (key,), group in found.group_by("key")}
    for i, (text, category, form) in enumerate(cases):
        got = by_key.get(f"p{i}")
        assert got is not None and got.height == 1, (text, found)
        row = got.row(0, named=True)
        assert row["evidence"] == [category, form], (text, row)
        assert row["rule"].startswith("offensive/") and row["source"] == "rule"
        assert row["severity"] in ("error", "warning")
        span = text[row["span"]["start"] : row["span"]["end"]]
        # the span is the offending word as written, without the punctuation around it
        assert span and _wordy(span[0]) and _wordy(span[-1]), (text, span)
        assert span.casefold().replace(" ", "").replace(".", "") in text.casefold().replace(" ", "").replace(".", "")


@pytest.mark.parametrize("locale", sorted(CASES["clean"]))
def test_clean_and_scunthorpe_sentences_are_not_flagged(locale: str) -> None:
    found = check([{"locale": locale, "text": text} for text in CASES["clean"][locale]])
    assert found.height == 0, found.select("text", "rule", "message").rows()


@pytest.mark.parametrize(("locale", "text", "rule"), CASES["market"])
def test_market_taboos_apply_only_in_their_market(locale: str, text: str, rule: str) -> None:
    found = check([{"locale": locale, "text": text}])
    assert found["rule"].to_list() == [f"offensive/{rule}"]
    language = locale.split("-")[0]
    other = {"es": "es-ES", "pt": "pt-PT", "fr": "fr-FR", "en": "en-US"}[language]
    assert check([{"locale": other, "text": text}]).height == 0


def test_a_pack_applies_only_to_its_own_language() -> None:
    # "negro" is a warning-level slur in the English pack and the colour in Spanish
    assert check([{"locale": "en-US", "text": "negro"}]).height == 1
    assert check([{"locale": "es-ES", "text": "El gato negro."}]).height == 0
    assert check([{"locale": "xx-ZZ", "text": "fuck"}]).height == 0


def test_utterances_are_capped_at_warning_unless_configured() -> None:
    rows = [{"locale": "en-US", "text": "fuck this", "kind": "utterance"}]
    assert check([dict(r) for r in rows])["severity"].to_list() == ["warning"]
    config = Config(checks={"offensive": {"utterance-severity": "error"}})
    assert check([dict(r) for r in rows], config)["severity"].to_list() == ["error"]
    responses = [{"locale": "en-US", "text": "fuck this", "kind": "response"}]
    assert check(responses)["severity"].to_list() == ["error"]


def test_evasion_can_be_turned_off() -> None:
    rows = [{"locale": "en-US", "text": "sh1t"}, {"locale": "en-US", "text": "shit"}]
    assert check([dict(r) for r in rows]).height == 2
    off = Config(checks={"offensive": {"evasion": False}})
    assert check([dict(r) for r in rows], off)["text"].to_list() == ["shit"]


@pytest.mark.parametrize(
    "options",
    [{"evasion": "yes"}, {"utterance-severity": "fatal"}],
)
def test_bad_options_are_config_errors(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match=r"\[checks.offensive\]"):
        check([{"locale": "en-US", "text": "hello"}], Config(checks={"offensive": options}))


def test_messages_say_how_the_word_was_disguised() -> None:
    found = check([{"locale": "en-US", "text": "you son of a b1tch!"}])
    row = found.row(0, named=True)
    assert row["text"][row["span"]["start"] : row["span"]["end"]] == "son of a b1tch"
    assert "Written 'son of a b1tch'" in row["message"]
    assert row["evidence"] == ["profanity", "son of a bitch"]


def test_pattern_spans_leave_out_the_word_boundary() -> None:
    row = check([{"locale": "ru-RU", "text": "Иди на хуй."}]).row(0, named=True)
    assert row["text"][row["span"]["start"] : row["span"]["end"]] == "хуй"
    assert row["message"] == "Obscene word (mat) 'хуй'."


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("sh1t", "en", ("shit", "shlt")),  # 1 reads as i or l; the lexicon says which is a word
        ("shiiiit", "en", ("shit", "shiit")),
        ("f.u.c.k", "en", ("fuck",)),
        ("fück", "en", ("fuck",)),
        ("hello", "en", ()),
        ("24h", "en", ()),
        ("mp3", "en", ()),
        ("şık", "tr", ()),  # Turkish letters are never stripped: şık (chic) is not sik
        ("ngủ", "vi", ()),  # a Vietnamese tone mark is no evasion
        ("Müll", "de", ()),
        ("сyка", "ru", ("сука",)),  # a Latin y among Cyrillic letters
        ("CYKA", "ru", ("сука",)),
    ],
)
def test_evasion_forms(word: str, language: str, expected: tuple[str, ...]) -> None:
    assert evasion_forms(word, language) == expected


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.parent.name)
def test_every_pack_validates_and_its_examples_pass(pack: Path) -> None:
    report = validate([pack])
    assert report.ok, "\n".join(p.describe() for p in report.problems)
    assert report.examples >= 4


def test_every_massive_language_has_a_pack_with_examples_of_both_kinds() -> None:
    assert {p.parent.name for p in PACKS} >= set(MASSIVE_LANGUAGES)
    from locale_guard.packs import load_pack

    for path in PACKS:
        pack, problems = load_pack(path)
        assert pack is not None, problems
        assert pack.check == "offensive"
        assert all(r.examples_match and r.examples_no_match for r in pack.rules), path
        assert all(r.category for r in pack.rules), path


def test_end_to_end_on_catalogs_with_a_team_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = DATA / "catalog"
    result = engine_run(RunOptions(paths=[catalog], select=["offensive"]), Config())
    assert not result.errors
    flagged = {(r["locale"], r["key"]) for r in result.findings.select("locale", "key").to_dicts()}
    assert flagged == {("en-US", "weather"), ("de-DE", "weather"), ("pl-PL", "weather"), ("ru-RU", "weather")}
    # a team's folder layers over the shipped pack: it allows a phrase and adds a rule
    team = Config(rule_paths=(DATA / "team-rules",))
    result = engine_run(RunOptions(paths=[catalog / "en-US"], select=["offensive"]), team)
    assert result.findings.height == 0
    records = records_from_rows([{"text": "Try the Acmephone.", "key": "a", "line": 1}], path="x.json", locale="en-US")
    ctx = CheckContext(config=team, source_locale=None, files=pl.DataFrame(schema=FILE_SCHEMA))
    assert run(records, ctx)["rule"].to_list() == ["offensive/brand-rival"]


def test_a_tokenizer_that_fails_is_one_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import locale_guard.checks.offensive as offensive

    def broken(locale: str, ctx: Any = None) -> Any:
        raise AttributeError("'Tokenizer' object has no attribute 'rules'")

    monkeypatch.setattr(offensive, "segmenter_for_locale", broken)
    with pytest.raises(InputError, match="cannot split de-DE text into words"):
        check([{"locale": "de-DE", "text": "Guten Tag"}])


def test_ten_thousand_records_take_a_few_seconds() -> None:
    words = ["the", "light", "is", "on", "in", "kitchen", "turn", "off", "timer", "set", "for", "minutes", "shit"]
    rows = [
        {"locale": "en-US", "text": f"{words[i % 13]} {words[(i * 7) % 13]} {words[(i * 5) % 13]} {i}", "key": f"k{i}"}
        for i in range(10_000)
    ]
    started = time.perf_counter()
    found = check(rows)
    elapsed = time.perf_counter() - started
    expected = sum("shit" in r["text"].split() for r in rows)
    assert found.height == expected
    assert elapsed < 15, f"{elapsed:.1f}s for 10,000 records"


def test_hostile_records_stay_fast() -> None:
    # a megabyte-long "word" of leet characters, and one record of 5,000 disguised words
    rows = [
        {"locale": "en-US", "text": "a1" * 500_000},
        {"locale": "en-US", "text": " ".join(["sh1t"] * 5_000)},
    ]
    started = time.perf_counter()
    found = check(rows)
    elapsed = time.perf_counter() - started
    assert found.filter(pl.col("key") == "k1").height == 5_000
    assert found.filter(pl.col("key") == "k0").height == 0
    assert elapsed < 30, f"{elapsed:.1f}s"
