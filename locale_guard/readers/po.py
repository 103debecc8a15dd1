"""gettext catalogs (.po, .pot) through polib: one record per message and plural form.

* key: ``msgid``, or ``msgctxt + "\\x04" + msgid`` when a context is given (gettext's own
  separator, so keys match what ``pgettext`` looks up);
* text: ``msgstr``; plural messages give one record per ``msgstr[i]`` with ``variant = i`` and
  ``plural`` set to the CLDR category of index ``i`` in the file's locale;
* source_text: ``msgid`` (``msgid_plural`` for plural indices above 0), so checks can compare
  with the original even when the source locale is not among the inputs;
* flags: the entry's flags (``fuzzy``, ``python-format``, ...) plus ``untranslated`` for an
  empty ``msgstr``; obsolete (``#~``) entries are skipped;
* suppression: ``locale-guard: ignore[rule,...]`` in a translator comment (``#``) or in an
  extracted comment (``#.``, which is where a developer's source comment ends up).

A ``.pot`` template has no translations: its records are the source strings (text = msgid) in
the run's source locale (``en`` when none is configured).

Which gettext plural index is which CLDR category is not written anywhere in a PO file. We
derive it from Babel: evaluate the file's ``Plural-Forms`` expression (or Babel's expression
for the locale when the header has none or a broken one) over sample numbers and give each
index the CLDR category most of its numbers fall in. Indices that no integer reaches (Polish
``nplurals=4`` keeps index 3 for fractions) take the locale's unused categories in CLDR order.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import polib
from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from locale_guard.readers.base import InputError, Reader, ReadRequest, read_text
from locale_guard.records import records_from_rows
from locale_guard.tags import LocaleTagError, babel_identifier, normalise_tag

CONTEXT_SEPARATOR = "\x04"
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
_IGNORE = re.compile(r"locale-guard:\s*ignore\[([^\]]*)\]")
_POLIB_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")
_PLURAL_EXPR = re.compile(r"plural\s*=\s*([^;]+)")
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
#: numbers whose plural index and category decide the mapping (enough for every CLDR rule)
_SAMPLES = (*range(0, 1000), 1000, 1001, 10_000, 100_000, 1_000_000, 1_000_001, 10_000_000)


def _babel_locale(locale: str) -> Locale | None:
    for ident in (babel_identifier(locale), locale.split("-", 1)[0]):
        try:
            return Locale.parse(ident)
        except (UnknownLocaleError, ValueError):
            continue
    return None


def _compile(expr: str | None) -> Callable[[int], int] | None:
    if not expr:
        return None
    try:
        func = gettext.c2py(expr.strip())
        func(1)
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError, TypeError):
        return None
    return func


@lru_cache(maxsize=256)
def plural_categories(locale: str | None, plural_forms: str | None, count: int) -> tuple[str | None, ...]:
    """CLDR category of each gettext plural index ``0..count-1`` for ``locale``.

    ``plural_forms`` is the PO header's ``Plural-Forms`` value, used when it parses.
    """
    if locale is None or count <= 0:
        return (None,) * max(count, 0)
    babel_locale = _babel_locale(locale)
    if babel_locale is None:
        return (None,) * count
    rule = babel_locale.plural_form
    categories = [c for c in CLDR_ORDER if c in rule.tags or c == "other"]
    header_expr = _PLURAL_EXPR.search(plural_forms or "")
    func = _compile(header_expr.group(1) if header_expr else None)
    if func is None:
        try:
            func = _compile(get_plural(babel_identifier(locale)).plural_expr)
        except (UnknownLocaleError, ValueError):
            func = None
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    if func is not None:
        try:
            for n in _SAMPLES:
                votes[int(func(n))][rule(n)] += 1
        except (ZeroDivisionError, ValueError, TypeError):
            votes.clear()
    mapping: dict[int, str | None] = {
        i: votes[i].most_common(1)[0][0] for i in range(count) if votes.get(i)
    }
    unused = [c for c in categories if c not in mapping.values()]
    for i in range(count):
        if i not in mapping:
            mapping[i] = unused.pop(0) if unused else None
    return tuple(mapping[i] for i in range(count))


def _suppressions(entry: polib.POEntry) -> list[str]:
    found: list[str] = []
    for comment in (entry.tcomment, entry.comment):
        for m in _IGNORE.finditer(comment or ""):
            found.extend(r.strip() for r in m.group(1).split(",") if r.strip())
    return found


#: a line that carries a quoted string must end with its closing quote; polib would otherwise
#: drop the last character of ``msgstr "unterminated`` without a word (a truncated file)
_STRING_LINE = re.compile(r'(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"(?:[^"\\]|\\.)*"\s*')


def _check_strings(path: Path, text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if stripped.startswith(("msg", '"')) and not _STRING_LINE.fullmatch(stripped):
            raise InputError(path, "invalid PO file: unterminated or malformed string", line=number)


def _parse(path: Path, text: str) -> polib.POFile:
    _check_strings(path, text)
    # polib treats a string naming an existing file as a path; content always has a newline
    content = text if "\n" in text else text + "\n"
    try:
        return polib.pofile(content, encoding="utf-8")
    except (OSError, ValueError) as exc:
        m = _POLIB_LINE.search(str(exc))
        detail = m.group(2) if m and m.group(2) else "syntax error"
        raise InputError(path, f"invalid PO file: {detail}", line=int(m.group(1)) if m else None) from None


def _header_locale(path: Path, text: str, po: polib.POFile) -> str | None:
    raw = (po.metadata.get("Language") or "").strip()
    if not raw:
        return None
    try:
        return normalise_tag(raw).tag
    except LocaleTagError as exc:
        found = text.find("Language:")
        line = text.count("\n", 0, found) + 1 if found >= 0 else None
        raise InputError(path, f"PO header Language: {exc}", line=line) from None


def _plural_count(po: polib.POFile) -> int:
    declared = _NPLURALS.search(po.metadata.get("Plural-Forms", ""))
    used = max((max(e.msgstr_plural) + 1 for e in po if e.msgstr_plural), default=0)
    return max(int(declared.group(1)) if declared else 0, used, 2)


def _key(entry: polib.POEntry) -> str:
    if entry.msgctxt is not None:
        return f"{entry.msgctxt}{CONTEXT_SEPARATOR}{entry.msgid}"
    return entry.msgid


def _translation_rows(po: polib.POFile, categories: tuple[str | None, ...]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for entry in po:
        if entry.obsolete:
            continue
        base = {
            "key": _key(entry),
            "line": entry.linenum,
            "suppress": _suppressions(entry),
        }
        flags = list(entry.flags)
        if entry.msgid_plural:
            for index in sorted(entry.msgstr_plural):
                text = entry.msgstr_plural[index]
                rows.append({
                    **base,
                    "text": text,
                    "variant": index,
                    "plural": categories[index] if index < len(categories) else None,
                    "source_text": entry.msgid if index == 0 else entry.msgid_plural,
                    "flags": flags + ([] if text else ["untranslated"]),
                })
        else:
            rows.append({
                **base,
                "text": entry.msgstr,
                "variant": 0,
                "source_text": entry.msgid,
                "flags": flags + ([] if entry.msgstr else ["untranslated"]),
            })
    return rows


def _template_rows(po: polib.POFile, categories: tuple[str | None, ...]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for entry in po:
        if entry.obsolete:
            continue
        base = {"key": _key(entry), "line": entry.linenum, "suppress": _suppressions(entry),
                "flags": list(entry.flags)}
        if entry.msgid_plural:
            rows.append({**base, "text": entry.msgid, "variant": 0, "plural": categories[0]})
            rows.append({**base, "text": entry.msgid_plural, "variant": 1, "plural": categories[1]})
        else:
            rows.append({**base, "text": entry.msgid, "variant": 0})
    return rows


def _source_locale(request: ReadRequest) -> str:
    raw = request.source_locale or "en"
    try:
        return normalise_tag(raw).tag
    except LocaleTagError:
        return raw


def read(request: ReadRequest) -> pl.DataFrame:
    path = request.path
    text = read_text(path, request.max_bytes)
    if not text.strip():
        return records_from_rows([], path=str(path))
    po = _parse(path, text)
    plural_forms = po.metadata.get("Plural-Forms")
    if path.name.lower().endswith(".pot"):
        locale: str | None = _source_locale(request)
        rows = _template_rows(po, plural_categories(locale, None, 2))
    else:
        locale = request.locale or _header_locale(path, text, po)
        rows = _translation_rows(po, plural_categories(locale, plural_forms, _plural_count(po)))
    return records_from_rows(rows, path=str(path), locale=locale, kind="response")


READER = Reader(
    name="po",
    extensions=(".po", ".pot"),
    read=read,
    priority=0,
    description="gettext PO/POT catalogs (polib): contexts, plural forms, fuzzy flags",
)
