"""``locale-guard rules``: validate rule packs, list the rules a locale gets, try them on a text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from locale_guard.cli.common import error_exit, open_config
from locale_guard.findings import CHECK_NAMES


def _locale(tag: str) -> str:
    from locale_guard.tags import LocaleTagError, normalise_tag

    if tag in ("und", "root"):
        return "und"
    try:
        return normalise_tag(tag).tag
    except LocaleTagError as exc:
        error_exit(str(exc))


def _packs(config):
    """The run's packs, or exit 2 listing what is wrong with them."""
    from locale_guard.packs import PackError, pack_set

    try:
        return pack_set(None, config)
    except PackError as exc:
        for problem in exc.problems:
            click.echo(problem.describe(), err=True)
        error_exit(f"{len(exc.problems)} problem(s) in rule packs; fix them or run 'locale-guard rules validate'")


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


@click.group()
def rules() -> None:
    """Rule packs (rules/<locale>/<check>.yaml): validate, list and try them."""


@rules.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-examples", is_flag=True, help="Check schema and patterns only; do not run the rules' examples.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file whose rule-paths to validate.")
def validate_cmd(paths: tuple[Path, ...], no_examples: bool, config_path: Path | None) -> None:
    """Check rule packs against the schema and run every rule's examples as tests.

    PATHS are pack files, locale folders or pack folders (default: the shipped rules/ folder,
    the config's rule-paths and LOCALE_GUARD_RULES_PATH). Exit 1 when anything is wrong.
    """
    from locale_guard.packs import validate

    config = open_config(config_path)
    report = validate(list(paths), config, run_examples=not no_examples)
    for problem in report.problems:
        click.echo(problem.describe())
    summary = f"{report.packs} pack(s), {report.rules} rule(s), {report.examples} example(s) run"
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s); {summary}", err=True)
        sys.exit(1)
    click.echo(f"ok: {summary}")


@rules.command("list")
@click.option("--locale", "locale", help="Show the effective rules for this locale (after inheritance).")
@click.option("--check", "check", type=click.Choice(CHECK_NAMES), help="Only rules of this check.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (for rule-paths).")
def list_cmd(locale: str | None, check: str | None, as_json: bool, config_path: Path | None) -> None:
    """List packs, or with --locale the rules that apply there and the pack each comes from."""
    config = open_config(config_path)
    packs = _packs(config)
    rows: list[dict[str, object]] = []
    if locale is None:
        for pack in sorted(packs.packs, key=lambda p: (p.tag, p.check, str(p.path))):
            if check and pack.check != check:
                continue
            rows.append(
                {"locale": pack.tag, "check": pack.check, "version": pack.version, "rules": len(pack.rules), "file": _relative(pack.path)}
            )
        columns = ["locale", "check", "version", "rules", "file"]
    else:
        tag = _locale(locale)
        for name in [check] if check else packs.checks():
            for effective in packs.effective(tag, name):
                rule = effective.rule
                if not rule.applies_to_locale(tag):
                    continue
                rows.append(
                    {
                        "rule": rule.id,
                        "kind": rule.kind,
                        "severity": rule.severity,
                        "scope": rule.scope,
                        "from": f"{_relative(rule.source)}:{rule.line}" if rule.line else _relative(rule.source),
                    }
                )
        columns = ["rule", "kind", "severity", "scope", "from"]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no rules" + (f" for {locale}" if locale else ""))
        return
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        click.echo("  ".join(str(row[c]).ljust(widths[c]) for c in columns).rstrip())


@rules.command("test")
@click.argument("text")
@click.option("--locale", "locale", required=True, help="Locale of the text (BCP-47, e.g. de-AT).")
@click.option("--check", "check", type=click.Choice(CHECK_NAMES), help="Only rules of this check.")
@click.option("--kind", "kind", type=click.Choice(["response", "utterance"]), help="Treat the text as this kind (rules with a scope apply only to it).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (for rule-paths).")
def test_cmd(text: str, locale: str, check: str | None, kind: str | None, config_path: Path | None) -> None:
    """Show which rules match TEXT in a locale: a pack author's quick loop."""
    import polars as pl

    from locale_guard.checks import CheckContext
    from locale_guard.packs import match_records

    config = open_config(config_path)
    packs = _packs(config)
    tag = _locale(locale)
    ctx = CheckContext(config=config, source_locale=None, files=pl.DataFrame())
    records = pl.DataFrame(
        {"record_id": ["text"], "locale": [tag], "kind": [kind], "text": [text]},
        schema={"record_id": pl.String, "locale": pl.String, "kind": pl.String, "text": pl.String},
    )
    found = 0
    for name in [check] if check else packs.checks():
        matches = match_records(records, ctx, name, config)
        for row in matches.sort("start", "end", "rule").iter_rows(named=True):
            found += 1
            extra = f" → {row['suggestion']}" if row["suggestion"] else ""
            click.echo(f"{row['start']}-{row['end']} {row['severity']:<7} {row['rule']}: {row['message']} [{row['match']!r}{extra}]")
    if not found:
        click.echo(f"no rule matches ({tag})")
