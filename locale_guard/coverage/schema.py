"""A dataset's label schema: which intents and slot types exist at all.

A slot type that is not in the schema (``dte`` for ``date``, ``palce_name``) is a labelling
slip that silently creates a new class the model has three examples of. The schema is data:
MASSIVE's ships with locale-guard (``massive_schema.yaml``); other datasets point
``[checks.coverage] schema`` at their own file of the same shape::

    name: My assistant
    intents: [alarm_set, alarm_query]
    slot-types: [time, date]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from locale_guard.config import ConfigError
from locale_guard.readers._yaml_safe import safe_load
from locale_guard.readers.base import InputError, read_text

MASSIVE_SCHEMA_PATH = Path(__file__).with_name("massive_schema.yaml")


@dataclass(frozen=True)
class LabelSchema:
    name: str
    intents: frozenset[str]
    slot_types: frozenset[str]
    #: True when it applies to every training record, False when only to MASSIVE files
    everywhere: bool = True


def _strings(data: dict, key: str, path: Path) -> frozenset[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{path}: '{key}' must be a list of names")
    return frozenset(v.strip() for v in value)


@lru_cache(maxsize=8)
def load_schema(path: Path) -> LabelSchema:
    """Read a schema file; a missing or malformed one is a config error naming the file."""
    try:
        data = safe_load(path, read_text(path, 4 * 1024 * 1024))
    except InputError as exc:
        raise ConfigError(f"[checks.coverage] schema: {exc.describe()}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a schema is a mapping with 'intents' and 'slot-types' lists")
    slot_types = _strings(data, "slot-types", path)
    if not slot_types:
        raise ConfigError(f"{path}: the schema lists no 'slot-types'")
    return LabelSchema(
        name=str(data.get("name") or path.stem),
        intents=_strings(data, "intents", path),
        slot_types=slot_types,
    )


def resolve_schema(setting: str, base: Path | None) -> LabelSchema | None:
    """The schema a ``schema`` setting names (``auto``, ``massive``, ``none`` or a path)."""
    lowered = setting.lower()
    if lowered == "none":
        return None
    if lowered in ("auto", "massive"):
        schema = load_schema(MASSIVE_SCHEMA_PATH)
        return LabelSchema(schema.name, schema.intents, schema.slot_types, everywhere=lowered == "massive")
    path = Path(setting).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return load_schema(path)
