"""Counting: per locale, how many examples of each intent and each (intent, slot type).

These are the numbers every other coverage rule and the report build on, so they are plain
group-by counts over the record frame, with the pivot locale's count joined to every row:
``pl-PL, weather_query, 761, 855`` reads as "761 Polish examples where English has 855".
"""

from __future__ import annotations

import polars as pl

from locale_guard.coverage.text import with_normalised

NORM_HASH_SEED = 7

TRAINING_COLUMNS = (
    "record_id", "locale", "text", "key", "intent", "scenario", "slots", "path", "line", "partition", "flags",
)

INTENT_MATRIX_SCHEMA: dict[str, pl.DataType] = {
    "locale": pl.String(),
    "scenario": pl.String(),
    "intent": pl.String(),
    "count": pl.Int64(),
    "pivot_count": pl.Int64(),
    "ratio": pl.Float64(),
    "shortfall": pl.Int64(),
    "share": pl.Float64(),
    "pivot_share": pl.Float64(),
}

SLOT_MATRIX_SCHEMA: dict[str, pl.DataType] = {
    "locale": pl.String(),
    "scenario": pl.String(),
    "intent": pl.String(),
    "slot_type": pl.String(),
    "count": pl.Int64(),
    "pivot_count": pl.Int64(),
}


def training_records(records: pl.DataFrame) -> pl.DataFrame:
    """NLU training examples (utterances labelled with an intent) in input order, with ``_i``
    (row number), ``_norm``, the text normalised for comparisons (see
    :mod:`locale_guard.coverage.text`), and ``_h``, its 64-bit hash: grouping a million rows by
    a number is several times faster than by a string, and two different texts colliding is a
    one-in-10¹³ event at that size.

    Input order is file order, line by line, so "the first copy" means the first in the file.
    Only the narrow (row, text) frame is reordered by the normalisation, never the records.
    """
    columns = [c for c in TRAINING_COLUMNS if c in records.columns]
    training = (
        records.lazy()
        .filter(
            (pl.col("kind") == "utterance")
            & pl.col("intent").is_not_null()
            & pl.col("locale").is_not_null()
            & pl.col("text").is_not_null()
        )
        .select(columns)
        .collect()
        .with_row_index("_i")
    )
    norm = (
        with_normalised(training.lazy().select("_i", "text"))
        .sort("_i")
        .select("_norm", pl.col("_norm").hash(NORM_HASH_SEED).alias("_h"))
        .collect()
    )
    return pl.concat([training, norm], how="horizontal")


def _scenarios(training: pl.DataFrame) -> pl.DataFrame:
    """Each intent's scenario: the most common one it is filed under (MASSIVE has exactly one)."""
    return (
        training.lazy()
        .filter(pl.col("scenario").is_not_null())
        .group_by("intent", "scenario")
        .len()
        .sort("intent", "len", "scenario", descending=[False, True, False])
        .unique("intent", keep="first", maintain_order=True)
        .select("intent", "scenario")
        .collect()
    )


def intent_matrix(training: pl.DataFrame, pivot: str | None) -> pl.DataFrame:
    """Every training locale × every intent seen anywhere, with counts and the pivot's count.

    ``ratio`` is count / pivot count (null where the pivot has none); ``shortfall`` how many
    examples fewer than the pivot (0 when not fewer); ``share`` the intent's share of the
    locale's examples, the distribution the imbalance rule compares.
    """
    if training.height == 0:
        return pl.DataFrame(schema=INTENT_MATRIX_SCHEMA)
    counts = training.lazy().group_by("locale", "intent").agg(pl.len().cast(pl.Int64).alias("count"))
    locales = training.lazy().select(pl.col("locale").unique())
    intents = training.lazy().select(pl.col("intent").unique())
    pivot_counts = counts.filter(pl.col("locale") == pl.lit(pivot)).select(
        "intent", pl.col("count").alias("pivot_count")
    )
    return (
        locales.join(intents, how="cross")
        .join(counts, on=["locale", "intent"], how="left")
        .join(pivot_counts, on="intent", how="left")
        .join(_scenarios(training).lazy(), on="intent", how="left")
        .with_columns(pl.col("count").fill_null(0), pl.col("pivot_count").fill_null(0))
        .with_columns(
            pl.when(pl.col("pivot_count") > 0)
            .then(pl.col("count") / pl.col("pivot_count"))
            .alias("ratio"),
            (pl.col("pivot_count") - pl.col("count")).clip(lower_bound=0).alias("shortfall"),
            (pl.col("count") / pl.col("count").sum().over("locale")).alias("share"),
            (pl.col("pivot_count") / pl.col("pivot_count").sum().over("locale")).fill_nan(None).alias("pivot_share"),
        )
        .select(list(INTENT_MATRIX_SCHEMA))
        .sort("locale", "scenario", "intent", nulls_last=True)
        .collect()
        .cast(INTENT_MATRIX_SCHEMA)
    )


def slot_rows(training: pl.DataFrame) -> pl.DataFrame:
    """One row per annotated slot: ``_i`` (the record's row in ``training``), locale, intent and
    the slot's ``slot_type``, ``value``, ``start``, ``end``. Computed once per analysis: the
    slot matrix, the totals and the slot checks all read it, and only the columns they need
    are repeated per slot (a million records carry about 1.5 million slots)."""
    return (
        training.lazy()
        .filter(pl.col("slots").list.len() > 0)
        .select("_i", "locale", "intent", "slots")
        .explode("slots")
        .unnest("slots")
        .rename({"type": "slot_type"})
        .collect()
    )


def slot_matrix(training: pl.DataFrame, slots: pl.DataFrame, pivot: str | None) -> pl.DataFrame:
    """Per locale, (intent, slot type) annotation counts next to the pivot's.

    Rows are the combinations the locale annotates plus those the pivot annotates for intents
    the locale has, so a slot type the pivot uses and the locale never does shows with count 0.
    """
    if training.height == 0:
        return pl.DataFrame(schema=SLOT_MATRIX_SCHEMA)
    counts = (
        slots.lazy()
        .filter(pl.col("slot_type").is_not_null())
        .group_by("locale", "intent", "slot_type")
        .agg(pl.len().cast(pl.Int64).alias("count"))
    )
    pivot_counts = counts.filter(pl.col("locale") == pl.lit(pivot)).select(
        "intent", "slot_type", pl.col("count").alias("pivot_count")
    )
    present = training.lazy().select("locale", "intent").unique()
    expected = present.join(pivot_counts.select("intent", "slot_type"), on="intent", how="inner")
    keys = pl.concat([counts.select("locale", "intent", "slot_type"), expected], how="vertical").unique()
    return (
        keys.join(counts, on=["locale", "intent", "slot_type"], how="left")
        .join(pivot_counts, on=["intent", "slot_type"], how="left")
        .join(_scenarios(training).lazy(), on="intent", how="left")
        .with_columns(pl.col("count").fill_null(0), pl.col("pivot_count").fill_null(0))
        .select(list(SLOT_MATRIX_SCHEMA))
        .sort("locale", "scenario", "intent", "slot_type", nulls_last=True)
        .collect()
        .cast(SLOT_MATRIX_SCHEMA)
    )


def totals(training: pl.DataFrame, slot_table: pl.DataFrame) -> pl.DataFrame:
    """Per locale: examples, intents, slot types, annotated slots, and examples per partition."""
    schema = {
        "locale": pl.String(),
        "records": pl.Int64(),
        "intents": pl.Int64(),
        "slot_types": pl.Int64(),
        "slots": pl.Int64(),
        "partitions": pl.String(),
    }
    if training.height == 0:
        return pl.DataFrame(schema=schema)
    slots = (
        slot_table.lazy()
        .group_by("locale")
        .agg(pl.col("slot_type").n_unique().alias("slot_types"), pl.len().alias("slots"))
    )
    parts = (
        training.lazy()
        .group_by("locale", pl.col("partition").fill_null("(none)"))
        .len()
        .sort("locale", "partition")
        .group_by("locale", maintain_order=True)
        .agg(pl.concat_str([pl.col("partition"), pl.lit(" "), pl.col("len").cast(pl.String)]).str.join(", ").alias("partitions"))
    )
    return (
        training.lazy()
        .group_by("locale")
        .agg(pl.len().alias("records"), pl.col("intent").n_unique().alias("intents"))
        .join(slots, on="locale", how="left")
        .join(parts, on="locale", how="left")
        .with_columns(pl.col("slot_types").fill_null(0), pl.col("slots").fill_null(0))
        .select(list(schema))
        .sort("locale")
        .collect()
        .cast(schema)
    )
