"""OVOS / Mycroft skill resources: ``locale/<tag>/`` folders of plain-text line files.

* ``.dialog`` — what the assistant says: one response variant per line, kind ``response``.
* ``.intent`` — Padatious training sentences: one utterance per line, kind ``utterance``,
  ``intent`` = file stem. Nothing is expanded: ``(a|b)`` alternatives stay in the text, and each
  ``{entity}`` reference becomes a slot ``{type: entity, value: null, start, end}`` over the
  braces.
* ``.voc`` — Adapt vocabulary: one utterance per ``|``-separated alternative (each alternative
  is a word or phrase users say on its own), flag ``vocabulary``, intent null.
* ``.entity`` — Padatious entity values: one utterance per line (``(a|b)`` kept, as in
  ``.intent``), flag ``entity``, intent null.

Every record's ``key`` is the file's path below the locale folder without its extension
(``dialog/current/current-temperature-local``), so the same file in two locales pairs up;
``variant`` counts the records of a file from 0 and ``line`` is the file line. Blank lines and
``#`` comment lines are skipped, and an empty file gives no records (the engine's per-file
table still lists it, which is how the coverage check finds it). The files carry no locale of
their own: the engine takes it from the ``locale/de-de/`` folder or ``--locale``. Files with
other extensions (``.rx`` regexes, extension-less leftovers) are not claimed by this reader.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import Any

import polars as pl

from locale_guard.discovery import locale_from_path
from locale_guard.readers.base import Reader, ReadRequest, read_text
from locale_guard.records import records_from_rows

_ENTITY_REF = re.compile(r"\{([^{}\s]+)\}")

KINDS_BY_EXTENSION = {
    ".dialog": "response",
    ".intent": "utterance",
    ".voc": "utterance",
    ".entity": "utterance",
}


def resource_key(path: Path) -> str:
    """``locale/de-de/dialog/x/y.dialog`` → ``dialog/x/y``; the stem when no folder names a locale.

    Only folders are asked for the locale (file stems such as ``no.voc`` or ``is_fog.intent``
    are resource names here, not tags), using the engine's own rule, so keys match for the
    ``locale/<tag>/`` layout and the older Mycroft ``dialog/<tag>/`` one alike.
    """
    parts = PurePath(locale_from_path(path.parent).catalog).parts
    if "{locale}" not in parts:
        return path.stem
    below = parts[parts.index("{locale}") + 1 :]
    return PurePath(*below, path.stem).as_posix()


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-blank, non-comment lines, stripped, with their 1-based line numbers."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            out.append((number, stripped))
    return out


def _entity_slots(text: str) -> list[dict[str, Any]]:
    return [
        {"type": m.group(1), "value": None, "start": m.start(), "end": m.end()}
        for m in _ENTITY_REF.finditer(text)
    ]


def read(request: ReadRequest) -> pl.DataFrame:
    path = request.path
    ext = path.suffix.lower()
    kind = KINDS_BY_EXTENSION.get(ext, "response")
    key = resource_key(path)
    rows: list[dict[str, Any]] = []
    for number, line in _lines(read_text(path, request.max_bytes)):
        if ext == ".voc":
            for alternative in line.split("|"):
                if alternative.strip():
                    rows.append({"text": alternative.strip(), "line": number, "flags": ["vocabulary"]})
        elif ext == ".intent":
            rows.append({"text": line, "line": number, "intent": path.stem, "slots": _entity_slots(line)})
        elif ext == ".entity":
            rows.append({"text": line, "line": number, "flags": ["entity"]})
        else:
            rows.append({"text": line, "line": number})
    for variant, row in enumerate(rows):
        row["variant"] = variant
    return records_from_rows(rows, path=str(path), locale=request.locale, kind=kind, key=key)


READER = Reader(
    name="ovos",
    extensions=tuple(KINDS_BY_EXTENSION),
    read=read,
    priority=0,
    description="OVOS/Mycroft skill files (.dialog responses, .intent, .voc, .entity)",
)
