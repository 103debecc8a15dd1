"""Repeated utterances: duplicates, conflicting labels, and train/test leaks.

All three compare the normalised text (by its hash ``_h``, see
:func:`locale_guard.coverage.matrix.training_records`) within one locale, and each is one
group-by:

* duplicate: the same text, intent and partition more than once (copies add weight, not data);
* conflict: the same text under two or more intents (the model is taught both answers);
* leak: the same text in a training and a test partition (test scores measure memory).

A copy in another partition is a leak, not a duplicate, so one pair is reported once. Groups
keep at most ``limit`` record ids, enough to show the records without holding a million.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

_ANCHOR = ("record_id", "path", "line", "key", "text", "intent")


def repeated_texts(training: pl.DataFrame) -> pl.DataFrame:
    """The training rows whose normalised text occurs more than once in their locale: the only
    rows a duplicate, conflict or leak can involve (usually a few percent of the data)."""
    return training.filter(pl.len().over("locale", "_h") > 1)


def _first(name: str) -> pl.Expr:
    return pl.col(name).first().alias(name)


def duplicates(training: pl.DataFrame, limit: int) -> pl.DataFrame:
    """Groups of (locale, partition, intent, normalised text) with more than one record.

    ``exact`` is true when every copy has the very same text; ``count`` is the group's size.
    The anchor columns (``record_id``, ``path``, ``line``...) are the second copy's: the first
    one is the original, the rest are what to delete.
    """
    return (
        training.lazy()
        .with_columns(pl.len().over("locale", "partition", "intent", "_h").alias("_n"))
        .filter(pl.col("_n") > 1)
        .group_by("locale", "partition", "intent", "_h", maintain_order=True)
        .agg(
            pl.len().cast(pl.Int64).alias("count"),
            (pl.col("text").n_unique() == 1).alias("exact"),
            pl.col("record_id").head(limit).alias("records"),
            *[pl.col(c).get(1).alias(c) for c in _ANCHOR if c != "intent"],
        )
        .collect()
    )


def conflicts(training: pl.DataFrame, limit: int) -> pl.DataFrame:
    """Normalised texts of one locale labelled with more than one intent.

    ``intents`` and ``intent_counts`` list the labels, most frequent first; the anchor is the
    first record of the least frequent label, the one most likely to be the mislabel.
    """
    by_intent = (
        training.lazy()
        .with_columns(pl.col("intent").n_unique().over("locale", "_h").alias("_k"))
        .filter(pl.col("_k") > 1)
        .group_by("locale", "_h", "intent", maintain_order=True)
        .agg(
            pl.len().cast(pl.Int64).alias("_n"),
            pl.col("record_id").head(limit).alias("_ids"),
            *[_first(c) for c in _ANCHOR if c != "intent"],
        )
        .sort("locale", "_h", "_n", "intent", descending=[False, False, True, False])
    )
    return (
        by_intent.group_by("locale", "_h", maintain_order=True)
        .agg(
            pl.col("intent").alias("intents"),
            pl.col("_n").alias("intent_counts"),
            pl.col("_n").sum().alias("count"),
            pl.col("_ids").list.explode(keep_nulls=False, empty_as_null=False).head(limit).alias("records"),
            *[pl.col(c).last().alias(c) for c in _ANCHOR],
        )
        .collect()
    )


def leaks(
    training: pl.DataFrame, train: Sequence[str], test: Sequence[str], limit: int
) -> pl.DataFrame:
    """Normalised texts of one locale present in a training and in a test partition.

    The anchor is the first test record: the evaluation example whose answer was in training.
    """
    side = (
        pl.when(pl.col("partition").is_in(list(train)))
        .then(pl.lit("train"))
        .when(pl.col("partition").is_in(list(test)))
        .then(pl.lit("test"))
    )
    is_test = pl.col("_side") == "test"
    return (
        training.lazy()
        .filter(pl.col("partition").is_in(list(train) + list(test)))
        .with_columns(side.alias("_side"))
        .with_columns(pl.col("_side").n_unique().over("locale", "_h").alias("_sides"))
        .filter(pl.col("_sides") == 2)
        .group_by("locale", "_h", maintain_order=True)
        .agg(
            (~is_test).sum().cast(pl.Int64).alias("train_count"),
            is_test.sum().cast(pl.Int64).alias("test_count"),
            pl.col("record_id").filter(~is_test).head(limit).alias("train_records"),
            pl.col("record_id").filter(is_test).head(limit).alias("records"),
            pl.col("partition").filter(is_test).first().alias("partition"),
            *[pl.col(c).filter(is_test).first().alias(c) for c in _ANCHOR],
        )
        .collect()
    )
