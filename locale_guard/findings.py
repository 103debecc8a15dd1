"""Findings: one schema for every check, with fingerprints that survive moved lines.

A finding frame is what checks return, what suppression and baselines filter and what every
reporter renders. Fingerprints deliberately leave out line numbers and message wording, so a
baseline stays valid when a file is reformatted or a message is improved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {"never": 99, "info": 1, "warning": 2, "error": 3}
CHECK_NAMES = (
    "formality",
    "holidays",
    "coverage",
    "offensive",
    "language",
    "formatting",
    "placeholders",
)

SPAN_DTYPE = pl.Struct({"start": pl.Int32, "end": pl.Int32})

FINDING_SCHEMA: dict[str, pl.DataType] = {
    "rule": pl.String(),
    "check": pl.String(),
    "severity": pl.String(),
    "locale": pl.String(),
    "path": pl.String(),
    "line": pl.Int32(),
    "column": pl.Int32(),
    "key": pl.String(),
    "record_id": pl.String(),
    "text": pl.String(),
    "span": SPAN_DTYPE,
    "message": pl.String(),
    "suggestion": pl.String(),
    "source": pl.String(),  # "rule" or "model"
    "score": pl.Float64(),
    "evidence": pl.List(pl.String()),  # the words or values that decided
    "fingerprint": pl.String(),
    # the source-language string a flagged translation renders (for reviewers); null otherwise
    "source_text": pl.String(),
}


def empty_findings() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDING_SCHEMA)


def findings_from_rows(rows: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    """Build a finding frame from dicts (for checks whose output is naturally small)."""
    cols: dict[str, list[Any]] = {name: [] for name in FINDING_SCHEMA}
    for row in rows:
        for name in FINDING_SCHEMA:
            value = row.get(name)
            if name == "source" and value is None:
                value = "rule"
            if name == "evidence" and value is None:
                value = []
            cols[name].append(value)
    return pl.DataFrame(cols, schema=FINDING_SCHEMA)


def conform_findings(frame: pl.DataFrame) -> pl.DataFrame:
    """Give a partial finding frame the full schema and column order."""
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in FINDING_SCHEMA.items()
        if name not in frame.columns
    ]
    if missing:
        frame = frame.with_columns(missing)
    return frame.select([pl.col(n).cast(t) for n, t in FINDING_SCHEMA.items()]).with_columns(
        pl.col("source").fill_null("rule"),
        pl.col("evidence").fill_null(pl.lit([], dtype=pl.List(pl.String()))),
        pl.col("check").fill_null(pl.col("rule").str.split("/").list.first()),
    )


def findings_from_records(
    records: pl.DataFrame,
    *,
    rule: str,
    severity: str,
    message: pl.Expr | str,
    span: pl.Expr | None = None,
    suggestion: pl.Expr | str | None = None,
    evidence: pl.Expr | None = None,
    score: pl.Expr | float | None = None,
    source: str = "rule",
) -> pl.DataFrame:
    """Turn the rows of a record frame that a check flagged into findings, vectorised.

    Checks filter ``records`` to the offending rows, compute per-row expressions, and call this
    once, instead of building findings one Python dict at a time.
    """

    def lit_or(expr: pl.Expr | str | float | None, dtype: pl.DataType) -> pl.Expr:
        if isinstance(expr, pl.Expr):
            return expr.cast(dtype)
        return pl.lit(expr, dtype=dtype)

    frame = records.select(
        pl.lit(rule).alias("rule"),
        pl.lit(rule.split("/", 1)[0]).alias("check"),
        pl.lit(severity).alias("severity"),
        pl.col("locale"),
        pl.col("path"),
        pl.col("line"),
        pl.lit(None, dtype=pl.Int32).alias("column"),
        pl.col("key"),
        pl.col("record_id"),
        pl.col("text"),
        (span if span is not None else pl.lit(None, dtype=SPAN_DTYPE)).alias("span"),
        lit_or(message, pl.String()).alias("message"),
        lit_or(suggestion, pl.String()).alias("suggestion"),
        pl.lit(source).alias("source"),
        lit_or(score, pl.Float64()).alias("score"),
        (
            evidence
            if evidence is not None
            else pl.lit([], dtype=pl.List(pl.String()))
        ).alias("evidence"),
        pl.lit(None, dtype=pl.String).alias("fingerprint"),
        (pl.col("source_text") if "source_text" in records.columns else pl.lit(None, dtype=pl.String)).alias(
            "source_text"
        ),
    )
    return conform_findings(frame)


def representatives(records: pl.DataFrame, by: Sequence[str] = ("locale", "kind", "text")) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One record per distinct ``by`` values, and which representative each record has.

    Checks whose findings depend only on what a string says in its locale run on the first
    returns and hand their findings to the others with :func:`share_findings`: MASSIVE-style
    training data repeats utterances, and a catalog repeats "OK" and "Done".
    """
    marked = records.with_columns(pl.col("record_id").first().over(list(by)).alias("_rep"))
    sharing = marked.select("record_id", "_rep")
    return marked.filter(pl.col("record_id") == pl.col("_rep")).drop("_rep"), sharing


def share_findings(findings: pl.DataFrame, sharing: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    """Findings of representatives, copied to every record they stand for (its own place).

    ``sharing`` comes from :func:`representatives`; the copies take record id, path, line, key
    and source text from their own record, everything else from the representative's finding.
    """
    if findings.height == 0 or sharing.filter(pl.col("record_id") != pl.col("_rep")).height == 0:
        return findings
    own = ["path", "line", "key", "source_text"]
    places = records.select("record_id", *[c for c in own if c in records.columns]).unique("record_id", keep="first")
    expanded = (
        findings.drop(own, strict=False)
        .rename({"record_id": "_rep"})
        .join(sharing, on="_rep", how="inner")
        .drop("_rep")
        .join(places, on="record_id", how="left")
    )
    return conform_findings(expanded)


def relpath(path: str | None) -> str:
    """Path relative to the working directory, POSIX style (what fingerprints and reports use)."""
    if not path:
        return ""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


def with_fingerprints(findings: pl.DataFrame) -> pl.DataFrame:
    """Fill ``fingerprint`` and ``column`` for every finding.

    The fingerprint hashes rule, locale, relative path, key, text and the flagged span's text,
    then an occurrence counter for identical findings, the way ruff and ESLint keep baselines
    stable: moving a string to another line keeps its fingerprint, editing it does not.
    """
    if findings.height == 0:
        return findings
    span_text = (
        pl.when(pl.col("span").is_not_null() & pl.col("text").is_not_null())
        .then(
            pl.col("text").str.slice(
                pl.col("span").struct.field("start"),
                pl.col("span").struct.field("end") - pl.col("span").struct.field("start"),
            )
        )
        .otherwise(pl.lit(""))
    )
    paths = findings["path"].drop_nulls().unique().to_list()
    rel = pl.col("path").replace_strict(
        {p: relpath(p) for p in paths}, default=None, return_dtype=pl.String
    )
    base = pl.concat_str(
        [
            pl.col("rule"),
            pl.col("locale").fill_null(""),
            rel.fill_null(""),
            pl.col("key").fill_null(""),
            pl.col("text").fill_null(""),
            span_text,
        ],
        separator="\x1f",
    ).alias("_fp_base")
    frame = findings.with_columns(base)
    frame = frame.with_columns(
        pl.col("_fp_base").cum_count().over("_fp_base").alias("_fp_n")
    )
    digests = [
        hashlib.sha256(f"{b}\x1f{n}".encode()).hexdigest()[:32]
        for b, n in zip(frame["_fp_base"].to_list(), frame["_fp_n"].to_list(), strict=True)
    ]
    column = (
        pl.when(pl.col("span").is_not_null())
        .then(pl.col("span").struct.field("start") + 1)
        .otherwise(pl.col("column"))
    )
    return frame.with_columns(
        pl.when(pl.col("fingerprint").is_null())
        .then(pl.Series("fp", digests))
        .otherwise(pl.col("fingerprint"))
        .alias("fingerprint"),
        pl.coalesce(pl.col("column"), column).cast(pl.Int32).alias("column"),
    ).drop("_fp_base", "_fp_n")


def at_or_above(findings: pl.DataFrame, threshold: str) -> pl.DataFrame:
    """Findings whose severity is at least ``threshold`` (``never`` keeps none)."""
    rank = SEVERITY_RANK[threshold]
    return findings.filter(
        pl.col("severity").replace_strict(SEVERITY_RANK, default=0, return_dtype=pl.Int32)
        >= rank
    )


def findings_to_dicts(findings: pl.DataFrame) -> list[dict[str, Any]]:
    return findings.to_dicts()


def findings_from_json(text: str) -> pl.DataFrame:
    """Read the ``findings`` array of a JSON report back into a finding frame."""
    data = json.loads(text)
    rows = data["findings"] if isinstance(data, dict) else data
    return findings_from_rows(rows)
