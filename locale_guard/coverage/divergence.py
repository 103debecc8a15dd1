"""How differently a locale's examples are spread over intents, compared with the pivot's.

The Jensen–Shannon divergence (base 2, so between 0 and 1 bit) of the two intent
distributions P (pivot) and Q (locale), with M = (P + Q) / 2::

    JSD = Σᵢ ½·pᵢ·log₂(pᵢ/mᵢ) + ½·qᵢ·log₂(qᵢ/mᵢ)

Each intent's term is itself ≥ 0 (log-sum inequality), so the terms say which intents drive
the divergence and sum to it exactly. Unlike the Kullback–Leibler divergence it is finite when
a locale has an intent the pivot lacks. The total variation distance ½·Σ|pᵢ − qᵢ|, times the
locale's example count, is how many examples sit in the "wrong" intents: a plain-words size.
"""

from __future__ import annotations

import polars as pl

DIVERGENCE_SCHEMA: dict[str, pl.DataType] = {
    "locale": pl.String(),
    "examples": pl.Int64(),
    "jsd": pl.Float64(),
    "tvd": pl.Float64(),
    "out_of_place": pl.Int64(),
    "drivers": pl.List(pl.String()),
    "driver_shares": pl.List(pl.Float64()),
    "driver_pivot_shares": pl.List(pl.Float64()),
    "driver_terms": pl.List(pl.Float64()),
}


def _half_kl_term(p: pl.Expr, m: pl.Expr) -> pl.Expr:
    """½·p·log₂(p/m), with 0·log 0 = 0."""
    return pl.when(p > 0).then(0.5 * p * (p / m).log(2)).otherwise(0.0)


def jsd_terms(intent_matrix: pl.DataFrame) -> pl.LazyFrame:
    """Per locale and intent, its term of the Jensen–Shannon divergence from the pivot."""
    p = pl.col("pivot_share").fill_null(0.0)
    q = pl.col("share").fill_null(0.0)
    m = (p + q) / 2
    return intent_matrix.lazy().with_columns(
        (_half_kl_term(p, m) + _half_kl_term(q, m)).alias("term"),
        (q - p).abs().alias("_diff"),
    )


def divergence(intent_matrix: pl.DataFrame, pivot: str | None, drivers: int) -> pl.DataFrame:
    """One row per non-pivot locale: JSD, total variation, and the ``drivers`` largest terms."""
    if pivot is None or intent_matrix.height == 0:
        return pl.DataFrame(schema=DIVERGENCE_SCHEMA)
    terms = jsd_terms(intent_matrix).filter(pl.col("locale") != pivot)
    top = pl.col("term").rank("ordinal", descending=True) <= drivers
    keep = top & (pl.col("term") > 0)
    return (
        terms.sort("locale", "term", "intent", descending=[False, True, False])
        .group_by("locale", maintain_order=True)
        .agg(
            pl.col("count").sum().alias("examples"),
            pl.col("term").sum().alias("jsd"),
            (pl.col("_diff").sum() / 2).alias("tvd"),
            pl.col("intent").filter(keep).alias("drivers"),
            pl.col("share").filter(keep).alias("driver_shares"),
            pl.col("pivot_share").filter(keep).alias("driver_pivot_shares"),
            pl.col("term").filter(keep).alias("driver_terms"),
        )
        .with_columns((pl.col("tvd") * pl.col("examples")).round(0).cast(pl.Int64).alias("out_of_place"))
        .select(list(DIVERGENCE_SCHEMA))
        .sort("locale")
        .collect()
        .cast(DIVERGENCE_SCHEMA)
    )
