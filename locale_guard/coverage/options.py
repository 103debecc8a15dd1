"""The thresholds of the coverage analysis, read once from ``[checks.coverage]``.

Every number that decides whether a gap is reported lives here with its default, so the
documentation (docs/COVERAGE.md), the check and the ``coverage`` command agree, and a typo in
the config is one clear :class:`~locale_guard.config.ConfigError` instead of a silent default.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from locale_guard.config import Config, ConfigError
from locale_guard.tags import LocaleTagError, normalise_tag

DEFAULT_PIVOT = "en-US"

#: option name in the config → (dataclass field, kind); kinds are checked by :func:`_coerce`
_OPTIONS: dict[str, tuple[str, str]] = {
    "pivot": ("pivot", "tag"),
    "schema": ("schema", "str"),
    "min-examples": ("min_examples", "count"),
    "thin-ratio": ("thin_ratio", "fraction"),
    "missing-slot-min": ("missing_slot_min", "count"),
    "imbalance-threshold": ("imbalance_threshold", "fraction"),
    "imbalance-drivers": ("imbalance_drivers", "count"),
    "train-partitions": ("train_partitions", "strings"),
    "test-partitions": ("test_partitions", "strings"),
    "diversity-n": ("diversity_n", "count"),
    "diversity-ratio": ("diversity_ratio", "positive"),
    "diversity-min-examples": ("diversity_min_examples", "count"),
    "diversity-sample": ("diversity_sample", "count"),
    "diversity-median-min-intents": ("diversity_median_min_intents", "count"),
    "variant-ratio": ("variant_ratio", "fraction"),
    "report-gaps": ("report_gaps", "count"),
    "report-records": ("report_records", "count"),
}

#: options of ``[checks.coverage]`` that belong to the catalog rules (checks/coverage.py)
_CATALOG_OPTIONS = {"brand-names"}


@dataclass(frozen=True)
class CoverageOptions:
    """Thresholds and limits; see docs/COVERAGE.md for what each one means."""

    #: the locale every other locale is compared with
    pivot: str = DEFAULT_PIVOT
    #: ``auto`` (the bundled MASSIVE schema, for records read by the MASSIVE reader), ``massive``
    #: (that schema for all training data), ``none``, or a path to a schema YAML file
    schema: str = "auto"
    min_examples: int = 10
    thin_ratio: float = 0.8
    missing_slot_min: int = 1
    #: Jensen–Shannon divergence in bits (0 = same intent mix, 1 = disjoint)
    imbalance_threshold: float = 0.01
    imbalance_drivers: int = 3
    train_partitions: tuple[str, ...] = ("train",)
    test_partitions: tuple[str, ...] = ("test",)
    diversity_n: int = 2
    diversity_ratio: float = 0.5
    diversity_min_examples: int = 20
    diversity_sample: int = 300
    diversity_median_min_intents: int = 5
    variant_ratio: float = 0.5
    report_gaps: int = 300
    report_records: int = 20
    #: folder that relative paths (``schema``) are resolved against: the config file's folder
    base: Path | None = None


def _coerce(name: str, kind: str, value: Any) -> Any:
    where = f"[checks.coverage] {name}"
    if kind == "tag":
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a locale tag such as \"en-US\"")
        try:
            return normalise_tag(value).tag
        except LocaleTagError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    if kind == "str":
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where} must be a non-empty string")
        return value.strip()
    if kind == "strings":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{where} must be a non-empty list of partition names")
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where} must be a number, not {value!r}")
    if kind == "count":
        if value != int(value) or value < 1:
            raise ConfigError(f"{where} must be a whole number of at least 1, not {value!r}")
        return int(value)
    if kind == "fraction" and not 0 <= value <= 1:
        raise ConfigError(f"{where} must be between 0 and 1, not {value!r}")
    if kind == "positive" and value <= 0:
        raise ConfigError(f"{where} must be above 0, not {value!r}")
    return float(value)


def coverage_options(config: Config, source_locale: str | None = None) -> CoverageOptions:
    """The options of ``config``; the pivot falls back to the run's source locale, then en-US."""
    raw = dict(config.checks.get("coverage", {}))
    unknown = sorted(set(raw) - set(_OPTIONS) - _CATALOG_OPTIONS)
    if unknown:
        raise ConfigError(
            f"[checks.coverage]: unknown option(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(set(_OPTIONS) | _CATALOG_OPTIONS))}"
        )
    values: dict[str, Any] = {
        field: _coerce(name, kind, raw[name]) for name, (field, kind) in _OPTIONS.items() if name in raw
    }
    if "pivot" not in values and source_locale:
        try:
            values["pivot"] = normalise_tag(source_locale).tag
        except LocaleTagError:
            values["pivot"] = source_locale
    overlap = set(values.get("train_partitions", ("train",))) & set(values.get("test_partitions", ("test",)))
    if overlap:
        raise ConfigError(
            f"[checks.coverage] train-partitions and test-partitions share {', '.join(sorted(overlap))}"
        )
    values["base"] = config.path.parent if config.path else None
    return CoverageOptions(**values)


def defaults() -> dict[str, Any]:
    """Option name → default value, as documented."""
    by_field = {f.name: f.default for f in fields(CoverageOptions)}
    return {name: by_field[field] for name, (field, _) in _OPTIONS.items()}
