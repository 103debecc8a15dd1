"""Shared helpers of the reporter tests.

* :func:`make_result` / :func:`full_result`: a RunResult with findings of every shape the reporters
  must cope with, built from ``findings_from_rows`` + ``with_fingerprints`` (not by running
  checks), so reporter tests do not depend on any check's behaviour;
* :func:`sarif_errors`: validation against the official SARIF 2.1.0 schema in ``tests/data``;
* :func:`parse_workflow_command` and :class:`Page`: read GitHub and HTML reports back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polars as pl
from jsonschema import Draft7Validator, FormatChecker

from locale_guard.checks import Rule
from locale_guard.engine import FILE_SCHEMA, Problem, RunResult
from locale_guard.findings import findings_from_rows, with_fingerprints
from locale_guard.records import records_from_rows

HOSTILE = "<script>alert('x')</script> \"quoted\" & ]]> ctl:\x00\x01\x08\x0b\x0c\x1b\x7f\x85 crlf:\r\nend"
ARABIC = "مرحبا بك، كيف حالك؟"
HEBREW = "שלום, מה שלומך?"

RULES = {
    "formality/informal-pronoun": Rule(
        "formality/informal-pronoun", "error", "Informal pronoun in a formal locale", "Use Sie, not du."
    ),
    "placeholders/missing": Rule("placeholders/missing", "error", "Placeholder missing from the translation"),
    "coverage/missing-key": Rule("coverage/missing-key", "warning", "Key missing from a locale"),
    # offensive/* and language/* rules are deliberately absent: reporters must not need metadata
}

FINDING_ROWS: list[dict[str, Any]] = [
    {  # everything known: span, line, key, suggestion, score
        "rule": "formality/informal-pronoun",
        "severity": "error",
        "locale": "de-DE",
        "path": "locales/de-DE.json",
        "line": 3,
        "key": "greeting.hello",
        "record_id": "r1",
        "text": "Hallo, wie geht es dir?",
        "span": {"start": 19, "end": 22},
        "message": "informal 'dir' in a formal locale",
        "suggestion": "Ihnen",
        "source": "rule",
        "score": 0.97,
        "evidence": ["dir"],
    },
    {  # no span, no suggestion, no score
        "rule": "placeholders/missing",
        "severity": "warning",
        "locale": "de-DE",
        "path": "locales/de-DE.json",
        "line": 7,
        "key": "cart.items",
        "text": "Sie haben Artikel im Warenkorb",
        "message": "placeholder {count} is missing",
    },
    {  # info, model source, utterance without key
        "rule": "language/mixed-script",
        "severity": "info",
        "locale": "fr-FR",
        "path": "data/utterances fr.jsonl",
        "line": 12,
        "text": "Réserve une table pour deux",
        "span": {"start": 0, "end": 7},
        "message": "looks like a different language",
        "source": "model",
        "score": 0.61,
    },
    {  # a key missing from a locale: no line, no span, no text
        "rule": "coverage/missing-key",
        "severity": "warning",
        "locale": "fr-FR",
        "path": "locales/fr-FR.json",
        "key": "cart.items",
        "message": "key 'cart.items' is missing (present in en-US)",
    },
    {  # right-to-left text with a span
        "rule": "offensive/slur",
        "severity": "error",
        "locale": "ar-SA",
        "path": "locales/ar-SA.json",
        "line": 2,
        "key": "greeting.hello",
        "text": ARABIC,
        "span": {"start": 0, "end": 5},
        "message": "flagged term «مرحبا»",
    },
    {
        "rule": "formality/informal-pronoun",
        "severity": "info",
        "locale": "he-IL",
        "path": "locales/he-IL.json",
        "line": 2,
        "key": "greeting.hello",
        "text": HEBREW,
        "span": {"start": 6, "end": 8},
        "message": "informal address",
    },
    {  # hostile content everywhere a string goes
        "rule": "offensive/markup",
        "severity": "error",
        "locale": "en-US",
        "path": "locales/weird <dir>/en-US,a:b.json",
        "line": 1,
        "column": 2,
        "key": "k<script>\"'&]]>\x01",
        "text": HOSTILE,
        "span": {"start": 0, "end": 8},
        "message": "message " + HOSTILE,
        "suggestion": "<b>bold</b> & \"fixed\" ]]>",
    },
    {  # a finding with no file at all
        "rule": "coverage/missing-locale",
        "severity": "info",
        "locale": "it-IT",
        "message": "locale it-IT has no catalog",
    },
]


def make_result(
    rows: Iterable[Mapping[str, Any]] = FINDING_ROWS,
    *,
    errors: list[Problem] | None = None,
    warnings: list[Problem] | None = None,
    rules: dict[str, Rule] | None = None,
    checks_run: list[str] | None = None,
) -> RunResult:
    """A RunResult around ``rows`` (finding dicts), fingerprinted like the engine does."""
    findings = with_fingerprints(findings_from_rows(rows)).with_columns(
        pl.col("check").fill_null(pl.col("rule").str.split("/").list.first())
    )
    paths = sorted({p for p in findings["path"].to_list() if p})
    records = records_from_rows(
        [
            {"locale": r["locale"], "text": r["text"] or "", "path": r["path"], "line": r["line"], "kind": "response"}
            for r in findings.iter_rows(named=True)
            if r["locale"]
        ]
    )
    files = pl.DataFrame(
        [{"path": p, "locale": None, "catalog": None, "root": None, "format": "json", "records": 1} for p in paths],
        schema=FILE_SCHEMA,
    )
    return RunResult(
        findings=findings,
        records=records,
        files=files,
        errors=errors if errors is not None else [],
        warnings=warnings if warnings is not None else [],
        rules=RULES if rules is None else rules,
        checks_run=checks_run if checks_run is not None else ["coverage", "formality", "placeholders"],
    )


def full_result() -> RunResult:
    """The fixture findings plus unreadable inputs and a notice."""
    return make_result(
        errors=[
            Problem("locales/broken.json", "invalid JSON: Expecting ',' delimiter <here> & \"there\"", 3),
            Problem("locales/bad.po", "not UTF-8 at byte 17\nsecond line"),
        ],
        warnings=[Problem("locales/pt_BR.json", "locale 'pt_BR' read as 'pt-BR' (underscore)")],
        checks_run=["coverage", "formality", "holidays", "language", "offensive", "placeholders"],
    )


# ----------------------------------------------------------------------------- SARIF validation

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json"

# RFC 3986 characters: unreserved, reserved (gen- and sub-delims) and "%" for percent-encoding.
_URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def is_uri_reference(value: object) -> bool:
    """RFC 3986 URI-reference syntax (jsonschema checks the format only with extra packages)."""
    if not isinstance(value, str):
        return True
    return bool(_URI_CHARS.fullmatch(value)) and not _BAD_PERCENT.search(value) and value.count("#") <= 1


def is_uri(value: object) -> bool:
    """An absolute URI: a URI-reference that starts with a scheme."""
    if not isinstance(value, str):
        return True
    return is_uri_reference(value) and bool(_SCHEME.match(value))


def sarif_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def sarif_validator() -> Draft7Validator:
    """A validator for the official schema that also checks ``uri``/``uri-reference`` formats."""
    checker = FormatChecker()
    checker.checks("uri")(is_uri)
    checker.checks("uri-reference")(is_uri_reference)
    return Draft7Validator(sarif_schema(), format_checker=checker)


def sarif_errors(document: Any) -> list[str]:
    """Every schema violation in ``document``, as ``path: message`` lines (empty when valid)."""
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in sarif_validator().iter_errors(document)
    ]


# ----------------------------------------------------------------------------- parsing reports

COMMAND = re.compile(r"::(?P<name>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>.*)")


def _unescape_data(value: str) -> str:
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(value: str) -> str:
    return _unescape_data(value.replace("%3A", ":").replace("%2C", ","))


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse a workflow command the way the runner does (actions/runner ActionCommand)."""
    match = COMMAND.fullmatch(line)
    assert match, f"not a workflow command: {line!r}"
    props: dict[str, str] = {}
    for pair in (match["props"] or "").split(","):
        if pair:
            key, _, value = pair.partition("=")
            props[key] = _unescape_property(value)
    return match["name"], props, _unescape_data(match["message"])


#: every element the HTML reporter writes; anything else would have come from the data
ALLOWED_TAGS = frozenset(
    {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "div", "table",
        "caption", "tr", "th", "td", "main", "ul", "li", "label", "input", "select", "option", "span",
        "section", "colgroup", "col", "thead", "tbody", "mark", "script",
    }
)  # fmt: skip


class Page(HTMLParser):
    """Collects what the tests look at: elements, script bodies, and text cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.cells: list[dict] = []  # td.text cells: attrs, text, marked
        self._in_script = False
        self._cell: dict | None = None
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        elif tag == "td" and attributes.get("class") == "text":
            self._cell = {"attrs": attributes, "text": "", "marked": ""}
        elif tag == "mark":
            self._in_mark = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        elif tag == "td" and self._cell is not None:
            self.cells.append(self._cell)
            self._cell = None
        elif tag == "mark":
            self._in_mark = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        if self._cell is not None:
            self._cell["text"] += data
            if self._in_mark:
                self._cell["marked"] += data
