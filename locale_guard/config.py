"""Configuration: ``locale-guard.toml`` or ``[tool.locale-guard]`` in ``pyproject.toml``.

Looked up from the current folder upwards, like ruff does, so a monorepo can keep one file at
its root. Command-line flags override file settings. Example::

    source-locale = "en-US"
    select = ["placeholders", "coverage"]
    ignore = ["coverage/untranslated"]
    fail-on = "error"
    rule-paths = ["team-rules"]

    [severity]
    "placeholders/extra" = "error"

    [locales."de-DE"]
    register = "formal"

    [readers.csv]
    columns = { text = "utterance", locale = "lang" }

    [checks.coverage]
    pivot = "en-US"
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from locale_guard.findings import SEVERITY_RANK

CONFIG_NAMES = ("locale-guard.toml", ".locale-guard.toml")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    source_locale: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    severity: dict[str, str] = field(default_factory=dict)
    locales: dict[str, dict[str, Any]] = field(default_factory=dict)
    rule_paths: tuple[Path, ...] = ()
    #: extra folders of curated locale profiles (``<tag>.yaml``), searched before the bundled ones
    locales_paths: tuple[Path, ...] = ()
    readers: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    baseline: Path | None = None
    #: glob patterns (``**/node_modules/**``, ``package.json``) of files never read
    exclude: tuple[str, ...] = ()
    path: Path | None = None

    def excludes(self, file: Path) -> bool:
        """True when ``file`` matches an ``exclude`` pattern (by name or by path)."""
        if not self.exclude:
            return False
        posix = file.as_posix()
        return any(
            fnmatch.fnmatch(file.name, pat) or fnmatch.fnmatch(posix, pat) or fnmatch.fnmatch(posix, f"*/{pat}")
            for pat in self.exclude
        )

    def locale_setting(self, locale: str, name: str, default: Any = None) -> Any:
        """A per-locale setting, falling back from ``de-AT`` to ``de``."""
        for tag in (locale, locale.split("-", 1)[0]):
            if name in self.locales.get(tag, {}):
                return self.locales[tag][name]
        return default

    def check_option(self, check: str, name: str, default: Any = None) -> Any:
        return self.checks.get(check, {}).get(name, default)

    def with_overrides(self, **overrides: Any) -> Config:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _as_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: expected a list of strings")


def find_config(start: Path | None = None) -> Path | None:
    """The nearest config file from ``start`` upwards (pyproject only with our table)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
                continue
            if "locale-guard" in data.get("tool", {}):
                return pyproject
    return None


def load_config(
    path: Path | None = None, *, search: bool = True, start: Path | None = None
) -> Config:
    """Read a config file, or the nearest one above ``start`` (then the current folder)."""
    if path is None and search:
        path = (find_config(start) if start is not None else None) or find_config()
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("locale-guard", {})
    return parse_config(data, path)


_KNOWN_KEYS = {
    "source-locale", "select", "ignore", "fail-on", "severity", "locales", "rule-paths",
    "readers", "checks", "baseline", "exclude", "locales-paths",
}


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    where = str(path) if path else "config"
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN_KEYS))}")
    fail_on = data.get("fail-on", "error")
    if fail_on not in SEVERITY_RANK:
        raise ConfigError(f"{where}: fail-on must be one of error, warning, info, never")
    severity = data.get("severity", {})
    if not isinstance(severity, dict) or any(v not in ("error", "warning", "info", "off") for v in severity.values()):
        raise ConfigError(f"{where}: [severity] maps rule or check names to error|warning|info|off")
    locales = data.get("locales", {})
    if not isinstance(locales, dict) or not all(isinstance(v, dict) for v in locales.values()):
        raise ConfigError(f'{where}: [locales."TAG"] tables expected')
    for tag, settings in locales.items():
        register = settings.get("register")
        if register is not None and register not in ("formal", "informal", "any"):
            raise ConfigError(f'{where}: [locales."{tag}"] register must be formal, informal or any')
    base = path.parent if path else Path.cwd()
    rule_paths = tuple(base / p for p in _as_list(data.get("rule-paths"), f"{where}: rule-paths"))
    baseline = data.get("baseline")
    return Config(
        source_locale=data.get("source-locale"),
        select=_as_list(data.get("select"), f"{where}: select"),
        ignore=_as_list(data.get("ignore"), f"{where}: ignore"),
        fail_on=fail_on,
        severity=dict(severity),
        locales={k: dict(v) for k, v in locales.items()},
        rule_paths=rule_paths,
        locales_paths=tuple(
            base / p for p in _as_list(data.get("locales-paths"), f"{where}: locales-paths")
        ),
        readers={k: dict(v) for k, v in data.get("readers", {}).items()},
        checks={k: dict(v) for k, v in data.get("checks", {}).items()},
        baseline=(base / baseline) if baseline else None,
        exclude=_as_list(data.get("exclude"), f"{where}: exclude"),
        path=path,
    )
