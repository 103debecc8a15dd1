"""Language-identification backends: registry, the shared contract, and the helpers."""

from __future__ import annotations

import pytest

from locale_guard import langid

GERMAN = "Das Licht im Wohnzimmer ist jetzt eingeschaltet und es wird warm."
ENGLISH = "The living room light is now turned on and it is getting warm."
POLISH = "Światło w salonie jest teraz włączone i robi się ciepło."

BACKENDS = list(langid.available_backends())


def test_registry_knows_the_required_backends_and_default() -> None:
    assert {"lingua", "langdetect"} <= set(langid.all_backends())
    assert langid.DEFAULT_BACKEND == "lingua"
    assert langid.available_backends()[0] == "lingua"


def test_unknown_backend_and_option_are_clear_errors() -> None:
    with pytest.raises(langid.BackendError, match="unknown language-identification backend 'nope'"):
        langid.get_backend("nope")
    with pytest.raises(langid.BackendError, match="no option"):
        langid.get_backend("lingua", speed="max")
    with pytest.raises(langid.BackendError, match="accuracy"):
        langid.get_backend("lingua", accuracy="medium")


@pytest.mark.parametrize("name", BACKENDS)
def test_backend_contract(name: str) -> None:
    backend = langid.get_backend(name)
    supported = backend.supported_languages()
    assert {"en", "de", "pl"} <= supported
    assert all(code == code.lower() for code in supported)
    texts = [GERMAN, ENGLISH, POLISH, "", "12345 !!!"]
    found = backend.detect_batch(texts, {"de", "en", "pl", "fr"})
    assert [lang for lang, _ in found[:3]] == ["de", "en", "pl"]
    assert all(0.5 < conf <= 1.0 for _, conf in found[:3])
    assert found[3:] == [(None, 0.0), (None, 0.0)]


@pytest.mark.parametrize("name", BACKENDS)
def test_candidates_restrict_the_answer(name: str) -> None:
    backend = langid.get_backend(name)
    lang, _ = backend.detect_batch([GERMAN], {"en", "fr"})[0]
    assert lang in {"en", "fr"}
    assert backend.detect_batch([GERMAN], {"xx-not-a-language"}) == [(None, 0.0)]


@pytest.mark.parametrize("name", BACKENDS)
def test_answers_do_not_depend_on_batch_or_order(name: str) -> None:
    backend = langid.get_backend(name)
    texts = [GERMAN, ENGLISH, POLISH, "Turn it on", "Włącz to"]
    together = backend.detect_batch(texts, None)
    alone = [backend.detect_batch([t], None)[0] for t in texts]
    backwards = backend.detect_batch(texts[::-1], None)[::-1]
    assert together == alone == backwards


def test_langdetect_is_seeded() -> None:
    backend = langid.get_backend("langdetect")
    short = ["ok dann", "si bon", "ja nee"]
    assert backend.detect_batch(short, None) == backend.detect_batch(short, None)


def test_lingua_modes_and_single_candidate() -> None:
    for mode in ("low", "high", "auto"):
        backend = langid.get_backend("lingua", accuracy=mode)
        assert backend.detect_batch([GERMAN, ENGLISH], {"de", "en"})[0][0] == "de"
    only = langid.get_backend("lingua").detect_batch([ENGLISH, "123"], {"de"})
    assert only == [("de", 1.0), (None, 0.0)]
    assert langid.get_backend("lingua").screening() is not None
    assert langid.get_backend("lingua", accuracy="low").screening() is None


def test_screen_and_confirm_matches_the_accurate_answer_where_it_matters() -> None:
    backend = langid.get_backend("lingua")
    texts = [GERMAN, ENGLISH, "I have set a timer for ten minutes."]
    found = langid.screen_and_confirm(backend, texts, {"de", "en"}, "de")
    assert [lang for lang, _ in found] == ["de", "en", "en"]
    # the accurate mode alone is unsure of the last one; the agreeing screen is not
    assert backend.detect_batch(texts[2:], {"fr", "en"})[0][1] < 0.7
    assert langid.screen_and_confirm(backend, texts[2:], {"fr", "en"}, "fr")[0][1] > 0.99


def test_language_groups_and_codes() -> None:
    assert langid.canonical_language("pt-BR") == "pt"
    assert langid.canonical_language("iw") == "he"
    assert langid.canonical_language("tl") == "fil"
    assert langid.canonical_language("zh-cn") == "zh"
    assert langid.same_language("nb", "nn") and langid.same_language("no", "nb")
    assert langid.same_language("sr", "hr") and langid.same_language("ms", "id")
    assert langid.same_language("fil", "tl")
    assert not langid.same_language("da", "nb")
    assert not langid.same_language("de", None)
    assert langid.supported_as("sr", {"sr", "hr", "en"}) == {"sr", "hr"}


def test_alphabet_comes_from_profiles() -> None:
    english = langid.alphabet("en")
    german = langid.alphabet("de")
    assert english is not None and german is not None
    assert set("abcxyz") <= english and "ä" not in english
    assert {"ä", "ö", "ü", "ß"} <= german
    assert langid.alphabet("kw") is None
