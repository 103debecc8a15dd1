"""``locale-guard check``: the CI gate and the content writer's linter."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from locale_guard.cli.common import comma_list, error_exit, open_config

FORMATS = ("text", "json", "sarif", "junit", "github", "html")


def _progress_printer():
    """A minimal stderr progress line, only on a terminal (CI logs stay clean)."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    state = {"last": ""}

    def show(stage: str, done: int, total: int) -> None:
        if total < 50 and stage == "read":
            return
        line = f"\r{stage}: {done}/{total}"
        if line != state["last"]:
            sys.stderr.write(line + " " * 10)
            sys.stderr.flush()
            state["last"] = line
        if done == total:
            sys.stderr.write("\r" + " " * 40 + "\r")

    return show


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--locale", "locale", help="Locale of inputs whose path does not name one (BCP-47, e.g. de-DE).")
@click.option("--source-locale", help="Locale of the source strings (default: config, else English if present).")
@click.option("--input-format", help="Force one input format instead of detecting it (see --list-formats).")
@click.option("--select", callback=comma_list, help="Only these checks or rules (comma-separated).")
@click.option("--ignore", callback=comma_list, help="Skip these checks or rules (comma-separated).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format on stdout (or -o).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report to FILE instead of stdout.")
@click.option("--report", "reports", multiple=True, type=click.Path(path_type=Path), help="Also write a report to FILE, format from its extension (.html, .sarif, .json, .xml). Repeatable.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), help="Exit 1 when a finding is at or above this severity [default: error].")
@click.option("--baseline", type=click.Path(path_type=Path), help="Ignore findings whose fingerprints are in this file.")
@click.option("--write-baseline", type=click.Path(path_type=Path), help="Write the fingerprints of all current findings to FILE.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (default: nearest locale-guard.toml or pyproject.toml).")
@click.option("--model", "model_path", type=click.Path(path_type=Path), help="A trained classifier folder: adds offensive/classifier and formality/classifier findings.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), help="Where the classifier runs (default: config, else auto).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: only on a terminal).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True, help="Run the checks in this process, or on Ray, one task per locale (see docs/RAY.md).")
@click.option("--ray-address", help="With --engine ray: the cluster (auto, HOST:PORT or ray://HOST:10001) [default: RAY_ADDRESS, else a local Ray].")
@click.option("--findings-parquet", type=click.Path(path_type=Path), help="Also write the findings to FILE as Parquet (one row per finding).")
def check(
    paths: tuple[Path, ...],
    locale: str | None,
    source_locale: str | None,
    input_format: str | None,
    select: list[str],
    ignore: list[str],
    fmt: str,
    output: Path | None,
    reports: tuple[Path, ...],
    fail_on: str | None,
    baseline: Path | None,
    write_baseline: Path | None,
    config_path: Path | None,
    model_path: Path | None,
    device: str | None,
    color: bool | None,
    engine: str,
    ray_address: str | None,
    findings_parquet: Path | None,
) -> None:
    """Check catalogs and training data under PATHS.

    Exit status: 0 no finding at or above --fail-on; 1 findings at or above it; 2 a usage
    error or an input that could not be read (all other inputs are still checked).
    """
    from locale_guard.engine import RunOptions, run
    from locale_guard.engine import write_baseline as save_baseline
    from locale_guard.findings import at_or_above
    from locale_guard.readers import InputError, all_readers
    from locale_guard.reporters import RenderOptions, get_reporter, reporter_for_file
    from locale_guard.tags import LocaleTagError, normalise_tag

    config = open_config(config_path, paths)
    if model_path or device:
        settings = dict(config.checks.get("classifier", {}))
        if model_path:
            settings["model"] = str(model_path)
        if device:
            settings["device"] = device
        config = config.with_overrides(checks={**config.checks, "classifier": settings})
    for tag in (locale, source_locale):
        if tag:
            try:
                normalise_tag(tag)
            except LocaleTagError as exc:
                error_exit(str(exc))
    if input_format and input_format not in all_readers():
        error_exit(f"unknown --input-format '{input_format}'; known: {', '.join(all_readers())}")
    for target in reports:
        if reporter_for_file(target.name) is None:
            error_exit(f"cannot tell the report format of '{target}' from its extension (.html, .sarif, .json, .xml, .txt)")
    from locale_guard.checks import all_checks, all_rules

    known = set(all_checks()) | set(all_rules())
    for name in list(select) + list(ignore):
        if name not in known:
            error_exit(f"unknown check or rule '{name}'; checks: {', '.join(all_checks())}")

    if ray_address and engine != "ray":
        error_exit("--ray-address needs --engine ray")

    from locale_guard.config import ConfigError

    options = RunOptions(
        paths=list(paths),
        locale=locale,
        source_locale=source_locale,
        input_format=input_format,
        select=select,
        ignore=ignore,
        baseline=baseline,
        progress=_progress_printer(),
    )
    try:
        if engine == "ray":
            from locale_guard.distributed import RayUnavailable
            from locale_guard.distributed.ray_check import run_on_ray

            try:
                result = run_on_ray(options, config, address=ray_address)
            except RayUnavailable as exc:
                error_exit(str(exc))
        else:
            result = run(options, config)
    except ConfigError as exc:
        error_exit(str(exc))
    except InputError as exc:  # a broken rule pack or profile met outside a check
        error_exit(exc.describe())
    for warning in result.warnings:
        click.echo(f"warning: {warning.describe()}", err=True)
    for notice in result.artifacts.get("notices", []):
        click.echo(f"note: {notice}", err=True)

    use_color = color if color is not None else (output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    text = get_reporter(fmt).render(result, RenderOptions(color=bool(use_color)))
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    for target in reports:
        reporter = reporter_for_file(target.name)
        assert reporter is not None
        target.write_text(reporter.render(result, RenderOptions()), encoding="utf-8")
        click.echo(f"wrote {reporter.name} report to {target}", err=True)
    if findings_parquet:
        try:
            result.findings.write_parquet(findings_parquet)
        except OSError as exc:
            error_exit(f"cannot write {findings_parquet}: {exc.strerror or exc}")
        click.echo(f"wrote {result.findings.height} finding(s) to {findings_parquet}", err=True)
    if write_baseline:
        save_baseline(write_baseline, result.findings)
        click.echo(f"wrote {result.findings.height} fingerprint(s) to {write_baseline}", err=True)
    if fmt != "text" and result.errors:
        for problem in result.errors:
            click.echo(f"error: {problem.describe()}", err=True)

    threshold = fail_on or config.fail_on
    if result.errors:
        sys.exit(2)
    if threshold != "never" and at_or_above(result.findings, threshold).height:
        sys.exit(1)
