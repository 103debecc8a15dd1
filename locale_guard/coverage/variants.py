"""Response variants per catalog key: five ways to say "Good morning" in English, one in Polish.

Assistants pick a random variant of a response so they do not sound like a recording; a
translation that keeps one variant makes the Polish assistant repeat itself where the English
one does not. Variants are the distinct ``variant`` indexes of a key (array items, ``.dialog``
lines); plural forms of one variant are one variant.
"""

from __future__ import annotations

import math

import polars as pl

VARIANT_SCHEMA: dict[str, pl.DataType] = {
    "catalog": pl.String(),
    "key": pl.String(),
    "locale": pl.String(),
    "count": pl.Int64(),
    "pivot_count": pl.Int64(),
    "record_id": pl.String(),
    "path": pl.String(),
    "line": pl.Int32(),
    "text": pl.String(),
    "records": pl.List(pl.String()),
    "reference_records": pl.List(pl.String()),
}


def catalog_records(records: pl.DataFrame) -> pl.DataFrame:
    """Keyed catalog strings (responses), not training examples, with a ``catalog`` column."""
    frame = records if "catalog" in records.columns else records.with_columns(pl.col("path").alias("catalog"))
    return frame.filter(
        pl.col("key").is_not_null()
        & pl.col("locale").is_not_null()
        & pl.col("partition").is_null()
        & (pl.col("kind") != "utterance")
    )


def few_variants(records: pl.DataFrame, source: str | None, ratio: float, limit: int) -> pl.DataFrame:
    """Keys whose variant count in a target locale is below ``ratio`` of the source's, rounded up.

    With the default 0.5 a key with 5 source variants needs 3, with 2 needs 1: a target that
    has the key at all but fewer variants than that is reported. Missing keys are
    coverage/missing-key's business and are not repeated here.
    """
    if source is None:
        return pl.DataFrame(schema=VARIANT_SCHEMA)
    catalog = catalog_records(records).sort("locale", "path", "line", "variant", nulls_last=True, maintain_order=True)
    if catalog.height == 0:
        return pl.DataFrame(schema=VARIANT_SCHEMA)
    per_key = catalog.lazy().group_by("catalog", "key", "locale", maintain_order=True).agg(
        pl.col("variant").fill_null(0).n_unique().cast(pl.Int64).alias("count"),
        pl.col("record_id").head(limit).alias("records"),
        pl.col("record_id").first(),
        pl.col("path").first(),
        pl.col("line").first(),
        pl.col("text").first(),
    )
    src = per_key.filter(pl.col("locale") == source).select(
        "catalog", "key", pl.col("count").alias("pivot_count"), pl.col("records").alias("reference_records")
    )
    # ceil(ratio × n) without float surprises at exact halves: ceil(0.5 × 5) = 3
    needed = (pl.col("pivot_count") * ratio - 1e-9).ceil()
    return (
        per_key.filter(pl.col("locale") != source)
        .join(src, on=["catalog", "key"], how="inner")
        .filter((pl.col("pivot_count") >= 2) & (pl.col("count") < needed))
        .select(list(VARIANT_SCHEMA))
        .sort("path", "key")
        .collect()
        .cast(VARIANT_SCHEMA)
    )


def needed_variants(pivot_count: int, ratio: float) -> int:
    """The fewest variants a target needs (for messages and docs)."""
    return max(0, math.ceil(pivot_count * ratio - 1e-9))
