"""OVOS ``locale/<tag>/skill.json``: a skill's localized name, description and examples.

The generic JSON reader would treat the skill id and repository URL as translatable strings
and the example commands as responses. Here ``name`` and ``description`` are responses and
``examples`` are what users say (utterances); ids and URLs are skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from locale_guard.readers.base import InputError, Reader, ReadRequest, read_text
from locale_guard.readers.json_catalog import _LineFinder, parse_json
from locale_guard.records import records_from_rows

_RESPONSES = ("name", "description")


def sniff(path: Path, head: bytes) -> bool:
    return path.name == "skill.json" and b'"examples"' in head


def read(request: ReadRequest) -> pl.DataFrame:
    text = read_text(request.path, request.max_bytes)
    if not text.strip():
        return records_from_rows([], path=str(request.path))
    data = parse_json(request.path, text)
    if not isinstance(data, dict):
        raise InputError(request.path, "skill.json must be an object")
    lines = _LineFinder(text)
    rows: list[dict[str, Any]] = []
    for field in ("name", "description", "examples"):
        if field not in data:
            continue
        line = lines.line_of(field)
        value = data[field]
        if field in _RESPONSES and isinstance(value, str):
            rows.append({"key": f"skill.{field}", "text": value, "kind": "response", "line": line})
        elif field == "examples" and isinstance(value, list):
            for i, example in enumerate(value):
                if isinstance(example, str):
                    example_line = lines.line_of(example) or line
                    rows.append(
                        {"key": "skill.examples", "text": example, "variant": i, "kind": "utterance", "line": example_line}
                    )
    return records_from_rows(rows, path=str(request.path), locale=request.locale)


READER = Reader(
    name="ovos-skill-json",
    extensions=("skill.json",),
    read=read,
    sniff=sniff,
    priority=20,
    description="OVOS skill.json: name and description (responses), examples (utterances)",
)
