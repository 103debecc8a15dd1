"""XLIFF 1.2 and 2.x (.xlf, .xliff): bilingual files give a target and a source record per unit.

Every ``<trans-unit>`` (1.2) or ``<unit>`` (2.x) gives

* a target record: locale from ``target-language`` (1.2) / ``trgLang`` (2.x), else the path;
  text = the target (empty, flagged ``untranslated``, when the unit has none); source_text =
  the source; flags = the ``state`` value(s) (``needs-translation``, ``initial``, ...);
* a source record: locale from ``source-language`` / ``srcLang`` (else the run's source
  locale), text = the source. It is left out when source and target locale are the same.

Keys are the unit ``id``; a file with several ``<file>`` elements prefixes it with the file's
``original`` (or its id): ``src/app.html#greeting``. Units marked ``translate="no"`` are skipped.

Inline codes become placeholders so that the placeholders check can compare source and target:

* standalone or paired *codes* become ``{name:id}``: 1.2 ``<x id="1"/>`` → ``{x:1}``, also
  ``<bx>``, ``<ex>``, ``<ph>``, ``<bpt>``, ``<ept>``, ``<it>``; 2.x ``<ph id="1"/>`` → ``{ph:1}``,
  ``<sc>``/``<ec>`` → ``{sc:1}``/``{ec:1}`` (``ec`` without ``id`` uses ``startRef``); the native
  code inside 1.2 ``<ph>``/``<bpt>``/… is dropped because it is markup, not language;
* *spans* keep their inner text and lose the tags: ``<g>``, ``<pc>``, ``<mrk>``;
* ``<cp hex="..."/>`` becomes the character, ``<sm/>``/``<em/>`` markers disappear.

Suppression: a ``<note>`` containing ``locale-guard: ignore[offensive]`` suppresses for the unit.

XML is parsed with defusedxml with DTDs forbidden, so entity bombs and external entities are
refused before anything is expanded or fetched. ElementTree has no line numbers; each unit's
line is found by scanning the text for its start tag in document order (exact for ordinary
files, best effort for exotic ones).
"""

from __future__ import annotations

import bisect
import contextlib
import html
import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import defusedxml.ElementTree as SafeET
import polars as pl
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from locale_guard.readers.base import InputError, Reader, ReadRequest, line_of_offset, read_text
from locale_guard.records import records_from_rows
from locale_guard.tags import LocaleTagError, normalise_tag

_CODES = frozenset({"x", "bx", "ex", "ph", "bpt", "ept", "it", "sc", "ec"})
_SPANS = frozenset({"g", "pc", "mrk"})
_MARKERS = frozenset({"sm", "em"})
_IGNORE = re.compile(r"locale-guard:\s*ignore\[([^\]]*)\]")
_UNIT_TAG = re.compile(r"<(?:[\w.-]+:)?(?:trans-unit|unit)(?=[\s/>])([^>]*)>")
_ID_ATTR = re.compile(r"""\bid\s*=\s*(["'])(.*?)\1""", re.S)


# ------------------------------------------------------------------------------ safe XML


def parse_xml(path: Path, text: str, *, comments: bool = False) -> Element:
    """Parse XML with DTDs and entities refused; errors become one-line :class:`InputError`.

    Shared with the Android reader, which asks for ``comments`` (they carry suppressions). The
    refusal message never quotes the declaration, so an external entity naming a local file
    cannot leak that file's path or content into reports.
    """
    try:
        parser = SafeET.DefusedXMLParser(
            target=TreeBuilder(insert_comments=comments), forbid_dtd=True
        )
        parser.feed(text)
        return parser.close()
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        found = text.find("<!DOCTYPE")
        raise InputError(
            path,
            "XML entities are not allowed: the file declares a DOCTYPE, which catalogs never need "
            "(refused so that entity bombs and external entities cannot be used)",
            line=line_of_offset(text, found) if found >= 0 else None,
        ) from None
    except DefusedXmlException:
        raise InputError(path, "unsafe XML construct refused") from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        reason = str(exc).split(": line ")[0]
        where = f" (column {column + 1})" if column is not None else ""
        raise InputError(path, f"invalid XML: {reason}{where}", line=line) from None


def local_name(tag: Any) -> str:
    """``{urn:...}trans-unit`` → ``trans-unit``; comments and PIs (non-str tags) → ``""``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(el: Element, name: str) -> list[Element]:
    return [c for c in el if local_name(c.tag) == name]


# ------------------------------------------------------------------------------ text


def inline_text(el: Element) -> str:
    """An XLIFF ``<source>``/``<target>`` as text with inline codes as ``{name:id}``."""
    parts = [el.text or ""]
    for child in el:
        name = local_name(child.tag)
        if name in _CODES:
            ref = child.get("id") or child.get("rid") or child.get("startRef") or ""
            parts.append(f"{{{name}:{ref}}}")
        elif name == "cp":
            with contextlib.suppress(ValueError, OverflowError):  # a bad code point is dropped
                parts.append(chr(int(child.get("hex", ""), 16)))
        elif name and name not in _MARKERS:
            parts.append(inline_text(child))  # spans and anything unknown: keep the words
        parts.append(child.tail or "")
    return "".join(parts)


def _suppressions(unit: Element) -> list[str]:
    found: list[str] = []
    for note in unit.iter():
        if local_name(note.tag) == "note":
            for m in _IGNORE.finditer("".join(note.itertext())):
                found.extend(r.strip() for r in m.group(1).split(",") if r.strip())
    return found


# ------------------------------------------------------------------------------ lines


class LineIndex:
    """Offset → 1-based line in O(log n), for readers that look up many offsets in big files."""

    def __init__(self, text: str) -> None:
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self.newlines, offset) + 1



class _Lines:
    """Line of each unit (and its source/target) by scanning the text in document order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = LineIndex(text)
        self.starts: list[int] = []
        self.by_id: dict[str | None, list[int]] = {}
        for m in _UNIT_TAG.finditer(text):
            self.by_id.setdefault(self._id(m.group(1)), []).append(len(self.starts))
            self.starts.append(m.start())
        self.cursor = 0

    @staticmethod
    def _id(attrs: str) -> str | None:
        m = _ID_ATTR.search(attrs)
        return html.unescape(m.group(2)) if m else None

    def unit(self, unit_id: str | None) -> tuple[int, int] | None:
        """(start, end) offsets of the next unit tag with this id, end = next unit's start."""
        indices = self.by_id.get(unit_id, [])
        at = bisect.bisect_left(indices, self.cursor)
        if at == len(indices):
            return None
        i = indices[at]
        self.cursor = i + 1
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        return self.starts[i], end

    def line_of(self, span: tuple[int, int] | None, element: str | None = None) -> int | None:
        if span is None:
            return None
        start, end = span
        if element:
            m = re.compile(rf"<(?:[\w.-]+:)?{element}[\s>]").search(self.text, start, end)
            if m:
                return self.index.line(m.start())
        return self.index.line(start)


# ------------------------------------------------------------------------------ reading


def _locale_attr(path: Path, text: str, value: str | None, attr: str) -> str | None:
    if not value or not value.strip():
        return None
    try:
        return normalise_tag(value.strip()).tag
    except LocaleTagError as exc:
        found = text.find(attr)
        raise InputError(
            path, f"{attr}: {exc}", line=line_of_offset(text, found) if found >= 0 else None
        ) from None


def _run_source_locale(tag: str) -> str | None:
    """The configured source locale, canonical; a bad one is the config's error, not the file's."""
    try:
        return normalise_tag(tag).tag
    except LocaleTagError:
        return None


def _units_12(file_el: Element) -> list[tuple[Element, str, str | None, list[str]]]:
    """(unit, source text, target text or None, states) for each translatable 1.2 unit."""
    out = []
    for unit in file_el.iter():
        if local_name(unit.tag) != "trans-unit" or unit.get("translate") == "no":
            continue
        sources = children(unit, "source")
        targets = children(unit, "target")
        source = inline_text(sources[0]) if sources else ""
        target = inline_text(targets[0]) if targets else None
        states = [s for t in targets[:1] if (s := t.get("state"))]
        out.append((unit, source, target, states))
    return out


def _units_2(file_el: Element) -> list[tuple[Element, str, str | None, list[str]]]:
    """The same for 2.x: a unit's segments and ignorables are joined in order."""
    out = []
    for unit in file_el.iter():
        if local_name(unit.tag) != "unit" or unit.get("translate") == "no":
            continue
        source_parts: list[str] = []
        target_parts: list[str] = []
        has_target = False
        states: list[str] = []
        for part in unit:
            kind = local_name(part.tag)
            if kind not in ("segment", "ignorable"):
                continue
            src = children(part, "source")
            tgt = children(part, "target")
            src_text = inline_text(src[0]) if src else ""
            source_parts.append(src_text)
            if tgt:
                has_target = has_target or kind == "segment"
                target_parts.append(inline_text(tgt[0]))
            else:
                target_parts.append(src_text if kind == "ignorable" else "")
            state = part.get("state")
            if kind == "segment" and state and state not in states:
                states.append(state)
        target = "".join(target_parts) if has_target else None
        out.append((unit, "".join(source_parts), target, states))
    return out


def read(request: ReadRequest) -> pl.DataFrame:
    path = request.path
    text = read_text(path, request.max_bytes)
    if not text.strip():
        return records_from_rows([], path=str(path))
    root = parse_xml(path, text)
    if local_name(root.tag) != "xliff":
        raise InputError(path, f"not an XLIFF file: the root element is <{local_name(root.tag)}>")
    version2 = (root.get("version") or "").startswith("2") or ":document:2" in root.tag
    files = children(root, "file")
    lines = _Lines(text)
    rows: list[dict[str, Any]] = []
    for index, file_el in enumerate(files):
        if version2:
            src_attr, tgt_attr = root.get("srcLang"), root.get("trgLang")
            src_name, tgt_name = "srcLang", "trgLang"
            units = _units_2(file_el)
        else:
            src_attr, tgt_attr = file_el.get("source-language"), file_el.get("target-language")
            src_name, tgt_name = "source-language", "target-language"
            units = _units_12(file_el)
        source_locale = _locale_attr(path, text, src_attr, src_name)
        declared_target = _locale_attr(path, text, tgt_attr, tgt_name)
        target_locale = declared_target or request.locale
        if source_locale is None and request.source_locale:
            source_locale = _run_source_locale(request.source_locale)
        prefix = ""
        if len(files) > 1:
            prefix = f"{file_el.get('original') or file_el.get('id') or index}#"
        for ordinal, (unit, source, target, states) in enumerate(units):
            unit_id = unit.get("id")
            key = prefix + (unit_id if unit_id is not None else f"#{ordinal}")
            span = lines.unit(unit_id)
            suppress = _suppressions(unit)
            if target is not None or declared_target:
                rows.append({
                    "key": key, "locale": target_locale, "text": target or "", "source_text": source,
                    "line": lines.line_of(span, "target" if target is not None else None),
                    "flags": states + ([] if target else ["untranslated"]), "suppress": suppress,
                })
            if source_locale is not None and source_locale != target_locale:
                rows.append({
                    "key": key, "locale": source_locale, "text": source,
                    "line": lines.line_of(span, "source"), "suppress": suppress,
                })
    return records_from_rows(rows, path=str(path), kind="response", variant=0)


READER = Reader(
    name="xliff",
    extensions=(".xlf", ".xliff"),
    read=read,
    priority=0,
    description="XLIFF 1.2 and 2.x bilingual files (target and source records, inline codes)",
)
