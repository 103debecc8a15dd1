"""Text processing shared by every check: tokens, lemmas, scripts and normal forms.

Checks never tokenize on their own. They call :func:`tokenize` with the run's records and
context and get, per record, the tokens of its text cut by the right segmenter for its locale
(spaCy's rule-based tokenizers, SudachiPy, jieba, PyThaiNLP, Kiwi, or a Unicode fallback),
with normal forms, lemmas, scripts and (for Japanese and Korean) parts of speech. The result
is cached in ``CheckContext.cache`` under ``text.tokens``, so it is computed once per run.
"""

from __future__ import annotations

from locale_guard.text.normalise import casefold, evasion_forms, strip_diacritics
from locale_guard.text.scripts import script_of
from locale_guard.text.segmenters import CONTINUOUS_LANGUAGES, Segmenter, segmenter_for
from locale_guard.text.tokens import (
    TOKEN_DTYPE,
    TOKENS_SCHEMA,
    segment_texts,
    segmenter_for_locale,
    tokenize,
    tokenize_texts,
)

__all__ = [
    "CONTINUOUS_LANGUAGES",
    "TOKENS_SCHEMA",
    "TOKEN_DTYPE",
    "Segmenter",
    "casefold",
    "evasion_forms",
    "script_of",
    "segment_texts",
    "segmenter_for",
    "segmenter_for_locale",
    "strip_diacritics",
    "tokenize",
    "tokenize_texts",
]
