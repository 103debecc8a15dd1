"""The record frame: the one shape every reader produces and every check consumes.

Readers turn files of any format into rows of :data:`RECORD_SCHEMA`. Keeping a single polars
schema means checks are written once, vectorised over all formats and locales at the same time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

KINDS = ("response", "utterance")

SLOT_DTYPE = pl.Struct(
    {"type": pl.String, "value": pl.String, "start": pl.Int32, "end": pl.Int32}
)

#: Column order and types of a record frame. The first ten columns are the public contract
#: (``record_id`` … ``line``); the rest carry what particular formats know and checks use.
RECORD_SCHEMA: dict[str, pl.DataType] = {
    "record_id": pl.String(),
    "locale": pl.String(),
    "kind": pl.String(),
    "text": pl.String(),
    "key": pl.String(),
    "intent": pl.String(),
    "scenario": pl.String(),
    "slots": pl.List(SLOT_DTYPE),
    "path": pl.String(),
    "line": pl.Int32(),
    # index of this string among the variants of one key (arrays, .dialog lines, plural forms)
    "variant": pl.Int32(),
    # CLDR plural category of this form ("one", "few", ...) where the format has plural forms
    "plural": pl.String(),
    # text of the source-language string this one translates, where the format carries it (PO,
    # XLIFF) or the engine paired it by key with the source locale
    "source_text": pl.String(),
    # dataset split for training data (train/dev/test), null for catalogs
    "partition": pl.String(),
    # checks or rules suppressed inline for this record (``offensive``, ``placeholders/missing``)
    "suppress": pl.List(pl.String()),
    # format flags worth keeping (``fuzzy`` in PO, ``needs-translation`` in XLIFF state, ...)
    "flags": pl.List(pl.String()),
}

PUBLIC_COLUMNS = list(RECORD_SCHEMA)[:10]


def empty_records() -> pl.DataFrame:
    """A frame with no rows and the record schema, for readers that find nothing."""
    return pl.DataFrame(schema=RECORD_SCHEMA)


def records_from_rows(rows: Iterable[Mapping[str, Any]], **defaults: Any) -> pl.DataFrame:
    """Build a record frame from dicts; missing columns take ``defaults`` or null.

    ``record_id`` is derived from path, key, variant and line when a reader has no natural id,
    so ids are stable across runs of the same input.
    """
    cols: dict[str, list[Any]] = {name: [] for name in RECORD_SCHEMA}
    for row in rows:
        for name in RECORD_SCHEMA:
            value = row.get(name, defaults.get(name))
            if name in ("suppress", "flags") and value is None:
                value = []
            cols[name].append(value)
    # typed list columns are slow to build directly in polars; infer, then cast
    frame = pl.DataFrame([_column(n, cols[n], d) for n, d in RECORD_SCHEMA.items()])
    return with_record_ids(frame)


def _column(name: str, values: list[Any], dtype: pl.DataType) -> pl.Series:
    try:
        return pl.Series(name, values).cast(dtype)
    except (TypeError, ValueError, OverflowError, pl.exceptions.PolarsError):
        return pl.Series(name, values, dtype=dtype, strict=False)


def with_record_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """Fill missing ``record_id`` values with ``path#key[variant]`` (or ``path:line``)."""
    if frame.height == 0 or frame["record_id"].null_count() == 0:
        return frame
    derived = (
        pl.when(pl.col("key").is_not_null())
        .then(
            pl.concat_str(
                [
                    pl.col("path").fill_null(""),
                    pl.lit("#"),
                    pl.col("locale").fill_null(""),
                    pl.lit(":"),
                    pl.col("key"),
                    pl.lit("["),
                    pl.col("variant").fill_null(0).cast(pl.String),
                    pl.lit("]"),
                    pl.when(pl.col("plural").is_not_null())
                    .then(pl.concat_str([pl.lit("."), pl.col("plural")]))
                    .otherwise(pl.lit("")),
                ]
            )
        )
        .otherwise(
            pl.concat_str(
                [pl.col("path").fill_null(""), pl.lit(":"), pl.col("line").fill_null(0).cast(pl.String)]
            )
        )
    )
    return frame.with_columns(pl.coalesce(pl.col("record_id"), derived).alias("record_id"))


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Cast and reorder any frame with a subset of the record columns to the full schema."""
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in RECORD_SCHEMA.items()
        if name not in frame.columns
    ]
    if missing:
        frame = frame.with_columns(missing)
    frame = frame.select(
        [pl.col(name).cast(dtype) for name, dtype in RECORD_SCHEMA.items()]
    )
    frame = frame.with_columns(
        pl.col("suppress").fill_null(pl.lit([], dtype=pl.List(pl.String()))),
        pl.col("flags").fill_null(pl.lit([], dtype=pl.List(pl.String()))),
    )
    return with_record_ids(frame)
