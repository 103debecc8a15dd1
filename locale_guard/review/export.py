"""``review export``: settled decisions as training data for ``model train``.

The training-data schema (documented in docs/REVIEW.md; ``model train`` reads exactly this):
one row per settled item, plus one row for each fixed text.

=================  =========  ==========================================================
column             type       meaning
=================  =========  ==========================================================
text               str        the text the labels describe
locale             str|null   BCP-47 tag
label_offensive    int8|null  offensive check: 1 accepted/fixed, 0 rejected; fixed text 0
label_register     str|null   formality check: formal, informal or none (see below)
rule               str        rule id of the finding
check              str        check of the finding
decision           str        accept, reject, fix — or ``fixed`` for the row of a fixed text
fixed_text         str|null   the reviewer's corrected text (on the ``fix`` row)
source_text        str|null   source-language string, for translations
reviewer_count     int32      reviewers whose decision counted (skip does not)
gold               bool       a lead resolved it (else: the reviewers agreed)
item_id            int64      item id in the store
fingerprint        str        the finding's fingerprint
=================  =========  ==========================================================

Settled means the item is ``done``: a gold decision, or the required reviewers agreeing.
For a formality finding, accepted means the text has the register the finding names (its
evidence ``register=informal`` / ``formal`` / ``none``, else "informal" or "formal" in the
message, else null); a
rejected one gets null (the reviewer said "not wrong", which does not say which register it
is); the fixed text of a formality finding gets the other register. Other checks leave both
labels null: their rows still carry the decision for rule tuning.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

TRAINING_SCHEMA: dict[str, pl.DataType] = {
    "text": pl.String(),
    "locale": pl.String(),
    "label_offensive": pl.Int8(),
    "label_register": pl.String(),
    "rule": pl.String(),
    "check": pl.String(),
    "decision": pl.String(),
    "fixed_text": pl.String(),
    "source_text": pl.String(),
    "reviewer_count": pl.Int32(),
    "gold": pl.Boolean(),
    "item_id": pl.Int64(),
    "fingerprint": pl.String(),
}
FORMATS = ("jsonl", "csv", "parquet")
#: columns of the settled-items frame the store hands to :func:`training_rows`
SETTLED_SCHEMA: dict[str, pl.DataType] = {
    "item_id": pl.Int64(),
    "fingerprint": pl.String(),
    "text": pl.String(),
    "locale": pl.String(),
    "rule": pl.String(),
    "check": pl.String(),
    "message": pl.String(),
    "evidence": pl.List(pl.String()),
    "source_text": pl.String(),
    "decision": pl.String(),
    "fixed_text": pl.String(),
    "reviewer_count": pl.Int32(),
    "gold": pl.Boolean(),
}
_REGISTER_IN_EVIDENCE = r"(?i)^register[=:]\s*(formal|informal|none)$"


def empty_training() -> pl.DataFrame:
    return pl.DataFrame(schema=TRAINING_SCHEMA)


def _named_register() -> pl.Expr:
    """formal/informal as the finding names it: evidence ``register=…`` first, then the message."""
    from_evidence = (
        pl.col("evidence")
        .list.eval(pl.element().str.extract(_REGISTER_IN_EVIDENCE, 1).str.to_lowercase())
        .list.drop_nulls()
        .list.first()
    )
    message = pl.col("message").fill_null("").str.to_lowercase()
    from_message = (
        pl.when(message.str.contains(r"\binformal\b"))
        .then(pl.lit("informal"))
        .when(message.str.contains(r"\bformal\b"))
        .then(pl.lit("formal"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return pl.coalesce(from_evidence, from_message)


def training_rows(settled: pl.DataFrame) -> pl.DataFrame:
    """The training-data frame from settled items (vectorised; see the module docstring)."""
    if settled.height == 0:
        return empty_training()
    frame = settled.with_columns(_named_register().alias("_register"))
    valid = pl.col("decision").is_in(["accept", "fix"])
    is_offensive = pl.col("check") == "offensive"
    is_formality = pl.col("check") == "formality"
    originals = frame.select(
        "text",
        "locale",
        pl.when(is_offensive).then(valid.cast(pl.Int8)).otherwise(None).alias("label_offensive"),
        pl.when(is_formality & valid).then(pl.col("_register")).otherwise(None).alias("label_register"),
        "rule",
        "check",
        "decision",
        "fixed_text",
        "source_text",
        "reviewer_count",
        "gold",
        "item_id",
        "fingerprint",
    )
    other_register = (
        pl.when(pl.col("_register") == "formal")
        .then(pl.lit("informal"))
        .when(pl.col("_register") == "informal")
        .then(pl.lit("formal"))
        .otherwise(None)
    )
    fixed = frame.filter((pl.col("decision") == "fix") & pl.col("fixed_text").is_not_null()).select(
        pl.col("fixed_text").alias("text"),
        "locale",
        pl.when(is_offensive).then(pl.lit(0, dtype=pl.Int8)).otherwise(None).alias("label_offensive"),
        pl.when(is_formality).then(other_register).otherwise(None).alias("label_register"),
        "rule",
        "check",
        pl.lit("fixed").alias("decision"),
        pl.lit(None, dtype=pl.String).alias("fixed_text"),
        "source_text",
        "reviewer_count",
        "gold",
        "item_id",
        "fingerprint",
    )
    out = pl.concat([originals, fixed], how="vertical_relaxed")
    return out.select([pl.col(n).cast(t) for n, t in TRAINING_SCHEMA.items()]).sort(
        ["item_id", "decision"], descending=[False, False]
    )


def write_training(frame: pl.DataFrame, fmt: str, target: Path | None) -> str | None:
    """Write ``frame`` as jsonl/csv/parquet to ``target``; without a target return the text."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}'; one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if target is None:
            raise ValueError("parquet is binary: give an output file with -o")
        frame.write_parquet(target)
        return None
    text = frame.write_ndjson() if fmt == "jsonl" else frame.write_csv()
    if target is None:
        return text
    target.write_text(text, encoding="utf-8")
    return None


def read_training(path: Path) -> pl.DataFrame:
    """Read an export back (any of the three formats), with the schema enforced."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame = pl.read_parquet(path)
    elif suffix == ".csv":
        frame = pl.read_csv(path, schema_overrides=TRAINING_SCHEMA)
    else:
        # read integers as Int64 first: polars' NDJSON reader cannot parse straight into Int8
        wide = {n: pl.Int64() if t.is_integer() else t for n, t in TRAINING_SCHEMA.items()}
        frame = pl.read_ndjson(path, schema=wide)
    return frame.select([pl.col(n).cast(t) for n, t in TRAINING_SCHEMA.items()])
