"""Flutter Application Resource Bundles (.arb): flat JSON of ICU messages plus metadata.

``{"@@locale": "de", "greeting": "Hallo {name}", "@greeting": {"description": "...",
"placeholders": {"name": {}}}}`` gives one record, key ``greeting``, locale ``de``. Keys that
start with ``@`` are metadata, never text: ``@@locale`` names the locale of the file (it wins
over the file name, since it is what Flutter's tooling uses), ``@key`` describes ``key``.
``"x-locale-guard-ignore": "offensive"`` (a string or a list) inside ``@key`` suppresses those
checks or rules for that message; at the top level (``"@@x-locale-guard-ignore"``) it applies
to every message of the file. ICU plural/select messages stay one string: the placeholders
check parses ICU itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import polars as pl

from locale_guard.readers.base import InputError, Reader, ReadRequest, read_text
from locale_guard.readers.json_catalog import parse_json, split_ignore
from locale_guard.records import records_from_rows
from locale_guard.tags import LocaleTagError, normalise_tag

IGNORE_KEY = "x-locale-guard-ignore"
_COLON = re.compile(r"\s*:")


class _KeyLines:
    """Line of each top-level key: the next ``"key":`` after the previous one, in file order.

    Lines are counted incrementally from the previous match, so a big file costs one pass.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def line_of(self, key: str) -> int | None:
        for needle in dict.fromkeys((json.dumps(key, ensure_ascii=False), json.dumps(key))):
            start = self.text.find(needle, self.pos)
            while start >= 0:
                colon = _COLON.match(self.text, start + len(needle))
                if colon:
                    line = self.line + self.text.count("\n", self.pos, start)
                    self.line = line + self.text.count("\n", start, colon.end())
                    self.pos = colon.end()
                    return line
                start = self.text.find(needle, start + 1)
        return None


def _file_locale(path: Path, text: str, data: dict[str, Any]) -> str | None:
    raw = data.get("@@locale")
    if raw is None:
        return None
    line = _KeyLines(text).line_of("@@locale")
    if not isinstance(raw, str):
        raise InputError(path, "@@locale must be a string such as \"de\" or \"pt_BR\"", line=line)
    try:
        return normalise_tag(raw).tag
    except LocaleTagError as exc:
        raise InputError(path, f"@@locale: {exc}", line=line) from None


def read(request: ReadRequest) -> pl.DataFrame:
    path = request.path
    text = read_text(path, request.max_bytes)
    if not text.strip():
        return records_from_rows([], path=str(path))
    data = parse_json(path, text)
    if not isinstance(data, dict):
        raise InputError(path, "an ARB file must be a JSON object of message id → ICU message")
    lines = _KeyLines(text)
    locale = _file_locale(path, text, data) or request.locale
    everywhere = split_ignore(data.get(f"@@{IGNORE_KEY}"))
    rows: list[dict[str, Any]] = []
    for key, value in data.items():
        line = lines.line_of(key)
        if key.startswith("@"):
            continue
        if not isinstance(value, str):
            raise InputError(
                path, f"message '{key}' must be a string, not {type(value).__name__}", line=line
            )
        meta = data.get(f"@{key}")
        own = split_ignore(meta.get(IGNORE_KEY)) if isinstance(meta, dict) else []
        rows.append({
            "key": key, "text": value, "line": line, "variant": 0, "suppress": everywhere + own,
        })
    return records_from_rows(rows, path=str(path), locale=locale, kind="response")


READER = Reader(
    name="arb",
    extensions=(".arb",),
    read=read,
    priority=10,
    description="Flutter ARB files: ICU messages, @@locale, @key metadata",
)
