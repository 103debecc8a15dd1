"""The coverage report: tables for machines, sentences for people, one model for both.

:func:`build_report` gathers an analysis, its gaps (after the config's severity overrides)
and the holidays check's table into a :class:`CoverageReport`. The HTML page, the JSON, CSV
and Parquet files and the command's stdout summary are all written from it, so they always
show the same numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from locale_guard import __version__
from locale_guard.coverage.analysis import CoverageAnalysis
from locale_guard.findings import SEVERITY_RANK

#: tables a report exports, in the order the JSON lists them
TABLES = ("totals", "intents", "slots", "divergence", "diversity", "gaps", "holidays")

HOLIDAY_COLUMNS = ("locale", "holiday", "aliases", "mentions")

#: longest text kept for a record shown behind a gap (catalog strings can be pages long)
_RECORD_TEXT_CHARS = 500


@dataclass
class CoverageReport:
    pivot: str | None
    pivot_wanted: str
    locales: list[str]
    totals: pl.DataFrame
    intents: pl.DataFrame
    slots: pl.DataFrame
    divergence: pl.DataFrame
    diversity: pl.DataFrame
    gaps: pl.DataFrame
    #: the holidays check's ``holiday_coverage`` artifact, None when that check did not run
    holidays: pl.DataFrame | None
    #: records behind the gaps shown in the HTML page, by ``record_id``
    records: pl.DataFrame
    notes: list[str] = field(default_factory=list)
    #: locales whose ids parallel the pivot's: their reference records are the missing rows
    parallel_locales: list[str] = field(default_factory=list)
    seconds: float = 0.0
    version: str = __version__

    def table(self, name: str) -> pl.DataFrame:
        if name not in TABLES:
            raise KeyError(f"unknown table '{name}'; known: {', '.join(TABLES)}")
        if name == "holidays":
            return self.holidays if self.holidays is not None else pl.DataFrame(
                schema={"locale": pl.String(), "holiday": pl.String(), "aliases": pl.List(pl.String()), "mentions": pl.Int64()}
            )
        return getattr(self, name)

    def worst(self, threshold: str) -> pl.DataFrame:
        """Gaps at or above ``threshold`` severity (``never``: none)."""
        rank = SEVERITY_RANK[threshold]
        return self.gaps.filter(
            pl.col("severity").replace_strict(SEVERITY_RANK, default=0, return_dtype=pl.Int32) >= rank
        )


def _holidays(frame: Any) -> pl.DataFrame | None:
    """The holidays artifact with the columns we show, whatever else the check put in it."""
    if frame is None:
        return None
    if not isinstance(frame, pl.DataFrame):
        try:
            frame = pl.DataFrame(frame)
        except (TypeError, ValueError, pl.exceptions.PolarsError):
            return None
    missing = [c for c in HOLIDAY_COLUMNS if c not in frame.columns]
    if missing:
        frame = frame.with_columns(pl.lit(None).alias(c) for c in missing)
    return frame.select(HOLIDAY_COLUMNS)


def _referenced_records(analysis: CoverageAnalysis, gaps: pl.DataFrame) -> pl.DataFrame:
    """Training and catalog records named by ``gaps``' record lists, one row per id."""
    ids = (
        pl.concat([gaps["records"].explode(), gaps["reference_records"].explode()])
        .drop_nulls()
        .unique()
    )
    schema = {
        "record_id": pl.String(), "locale": pl.String(), "partition": pl.String(), "intent": pl.String(),
        "key": pl.String(), "text": pl.String(), "path": pl.String(), "line": pl.Int32(),
        "slots": pl.List(pl.Struct({"type": pl.String(), "value": pl.String(), "start": pl.Int32(), "end": pl.Int32()})),
    }
    if ids.len() == 0:
        return pl.DataFrame(schema=schema)
    wanted = ids.implode()
    training = analysis.training.filter(pl.col("record_id").is_in(wanted)).select(
        "record_id", "locale", "partition", "intent", "key", "text", "path", "line", "slots"
    )
    catalog = analysis.catalog.filter(pl.col("record_id").is_in(wanted)).select(
        "record_id", "locale", pl.lit(None, dtype=pl.String).alias("partition"),
        pl.lit(None, dtype=pl.String).alias("intent"), "key", "text", "path", "line",
        pl.lit(None).cast(schema["slots"]).alias("slots"),
    )
    both = pl.concat([training.cast(schema), catalog.cast(schema)], how="vertical")
    return both.unique("record_id", keep="first", maintain_order=True).with_columns(
        pl.when(pl.col("text").str.len_chars() > _RECORD_TEXT_CHARS)
        .then(pl.col("text").str.slice(0, _RECORD_TEXT_CHARS - 1) + "…")
        .otherwise(pl.col("text"))
        .alias("text")
    )


def build_report(
    analysis: CoverageAnalysis,
    *,
    gaps: pl.DataFrame | None = None,
    holidays: Any = None,
    notes: list[str] | None = None,
) -> CoverageReport:
    """The report of ``analysis``; ``gaps`` defaults to the analysis' own (pass them after
    severity overrides and ignores), ``holidays`` is the holidays check's artifact if it ran."""
    gaps = analysis.gaps if gaps is None else gaps
    shown = gaps.head(analysis.options.report_gaps)
    return CoverageReport(
        pivot=analysis.pivot,
        pivot_wanted=analysis.options.pivot,
        locales=analysis.locales,
        totals=analysis.totals,
        intents=analysis.intent_matrix,
        slots=analysis.slot_matrix,
        divergence=analysis.divergence,
        diversity=analysis.diversity,
        gaps=gaps,
        holidays=_holidays(holidays),
        records=_referenced_records(analysis, shown),
        notes=[*analysis.notes, *(notes or [])],
        parallel_locales=analysis.parallel_locales,
        seconds=analysis.seconds,
    )


# ----------------------------------------------------------------------------- plain words


def _n(value: int) -> str:
    return f"{value:,}"


def overview(report: CoverageReport) -> pl.DataFrame:
    """Per locale: examples next to the pivot's, pivot intents covered, divergence, gaps."""
    covered = (
        report.intents.group_by("locale")
        .agg(
            ((pl.col("count") > 0) & (pl.col("pivot_count") > 0)).sum().cast(pl.Int64).alias("pivot_intents_covered"),
            (pl.col("pivot_count") > 0).sum().cast(pl.Int64).alias("pivot_intents"),
        )
    )
    gaps = report.gaps.group_by("locale").agg(
        (pl.col("severity") == "error").sum().cast(pl.Int64).alias("errors"),
        (pl.col("severity") == "warning").sum().cast(pl.Int64).alias("warnings"),
    )
    pivot_records = report.totals.filter(pl.col("locale") == pl.lit(report.pivot))["records"]
    base = pivot_records[0] if pivot_records.len() else None
    return (
        report.totals.select("locale", "records", "intents", "slot_types")
        .join(covered, on="locale", how="left")
        .join(report.divergence.select("locale", "jsd"), on="locale", how="left")
        .join(gaps, on="locale", how="left")
        .with_columns(
            pl.lit(base, dtype=pl.Int64).alias("pivot_records"),
            pl.col("errors").fill_null(0),
            pl.col("warnings").fill_null(0),
        )
        .with_columns((pl.col("records") / pl.col("pivot_records")).alias("ratio"))
        .sort(pl.col("locale") != pl.lit(report.pivot), "locale")
    )


def locale_lines(report: CoverageReport) -> list[str]:
    """One sentence per locale: its size next to the pivot's, pivot intents covered, divergence."""
    lines: list[str] = []
    for row in overview(report).sort("locale").iter_rows(named=True):
        locale = row["locale"]
        if locale == report.pivot:
            lines.append(f"{locale} (pivot): {_n(row['records'])} examples of {row['intents']} intents.")
            continue
        text = f"{locale}: {_n(row['records'])} examples of {row['intents']} intents"
        base = row["pivot_records"]
        if base:
            diff = base - row["records"]
            if diff > 0:
                text += f", {_n(diff)} fewer than {report.pivot} ({row['ratio']:.0%})"
            elif diff < 0:
                text += f", {_n(-diff)} more than {report.pivot} ({row['ratio']:.0%})"
            else:
                text += f", as many as {report.pivot}"
            text += f"; {row['pivot_intents_covered']} of {report.pivot}'s {row['pivot_intents']} intents"
        if row["jsd"] is not None:
            text += f"; intent-mix divergence {row['jsd']:.4f} bits"
        lines.append(text + ".")
    return lines


def shortfalls(report: CoverageReport, top: int = 5) -> pl.DataFrame:
    """Per non-pivot locale with any shortfall: how many pivot examples it lacks over all
    intents (intent by intent, surpluses not offset), in how many intents, and the ``top``
    intents that lack the most (``intents``, ``missing``, ``ratios``)."""
    short = report.intents.filter((pl.col("locale") != pl.lit(report.pivot)) & (pl.col("shortfall") > 0))
    return (
        short.sort("locale", "shortfall", "intent", descending=[False, True, False])
        .group_by("locale", maintain_order=True)
        .agg(
            pl.col("shortfall").sum().alias("total"),
            pl.len().alias("intent_count"),
            pl.col("intent").head(top).alias("intents"),
            pl.col("shortfall").head(top).alias("missing"),
            pl.col("ratio").head(top).alias("ratios"),
        )
    )


def shortfall_lines(report: CoverageReport, top: int = 5) -> list[str]:
    """Where each locale's missing examples are, in a sentence."""
    lines = []
    for row in shortfalls(report, top).iter_rows(named=True):
        most = ", ".join(f"{i} ({n})" for i, n in zip(row["intents"], row["missing"], strict=True))
        lines.append(
            f"{row['locale']} lacks {_n(row['total'])} of {report.pivot}'s examples in {row['intent_count']} "
            f"intent(s), most in {most}."
        )
    return lines


def summary_lines(report: CoverageReport, top: int = 10) -> list[str]:
    """What a person reads first: each locale in a sentence, where its missing examples are,
    then the top gaps, worst first."""
    lines = locale_lines(report)
    lines.extend(shortfall_lines(report))
    lines.extend(f"note: {n}" for n in report.notes)
    if report.gaps.height == 0:
        lines.append("No coverage gaps found.")
        return lines
    by_rule = report.gaps.group_by("rule").len().sort("len", "rule", descending=[True, False])
    counted = ", ".join(f"{n} {rule.split('/', 1)[1]}" for rule, n in by_rule.iter_rows())
    lines.append(f"{_n(report.gaps.height)} gap(s): {counted}. Top {min(top, report.gaps.height)}:")
    for i, row in enumerate(report.gaps.head(top).iter_rows(named=True), start=1):
        lines.append(f"{i:>3}. [{row['severity']}] {row['locale']}: {row['message']}")
    return lines


# --------------------------------------------------------------------------------- exports


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists joined with "; " and structs as JSON, for formats without nested values (CSV)."""
    exprs = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.List):
            exprs.append(pl.col(name).cast(pl.List(pl.String())).list.join("; ").alias(name))
        elif isinstance(dtype, pl.Struct):
            exprs.append(pl.col(name).struct.json_encode().alias(name))
    return frame.with_columns(exprs) if exprs else frame


def _export_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Without the internal helper columns (``_h``...)."""
    return frame.select([c for c in frame.columns if not c.startswith("_")])


def to_json(report: CoverageReport, top: int = 10) -> str:
    """Every table and the summary in one JSON document.

    Tables are serialised by polars (row objects, in Rust); only the small header goes through
    :mod:`json`, so a report of a million records is written in a fraction of a second.
    """
    header = {
        "tool": "locale-guard",
        "version": report.version,
        "pivot": report.pivot,
        "pivot_requested": report.pivot_wanted,
        "locales": report.locales,
        "summary": summary_lines(report, top),
        "notes": report.notes,
        "holidays_check_run": report.holidays is not None,
    }
    tables = ",\n".join(
        f"  {json.dumps(name)}: {_export_columns(report.table(name)).write_json()}" for name in TABLES
    )
    head = json.dumps(header, ensure_ascii=False, indent=1)[:-2]  # without the closing "\n}"
    return f'{head},\n "tables": {{\n{tables}\n }}\n}}\n'


def write_table(report: CoverageReport, name: str, fmt: str, target: Path | None) -> str | None:
    """Write one table as CSV or Parquet to ``target``; CSV with no target is returned as text."""
    frame = _export_columns(report.table(name))
    if fmt == "csv":
        flat = _flat(frame)
        if target is None:
            return flat.write_csv()
        flat.write_csv(target)
        return None
    if fmt == "parquet":
        if target is None:
            raise ValueError("Parquet is binary: give a file with -o")
        frame.write_parquet(target)
        return None
    raise ValueError(f"unknown table format '{fmt}'")


def table_paths(target: Path, names: tuple[str, ...] = TABLES) -> dict[str, Path]:
    """``report.csv`` → ``report-totals.csv``, ``report-intents.csv``... for ``--table all``."""
    return {name: target.with_name(f"{target.stem}-{name}{target.suffix}") for name in names}
