"""Tokenization per language: segmenters, offsets, lemmas, scripts, parts of speech, caching."""

from __future__ import annotations

import polars as pl
import pytest

from locale_guard.checks import CheckContext
from locale_guard.config import Config
from locale_guard.records import records_from_rows
from locale_guard.text import TOKEN_DTYPE, script_of, segmenter_for, tokenize, tokenize_texts


def tokens(text: str, language: str) -> list[dict]:
    return tokenize_texts([text], language)["tokens"][0].to_list()


def texts(text: str, language: str) -> list[str]:
    return [t["text"] for t in tokens(text, language)]


def test_offsets_point_into_the_original_text() -> None:
    for language, text in [("de", "Die Häuser, bitte!"), ("ja", "今日は雨です。"), ("ko", "비가 왔어요"), ("sw", "Habari ya asubuhi")]:
        for tok in tokens(text, language):
            assert text[tok["start"] : tok["end"]] == tok["text"]


def test_german_uses_spacy_with_lookup_lemmas() -> None:
    assert segmenter_for("de").name == "spacy"
    toks = tokens("Die Häuser sind schön. STRASSE!", "de")
    assert [t["text"] for t in toks] == ["Die", "Häuser", "sind", "schön", ".", "STRASSE", "!"]
    assert [t["lemma"] for t in toks[:3]] == ["der", "haus", "sein"]
    assert toks[5]["norm"] == "strasse"
    assert [t["script"] for t in toks] == ["Latn", "Latn", "Latn", "Latn", "Zyyy", "Latn", "Zyyy"]
    assert all(t["pos"] is None for t in toks)


def test_japanese_is_segmented_with_parts_of_speech() -> None:
    toks = tokens("今日は雨です", "ja")
    assert segmenter_for("ja").name == "sudachi"
    assert [t["text"] for t in toks] == ["今日", "は", "雨", "です"]
    assert toks[3]["pos"].startswith("助動詞")  # auxiliary verb: the polite copula
    assert [t["script"] for t in toks] == ["Hani", "Hira", "Hani", "Hira"]
    inflected = tokens("食べました", "ja")
    assert inflected[0]["lemma"] == "食べる"
    assert inflected[0]["script"] == "Jpan"  # Han + Hiragana in one word


def test_chinese_is_segmented_into_words() -> None:
    assert texts("我们去北京吧。", "zh") == ["我们", "去", "北京", "吧", "。"]


def test_thai_is_segmented_into_words() -> None:
    toks = tokens("วันนี้ฝนตก ฉันไปโรงเรียน", "th")
    assert len(toks) >= 4
    assert "โรงเรียน" in [t["text"] for t in toks]
    assert {t["script"] for t in toks} == {"Thai"}


def test_korean_morphemes_carry_tags_and_lemmas() -> None:
    toks = tokens("오늘은 비가 왔어요", "ko")
    assert segmenter_for("ko").name == "kiwi"
    tags = [t["pos"] for t in toks]
    assert "NNG" in tags and "EF" in tags  # a noun and a sentence-final ending
    verb = next(t for t in toks if t["pos"] == "VV")
    assert verb["lemma"] == "오다"
    assert {t["script"] for t in toks} == {"Hang"}


@pytest.mark.parametrize("language", ["sw", "cy", "jv", "ka", "mn"])
def test_languages_without_spacy_use_the_unicode_fallback(language: str) -> None:
    assert segmenter_for(language).name == "regex"


def test_fallback_splits_words_and_punctuation() -> None:
    assert texts("Habari ya asubuhi, rafiki!", "sw") == ["Habari", "ya", "asubuhi", ",", "rafiki", "!"]
    assert texts("Mae'r tywydd yn braf", "cy") == ["Mae'r", "tywydd", "yn", "braf"]
    assert [t["script"] for t in tokens("გამარჯობა Сайн байна", "ka")] == ["Geor", "Cyrl", "Cyrl"]


def test_burmese_and_khmer_are_cut_into_syllables() -> None:
    assert texts("မင်္ဂလာပါ", "my") == ["မင်္ဂ", "လာ", "ပါ"]
    assert segmenter_for("km").continuous
    khmer = texts("សួស្តី", "km")
    assert "".join(khmer) == "សួស្តី" and len(khmer) == 2


def test_scripts_of_mixed_tokens() -> None:
    assert script_of("pаypal") == "Latn+Cyrl"  # a Cyrillic "а" hiding in a Latin word
    assert script_of("カタカナとひらがな") == "Hrkt"
    assert script_of("한국語") == "Kore"
    assert script_of("2024!") == "Zyyy"
    assert script_of("नमस्ते") == "Deva"
    assert script_of("שלום") == "Hebr"
    assert script_of("مرحبا") == "Arab"
    assert script_of("Ελλάδα") == "Grek"


def test_tokenize_records_is_cached_and_keeps_order() -> None:
    records = records_from_rows(
        [
            {"text": "Guten Morgen", "locale": "de-DE", "key": "a"},
            {"text": "今日は雨です", "locale": "ja-JP", "key": "b"},
            {"text": "Guten Morgen", "locale": "de-AT", "key": "c"},
            {"text": None, "locale": "de-DE", "key": "d"},
            {"text": "TODO", "locale": None, "key": "e"},
        ],
        path="x.json",
    )
    ctx = CheckContext(config=Config(), source_locale=None, files=pl.DataFrame())
    first = tokenize(records, ctx)
    assert first["record_id"].to_list() == records["record_id"].to_list()
    assert first.schema["tokens"] == pl.List(TOKEN_DTYPE)
    assert [len(t) for t in first["tokens"].to_list()] == [2, 4, 2, 0, 1]
    cached = ctx.cache["text.tokens"]
    # de-DE and de-AT share one segmenter and the identical text was cut once
    assert cached["spacy:de"].height == 2
    again = tokenize(records, ctx)
    assert again.equals(first)
    assert ctx.cache["text.tokens"]["spacy:de"].height == 2


def test_whitespace_languages_tokenize_100k_utterances_quickly() -> None:
    import itertools
    import time

    # 100,000 distinct utterances over a realistic vocabulary (assistant data repeats words)
    verbs = ["set an alarm for", "remind me at", "play jazz at", "what's on at", "wake me up at"]
    days = ["monday", "tuesday", "friday", "tomorrow", "today", "tonight", "next week", "this weekend"]
    times = [f"{h}:{m:02d}" for h in range(1, 13) for m in range(0, 60, 5)]
    extras = ["please", "thanks", "", "ok", "now", "again", "quietly", "in the kitchen", "for mom", "for dad",
              "with music", "every day", "on repeat", "louder", "softly", "in paris", "in berlin", "at home"]
    utterances = [" ".join(p).strip() for p in itertools.product(verbs, times, days, extras)][:100_000]
    assert len(set(utterances)) == 100_000
    segmenter_for("en")  # spaCy import and model set-up are one-off costs
    started = time.perf_counter()
    out = tokenize_texts(utterances, "en")
    elapsed = time.perf_counter() - started
    assert out.height == 100_000
    assert [t["text"] for t in out["tokens"][0].to_list()][:5] == ["set", "an", "alarm", "for", "1:00"]
    # speed is measured in bench/, not asserted here; a hang would still be caught
    assert elapsed < 300, f"{elapsed:.1f}s"


def test_long_japanese_text_is_cut_in_chunks_sudachi_accepts() -> None:
    # SudachiPy refuses more than 49,149 bytes at once; offsets must still be exact
    text = "今日は雨です。" * 10_000
    toks = tokens(text, "ja")
    assert len(toks) == 50_000
    assert all(text[t["start"] : t["end"]] == t["text"] for t in toks[::997])
    assert toks[-1]["end"] == len(text)
