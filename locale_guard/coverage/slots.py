"""Annotation slips: slot values that are not in the utterance, unknown slot types, bad brackets.

The MASSIVE reader gives every ``[type : value]`` of ``annot_utt`` character offsets into
``utt``; a value it cannot find there gets null offsets (``utt`` and ``annot_utt`` were edited
apart). A slot type outside the dataset's schema is a typo that becomes a class of its own.
Brackets the reader could not parse leave the flag :data:`MALFORMED_FLAG` on the record.
"""

from __future__ import annotations

import polars as pl

from locale_guard.coverage.schema import LabelSchema
from locale_guard.findings import SPAN_DTYPE

#: record flag a reader sets when an annotation has brackets that are not ``[type : value]``
MALFORMED_FLAG = "malformed-annotation"

PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "problem": pl.String(),
    "record_id": pl.String(),
    "locale": pl.String(),
    "intent": pl.String(),
    "path": pl.String(),
    "line": pl.Int32(),
    "text": pl.String(),
    "slot_type": pl.String(),
    "value": pl.String(),
    "span": SPAN_DTYPE,
}


def slot_problems(
    training: pl.DataFrame,
    slots: pl.DataFrame,
    schema: LabelSchema | None,
    schema_paths: list[str] | None,
) -> pl.DataFrame:
    """One row per problem: ``not-in-text``, ``empty-value``, ``unknown-type`` or ``malformed``.

    ``slots`` is :func:`~locale_guard.coverage.matrix.slot_rows` of ``training``.
    ``schema_paths`` limits the schema to records of those files (``auto``: MASSIVE files);
    None applies it to every record.
    """
    rows = slots.lazy()
    span = pl.struct(pl.col("start").alias("start"), pl.col("end").alias("end"))
    no_span = pl.lit(None, dtype=SPAN_DTYPE)
    value = pl.col("value").fill_null("")
    parts = [
        rows.filter(pl.col("start").is_null() & (value != "")).with_columns(
            pl.lit("not-in-text").alias("problem"), no_span.alias("span")
        ),
        # an annotated slot with nothing in it ("[time : ]"); a null value is a template
        # placeholder (OVOS "{location}"), filled when the intent is used, not a mistake
        rows.filter(pl.col("value") == "").with_columns(pl.lit("empty-value").alias("problem"), no_span.alias("span")),
    ]
    if schema is not None:
        unknown = rows.filter(~pl.col("slot_type").is_in(sorted(schema.slot_types)))
        if schema_paths is not None:
            in_scope = training.lazy().filter(pl.col("path").is_in(schema_paths)).select("_i")
            unknown = unknown.join(in_scope, on="_i", how="semi")
        parts.append(
            unknown.with_columns(
                pl.lit("unknown-type").alias("problem"),
                pl.when(pl.col("start").is_not_null()).then(span).otherwise(no_span).alias("span"),
            )
        )
    if "flags" in training.columns:
        parts.append(
            training.lazy()
            .filter(pl.col("flags").list.contains(MALFORMED_FLAG).fill_null(False))
            .select(
                "_i",
                pl.lit(None, dtype=pl.String).alias("slot_type"),
                pl.lit(None, dtype=pl.String).alias("value"),
                pl.lit("malformed").alias("problem"),
                no_span.alias("span"),
            )
        )
    found = pl.concat(
        [p.select("_i", "problem", "slot_type", "value", pl.col("span").cast(SPAN_DTYPE)) for p in parts],
        how="vertical",
    ).collect()
    if found.height == 0:
        return pl.DataFrame(schema=PROBLEM_SCHEMA)
    about = training.select("record_id", "locale", "intent", "path", "line", "text")[found["_i"]]
    return (
        pl.concat([found, about], how="horizontal")
        .select(list(PROBLEM_SCHEMA))
        .sort("locale", "path", "line", "problem", nulls_last=True, maintain_order=True)
        .cast(PROBLEM_SCHEMA)
    )
