"""spaCy segmentation of big batches (distinct words cut once) equals cutting each text whole."""

from __future__ import annotations

import numpy as np
import pytest

from locale_guard.text.segmenters import segmenter_for

TEXTS = {
    "en": [
        "wake me up at 5am tomorrow", "don't play that song!!", "what's the weather in the U.S.A.?",
        "  leading and   trailing  ", "tab\tseparated\nnew line", "", "(hello) [world]", "e-mail bob@example.com",
        "it's 3:45 p.m. now", "set a timer for 10 minutes", "https://example.com/a?b=c is a link", "can't won't shan't",
    ],
    "es": ["viajo a EE. UU. mañana", "los EE.  UU. con dos espacios", "¿qué tiempo hace?", "pon la alarma a las 7"],
    "de": ["Wie geht's dir?", "z. B. morgen um 8 Uhr", "Schalte das Licht aus.", "Das ist ein Scheißwetter"],
    "fr": ["l'eau, c'est la vie", "aujourd'hui il fait beau", "qu'est-ce que c'est ?", "rendez-vous à 10 h"],
}


def _spans(result: dict, offset: int = 0) -> list[tuple[int, int, int]]:
    return sorted(zip((np.asarray(result["i"]) + offset).tolist(), np.asarray(result["start"]).tolist(), np.asarray(result["end"]).tolist(), strict=True))


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_big_batches_cut_like_single_texts(language: str) -> None:
    segmenter = segmenter_for(language)
    if segmenter.name != "spacy":
        pytest.skip("spaCy is not installed")
    texts = TEXTS[language] * 20  # over the size from which words are cut once per batch
    batched = _spans(segmenter.segment(texts))
    one_by_one = [span for n, text in enumerate(texts) for span in _spans(segmenter.segment([text]), n)]
    assert batched == sorted(one_by_one)
    words = {texts[i][s:e] for i, s, e in batched}
    assert "EE. UU." in words if language == "es" else True
    assert "do" in words and "n't" in words if language == "en" else True
