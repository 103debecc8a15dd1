"""``locale-guard locales``: list, show and scaffold locale profiles.

Profiles are CLDR facts plus curated market policy (``locales/<tag>.yaml``); these commands let a
market owner see which is which and start a new curated file from what CLDR already knows.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import click

from locale_guard.cli.common import error_exit, open_config

#: the order fields are shown in
SHOW_FIELDS = (
    "tag", "name", "language", "script", "region", "scripts", "text_direction", "plural_categories",
    "register", "register_reason", "holidays_country", "holidays_subdiv", "measurement", "hour_cycle",
    "first_day", "currency", "fallback", "tokenizer", "tokenizer_lang", "extra",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _resolve(tag: str) -> str:
    """Canonical tag or exit 2 with the reason (and a suggestion, e.g. jp → ja)."""
    from locale_guard.profiles import UnknownLocaleError, canonical_tag

    try:
        canonical = canonical_tag(tag)
    except UnknownLocaleError as exc:
        error_exit(str(exc))
    if canonical != tag.strip():
        click.echo(f"note: '{tag}' read as '{canonical}'", err=True)
    return canonical


def _load(tag: str, config: Any):
    from locale_guard.profiles import ProfileError, UnknownLocaleError, load_profile

    try:
        return load_profile(tag, config)
    except (UnknownLocaleError, ProfileError) as exc:
        error_exit(str(exc))


def _shown_path(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


@click.group()
def locales() -> None:
    """Locale profiles: market policy (curated) and CLDR facts (derived)."""


@locales.command("list")
@click.option("--curated", "scope", flag_value="curated", default=True, help="Only locales with a curated profile (default).")
@click.option("--all", "scope", flag_value="all", help="Every locale Babel knows, plus curated ones.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (default: nearest one).")
def list_locales(scope: str, fmt: str, config_path: Path | None) -> None:
    """List locales: tag, name, register and whether a curated profile exists."""
    from locale_guard.profiles import ProfileError, curated_tags, known_tags

    config = open_config(config_path)
    try:
        curated = set(curated_tags(config))
    except ProfileError as exc:
        error_exit(str(exc))
    tags = sorted(curated | set(known_tags())) if scope == "all" else sorted(curated)
    rows = []
    for tag in tags:
        profile = _load(tag, config)
        rows.append({"tag": tag, "name": profile.name, "register": profile.register, "curated": tag in curated})
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max([len(r["tag"]) for r in rows] + [3])
    name_width = min(max([len(r["name"]) for r in rows] + [4]), 48)
    click.echo(f"{'tag':<{width}}  {'name':<{name_width}}  {'register':<8}  curated")
    for r in rows:
        name = r["name"] if len(r["name"]) <= name_width else r["name"][: name_width - 1] + "…"
        click.echo(f"{r['tag']:<{width}}  {name:<{name_width}}  {r['register']:<8}  {'yes' if r['curated'] else 'no'}")
    click.echo(f"{len(rows)} locale(s), {sum(r['curated'] for r in rows)} curated", err=True)


def _fields(profile: Any) -> dict[str, dict[str, Any]]:
    values = profile.as_dict()
    out: dict[str, dict[str, Any]] = {}
    for name in SHOW_FIELDS:
        entry: dict[str, Any] = {"value": values[name], "source": profile.field_source(name)}
        origin = profile.curated_from.get(name)
        if origin and origin != "configuration":
            entry["file"] = _shown_path(origin)
        out[name] = entry
    return out


def _text_value(name: str, value: Any) -> str:
    if value is None:
        return "-"
    if name == "first_day":
        return f"{value} ({DAYS[value]})"
    if isinstance(value, list):
        return ", ".join(value) if value else "-"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else "-"
    return str(value)


@locales.command("show")
@click.argument("tag")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "yaml"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (default: nearest one).")
def show(tag: str, fmt: str, config_path: Path | None) -> None:
    """Every field of TAG's profile, each marked curated, config or derived."""
    config = open_config(config_path)
    profile = _load(_resolve(tag), config)
    entries = _fields(profile)
    if fmt == "json":
        click.echo(json.dumps({"tag": profile.tag, "fields": entries}, ensure_ascii=False, indent=2))
        return
    if fmt == "yaml":
        import yaml

        click.echo(yaml.safe_dump({"tag": profile.tag, "fields": entries}, allow_unicode=True, sort_keys=False), nl=False)
        return
    click.echo(f"{profile.tag}  {profile.name}")
    width = max(len(n) for n in entries)
    for name, entry in entries.items():
        source = entry["source"] + (f" ({entry['file']})" if "file" in entry else "")
        value = _text_value(name, entry["value"])
        lines = textwrap.wrap(value, 60) or ["-"]
        click.echo(f"  {name:<{width}}  {lines[0]:<60}  {source}")
        for more in lines[1:]:
            click.echo(f"  {'':<{width}}  {more}")


def scaffold(tag: str) -> str:
    """A commented curated-profile file for ``tag``, pre-filled with CLDR and holidays facts.

    Everything but ``tag`` is commented out, so the file is valid as written and claims nothing
    as curated until a linguist uncomments (and decides) a line.
    """
    from locale_guard.profiles import derived_profile, holiday_calendars

    p = derived_profile(tag)
    subdivs = holiday_calendars().get(p.holidays_country or "", ())
    subdiv_note = (
        f"Subdivisions of {p.holidays_country}: {', '.join(subdivs) or '(none)'}."
        if p.holidays_country
        else "The holidays package has no calendar for this market."
    )
    fallback = [t for t in p.fallback if t not in (tag, "und")]

    def flow(values: Any) -> str:
        return "[" + ", ".join(values) + "]"

    def comment(text: str) -> list[str]:
        return ["# " + line for line in textwrap.wrap(text, 96)]

    lines = [
        f"# Locale profile: {p.name} ({tag})",
        "#",
        *comment(
            "Curated market policy for locale-guard. Keep only what a linguist or market owner "
            "decides or corrects: every field left commented out is derived at run time from CLDR "
            f"(Babel) and the holidays package, and `locale-guard locales show {tag}` marks it "
            "'derived'. Uncomment a line to decide it. Reference: locales/README.md."
        ),
        "",
        f"tag: {tag}",
        "",
        "# How the product addresses the user: formal | informal | any, and one line saying why.",
        f"# register: {p.register}",
        '# register_reason: "..."',
        "",
        "# Scripts the locale's words are written in (ISO 15924; punctuation and digits always allowed).",
        f"# scripts: {flow(p.scripts)}",
        "",
        *comment(f"Holiday calendar of the holidays package. {subdiv_note}"),
        f"# holidays_country: {p.holidays_country or 'null'}",
        "# holidays_subdiv: null",
        "",
        "# Measurement system: metric | US | UK.",
        f"# measurement: {p.measurement}",
        "",
        "# Clock: h12 (1-12 with a.m./p.m.) | h23 (0-23).",
        f"# hour_cycle: {p.hour_cycle}",
        "",
        "# First day of the week: 0 = Monday ... 6 = Sunday.",
        f"# first_day: {p.first_day}   # {DAYS[p.first_day]}",
        "",
        "# Currency (ISO 4217).",
        f"# currency: {p.currency or 'null'}",
        "",
        "# Locales to fall back to after this one, most specific first (und is always last).",
        f"# fallback: {flow(fallback)}",
        "",
        "# Word splitting: spacy | sudachi | jieba | pythainlp | kiwi | syllable | regex.",
        f"# tokenizer: {p.tokenizer}",
        "",
        "# Free-form, for checks and reviewers.",
        "# observances: []",
        "# sensitive: []",
        '# notes: ""',
    ]
    return "\n".join(lines) + "\n"


@locales.command("new")
@click.argument("tag")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write [default: locales/TAG.yaml].")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(tag: str, output: Path | None, force: bool) -> None:
    """Write a commented profile scaffold for TAG, pre-filled from CLDR and holidays."""
    from locale_guard.profiles import UnknownLocaleError, derived_profile

    canonical = _resolve(tag)
    try:
        derived_profile(canonical)
    except UnknownLocaleError as exc:
        error_exit(str(exc))
    target = output or Path("locales") / f"{canonical}.yaml"
    if target.stem != canonical or target.suffix not in (".yaml", ".yml"):
        error_exit(f"a profile for {canonical} must be named {canonical}.yaml to be found, not '{target.name}'")
    if target.exists() and not force:
        error_exit(f"{target} exists; pass --force to overwrite it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(scaffold(canonical), encoding="utf-8")
    except OSError as exc:
        error_exit(f"cannot write {target}: {exc.strerror or exc}")
    click.echo(f"wrote {target}: uncomment and decide the fields this market needs", err=True)
