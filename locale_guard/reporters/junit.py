"""JUnit XML report, for the test-report views of GitLab, Jenkins, Azure DevOps and GitHub actions
that publish test results.

Layout, chosen for how those views render it:

* one ``<testsuite>`` per check (``formality``, ``placeholders`` ...), including checks that ran
  and found nothing: those get a single passing ``<testcase name="no findings">`` so the view
  shows the check as passed rather than as an empty suite;
* one ``<testcase>`` per finding, not per (file, rule) group: every CI view lists test cases one
  per row with their own message, so a finding per row is what a reviewer can act on, and a
  group would hide all but its first message. ``classname`` is the file (views group by it),
  ``name`` is ``rule [locale] key-or-line``, and ``file`` (GitLab shows it) and ``line``
  attributes, as pytest writes them, point at the source;
* error and warning findings are ``<failure message=... type=rule>`` with a body giving rule,
  severity, locale, key, place, text, suggestion and fingerprint;
* info findings are ``<skipped>`` with the same details: they must not fail a pipeline, and a
  skipped count stays visible in every view, whereas a passing test case with ``<system-out>`` is
  shown nowhere unless someone opens it;
* inputs that could not be read are ``<error>`` test cases in a suite named ``input``; notices
  (a locale tag read another way) go to that suite's ``<system-out>``.

The fingerprint is also a ``<property name="fingerprint">`` of the test case, so tools can match
a test case to a baseline entry. XML is built with ElementTree (which escapes ``<``, ``&``,
quotes and newlines in attributes); characters XML 1.0 cannot carry at all (most C0 controls,
lone surrogates, U+FFFE/U+FFFF) are replaced by a visible ``\\xNN``/``\\uNNNN`` escape first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from locale_guard.findings import relpath
from locale_guard.reporters import RenderOptions, Reporter

if TYPE_CHECKING:
    from locale_guard.engine import RunResult

_ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FAILING = ("error", "warning")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_text(value: Any) -> str:
    """``value`` as text XML 1.0 can hold: illegal characters become visible escapes."""
    if value is None:
        return ""
    return _ILLEGAL_XML.sub(_visible, str(value))


def _place(row: dict[str, Any]) -> str:
    path = row["relpath"] or "<no file>"
    if row.get("line"):
        path += f":{row['line']}"
        if row.get("column"):
            path += f":{row['column']}"
    return path


def _details(row: dict[str, Any]) -> str:
    lines = [
        f"rule: {row.get('rule')}",
        f"severity: {row.get('severity')}",
        f"locale: {row.get('locale') or '-'}",
        f"key: {row.get('key') or '-'}",
        f"line: {row.get('line') or '-'}",
        f"at: {_place(row)}",
    ]
    if row.get("text") is not None:
        lines.append(f"text: {row['text']}")
        span = row.get("span")
        if span and span.get("start") is not None and span.get("end") is not None:
            lines.append(f"flagged: {row['text'][span['start'] : span['end']]}")
    if row.get("suggestion"):
        lines.append(f"suggestion: {row['suggestion']}")
    if row.get("score") is not None:
        lines.append(f"score: {row['score']:.3f}")
    if row.get("fingerprint"):
        lines.append(f"fingerprint: {row['fingerprint']}")
    return xml_text("\n".join(lines))


def _case_name(row: dict[str, Any]) -> str:
    where = row.get("key") or (f"line {row['line']}" if row.get("line") else "")
    locale = f" [{row['locale']}]" if row.get("locale") else ""
    return xml_text(f"{row.get('rule')}{locale} {where}".strip())


def _testcase(suite: ET.Element, row: dict[str, Any]) -> None:
    path = row["relpath"]
    attrs = {"classname": xml_text(path or "locale-guard"), "name": _case_name(row), "time": "0"}
    if path:
        attrs["file"] = xml_text(path)
    if row.get("line"):
        attrs["line"] = str(row["line"])
    case = ET.SubElement(suite, "testcase", attrs)
    if row.get("fingerprint"):
        props = ET.SubElement(case, "properties")
        ET.SubElement(props, "property", {"name": "fingerprint", "value": xml_text(row["fingerprint"])})
    message = xml_text(row.get("message") or row.get("rule"))
    tag = "failure" if row.get("severity") in FAILING else "skipped"
    outcome = ET.SubElement(case, tag, {"message": message, "type": xml_text(row.get("rule"))})
    outcome.text = _details(row)


def _suite(root: ET.Element, name: str, rows: list[dict[str, Any]]) -> None:
    failures = sum(1 for r in rows if r.get("severity") in FAILING)
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": xml_text(name),
            "tests": str(max(1, len(rows))),
            "failures": str(failures),
            "errors": "0",
            "skipped": str(len(rows) - failures),
            "time": "0",
        },
    )
    if not rows:
        ET.SubElement(suite, "testcase", {"classname": "locale-guard", "name": "no findings", "time": "0"})
    for row in rows:
        _testcase(suite, row)


def _input_suite(root: ET.Element, result: RunResult, rel: Callable[[str], str]) -> None:
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": "input",
            "tests": str(len(result.errors)),
            "failures": "0",
            "errors": str(len(result.errors)),
            "skipped": "0",
            "time": "0",
        },
    )
    for problem in result.errors:
        path = rel(problem.path) if problem.path else ""
        attrs = {"classname": xml_text(path or "locale-guard"), "name": xml_text(f"read {path}"), "time": "0"}
        if path:
            attrs["file"] = xml_text(path)
        if problem.line:
            attrs["line"] = str(problem.line)
        case = ET.SubElement(suite, "testcase", attrs)
        error = ET.SubElement(case, "error", {"message": xml_text(problem.message), "type": "InputError"})
        error.text = xml_text(problem.describe())
    if result.warnings:
        out = ET.SubElement(suite, "system-out")
        out.text = xml_text("\n".join(f"warning: {w.describe()}" for w in result.warnings))


def junit_tree(result: RunResult) -> ET.Element:
    """The ``<testsuites>`` element (what :func:`render` serialises)."""
    rel = cache(relpath)  # once per file: resolving a path costs system calls
    by_check: dict[str, list[dict[str, Any]]] = {name: [] for name in result.checks_run}
    for row in result.findings.iter_rows(named=True):
        row["relpath"] = rel(row["path"]) if row.get("path") else ""
        check = row.get("check") or (row.get("rule") or "unknown").split("/", 1)[0]
        by_check.setdefault(check, []).append(row)
    total = sum(len(rows) for rows in by_check.values())
    failures = sum(1 for rows in by_check.values() for r in rows if r.get("severity") in FAILING)
    root = ET.Element(
        "testsuites",
        {
            "name": "locale-guard",
            "tests": str(sum(max(1, len(rows)) for rows in by_check.values()) + len(result.errors)),
            "failures": str(failures),
            "errors": str(len(result.errors)),
            "skipped": str(total - failures),
            "time": f"{result.seconds:.3f}",
        },
    )
    for name in sorted(by_check):
        _suite(root, name, by_check[name])
    if result.errors or result.warnings:
        _input_suite(root, result, rel)
    return root


def render(result: RunResult, options: RenderOptions) -> str:
    root = junit_tree(result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


REPORTER = Reporter(
    name="junit",
    extensions=(".junit.xml", ".xml"),
    render=render,
    description="JUnit XML (GitLab, Jenkins, Azure DevOps test reports)",
)
