"""Reading the register a string addresses its user in, from rule packs and morphology.

The language knowledge lives in ``rules/<lang>/formality.yaml`` (markers with a ``category``:
``formal``, ``informal``, ``not-address``, ``plural``); this package holds what cannot be data:
masking quoted speech and placeholders, sentence positions, overlap and veto resolution, and
the per-record verdict. :mod:`locale_guard.checks.formality` turns verdicts into findings, and
``bench/eval_formality.py`` scores them against the labelled set in ``tests/data/formality``.
"""

from __future__ import annotations

from locale_guard.formality.markers import MARKERS_SCHEMA, REGISTERS_SCHEMA, classify, find_markers, prepare
from locale_guard.formality.settings import CATEGORIES, POSITIONS, REGISTERS, locale_settings

__all__ = [
    "CATEGORIES",
    "MARKERS_SCHEMA",
    "POSITIONS",
    "REGISTERS",
    "REGISTERS_SCHEMA",
    "classify",
    "find_markers",
    "locale_settings",
    "prepare",
]
