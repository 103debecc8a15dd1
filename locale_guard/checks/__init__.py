"""Checks, one module per check, all with one signature: records + context → findings.

A check module defines ``CHECK = Check(...)`` (or ``CHECKS = [...]`` when one module holds
several). :func:`all_checks` finds them, so a new check is one new file in this folder.

The run function receives the whole record frame of a run (every locale at once, so checks
stay vectorised and can compare a target locale with its source) and a :class:`CheckContext`
that gives per-locale profiles, rule packs and configuration.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from locale_guard.config import Config
    from locale_guard.profiles import LocaleProfile


@dataclass(frozen=True)
class Rule:
    """One rule a check can report: id ``<check>/<name>``, default severity, what it means."""

    id: str
    severity: str
    summary: str
    help: str = ""


@dataclass
class CheckContext:
    """Everything a check may consult besides the records themselves."""

    config: Config
    #: the locale whose strings are the originals; None when the run has no source
    source_locale: str | None
    #: per input file: path, locale, catalog, format, records (count); lets checks name files
    files: pl.DataFrame
    #: extra state a check may want to share with reporters (coverage tables, ...)
    artifacts: dict[str, Any] = field(default_factory=dict)
    #: per-run memo shared by checks, so text processing (tokens, language ID) runs once per
    #: record however many checks use it; keys are owned by the module that fills them
    cache: dict[str, Any] = field(default_factory=dict)
    _profiles: dict[str, LocaleProfile] = field(default_factory=dict)

    def profile(self, locale: str) -> LocaleProfile:
        """The locale's profile (curated YAML where one exists, else derived from CLDR)."""
        if locale not in self._profiles:
            from locale_guard.profiles import load_profile

            self._profiles[locale] = load_profile(locale, self.config)
        return self._profiles[locale]

    def option(self, check: str, name: str, default: Any = None) -> Any:
        return self.config.check_option(check, name, default)


@dataclass(frozen=True)
class Check:
    name: str
    rules: tuple[Rule, ...]
    run: Callable[[pl.DataFrame, CheckContext], pl.DataFrame]
    description: str = ""
    #: checks that need a model or optional packages say so; they are skipped with a notice
    requires: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def all_checks() -> dict[str, Check]:
    """Every check in this package, keyed by name, in a stable order."""
    found: dict[str, Check] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        declared = getattr(module, "CHECKS", None) or [getattr(module, "CHECK", None)]
        for check in declared:
            if isinstance(check, Check):
                found[check.name] = check
    return dict(sorted(found.items()))


def all_rules() -> dict[str, Rule]:
    return {rule.id: rule for check in all_checks().values() for rule in check.rules}
