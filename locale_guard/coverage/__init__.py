"""Topical coverage of NLU training data and catalogs, against a pivot locale.

For every locale: how many examples of each scenario, intent and slot type it has next to the
pivot's (default en-US), how far its intent mix diverges, which utterances are duplicated,
mislabelled or leaked into the test split, which annotations are broken, which intents look
templated, and which catalog responses lost their variants. Everything is polars group-bys
and joins over the record frame, so a million records take seconds.

* :mod:`~locale_guard.coverage.analysis` computes every table once (:func:`analyse`);
* :mod:`~locale_guard.coverage.gaps` turns them into ranked gaps in plain words;
* :mod:`~locale_guard.coverage.rules` makes findings of gaps for ``locale-guard check``;
* :mod:`~locale_guard.coverage.report` and :mod:`~locale_guard.coverage.html` write the
  ``locale-guard coverage`` report (HTML, JSON, CSV, Parquet).
"""

from locale_guard.coverage.analysis import CoverageAnalysis, analyse, analysis_for
from locale_guard.coverage.options import CoverageOptions, coverage_options

__all__ = ["CoverageAnalysis", "CoverageOptions", "analyse", "analysis_for", "coverage_options"]
