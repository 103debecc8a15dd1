"""Android string resources (``res/values*/strings.xml``): strings, plurals and string arrays.

* ``<string name="k">`` → key ``k``;
* ``<plurals name="k"><item quantity="few">`` → key ``k``, ``plural`` = the quantity (Android
  quantities are CLDR categories), ``variant`` = the item's index;
* ``<string-array name="k"><item>`` → key ``k``, ``variant`` = the item's index;
* ``translatable="false"`` resources and references (``@string/other``) are not text to check.

Text is what the app shows: Android's escapes are undone (``\\'`` ``\\"`` ``\\n`` ``\\t`` ``\\@``
``\\?`` ``\\\\`` ``\\uXXXX``), double quotes only protect whitespace and are dropped, unquoted
whitespace runs collapse to one space and are trimmed (as aapt2 does). Format specifiers
(``%1$s``) are kept verbatim; inline markup (``<b>``, ``<xliff:g>``) keeps its inner text and
loses its tags; CDATA sections are plain text.

Suppression: ``<!-- locale-guard: ignore[offensive] -->`` directly before a resource (other
comments may sit between them) suppresses those checks or rules for it.

Locale: the ``values-de-rDE`` folder (read by discovery). The default ``values`` folder holds
the app's source strings: its locale is ``tools:locale`` on ``<resources>`` when given, else
the run's source locale, else ``en``.
"""

from __future__ import annotations

import bisect
import codecs
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Comment, Element

import polars as pl

from locale_guard.readers.base import (
    InputError,
    Reader,
    ReadRequest,
    _guess_utf16_without_bom,
    read_text,
)
from locale_guard.readers.xliff import LineIndex, local_name, parse_xml
from locale_guard.records import records_from_rows
from locale_guard.tags import LocaleTagError, normalise_tag

TOOLS_NS = "{http://schemas.android.com/tools}"
_IGNORE = re.compile(r"locale-guard:\s*ignore\[([^\]]*)\]")
_ROOT_IS_RESOURCES = re.compile(
    # a DOCTYPE is allowed here so that hostile files are claimed, read and refused loudly
    r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)\s*)*<resources[\s>/]",
    re.S,
)
#: a DOCTYPE naming <resources> whose internal subset runs past the sniffed head (an entity
#: bomb padded to hide its root): claimed, so the reader refuses it out loud
_RESOURCES_DOCTYPE = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<!DOCTYPE\s+resources\b", re.S)
_FILE_NAME = re.compile(r"^strings.*\.xml$", re.I)
_REFERENCE = re.compile(r"^\s*[@?](?:\+)?(?:[\w.]+:)?[\w.]+/[\w.]+\s*$")
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")
_NAME_ATTR = re.compile(r"""\bname\s*=\s*(["'])(.*?)\1""", re.S)
#: ``en-rGB``: Android spells the region with an ``r`` in qualifiers and ``tools:locale``
_ANDROID_REGION = re.compile(r"-r([A-Za-z]{2})$")
_RESOURCE_KINDS = ("string", "plurals", "string-array")
_RESOURCE_TAG = re.compile(r"<(string|plurals|string-array)(?=[\s>/])([^>]*)>")
_ITEM_TAG = re.compile(r"<item(?=[\s>/])")


# ------------------------------------------------------------------------------ detection


def _decode_head(head: bytes) -> str | None:
    """The head as text, or None when it is not text at all (NUL bytes, binary noise)."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, errors="ignore")
    guessed = _guess_utf16_without_bom(head)
    if guessed:
        return head.decode(guessed, errors="ignore")
    if b"\x00" in head:
        return None
    return head.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="ignore")


def sniff(path: Path, head: bytes) -> bool:
    """An Android resource file: named ``strings*.xml`` or in a ``values*`` folder, root
    ``<resources>``. Layouts, manifests, XLIFF and other XML are left alone.

    A file in such a place that is not text at all (a corrupt or binary ``strings.xml``) is
    claimed too, so the reader reports it instead of the file being skipped in silence.
    """
    in_values = path.parent.name.startswith("values")
    if not (in_values or _FILE_NAME.match(path.name)):
        return False
    text = _decode_head(head)
    return text is None or bool(_ROOT_IS_RESOURCES.match(text) or _RESOURCES_DOCTYPE.match(text))


# ------------------------------------------------------------------------------ text


def _inner_text(el: Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag is not Comment:
            parts.append(_inner_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def android_unescape(raw: str) -> str:
    """The string an app gets from a resource value written as ``raw`` (aapt2's rules)."""
    out: list[str] = []
    quoted = False
    space = False
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == "\\" and i + 1 < len(raw):
            if space and out:
                out.append(" ")
            space = False
            nxt = raw[i + 1]
            if nxt == "u" and _HEX4.fullmatch(raw, i + 2, i + 6):
                out.append(chr(int(raw[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
            continue
        if c == '"':
            quoted = not quoted
            i += 1
            continue
        if not quoted and c in " \t\r\n":
            space = True
            i += 1
            continue
        if space and out:
            out.append(" ")
        space = False
        out.append(c)
        i += 1
    return "".join(out)


# ------------------------------------------------------------------------------ lines


class _Lines:
    """Lines of resources and their items: start tags found once, then taken in document order."""

    def __init__(self, text: str) -> None:
        self.index = LineIndex(text)
        self.resources: dict[tuple[str, str | None], list[int]] = {}
        for m in _RESOURCE_TAG.finditer(text):
            name = _NAME_ATTR.search(m.group(2))
            key = (m.group(1), html.unescape(name.group(2)) if name else None)
            self.resources.setdefault(key, []).append(m.start())
        self.items = [m.start() for m in _ITEM_TAG.finditer(text)]
        self.cursor = 0

    def _next(self, offsets: list[int]) -> int | None:
        at = bisect.bisect_left(offsets, self.cursor)
        if at == len(offsets):
            return None
        self.cursor = offsets[at] + 1
        return self.index.line(offsets[at])

    def resource(self, kind: str, name: str | None) -> int | None:
        return self._next(self.resources.get((kind, name), []))

    def item(self) -> int | None:
        return self._next(self.items)


# ------------------------------------------------------------------------------ reading


def _value(el: Element) -> str | None:
    """The app-visible text of an element, or None for a reference to another resource."""
    raw = _inner_text(el)
    if _REFERENCE.match(raw):
        return None
    return android_unescape(raw)


def _resources(root: Element, lines: _Lines) -> Iterator[dict[str, Any]]:
    pending: list[str] = []
    for el in root:
        if el.tag is Comment:
            for m in _IGNORE.finditer(el.text or ""):
                pending.extend(r.strip() for r in m.group(1).split(",") if r.strip())
            continue
        kind = local_name(el.tag)
        suppress, pending = pending, []
        if kind not in _RESOURCE_KINDS:
            continue
        name = el.get("name")
        line = lines.resource(kind, name)
        if el.get("translatable") == "false" or not name:
            continue
        base = {"key": name, "suppress": suppress}
        if kind == "string":
            text = _value(el)
            if text is not None:
                yield {**base, "text": text, "line": line, "variant": 0}
            continue
        items = [c for c in el if local_name(c.tag) == "item"]
        for index, item in enumerate(items):
            item_line = lines.item() or line
            text = _value(item)
            if text is None:
                continue
            row = {**base, "text": text, "line": item_line, "variant": index}
            if kind == "plurals":
                row["plural"] = item.get("quantity")
            yield row


def _default_locale(path: Path, root: Element, request: ReadRequest) -> str | None:
    if request.locale:
        return request.locale
    declared = root.get(f"{TOOLS_NS}locale")
    if declared:
        try:
            return normalise_tag(_ANDROID_REGION.sub(r"-\1", declared.strip())).tag
        except LocaleTagError as exc:
            raise InputError(path, f"tools:locale: {exc}") from None
    if path.parent.name == "values":
        return request.source_locale or "en"
    return None


def read(request: ReadRequest) -> pl.DataFrame:
    path = request.path
    text = read_text(path, request.max_bytes)
    if not text.strip():
        return records_from_rows([], path=str(path))
    root = parse_xml(path, text, comments=True)
    if local_name(root.tag) != "resources":
        raise InputError(
            path, f"not an Android string resource file: the root element is <{local_name(root.tag)}>"
        )
    rows = list(_resources(root, _Lines(text)))
    return records_from_rows(
        rows, path=str(path), locale=_default_locale(path, root, request), kind="response"
    )


READER = Reader(
    name="android",
    extensions=(".xml",),
    read=read,
    sniff=sniff,
    priority=0,
    description="Android string resources: strings, plurals, string arrays (values*/strings.xml)",
)
