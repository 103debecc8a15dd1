"""``locale-guard coverage``: how well each locale's training data covers the pivot's.

Reads the inputs like ``check``, runs the coverage analysis (and the holidays check, when it
is installed, for its holiday table), prints the gaps in plain words, and writes the HTML
report and/or the tables (JSON, CSV, Parquet). Exit status as ``check``: 0 no gap at or above
--fail-on, 1 some, 2 a usage error or an unreadable input (the rest is still analysed).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from locale_guard.cli.common import error_exit, open_config

TABLE_CHOICES = ("totals", "intents", "slots", "divergence", "diversity", "gaps", "holidays", "all")


def _with_pivot(config, pivot: str | None):
    """The config with ``--pivot`` as ``[checks.coverage] pivot``."""
    if not pivot:
        return config
    checks = {name: dict(options) for name, options in config.checks.items()}
    checks.setdefault("coverage", {})["pivot"] = pivot
    return replace(config, checks=checks)


def _holiday_artifact(records, ctx) -> tuple[object | None, str | None]:
    """Run the holidays check (if this installation has one) for its ``holiday_coverage``
    table; a failure there is a note in the report, not the end of the coverage run."""
    from locale_guard.checks import all_checks
    from locale_guard.config import ConfigError

    check = all_checks().get("holidays")
    if check is None:
        return None, None
    try:
        check.run(records, ctx)
    except ConfigError:
        raise
    except Exception as exc:  # another check's bug must not cost the user the coverage report
        return None, f"the holidays check failed ({type(exc).__name__}: {exc}); its table is missing"
    return ctx.artifacts.get("holiday_coverage"), None


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--pivot", help="Locale every other locale is compared with [default: config, source locale, en-US].")
@click.option("--html", "html_path", type=click.Path(path_type=Path), help="Write the self-contained HTML report to FILE.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "parquet"]), help="Also write the tables in this format (to -o FILE, or stdout for json/csv).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File for --format (with --table all: FILE-<table>.<ext>, one per table).")
@click.option("--table", type=click.Choice(TABLE_CHOICES), default="gaps", show_default=True, help="Table for --format csv/parquet (json has them all).")
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True, help="Gaps listed in the summary.")
@click.option("--locale", "locale", help="Locale of inputs whose path does not name one (BCP-47).")
@click.option("--input-format", help="Force one input format instead of detecting it.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), help="Exit 1 when a gap is at or above this severity [default: config fail-on, else error].")
@click.option("--holidays/--no-holidays", default=True, show_default=True, help="Run the holidays check for the holiday table.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (default: nearest locale-guard.toml or pyproject.toml).")
def coverage(
    paths: tuple[Path, ...],
    pivot: str | None,
    html_path: Path | None,
    fmt: str | None,
    output: Path | None,
    table: str,
    top: int,
    locale: str | None,
    input_format: str | None,
    fail_on: str | None,
    holidays: bool,
    config_path: Path | None,
) -> None:
    """Coverage of training data and catalogs under PATHS against a pivot locale.

    Per locale: examples per scenario, intent and slot type next to the pivot's, intent-mix
    divergence, duplicates, conflicting labels, train/test leaks, annotation slips, templated
    intents, and catalog responses with fewer variants than the source.
    """
    import polars as pl

    from locale_guard.checks import CheckContext
    from locale_guard.config import ConfigError
    from locale_guard.coverage.analysis import analysis_for
    from locale_guard.coverage.html import render_html
    from locale_guard.coverage.report import (
        TABLES,
        build_report,
        summary_lines,
        table_paths,
        to_json,
        write_table,
    )
    from locale_guard.engine import RunOptions, apply_policy, read_inputs, resolve_source_locale
    from locale_guard.readers import all_readers
    from locale_guard.tags import LocaleTagError, normalise_tag

    for tag in (pivot, locale):
        if tag:
            try:
                normalise_tag(tag)
            except LocaleTagError as exc:
                error_exit(str(exc))
    if input_format and input_format not in all_readers():
        error_exit(f"unknown --input-format '{input_format}'; known: {', '.join(all_readers())}")
    if fmt == "parquet" and output is None:
        error_exit("--format parquet writes a binary file: give it with -o FILE")
    if table == "all" and fmt in ("csv", "parquet") and output is None:
        error_exit("--table all writes one file per table: give the file name pattern with -o FILE")
    if output is not None and fmt is None:
        error_exit("-o needs --format json, csv or parquet (the HTML report goes to --html)")

    config = _with_pivot(open_config(config_path, paths), pivot)
    try:
        records, files, errors, warnings = read_inputs(
            RunOptions(paths=list(paths), locale=locale, input_format=input_format), config
        )
        source = resolve_source_locale(records["locale"].drop_nulls().unique().to_list(), config.source_locale)
        ctx = CheckContext(config=config, source_locale=source, files=files)
        analysis = analysis_for(records, ctx)
        holiday_table, holiday_note = _holiday_artifact(records, ctx) if holidays else (None, None)
        # the config's [severity] overrides and ignores apply as in ``check``
        gaps = apply_policy(
            analysis.gaps.with_columns(pl.lit("coverage").alias("check")), config, (), config.ignore
        ).drop("check")
    except ConfigError as exc:
        error_exit(str(exc))
    for warning in warnings:
        click.echo(f"warning: {warning.describe()}", err=True)
    report = build_report(
        analysis, gaps=gaps, holidays=holiday_table, notes=[holiday_note] if holiday_note else None
    )

    machine_on_stdout = fmt in ("json", "csv") and output is None
    summary = "\n".join(summary_lines(report, top))
    click.echo(summary, err=machine_on_stdout)
    if html_path is not None:
        page = render_html(
            report,
            imbalance_threshold=analysis.options.imbalance_threshold,
            report_gaps=analysis.options.report_gaps,
        )
        html_path.write_text(page, encoding="utf-8")
        click.echo(f"wrote HTML report to {html_path}", err=True)
    if fmt == "json":
        text = to_json(report, top)
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            click.echo(f"wrote JSON tables to {output}", err=True)
    elif fmt in ("csv", "parquet"):
        names = TABLES if table == "all" else (table,)
        targets = table_paths(output, names) if table == "all" and output else {table: output}
        for name in names:
            text = write_table(report, name, fmt, targets[name])
            if text is not None:
                click.echo(text, nl=False)
            else:
                click.echo(f"wrote {name} table to {targets[name]}", err=True)
    for problem in errors:
        click.echo(f"error: {problem.describe()}", err=True)

    threshold = fail_on or config.fail_on
    if errors:
        sys.exit(2)
    if threshold != "never" and report.worst(threshold).height:
        sys.exit(1)
