"""Script helpers for whole strings and locales (locale_guard.scripts)."""

from __future__ import annotations

import polars as pl

from locale_guard import scripts


def test_locale_scripts_come_from_cldr_with_compound_codes_expanded() -> None:
    assert scripts.locale_scripts("ru-RU") == ("Cyrl",)
    assert scripts.locale_scripts("sr") == ("Cyrl",)
    assert scripts.locale_scripts("sr-Latn") == ("Latn",)
    assert scripts.locale_scripts("ja-JP") == ("Hani", "Hira", "Kana")
    assert scripts.locale_scripts("ko") == ("Hang", "Hani")
    assert scripts.locale_scripts("zh-TW") == ("Hani",)
    assert scripts.locale_scripts("pa-PK") == ("Arab",)
    assert scripts.locale_scripts("de-DE", declared=("Latn", "Grek")) == ("Latn", "Grek")


def test_only_unicode_scripts_survive_expansion() -> None:
    assert scripts.expand(["Jpan", "Latn", "Zsye", "Hani"]) == ("Hani", "Hira", "Kana", "Latn")
    assert scripts.is_unicode_script("Cyrl")
    assert not scripts.is_unicode_script("Qaag")


def test_scripts_of_strings_most_letters_first() -> None:
    found = scripts.scripts_of(pl.Series(["Привет, world!", "東京の電車", "123 ...", None]))
    assert found.to_list() == [["Cyrl", "Latn"], ["Hani", "Hira"], [], []]
    assert scripts.dominant_script("Ελληνικά και English") == "Grek"
    assert scripts.dominant_script("42") is None


def test_foreign_letter_pattern_ignores_common_characters() -> None:
    pattern = scripts.foreign_letter_pattern(("Cyrl",))
    texts = pl.Series(["Привет, 42 % — ok", "Привет!"])
    assert texts.str.count_matches(pattern).to_list() == [2, 0]
    assert scripts.script_name("Cyrl") == "Cyrillic"
