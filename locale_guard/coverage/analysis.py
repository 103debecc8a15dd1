"""One coverage analysis of a record frame: every table, computed once per run.

The ``coverage`` check's rule functions, the ``coverage`` command and the report all read the
same :class:`CoverageAnalysis`; :func:`analysis_for` keeps it in the check context's cache so
the ten training rules of one ``check`` run share one analysis.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from locale_guard.coverage.divergence import divergence
from locale_guard.coverage.diversity import diversity
from locale_guard.coverage.duplicates import conflicts, duplicates, leaks, repeated_texts
from locale_guard.coverage.matrix import intent_matrix, slot_matrix, slot_rows, totals, training_records
from locale_guard.coverage.options import CoverageOptions, coverage_options
from locale_guard.coverage.schema import LabelSchema, resolve_schema
from locale_guard.coverage.slots import slot_problems
from locale_guard.coverage.variants import catalog_records, few_variants

if TYPE_CHECKING:
    from locale_guard.checks import CheckContext

_CACHE_KEY = "coverage.analysis"


@dataclass
class CoverageAnalysis:
    """Tables of one analysis; see docs/COVERAGE.md for every column."""

    options: CoverageOptions
    #: the pivot locale as present in the data, or None when it has no training examples
    pivot: str | None
    #: the locale catalog variants are compared with (the run's source locale, else the pivot)
    variant_source: str | None
    schema: LabelSchema | None
    training: pl.DataFrame
    catalog: pl.DataFrame
    totals: pl.DataFrame
    intent_matrix: pl.DataFrame
    slot_matrix: pl.DataFrame
    divergence: pl.DataFrame
    diversity: pl.DataFrame
    duplicates: pl.DataFrame
    conflicts: pl.DataFrame
    leaks: pl.DataFrame
    slot_problems: pl.DataFrame
    variants: pl.DataFrame
    #: first training file of each locale: where findings about a whole locale point
    locale_paths: pl.DataFrame
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    _gaps: pl.DataFrame | None = None
    _samples: pl.DataFrame | None = None
    _parallel: list[str] | None = None

    @property
    def locales(self) -> list[str]:
        return self.totals["locale"].to_list()

    @property
    def intent_samples(self) -> pl.DataFrame:
        """Per locale and intent, the ids of its first ``report-records`` examples."""
        if self._samples is None:
            self._samples = self.training.group_by("locale", "intent", maintain_order=True).agg(
                pl.col("record_id").head(self.options.report_records).alias("records")
            )
        return self._samples

    @property
    def parallel_locales(self) -> list[str]:
        """Locales whose record keys are the pivot's ids of the same utterances (MASSIVE ids are
        parallel across locales): at least 90% of the keys they share with the pivot carry the
        same intent there. For these, the pivot records a gap lacks are exactly known."""
        if self._parallel is None:
            self._parallel = []
            if self.pivot is not None:
                pivot_keys = self.training.lazy().filter(
                    (pl.col("locale") == self.pivot) & pl.col("key").is_not_null()
                ).select("key", pl.col("intent").alias("_pivot_intent")).unique("key", keep="first")
                agree = (
                    self.training.lazy()
                    .filter(pl.col("locale") != self.pivot)
                    .join(pivot_keys, on="key", how="inner")
                    .group_by("locale")
                    .agg((pl.col("intent") == pl.col("_pivot_intent")).mean().alias("_agree"))
                    .filter(pl.col("_agree") >= 0.9)
                    .collect()
                )
                self._parallel = sorted(agree["locale"].to_list())
        return self._parallel

    @property
    def gaps(self) -> pl.DataFrame:
        """Every gap, worst first (built on first use)."""
        if self._gaps is None:
            from locale_guard.coverage.gaps import build_gaps

            self._gaps = build_gaps(self)
        return self._gaps


def _resolve_pivot(locales: list[str], wanted: str) -> str | None:
    from locale_guard.engine import resolve_source_locale

    found = resolve_source_locale(locales, wanted)
    return found if found in locales else None


def _schema_paths(files: pl.DataFrame | None, schema: LabelSchema | None) -> list[str] | None:
    """Files the schema applies to: all (None) or, for ``auto``, those read as MASSIVE."""
    if schema is None or schema.everywhere:
        return None
    if files is None or "format" not in files.columns or "path" not in files.columns:
        return []
    return files.filter(pl.col("format") == "massive")["path"].drop_nulls().to_list()


def analyse(
    records: pl.DataFrame,
    options: CoverageOptions,
    *,
    files: pl.DataFrame | None = None,
    source_locale: str | None = None,
) -> CoverageAnalysis:
    """Compute every coverage table of ``records`` (a record frame of any number of locales)."""
    started = time.perf_counter()
    notes: list[str] = []
    training = training_records(records)
    locales = sorted(training["locale"].unique().to_list())
    pivot = _resolve_pivot(locales, options.pivot)
    if training.height and pivot is None:
        notes.append(
            f"the pivot locale {options.pivot} has no training examples, so nothing is compared with it; "
            "set --pivot or [checks.coverage] pivot"
        )
    schema = resolve_schema(options.schema, options.base)
    catalog = catalog_records(records)
    catalog_locales = catalog["locale"].unique().to_list() if catalog.height else []
    variant_source = source_locale or pivot or options.pivot
    if catalog_locales:
        variant_source = _resolve_pivot(catalog_locales, variant_source) or variant_source
    matrix = intent_matrix(training, pivot)
    slots = slot_rows(training)
    repeated = repeated_texts(training)
    limit = options.report_records
    analysis = CoverageAnalysis(
        options=options,
        pivot=pivot,
        variant_source=variant_source,
        schema=schema,
        training=training,
        catalog=catalog,
        totals=totals(training, slots),
        intent_matrix=matrix,
        slot_matrix=slot_matrix(training, slots, pivot),
        divergence=divergence(matrix, pivot, options.imbalance_drivers),
        diversity=diversity(training, pivot, options),
        duplicates=duplicates(repeated, limit),
        conflicts=conflicts(repeated, limit),
        leaks=leaks(repeated, options.train_partitions, options.test_partitions, limit),
        slot_problems=slot_problems(training, slots, schema, _schema_paths(files, schema)),
        variants=few_variants(records, variant_source, options.variant_ratio, limit),
        locale_paths=training.group_by("locale", maintain_order=True).agg(pl.col("path").first()),
        notes=notes,
    )
    analysis.seconds = time.perf_counter() - started
    return analysis


def analysis_for(records: pl.DataFrame, ctx: CheckContext) -> CoverageAnalysis:
    """The analysis of ``records`` under ``ctx``'s config, computed once per context.

    Also published as ``ctx.artifacts["coverage"]`` for reporters and the ``coverage`` command.
    """
    cached = ctx.cache.get(_CACHE_KEY)
    if cached is not None and cached[0] is records:
        return cached[1]
    options = coverage_options(ctx.config, ctx.source_locale)
    analysis = analyse(records, options, files=ctx.files, source_locale=ctx.source_locale)
    ctx.cache[_CACHE_KEY] = (records, analysis)
    ctx.artifacts["coverage"] = analysis
    return analysis
