"""Normal forms and the evasion helpers the offensive check uses."""

from __future__ import annotations

import pytest

from locale_guard.text.normalise import (
    casefold,
    collapse_repeats,
    deleet,
    evasion_forms,
    join_spaced_letters,
    leet_variants,
    repeat_variants,
    strip_diacritics,
    strip_inner_punctuation,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Straße", "strasse"), ("STRASSE", "strasse"), ("ｓｔｒａｓｓｅ", "strasse"), ("ﬁne", "fine"), ("ΣΊΣΥΦΟΣ", "σίσυφοσ")],
)
def test_casefold_is_nfkc_and_full_casefold(text: str, expected: str) -> None:
    assert casefold(text) == expected


def test_strip_diacritics_only_where_marks_are_decoration() -> None:
    assert strip_diacritics("fück déjà vu øre łódź") == "fuck deja vu ore lodz"
    assert strip_diacritics("Ёлка") == "Елка"
    # Devanagari and Thai vowel signs are letters of the word, not accents
    assert strip_diacritics("हिन्दी") == "हिन्दी"
    assert strip_diacritics("ที่นี่") == "ที่นี่"


def test_deleet_reads_digits_and_symbols_inside_words_only() -> None:
    assert deleet("sh1t h@ppens, $ure") == "shit happens, sure"
    assert deleet("call 911 at 5 pm, pay $5") == "call 911 at 5 pm, pay $5"
    assert deleet("b4ck 2 the l00p") == "back 2 the loop"


def test_leet_variants_are_bounded_and_cover_both_readings() -> None:
    assert leet_variants("h1ll") == ("hill", "hlll")
    assert leet_variants("2024") == ("2024",)
    assert len(leet_variants("1111111111", limit=16)) <= 16


def test_repeats_collapse_to_one_and_two_letters() -> None:
    assert collapse_repeats("fuuuuck yeeees") == "fuck yes"
    assert collapse_repeats("cooool", keep=2) == "cool"
    assert repeat_variants("cooool") == ("col", "cool")
    assert repeat_variants("good") == ("good",)  # two letters are spelling, not stretching
    with pytest.raises(ValueError):
        collapse_repeats("x", keep=3)


def test_spaced_and_punctuated_letters_are_joined() -> None:
    assert join_spaced_letters("you f u c k up") == "you fuck up"
    assert join_spaced_letters("f.u.c.k") == "fuck"
    assert join_spaced_letters("a b") == "a b"  # two single letters are just words
    assert join_spaced_letters("Plan A B C") == "Plan ABC"
    assert strip_inner_punctuation("sh.it a-s-s e-mail") == "shit ass email"


def test_evasion_forms_start_with_the_plain_text_and_undo_each_trick() -> None:
    forms = evasion_forms("SH1İİİT")
    assert forms[0] == casefold("SH1İİİT")
    assert "shit" in forms
    assert evasion_forms("F.Ü.C.K")[:2] == ("f.ü.c.k", "fück")
    assert "fuck" in evasion_forms("F.Ü.C.K")
    assert "fuck" in evasion_forms("fuuuuck")
    assert evasion_forms("hello") == ("hello",)
    assert len(evasion_forms("1 1 1 1 1 1 1 1", limit=8)) <= 8
