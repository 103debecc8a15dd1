"""The training-data rules of the ``coverage`` check, as ``(records, ctx) -> findings`` functions.

Each function reads the run's one :class:`~locale_guard.coverage.analysis.CoverageAnalysis`
and turns its rule's gaps into findings, one finding per gap, with the same plain-words message
the report shows. :mod:`locale_guard.checks.coverage` registers them next to the catalog rules.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from locale_guard.checks import CheckContext
from locale_guard.coverage.analysis import analysis_for
from locale_guard.coverage.ruleset import SEVERITY, TRAINING_RULES
from locale_guard.findings import empty_findings, findings_from_records

RuleFunction = Callable[[pl.DataFrame, CheckContext], pl.DataFrame]


def gap_findings(gaps: pl.DataFrame, rule: str) -> pl.DataFrame:
    """Findings for the gaps of one rule (vectorised; gaps already carry every column)."""
    mine = gaps.filter(pl.col("rule") == rule)
    if mine.height == 0:
        return empty_findings()
    return findings_from_records(
        mine,
        rule=rule,
        severity=SEVERITY[rule],
        message=pl.col("message"),
        span=pl.col("span"),
        suggestion=pl.col("suggestion"),
        evidence=pl.col("evidence"),
    )


def _rule_function(rule: str) -> RuleFunction:
    def run(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
        return gap_findings(analysis_for(records, ctx).gaps, rule)

    name = rule.split("/", 1)[1].replace("-", "_")
    run.__name__ = run.__qualname__ = name
    run.__doc__ = f"Findings of {rule}: {next(r.summary for r in TRAINING_RULES if r.id == rule)}."
    return run


TRAINING_RULE_FUNCTIONS: tuple[RuleFunction, ...] = tuple(_rule_function(r.id) for r in TRAINING_RULES)
