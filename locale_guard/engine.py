"""The pipeline: discover → read → records → checks → findings → suppression and baseline.

The engine is what ``locale-guard check`` runs and what tests, the Ray engine and the review
import call. It never prints and never exits; problems with inputs are collected in
:attr:`RunResult.errors` (exit 2 in the CLI) while every readable input is still checked.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from locale_guard import __version__
from locale_guard.checks import Check, CheckContext, Rule, all_checks
from locale_guard.config import Config
from locale_guard.discovery import catalog_root, locale_from_path, walk
from locale_guard.findings import (
    SEVERITY_RANK,
    conform_findings,
    empty_findings,
    with_fingerprints,
)
from locale_guard.readers import InputError, ReadRequest, detect, get_reader
from locale_guard.records import RECORD_SCHEMA, conform, empty_records
from locale_guard.tags import LocaleTagError, normalise_tag

FILE_SCHEMA = {
    "path": pl.String(),
    "locale": pl.String(),
    "catalog": pl.String(),
    "root": pl.String(),
    "format": pl.String(),
    "records": pl.Int64(),
}


@dataclass(frozen=True)
class Problem:
    """An input that could not be read, or a notice worth telling the user once."""

    path: str
    message: str
    line: int | None = None

    def describe(self) -> str:
        from locale_guard.readers.base import one_line

        return one_line(f"{self.path}{f':{self.line}' if self.line else ''}: {self.message}")

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "message": self.message}


@dataclass
class RunOptions:
    paths: Sequence[Path]
    locale: str | None = None
    source_locale: str | None = None
    input_format: str | None = None
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    baseline: Path | None = None
    progress: Callable[[str, int, int], None] | None = None


@dataclass
class RunResult:
    findings: pl.DataFrame
    records: pl.DataFrame
    files: pl.DataFrame
    errors: list[Problem]
    warnings: list[Problem]
    rules: dict[str, Rule]
    checks_run: list[str]
    suppressed: int = 0
    baselined: int = 0
    seconds: float = 0.0
    source_locale: str | None = None
    artifacts: dict[str, Any] = field(default_factory=dict)
    version: str = __version__

    def summary(self) -> dict[str, Any]:
        counts = {s: 0 for s in ("error", "warning", "info")}
        for sev, n in self.findings.group_by("severity").len().iter_rows():
            counts[sev] = n
        return {
            "files": self.files.height,
            "records": self.records.height,
            "locales": sorted(self.records["locale"].drop_nulls().unique().to_list()),
            "findings": self.findings.height,
            "by_severity": counts,
            "by_check": dict(sorted(self.findings.group_by("check").len().iter_rows())),
            "errors": len(self.errors),
            "suppressed": self.suppressed,
            "baselined": self.baselined,
            "seconds": round(self.seconds, 3),
            "source_locale": self.source_locale,
            "checks": self.checks_run,
        }


# ---------------------------------------------------------------------------------- reading


_CASE_ONLY = "case and separators normalised"


def _warn_tag(warnings: list[Problem], path: str, original: str, tag: str, why: str) -> None:
    """One warning per distinct spelling, and one line for all spelling-only changes
    (an OVOS skill has a ``de-de`` style folder per locale)."""
    if why == _CASE_ONLY:
        pair = f"{original} → {tag}"
        for i, w in enumerate(warnings):
            if w.message.startswith("locale tags normalised to BCP-47"):
                if pair not in w.message:
                    warnings[i] = Problem(w.path, f"{w.message}, {pair}")
                return
        warnings.append(Problem(path, f"locale tags normalised to BCP-47 (case and separators): {pair}"))
        return
    message = f"locale '{original}' read as '{tag}' ({why})"
    if not any(w.message == message for w in warnings):
        warnings.append(Problem(path, message))


def _read_one(
    path: Path,
    opts: RunOptions,
    config: Config,
    errors: list[Problem],
    warnings: list[Problem],
    *,
    explicit: bool = True,
    unlocalised: list[str] | None = None,
) -> tuple[pl.DataFrame, dict[str, Any]] | None:
    if opts.input_format:
        reader = get_reader(opts.input_format)
    else:
        reader = detect(path)
        if reader is None:
            return None
    where = locale_from_path(path)
    locale = where.locale
    if opts.locale:
        locale = normalise_tag(opts.locale).tag
    elif where.normalised and where.normalised.changed_because:
        _warn_tag(warnings, str(path), where.normalised.original, where.normalised.tag, where.normalised.changed_because)
    request = ReadRequest(
        path=path,
        locale=locale,
        source_locale=opts.source_locale or config.source_locale,
        options=config.readers.get(reader.name, {}),
    )
    try:
        frame = reader.read(request)
    except InputError as exc:
        errors.append(Problem(exc.path, exc.message, exc.line))
        return None
    except RecursionError:
        errors.append(Problem(str(path), "nested too deeply to read"))
        return None
    except MemoryError:
        errors.append(Problem(str(path), "too large to read into memory"))
        return None
    except Exception as exc:  # a reader bug must not take down the other files
        errors.append(Problem(str(path), f"could not read as {reader.name}: {type(exc).__name__}: {exc}"))
        return None
    frame = conform(frame).with_columns(
        pl.col("path").fill_null(str(path)),
        pl.col("locale").fill_null(pl.lit(locale, dtype=pl.String)),
    )
    if frame.height and frame["locale"].null_count():
        if not explicit and where.bad_tag is None and unlocalised is not None:
            # found while walking a folder and named after no locale: package.json, CI files
            unlocalised.append(str(path))
            return None
        if where.bad_tag:
            msg = f"cannot tell the locale: {where.bad_tag}"
        else:
            msg = "cannot tell the locale: name the file or folder after it (de-DE.json, de/), or pass --locale"
        errors.append(Problem(str(path), msg))
        return None
    info = {
        "path": str(path),
        "locale": locale if locale else (frame["locale"][0] if frame.height else None),
        "catalog": where.catalog,
        "root": catalog_root(where.catalog),
        "format": reader.name,
        "records": frame.height,
    }
    return frame, info


def _normalise_record_locales(records: pl.DataFrame, errors: list[Problem], warnings: list[Problem]) -> pl.DataFrame:
    """Canonicalise locale values that came from the data itself (MASSIVE's ``sl-SL``)."""
    mapping: dict[str, str | None] = {}
    for tag in records["locale"].drop_nulls().unique().to_list():
        try:
            norm = normalise_tag(tag)
        except LocaleTagError as exc:
            mapping[tag] = None
            bad = records.filter(pl.col("locale") == tag)
            errors.append(Problem(bad["path"][0], str(exc), bad["line"][0]))
            continue
        mapping[tag] = norm.tag
        if norm.changed_because:
            first_path = records.filter(pl.col("locale") == tag)["path"][0]
            _warn_tag(warnings, first_path, tag, norm.tag, norm.changed_because)
    if all(k == v for k, v in mapping.items()):
        return records
    return records.with_columns(
        pl.col("locale").replace_strict(mapping, default=None, return_dtype=pl.String)
    ).filter(pl.col("locale").is_not_null())


def _profile_problems(locales: Sequence[str], config: Config) -> list[Problem]:
    """A broken curated profile is an input error (exit 2), not something checks hide."""
    from locale_guard.profiles import ProfileError, UnknownLocaleError, load_profile

    problems: list[Problem] = []
    for locale in sorted(locales):
        try:
            load_profile(locale, config)
        except ProfileError as exc:
            problem = Problem(exc.path, exc.message, exc.line)
            if problem not in problems:
                problems.append(problem)
        except UnknownLocaleError:
            pass
    return problems


def resolve_source_locale(locales: Sequence[str], wanted: str | None) -> str | None:
    """The locale present in the data that plays the source role.

    ``wanted`` matches exactly or by language (``en-US`` finds an ``en`` folder). Without one,
    an English locale is assumed when present, since that is how nearly all catalogs start.
    """
    present = sorted(set(locales))
    if wanted:
        canonical = normalise_tag(wanted).tag
        if canonical in present:
            return canonical
        lang = canonical.split("-")[0]
        same = [loc for loc in present if loc.split("-")[0] == lang]
        return same[0] if same else canonical
    for candidate in ("en-US", "en", "en-GB"):
        if candidate in present:
            return candidate
    english = [loc for loc in present if loc.startswith("en")]
    return english[0] if english else None


def pair_with_source(records: pl.DataFrame, source_locale: str | None) -> pl.DataFrame:
    """Fill ``source_text`` of target records from the source locale's record of the same key.

    Matching is by catalog, key, variant and plural form, falling back to the key's first
    variant (plural ``other`` preferred), so a target plural form ``few`` still finds the
    English ``other`` it translates.
    """
    if source_locale is None or records.height == 0:
        return records
    src = records.filter((pl.col("locale") == source_locale) & pl.col("key").is_not_null())
    if src.height == 0:
        return records
    exact = src.select(
        "catalog", "key", "variant", "plural", pl.col("text").alias("_src_exact")
    ).unique(["catalog", "key", "variant", "plural"], keep="first")
    first = (
        src.sort(
            pl.col("plural").is_null() | (pl.col("plural") != "other"),
            "variant",
        )
        .select("catalog", "key", pl.col("text").alias("_src_first"))
        .unique(["catalog", "key"], keep="first")
    )
    is_target = (pl.col("locale") != source_locale) & pl.col("source_text").is_null()
    out = (
        records.join(exact, on=["catalog", "key", "variant", "plural"], how="left", nulls_equal=True)
        .join(first, on=["catalog", "key"], how="left")
        .with_columns(
            pl.when(is_target)
            .then(pl.coalesce("_src_exact", "_src_first"))
            .otherwise(pl.col("source_text"))
            .alias("source_text")
        )
        .drop("_src_exact", "_src_first")
    )
    return out


def read_inputs(
    opts: RunOptions, config: Config
) -> tuple[pl.DataFrame, pl.DataFrame, list[Problem], list[Problem]]:
    """Read every input into one record frame (plus the per-file table and problems)."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    frames: list[pl.DataFrame] = []
    infos: list[dict[str, Any]] = []
    explicit = {Path(p) for p in opts.paths if Path(p).is_file()}
    unlocalised: list[str] = []
    files = list(walk([Path(p) for p in opts.paths]))
    for i, item in enumerate(files):
        if isinstance(item, tuple):
            path, message = item
            (warnings if "link loop" in message else errors).append(Problem(str(path), message))
            continue
        if config.excludes(item):
            continue
        if opts.progress:
            opts.progress("read", i + 1, len(files))
        got = _read_one(
            item, opts, config, errors, warnings, explicit=item in explicit, unlocalised=unlocalised
        )
        if got is None:
            continue
        frame, info = got
        frames.append(frame.with_columns(pl.lit(info["catalog"]).alias("catalog")))
        infos.append(info)
    if unlocalised:
        warnings.append(
            Problem(
                unlocalised[0],
                f"skipped {len(unlocalised)} file(s) whose path names no locale (first: {unlocalised[0]}); "
                "name them after their locale, pass --locale, or exclude them in the config",
            )
        )
    schema = {**RECORD_SCHEMA, "catalog": pl.String()}
    records = pl.concat(frames, how="vertical") if frames else pl.DataFrame(schema=schema)
    records = _normalise_record_locales(records, errors, warnings)
    file_table = pl.DataFrame(infos, schema=FILE_SCHEMA) if infos else pl.DataFrame(schema=FILE_SCHEMA)
    return records, file_table, errors, warnings


# ---------------------------------------------------------------------------------- checking


def _owners() -> dict[str, str]:
    """Rule id → the check module that reports it (``offensive/classifier`` → ``classifier``)."""
    return {rule.id: check.name for check in all_checks().values() for rule in check.rules}


def _selected(name: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    prefix = name.split("/", 1)[0]
    owner = _owners().get(name, prefix)
    if name in ignore or prefix in ignore or owner in ignore:
        return False
    if not select:
        return True
    return name in select or prefix in select or owner in select


def _checks_to_run(select: Sequence[str], ignore: Sequence[str]) -> list[Check]:
    """Checks named, or reporting a named rule or rule family (``--select offensive`` also
    runs the classifier check, whose rules are ``offensive/…`` and ``formality/…``)."""
    chosen = []
    for check in all_checks().values():
        if check.name in ignore:
            continue
        prefixes = {r.id.split("/", 1)[0] for r in check.rules} | {check.name}
        if select and not any(
            s == check.name
            or s in prefixes
            or any(s == r.id for r in check.rules)
            or s.startswith(check.name + "/")
            for s in select
        ):
            continue
        chosen.append(check)
    return chosen


def apply_policy(findings: pl.DataFrame, config: Config, select: Sequence[str], ignore: Sequence[str]) -> pl.DataFrame:
    """Rule selection and severity overrides (a rule's own setting beats its check's)."""
    if findings.height == 0:
        return findings
    keep = [
        r for r in findings["rule"].unique().to_list() if _selected(r, select, ignore)
    ]
    findings = findings.filter(pl.col("rule").is_in(keep))
    if config.severity:
        sev_rule = pl.col("rule").replace_strict(config.severity, default=None, return_dtype=pl.String)
        sev_check = pl.col("check").replace_strict(config.severity, default=None, return_dtype=pl.String)
        findings = findings.with_columns(
            pl.coalesce(sev_rule, sev_check, pl.col("severity")).alias("severity")
        ).filter(pl.col("severity") != "off")
    return findings


def apply_suppressions(findings: pl.DataFrame, records: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Drop findings whose record suppresses their check or rule inline."""
    if findings.height == 0:
        return findings, 0
    sup = (
        records.filter(pl.col("suppress").list.len() > 0)
        .select("record_id", "suppress")
        .unique("record_id")
    )
    if sup.height == 0:
        return findings, 0
    joined = findings.join(sup, on="record_id", how="left")
    hit = pl.col("suppress").is_not_null() & (
        pl.col("suppress").list.contains(pl.col("rule"))
        | pl.col("suppress").list.contains(pl.col("check"))
        | pl.col("suppress").list.contains(pl.lit("all"))
    )
    kept = joined.filter(~hit.fill_null(False)).drop("suppress")
    return kept, findings.height - kept.height


def load_baseline(path: Path) -> set[str]:
    """Fingerprints from a baseline file (ours, or any JSON report with findings)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "baseline file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"baseline is not valid JSON: {exc}") from None
    items = data.get("fingerprints") if isinstance(data, dict) else None
    if items is None and isinstance(data, dict):
        items = [f.get("fingerprint") for f in data.get("findings", [])]
    if not isinstance(items, list):
        raise InputError(path, "baseline must be {\"fingerprints\": [...]} or a JSON report")
    return {str(x) for x in items if x}


def write_baseline(path: Path, findings: pl.DataFrame) -> None:
    data = {
        "version": 1,
        "tool": "locale-guard",
        "fingerprints": sorted(findings["fingerprint"].unique().to_list()),
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def run_checks(
    records: pl.DataFrame,
    files: pl.DataFrame,
    config: Config,
    *,
    source_locale: str | None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    progress: Callable[[str, int, int], None] | None = None,
    errors: list[Problem] | None = None,
) -> tuple[pl.DataFrame, list[str], dict[str, Any]]:
    """Run the selected checks over a record frame; return findings with fingerprints.

    A check that meets a broken rule pack or profile (an :class:`InputError`) is reported in
    ``errors`` (exit 2) and the other checks still run.
    """
    return run_check_list(
        _checks_to_run(select, ignore),
        records,
        files,
        config,
        source_locale=source_locale,
        select=select,
        ignore=ignore,
        progress=progress,
        errors=errors,
    )


def run_check_list(
    checks: Sequence[Check],
    records: pl.DataFrame,
    files: pl.DataFrame,
    config: Config,
    *,
    source_locale: str | None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    progress: Callable[[str, int, int], None] | None = None,
    errors: list[Problem] | None = None,
) -> tuple[pl.DataFrame, list[str], dict[str, Any]]:
    """:func:`run_checks` for an explicit list of checks, so the Ray engine can run some checks
    on one locale's records and others on more (``select``/``ignore`` still filter rules)."""
    ctx = CheckContext(config=config, source_locale=source_locale, files=files)
    parts: list[pl.DataFrame] = []
    for i, check in enumerate(checks):
        if progress:
            progress(check.name, i + 1, len(checks))
        try:
            found = check.run(records, ctx)
        except InputError as exc:
            if errors is None:
                raise
            problem = Problem(exc.path, f"{check.name}: {exc.message}", exc.line)
            if problem not in errors:
                errors.append(problem)
            continue
        if found.height:
            parts.append(conform_findings(found))
    findings = pl.concat(parts, how="vertical") if parts else empty_findings()
    findings = apply_policy(findings, config, select, ignore)
    findings = with_fingerprints(findings)
    return findings, [c.name for c in checks], ctx.artifacts


@dataclass
class PreparedRun:
    """Everything :func:`run` knows before the checks: the records (paired with their source),
    the file table, problems so far, and the effective rule selection. The Ray engine
    (:mod:`locale_guard.distributed`) prepares a run the same way and only checks differently."""

    records: pl.DataFrame
    files: pl.DataFrame
    errors: list[Problem]
    warnings: list[Problem]
    source_locale: str | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    started: float


def prepare_run(opts: RunOptions, config: Config) -> PreparedRun:
    """Read the inputs, pick the source locale, pair targets with it, validate profiles."""
    started = time.perf_counter()
    select = tuple(opts.select) or config.select
    ignore = tuple(opts.ignore) + config.ignore
    records, files, errors, warnings = read_inputs(opts, config)
    source = resolve_source_locale(
        records["locale"].drop_nulls().unique().to_list(), opts.source_locale or config.source_locale
    )
    records = pair_with_source(records, source)
    errors.extend(_profile_problems(records["locale"].drop_nulls().unique().to_list(), config))
    return PreparedRun(records, files, errors, warnings, source, select, ignore, started)


def finish_run(
    prepared: PreparedRun,
    opts: RunOptions,
    config: Config,
    findings: pl.DataFrame,
    checks_run: list[str],
    artifacts: dict[str, Any],
) -> RunResult:
    """Suppressions, baseline, the report order and rule descriptions: the same after any engine."""
    records, errors = prepared.records, prepared.errors
    findings, suppressed = apply_suppressions(findings, records)
    baselined = 0
    baseline_path = opts.baseline or config.baseline
    if baseline_path is not None:
        try:
            known = load_baseline(Path(baseline_path))
        except InputError as exc:
            errors.append(Problem(exc.path, exc.message))
        else:
            before = findings.height
            findings = findings.filter(~pl.col("fingerprint").is_in(list(known)))
            baselined = before - findings.height
    order = pl.col("severity").replace_strict(SEVERITY_RANK, default=0, return_dtype=pl.Int32)
    findings = findings.sort(["path", "line", order, "rule"], descending=[False, False, True, False], nulls_last=True)
    all_rule_meta = {r.id: r for c in all_checks().values() for r in c.rules}
    # rules declared in rule packs are data, not code: describe them from their findings
    for rule_id, severity, message in (
        findings.filter(~pl.col("rule").is_in(list(all_rule_meta)))
        .unique("rule", keep="first", maintain_order=True)
        .select("rule", "severity", "message")
        .iter_rows()
    ):
        all_rule_meta[rule_id] = Rule(rule_id, severity, message or rule_id)
    return RunResult(
        findings=findings,
        records=records if records.height else empty_records(),
        files=prepared.files,
        errors=errors,
        warnings=prepared.warnings,
        rules=all_rule_meta,
        checks_run=checks_run,
        suppressed=suppressed,
        baselined=baselined,
        seconds=time.perf_counter() - prepared.started,
        source_locale=prepared.source_locale,
        artifacts=artifacts,
    )


def run(opts: RunOptions, config: Config) -> RunResult:
    """Check the inputs in ``opts`` under ``config``."""
    prepared = prepare_run(opts, config)
    findings, checks_run, artifacts = run_checks(
        prepared.records,
        prepared.files,
        config,
        source_locale=prepared.source_locale,
        select=prepared.select,
        ignore=prepared.ignore,
        progress=opts.progress,
        errors=prepared.errors,
    )
    return finish_run(prepared, opts, config, findings, checks_run, artifacts)
