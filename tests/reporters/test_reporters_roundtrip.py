"""Reporters agree with each other, survive the JSON round trip, and hold up under any Unicode."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any

from _fixtures import ALLOWED_TAGS, Page, full_result, make_result, parse_workflow_command, sarif_errors
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locale_guard.engine import Problem
from locale_guard.findings import findings_from_json
from locale_guard.reporters import RenderOptions, github, html, json_report, junit, sarif

OPTIONS = RenderOptions()


def _sarif(result) -> dict[str, Any]:
    return json.loads(sarif.render(result, OPTIONS))


def _sarif_fingerprints(document: dict[str, Any]) -> list[str]:
    return [r["partialFingerprints"]["localeGuard/v1"] for r in document["runs"][0]["results"]]


def _junit(result) -> ET.Element:
    return ET.fromstring(junit.render(result, OPTIONS).encode("utf-8"))


def _junit_fingerprints(root: ET.Element) -> list[str]:
    return [p.get("value") for p in root.iter("property") if p.get("name") == "fingerprint"]


def test_json_report_round_trip_keeps_results_and_fingerprints() -> None:
    original = full_result()
    report = json_report.render(original, OPTIONS)
    restored = replace(original, findings=findings_from_json(report))
    assert restored.findings.height == original.findings.height

    before, after = _sarif(original), _sarif(restored)
    assert len(after["runs"][0]["results"]) == len(before["runs"][0]["results"]) == original.findings.height
    assert _sarif_fingerprints(after) == _sarif_fingerprints(before) == original.findings["fingerprint"].to_list()
    assert after["runs"][0]["results"] == before["runs"][0]["results"]
    assert sarif_errors(after) == []

    jb, ja = _junit(original), _junit(restored)
    assert len(ja.findall(".//failure")) == len(jb.findall(".//failure")) == 5
    assert len(ja.findall(".//skipped")) == len(jb.findall(".//skipped")) == 3
    assert sorted(_junit_fingerprints(ja)) == sorted(_junit_fingerprints(jb))
    assert sorted(_junit_fingerprints(ja)) == sorted(original.findings["fingerprint"].to_list())


def test_reporters_count_the_same_findings() -> None:
    result = full_result()
    n = result.findings.height
    assert len(_sarif(result)["runs"][0]["results"]) == n
    root = _junit(result)
    assert len(root.findall(".//failure")) + len(root.findall(".//skipped")) == n
    lines = github.render(result, OPTIONS).splitlines()
    assert len(lines) == n + len(result.errors) + len(result.warnings) + 1
    page = Page()
    page.feed(html.render(result, OPTIONS))
    assert sum(1 for tag, attrs in page.elements if tag == "tr" and "data-severity" in attrs) == n


# ----------------------------------------------------------------------------- any Unicode

_text = st.text(max_size=40)
_maybe_text = st.none() | _text


@st.composite
def finding_rows(draw: st.DrawFn) -> dict[str, Any]:
    text = draw(_maybe_text)
    span = None
    if text is not None and draw(st.booleans()):
        start = draw(st.integers(-3, len(text) + 3))
        span = {"start": start, "end": draw(st.integers(start, len(text) + 5))}
    return {
        "rule": draw(st.sampled_from(["formality/x", "placeholders/missing", "coverage/missing-key"]) | _text),
        "severity": draw(st.sampled_from(["error", "warning", "info"])),
        "locale": draw(st.none() | st.sampled_from(["ar-SA", "he", "de-DE", "fa-IR"]) | _text),
        "path": draw(st.none() | st.sampled_from(["locales/de.json", "a b/c#d?.json"]) | _text),
        "line": draw(st.none() | st.integers(0, 2**31 - 1)),
        "column": draw(st.none() | st.integers(0, 10_000)),
        "key": draw(_maybe_text),
        "text": text,
        "span": span,
        "message": draw(_maybe_text),
        "suggestion": draw(_maybe_text),
        "source": draw(st.sampled_from(["rule", "model"])),
        "score": draw(st.none() | st.floats()),
        "evidence": draw(st.lists(_text, max_size=2)),
    }


problems = st.builds(Problem, path=_text, message=_text, line=st.none() | st.integers(0, 10**6))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(finding_rows(), max_size=6), errors=st.lists(problems, max_size=2))
def test_any_unicode_keeps_every_report_well_formed(rows: list[dict[str, Any]], errors: list[Problem]) -> None:
    result = make_result(rows, errors=errors, warnings=errors[:1])
    n = result.findings.height

    # SARIF: strict JSON, schema-valid, one result per finding
    text = sarif.render(result, OPTIONS)
    document = json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    assert sarif_errors(document) == []
    assert len(document["runs"][0]["results"]) == n
    assert document["runs"][0]["invocations"][0]["executionSuccessful"] is (not errors)

    # JUnit: parses, a failure per error/warning finding, an error per unreadable input
    root = _junit(result)
    failing = sum(1 for r in rows if r["severity"] in ("error", "warning"))
    assert len(root.findall(".//failure")) == failing
    assert len(root.findall(".//skipped")) == n - failing
    assert len(root.findall(".//error")) == len(errors)

    # GitHub: exactly one line per command, no raw CR/LF inside, each parses back
    out = github.render(result, OPTIONS)
    assert "\r" not in out
    lines = out.split("\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    assert len(lines) == n + len(errors) + min(1, len(errors)) + 1
    for line in lines[:-1]:
        name, props, _ = parse_workflow_command(line)
        assert name in ("error", "warning", "notice")
        assert set(props) <= {"file", "line", "col", "endColumn", "title"}
    assert lines[-1].startswith("locale-guard: ")

    # HTML: one script (ours), no element that came from the data
    page = Page()
    page.feed(html.render(result, OPTIONS))
    page.close()
    assert len(page.scripts) == 1
    assert sum(1 for tag, attrs in page.elements if tag == "tr" and "data-severity" in attrs) == n
    assert {tag for tag, _ in page.elements} <= ALLOWED_TAGS
