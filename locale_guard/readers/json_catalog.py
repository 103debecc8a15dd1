"""JSON response catalogs: flat or nested key → string, arrays of variants, i18next layout.

``{"greeting": {"morning": "Guten Morgen"}}`` gives key ``greeting.morning``; an array gives
one record per variant; ``{"de": {"translation": {...}}}`` (i18next) takes the locale from the
top-level key. ``"x-locale-guard-ignore": "offensive"`` inside an object suppresses those
checks or rules for every string in that object; a mapping
``{"x-locale-guard-ignore": {"greeting": "offensive"}}`` suppresses them for one key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from locale_guard.readers.base import InputError, Reader, ReadRequest, line_of_offset, read_text
from locale_guard.records import records_from_rows
from locale_guard.tags import LocaleTagError, looks_like_tag, normalise_tag

IGNORE_KEY = "x-locale-guard-ignore"
_SKIP_PREFIXES = ("$", "@", "_")


def parse_json(path: Path, text: str) -> Any:
    """``json.loads`` with the error turned into a line-numbered :class:`InputError`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    except RecursionError:
        raise InputError(path, "JSON nested too deeply to be a catalog") from None


def split_ignore(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


class _LineFinder:
    """Finds the line of each key in document order by scanning forward through the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        # newlines are counted once, forward from the last key found (not from the start for
        # every key: that was quadratic, 16 s for ten 5,000-key files)
        self._counted_to = 0
        self._line = 1

    def line_of(self, key: str) -> int | None:
        needle = json.dumps(key, ensure_ascii=False)
        found = self.text.find(needle, self.pos)
        if found < 0:
            needle = json.dumps(key)
            found = self.text.find(needle, self.pos)
        if found < 0:
            return None
        self.pos = found + len(needle)
        if found < self._counted_to:  # not reached while scanning forward; kept for safety
            return line_of_offset(self.text, found)
        self._line += self.text.count("\n", self._counted_to, found)
        self._counted_to = found
        return self._line


def _walk(
    node: Any, prefix: str, suppress: list[str], lines: _LineFinder
) -> Iterator[dict[str, Any]]:
    if not isinstance(node, dict):
        return
    local_ignore = node.get(IGNORE_KEY)
    inherited = suppress + (split_ignore(local_ignore) if not isinstance(local_ignore, dict) else [])
    per_key = local_ignore if isinstance(local_ignore, dict) else {}
    for raw_key, value in node.items():
        if not isinstance(raw_key, str) or raw_key == IGNORE_KEY or raw_key.startswith(_SKIP_PREFIXES):
            continue
        key = f"{prefix}.{raw_key}" if prefix else raw_key
        line = lines.line_of(raw_key)
        here = inherited + split_ignore(per_key.get(raw_key))
        if isinstance(value, str):
            yield {"key": key, "text": value, "line": line, "variant": 0, "suppress": here}
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    yield {"key": key, "text": item, "line": line, "variant": i, "suppress": here}
        elif isinstance(value, dict):
            yield from _walk(value, key, here, lines)


def _i18next_locales(data: Any) -> dict[str, Any] | None:
    """``{"de": {"translation": {...}}}`` → ``{"de": {...namespaces...}}``, else None."""
    if not isinstance(data, dict) or not data:
        return None
    out: dict[str, Any] = {}
    for key, value in data.items():
        if not (isinstance(key, str) and looks_like_tag(key) and isinstance(value, dict)):
            return None
        if not value or not all(isinstance(ns, dict) for ns in value.values()):
            return None
        try:
            out[normalise_tag(key).tag] = value
        except LocaleTagError:
            return None
    return out


def read(request: ReadRequest) -> pl.DataFrame:
    text = read_text(request.path, request.max_bytes)
    if not text.strip():
        return records_from_rows([], path=str(request.path))
    data = parse_json(request.path, text)
    if not isinstance(data, dict):
        raise InputError(request.path, "a JSON catalog must be an object of key → string")
    rows: list[dict[str, Any]] = []
    by_locale = _i18next_locales(data)
    lines = _LineFinder(text)
    if by_locale is not None:
        for locale, namespaces in by_locale.items():
            for ns, tree in namespaces.items():
                prefix = "" if ns == "translation" else ns
                for row in _walk(tree, prefix, [], lines):
                    rows.append({**row, "locale": locale})
    else:
        rows.extend(_walk(data, "", [], lines))
    return records_from_rows(
        rows, path=str(request.path), locale=request.locale, kind="response"
    )


READER = Reader(
    name="json",
    extensions=(".json",),
    read=read,
    priority=0,
    description="JSON catalogs: nested key → string, arrays of variants, i18next",
)
