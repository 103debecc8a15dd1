"""``locale-guard check --engine ray``: the checks of one run, one Ray Data task per locale.

The driver prepares the run exactly as the local engine does (:func:`engine.prepare_run`: read
inputs, pick the source locale, pair targets with it, validate profiles), then writes one
Parquet partition per locale and lets Ray Data group the rows by partition and run
:func:`engine.run_check_list` on each group. Findings come back as Parquet and the driver
finishes the run with :func:`engine.finish_run` (suppressions, baseline, order), so the
:class:`~locale_guard.engine.RunResult` is the local one and every reporter works unchanged.

What a partition holds, and why the findings are the local engine's:

* Most checks judge each record on its own or against its own locale. They run on the
  partition's own records only.
* ``coverage`` compares a target locale with the source locale's catalog and with the
  training-data pivot, and ``placeholders`` compares a response variant with the *nearest*
  source variant of its key (not only the ``source_text`` pairing filled in), so both also see
  the *reference* records: every locale that shares a
  language with the source locale or with the coverage pivot (the pivot is resolved by
  language, ``en-US`` may find ``en-GB``). The partition's ``ctx.files`` holds its own files,
  the source locale's, and every file its records came from.
* A finding is kept only in the partition of its own locale, so source-locale findings are made
  once, by the source locale's partition. Findings of no partition (a file with no strings and
  no locale, an empty ``de/`` file when ``de`` has no strings at all) are kept by the *home*
  partition (the source locale's), which alone gets those files.
* A check that needs every locale at once runs on the driver instead: ``language`` with
  ``candidates = ["run"]`` weighs every string against all languages of the run.
* When a check fails with an input error (a broken rule pack) in any partition, its findings
  are dropped everywhere, as the local engine skips the check for the whole run.
* Fingerprints are recomputed on the driver, where paths are made relative to the working
  directory the user ran the command in.

``ctx.artifacts`` are merged: notices once each, per-locale tables (the holiday coverage) by
locale, classifier statistics summed. The coverage analysis object is per partition and is not
carried back (no reporter reads it; ``locale-guard coverage`` computes its own).
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from locale_guard.checks import Check
from locale_guard.config import Config, ConfigError
from locale_guard.engine import (
    PreparedRun,
    Problem,
    RunOptions,
    RunResult,
    _checks_to_run,
    _owners,
    finish_run,
    prepare_run,
    run_check_list,
)
from locale_guard.findings import FINDING_SCHEMA, empty_findings, with_fingerprints

#: checks that compare a locale with other locales' records (the source and the pivot)
REFERENCE_CHECKS = frozenset({"coverage", "placeholders"})

#: set ``LOCALE_GUARD_RAY_STAGING`` to a folder every Ray node can read (NFS) on a multi-node
#: cluster; the default is a temporary folder on the driver, which suits a one-machine Ray
STAGING_ENV = "LOCALE_GUARD_RAY_STAGING"

_PART = "_lg_part"  # partition key: the locale whose findings a group produces
_ROW = "_lg_row"  # row of the record in the driver's frame, to restore input order
_OWN = "_lg_own"  # the record belongs to the partition's locale (not a reference record)
_CHECK = "_lg_check"  # index of the check that made a finding, in run order
_SEQ = "_lg_seq"  # position of a finding in its partition's output
_META = "_lg_meta"  # pickled per-partition facts (errors, artifacts) on one extra row
#: a coverage gap's rank keys (worst first: size, then locale, intent, slot type), so gaps of
#: all partitions interleave as in one run's gap table
_GAP_KEYS = {"score": "_lg_gap_score", "intent": "_lg_gap_intent", "slot_type": "_lg_gap_slot"}

_OUT_SCHEMA: dict[str, pl.DataType] = {
    **FINDING_SCHEMA,
    _PART: pl.String(),
    _CHECK: pl.Int32(),
    _SEQ: pl.Int64(),
    _META: pl.Binary(),
    "_lg_gap_score": pl.Float64(),
    "_lg_gap_intent": pl.String(),
    "_lg_gap_slot": pl.String(),
}


# ------------------------------------------------------------------------------ planning


def _language(tag: str | None) -> str | None:
    return tag.split("-", 1)[0] if tag else None


def whole_run_checks(config: Config) -> frozenset[str]:
    """Checks that must see every locale at once, given this config (run on the driver)."""
    candidates = config.check_option("language", "candidates", [])
    if candidates == "run" or (isinstance(candidates, list) and "run" in candidates):
        return frozenset({"language"})
    return frozenset()


def coverage_pivot(config: Config, source_locale: str | None) -> str | None:
    """The pivot tag the coverage analysis will look for (None when the config is invalid:
    the partitions then raise the same :class:`ConfigError` the local engine would)."""
    from locale_guard.coverage.options import coverage_options

    try:
        return coverage_options(config, source_locale).pivot
    except ConfigError:
        return None


@dataclass(frozen=True)
class PartitionPlan:
    """Which partitions a run has and which records each one carries besides its own."""

    #: partition locales, in order of first appearance in the input
    locales: tuple[str, ...]
    #: the partition that keeps findings of no partition (the source locale's, else the first)
    home: str | None
    #: locales whose records reference checks see in every partition
    reference: tuple[str, ...]


def plan_partitions(
    records: pl.DataFrame, source_locale: str | None, pivot: str | None, with_reference: bool
) -> PartitionPlan:
    """One partition per locale of the records; reference locales share a language with the
    source locale or the coverage pivot (both are resolved by language when not present)."""
    locales = tuple(records["locale"].drop_nulls().unique(maintain_order=True).to_list())
    home = source_locale if source_locale in locales else (locales[0] if locales else None)
    reference: tuple[str, ...] = ()
    if with_reference:
        wanted = {lang for lang in (_language(source_locale), _language(pivot)) if lang}
        reference = tuple(loc for loc in locales if _language(loc) in wanted)
    return PartitionPlan(locales, home, reference)


def partition_frames(records: pl.DataFrame, plan: PartitionPlan) -> list[pl.DataFrame]:
    """The rows of each partition: its own records, then the reference records of other
    locales, tagged with the partition key and each record's input row."""
    indexed = records.with_row_index(_ROW).with_columns(pl.col(_ROW).cast(pl.Int64))
    reference = indexed.filter(pl.col("locale").is_in(list(plan.reference))) if plan.reference else None
    frames = []
    for locale in plan.locales:
        own = indexed.filter(pl.col("locale") == locale).with_columns(pl.lit(True).alias(_OWN))
        parts = [own]
        if reference is not None:
            parts.append(reference.filter(pl.col("locale") != locale).with_columns(pl.lit(False).alias(_OWN)))
        frames.append(pl.concat(parts, how="vertical").with_columns(pl.lit(locale).alias(_PART)))
    return frames


# ------------------------------------------------------------------------------ the task


@dataclass(frozen=True)
class TaskSpec:
    """What every partition task needs besides its rows (sent once, pickled)."""

    config: Config
    source_locale: str | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    #: the checks partitions run, by name, in run order; with their index in that order
    checks: tuple[tuple[str, int], ...]
    files: pl.DataFrame
    schema: dict[str, pl.DataType]
    locales: frozenset[str]
    home: str | None
    cwd: str


def _files_for(spec: TaskSpec, part: str, records: pl.DataFrame) -> pl.DataFrame:
    """The file table a partition's checks see: files of its locale and the source locale,
    files its records came from, and for the home partition files of no partition."""
    files = spec.files
    if files.height == 0:
        return files
    keep = pl.col("locale").is_in([loc for loc in (part, spec.source_locale) if loc]).fill_null(False)
    keep |= pl.col("path").is_in(records["path"].drop_nulls().unique().implode()).fill_null(False)
    if part == spec.home:
        keep |= pl.col("locale").is_null() | ~pl.col("locale").is_in(list(spec.locales))
    return files.filter(keep)


def _kept(findings: pl.DataFrame, spec: TaskSpec, part: str) -> pl.DataFrame:
    """A partition's share of its findings: its locale's, and for home, those of no partition."""
    mine = pl.col("locale") == part
    if part == spec.home:
        mine = mine | pl.col("locale").is_null() | ~pl.col("locale").is_in(list(spec.locales))
    return findings.filter(mine.fill_null(False))


def _own_artifacts(artifacts: dict[str, Any], spec: TaskSpec, part: str) -> dict[str, Any]:
    """Artifacts worth carrying back, per-locale tables cut to the partition's share."""
    out: dict[str, Any] = {}
    for name, value in artifacts.items():
        if isinstance(value, pl.DataFrame) and "locale" in value.columns:
            out[name] = _kept(value, spec, part)
        elif isinstance(value, list | dict | str | int | float | pl.DataFrame):
            out[name] = value
        # other objects (the coverage analysis) are this partition's view only: left behind
    return out


def _with_gap_ranks(found: pl.DataFrame, artifacts: dict[str, Any]) -> pl.DataFrame:
    """Attach each coverage gap finding's rank keys from the partition's gap table.

    Gap findings are made one per gap, in gap-table order, rule by rule, so the k-th finding of
    a rule is the k-th gap of that rule; a rule whose counts differ (none should) gets no keys.
    """
    analysis = artifacts.get("coverage")
    gaps = getattr(analysis, "gaps", None)
    if not isinstance(gaps, pl.DataFrame) or gaps.height == 0 or found.height == 0:
        return found.with_columns([pl.lit(None, dtype=_OUT_SCHEMA[c]).alias(c) for c in _GAP_KEYS.values()])
    k = pl.int_range(pl.len()).over("rule").alias("_lg_k")
    ranks = gaps.select("rule", k, *[pl.col(c).alias(a) for c, a in _GAP_KEYS.items()])
    have = dict(found.group_by("rule").len().iter_rows())
    want = dict(ranks.group_by("rule").len().iter_rows())
    ranks = ranks.filter(pl.col("rule").is_in([r for r, n in want.items() if have.get(r) == n]))
    return found.with_columns(k).join(ranks, on=["rule", "_lg_k"], how="left", maintain_order="left").drop("_lg_k")


def _checks_by_name() -> dict[str, Check]:
    from locale_guard.checks import all_checks

    return all_checks()


def _check_of(problem: Problem, names: Sequence[str]) -> str | None:
    """The check an error of :func:`run_check_list` came from (its message starts with it)."""
    return next((n for n in names if problem.message.startswith(f"{n}: ")), None)


def check_partition(table: Any, *, spec: TaskSpec) -> Any:
    """Ray Data ``map_groups`` function: run the checks on one partition's rows.

    Returns a pyarrow table of the partition's findings plus one row carrying its errors and
    artifacts (pickled; the driver and the tasks are the same program).
    """
    if spec.cwd and os.path.isdir(spec.cwd) and os.getcwd() != spec.cwd:
        os.chdir(spec.cwd)  # relative input paths and files that exist (coverage/missing-file)
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    if frame.height == 0:
        return pl.DataFrame(schema=_OUT_SCHEMA).to_arrow(compat_level=pl.CompatLevel.oldest())
    frame = frame.sort(_ROW)
    part = str(frame[_PART][0])
    records = frame.select([pl.col(n).cast(t) for n, t in spec.schema.items()])
    own = records.filter(frame[_OWN])
    files = _files_for(spec, part, records)
    every = _checks_by_name()
    index = dict(spec.checks)
    parts: list[pl.DataFrame] = []
    meta: dict[str, Any] = {"part": part, "errors": [], "artifacts": []}
    passes = [
        ([every[n] for n, _ in spec.checks if n not in REFERENCE_CHECKS], own),
        ([every[n] for n, _ in spec.checks if n in REFERENCE_CHECKS], records),
    ]
    try:
        for checks, rows in passes:
            if not checks:
                continue
            errors: list[Problem] = []
            found, _, artifacts = run_check_list(
                checks, rows, files, spec.config,
                source_locale=spec.source_locale, select=spec.select, ignore=spec.ignore, errors=errors,
            )
            names = [c.name for c in checks]
            meta["errors"].extend((_check_of(p, names), p) for p in errors)
            meta["artifacts"].append(_own_artifacts(artifacts, spec, part))
            if found.height:
                owners = _owners()
                owner = pl.col("rule").replace_strict(owners, default=None, return_dtype=pl.String)
                owner = pl.coalesce(owner, pl.col("rule").str.split("/").list.first())
                found = _with_gap_ranks(found, artifacts).with_columns(
                    owner.replace_strict(index, default=-1, return_dtype=pl.Int32).alias(_CHECK)
                )
                parts.append(_kept(found, spec, part))
    except ConfigError as exc:  # the local engine stops the run with this message
        meta["fatal"] = str(exc)
    findings = pl.concat(parts, how="vertical") if parts else empty_findings().with_columns(
        pl.lit(None, dtype=pl.Int32).alias(_CHECK),
        *[pl.lit(None, dtype=_OUT_SCHEMA[c]).alias(c) for c in _GAP_KEYS.values()],
    )
    findings = findings.with_columns(
        pl.lit(part).alias(_PART), pl.int_range(pl.len(), dtype=pl.Int64).alias(_SEQ),
        pl.lit(None, dtype=pl.Binary).alias(_META),
    )
    meta_row = pl.DataFrame(
        {_PART: [part], _CHECK: [-1], _SEQ: [-1], _META: [pickle.dumps(meta)]},
        schema={_PART: pl.String(), _CHECK: pl.Int32(), _SEQ: pl.Int64(), _META: pl.Binary()},
    )
    out = pl.concat([findings.select(list(_OUT_SCHEMA)).cast(_OUT_SCHEMA), meta_row], how="diagonal_relaxed")
    return out.select([pl.col(n).cast(t) for n, t in _OUT_SCHEMA.items()]).to_arrow(
        compat_level=pl.CompatLevel.oldest()
    )


# ------------------------------------------------------------------------------ merging


def merge_artifacts(pieces: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One artifacts dict from the partitions' (in partition order): lists keep each item
    once, per-locale tables are concatenated and ordered by locale (stable), numbers summed."""
    out: dict[str, Any] = {}
    for piece in pieces:
        for name, value in piece.items():
            if name not in out:
                out[name] = list(value) if isinstance(value, list) else value
            elif isinstance(value, list):
                out[name].extend(v for v in value if v not in out[name])
            elif isinstance(value, pl.DataFrame) and isinstance(out[name], pl.DataFrame):
                out[name] = pl.concat([out[name], value], how="diagonal_relaxed")
            elif isinstance(value, dict) and isinstance(out[name], dict):
                merged = dict(out[name])
                for k, v in value.items():
                    if isinstance(v, int | float) and not isinstance(v, bool) and isinstance(merged.get(k), int | float):
                        merged[k] = merged[k] + v
                    else:
                        merged.setdefault(k, v)
                out[name] = merged
    for name, value in out.items():
        if isinstance(value, pl.DataFrame) and "locale" in value.columns:
            out[name] = value.sort("locale", maintain_order=True, nulls_last=True)
    return out


def _merge(
    out: pl.DataFrame,
    plan: PartitionPlan,
    names: Sequence[str],
    driver: tuple[pl.DataFrame, list[tuple[str | None, Problem]], dict[str, Any]] | None,
    errors: list[Problem],
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Findings of all partitions (and the driver's checks) in the local engine's order, the
    check errors added to ``errors`` once per check, and the artifacts merged."""
    order = {loc: i for i, loc in enumerate(plan.locales)}
    metas = sorted(
        (pickle.loads(blob) for blob in out.filter(pl.col(_META).is_not_null())[_META].to_list()),
        key=lambda m: order.get(m["part"], len(order)),
    )
    fatal = next((m["fatal"] for m in metas if m.get("fatal")), None)
    if fatal:
        raise ConfigError(fatal)
    failures: dict[str, Problem] = {}
    pieces: list[dict[str, Any]] = []
    for meta in metas:
        for check, problem in meta["errors"]:
            failures.setdefault(check or "", problem)
        pieces.extend(meta["artifacts"])
    findings = out.filter(pl.col(_META).is_null()).with_columns(
        pl.col(_PART).replace_strict(order, default=len(order), return_dtype=pl.Int32).alias("_lg_order")
    )
    if driver is not None:
        found, driver_errors, artifacts = driver
        for check, problem in driver_errors:
            failures.setdefault(check or "", problem)
        pieces.append(artifacts)
        findings = pl.concat(
            [findings, found.with_columns(pl.lit(-1, dtype=pl.Int32).alias("_lg_order"))], how="diagonal_relaxed"
        )
    index = {name: i for i, name in enumerate(names)}
    failed = [index[c] for c in failures if c in index]
    # The report order (path, line, severity, rule) keeps this order among equals. Those can
    # be of several locales only when they name no line: gaps of whole locales in a file of all
    # locales (ranked as the gap table ranks them), holiday coverage (by locale).
    no_line_locale = pl.when(pl.col("line").is_null()).then(pl.col("locale"))
    findings = (
        findings.filter(~pl.col(_CHECK).is_in(failed))
        .with_columns(no_line_locale.alias("_lg_tie"))
        .sort(
            [_CHECK, "_lg_gap_score", "_lg_tie", "_lg_gap_intent", "_lg_gap_slot", "_lg_order", _SEQ],
            descending=[False, True, False, False, False, False, False],
            nulls_last=True,
            maintain_order=True,
        )
        .select([pl.col(n).cast(t) for n, t in FINDING_SCHEMA.items()])
        .with_columns(pl.lit(None, dtype=pl.String).alias("fingerprint"))
    )
    for check in sorted(failures, key=lambda c: index.get(c, len(index))):
        if failures[check] not in errors:
            errors.append(failures[check])
    return with_fingerprints(findings), merge_artifacts(pieces)


# ------------------------------------------------------------------------------ driver


def _staging_dir() -> Path:
    base = os.environ.get(STAGING_ENV) or None
    if base:
        Path(base).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="locale-guard-ray-", dir=base))


def _cluster_cpus(ray: Any) -> int:
    try:
        return max(1, int(ray.cluster_resources().get("CPU", 1)))
    except Exception:  # a client that cannot ask: one reducer per locale is still correct
        return 1


def check_on_ray(
    ray: Any,
    prepared: PreparedRun,
    config: Config,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[pl.DataFrame, list[str], dict[str, Any]]:
    """The findings, checks run and artifacts of :func:`engine.run_checks`, computed on Ray."""
    from locale_guard.distributed import quiet_data_context

    checks = _checks_to_run(prepared.select, prepared.ignore)
    names = [c.name for c in checks]
    records = prepared.records
    common = {"source_locale": prepared.source_locale, "select": prepared.select, "ignore": prepared.ignore}
    if records.height == 0 or not checks:  # nothing to spread: the driver checks the empty files
        return run_check_list(checks, records, prepared.files, config, errors=prepared.errors, **common)
    on_driver = whole_run_checks(config) & set(names)
    spread = [n for n in names if n not in on_driver]
    driver = None
    if on_driver:
        driver_errors: list[Problem] = []
        found, _, artifacts = run_check_list(
            [c for c in checks if c.name in on_driver], records, prepared.files, config, errors=driver_errors, **common
        )
        found = found.with_columns(
            pl.col("rule").replace_strict(_owners(), default=None, return_dtype=pl.String)
            .fill_null(pl.col("rule").str.split("/").list.first())
            .replace_strict({n: i for i, n in enumerate(names)}, default=-1, return_dtype=pl.Int32)
            .alias(_CHECK),
            pl.int_range(pl.len(), dtype=pl.Int64).alias(_SEQ),
        )
        driver = (found, [(_check_of(p, list(on_driver)), p) for p in driver_errors], artifacts)
    if not spread:
        out = pl.DataFrame(schema=_OUT_SCHEMA)
        plan = PartitionPlan((), None, ())
    else:
        with_reference = bool(REFERENCE_CHECKS & set(spread))
        pivot = coverage_pivot(config, prepared.source_locale) if with_reference else None
        plan = plan_partitions(records, prepared.source_locale, pivot, with_reference)
        spec = TaskSpec(
            config=config,
            source_locale=prepared.source_locale,
            select=tuple(prepared.select),
            ignore=tuple(prepared.ignore),
            checks=tuple((n, names.index(n)) for n in spread),
            files=prepared.files,
            schema=dict(records.schema),
            locales=frozenset(plan.locales),
            home=plan.home,
            cwd=os.getcwd(),
        )
        staging = _staging_dir()
        try:
            inputs, outputs = staging / "records", staging / "findings"
            inputs.mkdir()
            for i, frame in enumerate(partition_frames(records, plan)):
                frame.write_parquet(inputs / f"part-{i:05d}.parquet")
            if progress:
                progress("checks on ray", 0, 1)
            reducers = min(len(plan.locales), _cluster_cpus(ray))
            with quiet_data_context(ray):
                (
                    ray.data.read_parquet(str(inputs), partitioning=None)
                    .groupby(_PART, num_partitions=reducers)
                    .map_groups(check_partition, batch_format="pyarrow", fn_kwargs={"spec": spec})
                    .write_parquet(str(outputs))
                )
            if progress:
                progress("checks on ray", 1, 1)
            written = sorted(outputs.glob("*.parquet"))
            out = pl.read_parquet(written) if written else pl.DataFrame(schema=_OUT_SCHEMA)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    findings, artifacts = _merge(out, plan, names, driver, prepared.errors)
    return findings, names, artifacts


def run_on_ray(opts: RunOptions, config: Config, *, address: str | None = None) -> RunResult:
    """``engine.run`` with the checks on Ray: connect (or start Ray) first, so a wrong
    address fails before a long read, then prepare, check and finish as the local engine."""
    from locale_guard.distributed import ray_session

    with ray_session(address) as ray:
        prepared = prepare_run(opts, config)
        findings, checks_run, artifacts = check_on_ray(ray, prepared, config, progress=opts.progress)
    return finish_run(prepared, opts, config, findings, checks_run, artifacts)
