"""Locale tags from folder names, datasets and flags come out canonical, or fail helpfully."""

import pytest

from locale_guard.tags import LocaleTagError, babel_identifier, normalise_tag


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("de_de", "de-DE"),
        ("de-de", "de-DE"),
        ("DE-de", "de-DE"),
        ("pt-br", "pt-BR"),
        ("sr-latn", "sr-Latn"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("iw", "he"),
        ("in-ID", "id-ID"),
        ("sl-SL", "sl-SI"),
        ("es-419", "es-419"),
        ("en", "en"),
    ],
)
def test_tags_are_normalised(raw: str, canonical: str) -> None:
    assert normalise_tag(raw).tag == canonical


def test_normalisation_explains_itself() -> None:
    assert "deprecated" in (normalise_tag("iw").changed_because or "")
    assert "sl-SI" in (normalise_tag("sl-SL").changed_because or "")
    assert normalise_tag("de-DE").changed_because is None


@pytest.mark.parametrize(("raw", "suggestion"), [("jp", "ja"), ("cn", "zh"), ("gr", "el"), ("dk", "da")])
def test_country_codes_used_as_languages_get_a_suggestion(raw: str, suggestion: str) -> None:
    with pytest.raises(LocaleTagError) as info:
        normalise_tag(raw)
    assert info.value.suggestion == suggestion
    assert f"did you mean '{suggestion}'" in str(info.value)


@pytest.mark.parametrize("raw", ["xx-NOT-A-TAG", "english", "de-XX", "12", ""])
def test_impossible_tags_are_errors(raw: str) -> None:
    with pytest.raises(LocaleTagError):
        normalise_tag(raw)


def test_babel_identifier() -> None:
    assert babel_identifier("de-AT") == "de_AT"
    assert babel_identifier("sr-Latn-RS") == "sr_Latn_RS"
