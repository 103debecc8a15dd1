"""Gaps: every coverage problem as one row, in plain words, with the records behind it.

The gap table is what the ``coverage`` check turns into findings (one finding per gap) and
what the report ranks, explains and lets a reader click open. Each rule contributes rows of
:data:`GAP_SCHEMA`; ``score`` is the problem's size in examples (examples missing, extra
copies, leaked test records...) so gaps of different rules can be ranked together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from locale_guard.coverage.ruleset import SEVERITY
from locale_guard.findings import SEVERITY_RANK, SPAN_DTYPE

if TYPE_CHECKING:
    from locale_guard.coverage.analysis import CoverageAnalysis

GAP_SCHEMA: dict[str, pl.DataType] = {
    "gap_id": pl.String(),
    "rule": pl.String(),
    "severity": pl.String(),
    "locale": pl.String(),
    "scenario": pl.String(),
    "intent": pl.String(),
    "slot_type": pl.String(),
    "partition": pl.String(),
    "count": pl.Int64(),
    "pivot_count": pl.Int64(),
    "shortfall": pl.Int64(),
    "ratio": pl.Float64(),
    "score": pl.Float64(),
    "message": pl.String(),
    "suggestion": pl.String(),
    "path": pl.String(),
    "line": pl.Int32(),
    "key": pl.String(),
    "record_id": pl.String(),
    "text": pl.String(),
    "span": SPAN_DTYPE,
    "records": pl.List(pl.String()),
    "reference_records": pl.List(pl.String()),
    "evidence": pl.List(pl.String()),
}

_EMPTY_LIST = pl.lit([], dtype=pl.List(pl.String()))
_QUOTE_CHARS = 60


def empty_gaps() -> pl.DataFrame:
    return pl.DataFrame(schema=GAP_SCHEMA)


def _conform(frame: pl.DataFrame | pl.LazyFrame, rule: str) -> pl.DataFrame:
    lazy = frame.lazy()
    names = lazy.collect_schema().names()
    missing = [pl.lit(None, dtype=t).alias(n) for n, t in GAP_SCHEMA.items() if n not in names]
    lazy = lazy.with_columns(missing) if missing else lazy
    return (
        lazy.with_columns(pl.lit(rule).alias("rule"), pl.lit(SEVERITY[rule]).alias("severity"))
        .select([pl.col(n).cast(t) for n, t in GAP_SCHEMA.items()])
        .with_columns(
            pl.col("records").fill_null(_EMPTY_LIST),
            pl.col("reference_records").fill_null(_EMPTY_LIST),
            pl.col("evidence").fill_null(_EMPTY_LIST),
        )
        .collect()
    )


def _s(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String)


def _pct(expr: pl.Expr) -> pl.Expr:
    """A share as a whole percentage ("67%"), one decimal below 10%."""
    value = expr * 100
    return pl.when(value < 10).then(_s(value.round(1))).otherwise(_s(value.round(0).cast(pl.Int64))) + "%"


def _quote(expr: pl.Expr) -> pl.Expr:
    cut = (
        pl.when(expr.str.len_chars() > _QUOTE_CHARS)
        .then(expr.str.slice(0, _QUOTE_CHARS - 1) + "…")
        .otherwise(expr)
    )
    return "'" + cut + "'"


def _times(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr == 1).then(pl.lit("once")).otherwise(_s(expr) + " times")


# ------------------------------------------------------------------------ pivot-relative rules


def _pivot_samples(a: CoverageAnalysis, wanted: pl.DataFrame, with_slot: bool = False) -> pl.DataFrame:
    """Pivot records behind (locale, intent[, slot_type]) gaps: for locales whose ids are
    parallel to the pivot's (MASSIVE), the pivot records whose id the locale lacks, the missing
    rows themselves; for other locales, the first pivot records of the intent."""
    limit = a.options.report_records
    keys = ["locale", "intent", "slot_type"] if with_slot else ["locale", "intent"]
    out_schema = {**{k: pl.String() for k in keys}, "reference_records": pl.List(pl.String())}
    if a.pivot is None or wanted.height == 0:
        return pl.DataFrame(schema=out_schema)
    pivot = a.training.lazy().filter(pl.col("locale") == a.pivot)
    if with_slot:
        pivot = pivot.explode("slots").with_columns(pl.col("slots").struct.field("type").alias("slot_type"))
        pivot = pivot.unique(["record_id", "slot_type"], keep="first", maintain_order=True)
    pivot = pivot.select("_i", "intent", *(["slot_type"] if with_slot else []), "record_id", "key")
    candidates = wanted.lazy().select(keys).unique().join(pivot, on=[k for k in keys if k != "locale"], how="inner")
    parallel = a.parallel_locales
    if parallel:
        present = (
            a.training.lazy()
            .filter(pl.col("locale").is_in(parallel) & pl.col("key").is_not_null())
            .select("locale", "key")
        )
        candidates = candidates.join(present, on=["locale", "key"], how="anti")
    return (
        candidates.sort("_i")  # joins do not keep order: the first records in the file, in file order
        .group_by(keys, maintain_order=True)
        .agg(pl.col("record_id").head(limit).alias("reference_records"))
        .collect()
    )


def _locale_samples(a: CoverageAnalysis) -> pl.LazyFrame:
    return a.intent_samples.lazy()


def missing_intent(a: CoverageAnalysis) -> pl.DataFrame:
    if a.pivot is None:
        return empty_gaps()
    m = a.intent_matrix.filter(
        (pl.col("locale") != a.pivot) & (pl.col("count") == 0) & (pl.col("pivot_count") > 0)
    )
    samples = _pivot_samples(a, m)
    frame = (
        m.lazy()
        .join(a.locale_paths.lazy(), on="locale", how="left")
        .join(samples.lazy(), on=["locale", "intent"], how="left")
        .with_columns(
            pl.col("intent").alias("key"),
            pl.col("pivot_count").cast(pl.Float64).alias("score"),
            pl.concat_str(
                [
                    pl.lit("no examples of intent '"), pl.col("intent"), pl.lit("' in "), pl.col("locale"),
                    pl.lit(f"; {a.pivot} has "), _s(pl.col("pivot_count")),
                ]
            ).alias("message"),
            pl.concat_str(
                [pl.lit("write or translate examples of '"), pl.col("intent"), pl.lit(f"' from {a.pivot}")]
            ).alias("suggestion"),
        )
    )
    return _conform(frame, "coverage/missing-intent")


def thin_intent(a: CoverageAnalysis) -> pl.DataFrame:
    opts = a.options
    m = a.intent_matrix.filter(pl.col("count") > 0)
    relative = (
        pl.lit(a.pivot is not None)
        & (pl.col("locale") != pl.lit(a.pivot))
        & (pl.col("pivot_count") > 0)
        & (pl.col("ratio") < opts.thin_ratio)
    )
    absolute = pl.col("count") < opts.min_examples
    m = m.with_columns(relative.fill_null(False).alias("_rel")).filter(pl.col("_rel") | absolute)
    samples = _pivot_samples(a, m.filter(pl.col("_rel")))
    by_ratio = pl.concat_str(
        [
            pl.lit("only "), _s(pl.col("count")), pl.lit(" examples of '"), pl.col("intent"), pl.lit("' in "),
            pl.col("locale"), pl.lit(", "), _pct(pl.col("ratio")), pl.lit(f" of {a.pivot}'s "),
            _s(pl.col("pivot_count")), pl.lit(" ("), _s(pl.col("shortfall")), pl.lit(" fewer)"),
        ]
    )
    by_count = pl.concat_str(
        [
            pl.lit("only "), _s(pl.col("count")), pl.lit(" example(s) of '"), pl.col("intent"), pl.lit("' in "),
            pl.col("locale"), pl.lit(f"; an intent needs at least {opts.min_examples} ([checks.coverage] min-examples)"),
        ]
    )
    frame = (
        m.lazy()
        .join(a.locale_paths.lazy(), on="locale", how="left")
        .join(_locale_samples(a), on=["locale", "intent"], how="left")
        .join(samples.lazy(), on=["locale", "intent"], how="left")
        .with_columns(
            pl.col("intent").alias("key"),
            pl.when(pl.col("_rel"))
            .then(pl.col("shortfall"))
            .otherwise(pl.lit(opts.min_examples) - pl.col("count"))
            .alias("shortfall"),
        )
        .with_columns(
            pl.col("shortfall").cast(pl.Float64).alias("score"),
            pl.when(pl.col("_rel")).then(by_ratio).otherwise(by_count).alias("message"),
            pl.concat_str(
                [pl.lit("add about "), _s(pl.col("shortfall")), pl.lit(" examples of '"), pl.col("intent"), pl.lit("'")]
            ).alias("suggestion"),
        )
    )
    return _conform(frame, "coverage/thin-intent")


def missing_slot(a: CoverageAnalysis) -> pl.DataFrame:
    if a.pivot is None:
        return empty_gaps()
    m = a.slot_matrix.filter(
        (pl.col("locale") != a.pivot)
        & (pl.col("count") == 0)
        & (pl.col("pivot_count") >= a.options.missing_slot_min)
    )
    samples = _pivot_samples(a, m, with_slot=True)
    frame = (
        m.lazy()
        .join(a.locale_paths.lazy(), on="locale", how="left")
        .join(_locale_samples(a), on=["locale", "intent"], how="left")
        .join(samples.lazy(), on=["locale", "intent", "slot_type"], how="left")
        .with_columns(
            pl.concat_str([pl.col("intent"), pl.lit("/"), pl.col("slot_type")]).alias("key"),
            pl.col("pivot_count").cast(pl.Float64).alias("score"),
            pl.concat_str(
                [
                    pl.lit("slot type '"), pl.col("slot_type"), pl.lit("' is never annotated in '"),
                    pl.col("intent"), pl.lit("' in "), pl.col("locale"), pl.lit(f"; {a.pivot} annotates it "),
                    _times(pl.col("pivot_count")),
                ]
            ).alias("message"),
            pl.concat_str(
                [pl.lit("annotate ["), pl.col("slot_type"), pl.lit(" : …] where the utterances name one")]
            ).alias("suggestion"),
        )
    )
    return _conform(frame, "coverage/missing-slot")


def imbalance(a: CoverageAnalysis) -> pl.DataFrame:
    d = a.divergence.filter(pl.col("jsd") > a.options.imbalance_threshold)
    if d.height == 0:
        return empty_gaps()
    driver = pl.concat_str(
        [
            pl.col("drivers"), pl.lit(" "), _pct(pl.col("driver_shares")), pl.lit(" vs "),
            _pct(pl.col("driver_pivot_shares")),
        ]
    )
    described = (
        d.lazy()
        .select("locale", "drivers", "driver_shares", "driver_pivot_shares")
        .explode("drivers", "driver_shares", "driver_pivot_shares")
        .filter(pl.col("drivers").is_not_null())
        .group_by("locale", maintain_order=True)
        .agg(driver.alias("evidence"))
    )
    frame = (
        d.lazy()
        .join(described, on="locale", how="left")
        .join(a.locale_paths.lazy(), on="locale", how="left")
        .with_columns(
            pl.col("out_of_place").cast(pl.Float64).alias("score"),
            pl.col("jsd").alias("ratio"),
            pl.col("examples").alias("count"),
            pl.concat_str(
                [
                    pl.col("locale"), pl.lit(f"'s intent mix differs from {a.pivot}'s (Jensen–Shannon divergence "),
                    _s(pl.col("jsd").round(4)), pl.lit(f" bits, above {a.options.imbalance_threshold}; about "),
                    _s(pl.col("out_of_place")), pl.lit(" examples out of place); most of it from: "),
                    pl.col("evidence").list.join(", "), pl.lit(f" of examples here vs in {a.pivot}"),
                ]
            ).alias("message"),
            pl.lit("rebalance the intents named, by adding examples where this locale has fewer").alias("suggestion"),
        )
    )
    return _conform(frame, "coverage/imbalance")


# --------------------------------------------------------------------- per-locale data quality


def duplicate(a: CoverageAnalysis) -> pl.DataFrame:
    d = a.duplicates
    if d.height == 0:
        return empty_gaps()
    frame = d.lazy().with_columns(
        (pl.col("count") - 1).cast(pl.Float64).alias("score"),
        pl.concat_str(
            [
                _quote(pl.col("text")), pl.lit(" appears "), _s(pl.col("count")), pl.lit(" times in "),
                pl.col("locale"), pl.lit(" "), pl.col("partition").fill_null("(no partition)"),
                pl.lit(" under '"), pl.col("intent"), pl.lit("' ("),
                pl.when(pl.col("exact"))
                .then(pl.lit("exact duplicates"))
                .otherwise(pl.lit("the same after normalising case, punctuation and spaces")),
                pl.lit(")"),
            ]
        ).alias("message"),
        pl.lit("keep one copy").alias("suggestion"),
    )
    return _conform(frame, "coverage/duplicate")


def conflict(a: CoverageAnalysis) -> pl.DataFrame:
    c = a.conflicts
    if c.height == 0:
        return empty_gaps()
    labels = (
        c.lazy()
        .select("locale", "_h", "intents", "intent_counts")
        .explode("intents", "intent_counts")
        .group_by("locale", "_h", maintain_order=True)
        .agg(pl.concat_str([pl.col("intents"), pl.lit(" ("), _s(pl.col("intent_counts")), pl.lit(")")]).alias("evidence"))
    )
    frame = (
        c.lazy()
        .join(labels, on=["locale", "_h"], how="left")
        .with_columns(
            (pl.col("count") - pl.col("intent_counts").list.first()).cast(pl.Float64).alias("score"),
            pl.concat_str(
                [
                    _quote(pl.col("text")), pl.lit(" is labelled with "), _s(pl.col("intents").list.len()),
                    pl.lit(" intents in "), pl.col("locale"), pl.lit(": "), pl.col("evidence").list.join(", "),
                ]
            ).alias("message"),
            pl.lit("keep the right intent, or reword one of them").alias("suggestion"),
        )
    )
    return _conform(frame, "coverage/conflict")


def leak(a: CoverageAnalysis) -> pl.DataFrame:
    lk = a.leaks
    if lk.height == 0:
        return empty_gaps()
    frame = lk.lazy().with_columns(
        pl.col("test_count").alias("count"),
        pl.col("train_records").alias("reference_records"),
        pl.col("test_count").cast(pl.Float64).alias("score"),
        pl.concat_str(
            [
                _quote(pl.col("text")), pl.lit(" is in both training ("), _s(pl.col("train_count")),
                pl.lit(") and test ("), _s(pl.col("test_count")), pl.lit(") data of "), pl.col("locale"),
            ]
        ).alias("message"),
        pl.lit("remove it from one of the partitions").alias("suggestion"),
    )
    return _conform(frame, "coverage/leak")


def slot_mismatch(a: CoverageAnalysis) -> pl.DataFrame:
    p = a.slot_problems
    if p.height == 0:
        return empty_gaps()
    schema_name = a.schema.name if a.schema is not None else "dataset"
    message = (
        pl.when(pl.col("problem") == "not-in-text")
        .then(
            pl.concat_str(
                [pl.lit("slot value "), _quote(pl.col("value")), pl.lit(" ["), pl.col("slot_type"),
                 pl.lit("] does not occur in the utterance")]
            )
        )
        .when(pl.col("problem") == "empty-value")
        .then(pl.concat_str([pl.lit("empty slot ["), pl.col("slot_type"), pl.lit(" : ]")]))
        .when(pl.col("problem") == "unknown-type")
        .then(pl.concat_str([pl.lit("slot type '"), pl.col("slot_type"), pl.lit(f"' is not in the {schema_name} schema")]))
        .otherwise(pl.lit("malformed [type : value] brackets in the annotation"))
    )
    suggestion = (
        pl.when(pl.col("problem") == "not-in-text")
        .then(pl.lit("make the annotated value match the utterance text"))
        .when(pl.col("problem") == "empty-value")
        .then(pl.lit("remove the empty slot or give it its value"))
        .when(pl.col("problem") == "unknown-type")
        .then(pl.lit("use a slot type of the schema (see [checks.coverage] schema)"))
        .otherwise(pl.lit("write each slot as [type : value]"))
    )
    frame = p.lazy().with_columns(
        pl.concat_list(pl.col("record_id")).alias("records"),
        pl.lit(1.0).alias("score"),
        message.alias("message"),
        suggestion.alias("suggestion"),
        pl.concat_list(pl.col("problem")).alias("evidence"),
    )
    return _conform(frame, "coverage/slot-mismatch")


def low_diversity(a: CoverageAnalysis) -> pl.DataFrame:
    d = a.diversity.filter(pl.col("low"))
    if d.height == 0:
        return empty_gaps()
    n = a.options.diversity_n
    frame = (
        d.lazy()
        .join(a.locale_paths.lazy(), on="locale", how="left")
        .with_columns(
            pl.col("intent").alias("key"),
            pl.col("score").alias("ratio"),
            (pl.col("count") * (1 - pl.col("score"))).alias("score"),
            pl.col("repeated").alias("evidence"),
            pl.concat_str(
                [
                    pl.lit("examples of '"), pl.col("intent"), pl.lit("' in "), pl.col("locale"),
                    pl.lit(" look templated: "), _pct(pl.col("distinct_ratio")),
                    pl.lit(f" distinct {n}-grams against {a.pivot}'s "), _pct(pl.col("pivot_distinct_ratio")),
                    pl.lit(" over "), _s(pl.col("sample")), pl.lit(" examples each ("),
                    _s((pl.col("score") * 100).round(0).cast(pl.Int64)),
                    pl.lit("% of this locale's usual level); most repeated: "),
                    pl.col("repeated").list.join(", "),
                ]
            ).alias("message"),
            pl.lit("write varied examples (other wordings, word orders, slot values)").alias("suggestion"),
        )
    )
    return _conform(frame, "coverage/low-diversity")


def few_variants(a: CoverageAnalysis) -> pl.DataFrame:
    v = a.variants
    if v.height == 0:
        return empty_gaps()
    frame = v.lazy().with_columns(
        (pl.col("pivot_count") - pl.col("count")).alias("shortfall"),
        (pl.col("pivot_count") - pl.col("count")).cast(pl.Float64).alias("score"),
        (pl.col("count") / pl.col("pivot_count")).alias("ratio"),
        pl.concat_str(
            [
                pl.lit("key '"), pl.col("key"), pl.lit("' has "), _s(pl.col("count")), pl.lit(" variant(s) in "),
                pl.col("locale"), pl.lit(f" against {a.variant_source}'s "), _s(pl.col("pivot_count")),
            ]
        ).alias("message"),
        pl.lit("translate more of the source's variants, so the response does not repeat").alias("suggestion"),
    )
    return _conform(frame, "coverage/few-variants")


BUILDERS = {
    "coverage/missing-intent": missing_intent,
    "coverage/missing-slot": missing_slot,
    "coverage/thin-intent": thin_intent,
    "coverage/imbalance": imbalance,
    "coverage/duplicate": duplicate,
    "coverage/conflict": conflict,
    "coverage/leak": leak,
    "coverage/slot-mismatch": slot_mismatch,
    "coverage/low-diversity": low_diversity,
    "coverage/few-variants": few_variants,
}


def build_gaps(a: CoverageAnalysis) -> pl.DataFrame:
    """All gaps, worst first: by severity, then size, then locale and intent."""
    parts = [build(a) for build in BUILDERS.values()]
    gaps = pl.concat([p for p in parts if p.height], how="vertical") if any(p.height for p in parts) else empty_gaps()
    order = pl.col("severity").replace_strict(SEVERITY_RANK, default=0, return_dtype=pl.Int32)
    gaps = gaps.sort(
        [order, "score", "locale", "rule", "intent", "slot_type", "path", "line"],
        descending=[True, True, False, False, False, False, False, False],
        nulls_last=True,
        maintain_order=True,
    )
    width = max(4, len(str(gaps.height)))
    return gaps.with_columns(
        ("G" + pl.int_range(1, gaps.height + 1).cast(pl.String).str.zfill(width)).alias("gap_id")
    )
