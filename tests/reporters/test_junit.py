"""JUnit reporter: well-formed XML, one suite per check, one test case per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from _fixtures import FINDING_ROWS, HOSTILE, full_result, make_result

from locale_guard.engine import Problem
from locale_guard.reporters import RenderOptions, get_reporter, reporter_for_file
from locale_guard.reporters.junit import render, xml_text


def _tree(result) -> ET.Element:
    text = render(result, RenderOptions())
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def _suites(root: ET.Element) -> dict[str, ET.Element]:
    return {s.get("name"): s for s in root.findall("testsuite")}


def _case(root: ET.Element, suite: str, name_start: str) -> ET.Element:
    return next(c for c in _suites(root)[suite].findall("testcase") if c.get("name", "").startswith(name_start))


def test_one_suite_per_check_plus_input_suite() -> None:
    root = _tree(full_result())
    assert root.tag == "testsuites"
    assert list(_suites(root)) == [
        "coverage",
        "formality",
        "holidays",
        "language",
        "offensive",
        "placeholders",
        "input",
    ]


def test_counts_match_the_test_cases() -> None:
    result = full_result()
    root = _tree(result)
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
        assert int(suite.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
    failing = sum(1 for r in FINDING_ROWS if r["severity"] in ("error", "warning"))
    assert int(root.get("failures")) == failing == len(root.findall(".//failure"))
    assert int(root.get("skipped")) == len(FINDING_ROWS) - failing == len(root.findall(".//skipped"))
    assert int(root.get("errors")) == len(result.errors) == len(root.findall(".//error"))
    assert int(root.get("tests")) == len(root.findall(".//testcase"))


def test_error_and_warning_findings_are_failures_with_details() -> None:
    root = _tree(full_result())
    case = _case(root, "formality", "formality/informal-pronoun [de-DE]")
    assert case.get("classname") == "locales/de-DE.json"
    assert case.get("file") == "locales/de-DE.json" and case.get("line") == "3"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "informal 'dir' in a formal locale"
    assert failure.get("type") == "formality/informal-pronoun"
    body = failure.text or ""
    for expected in (
        "locale: de-DE",
        "key: greeting.hello",
        "line: 3",
        "text: Hallo, wie geht es dir?",
        "flagged: dir",
        "suggestion: Ihnen",
    ):
        assert expected in body
    warning = _case(root, "placeholders", "placeholders/missing")
    assert warning.find("failure") is not None and warning.find("skipped") is None


def test_info_findings_are_skipped_not_failed() -> None:
    root = _tree(full_result())
    case = _case(root, "language", "language/mixed-script")
    assert case.find("failure") is None
    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("message") == "looks like a different language"
    assert "text: Réserve une table pour deux" in (skipped.text or "")


def test_check_without_findings_passes_visibly() -> None:
    suite = _suites(_tree(full_result()))["holidays"]
    (case,) = suite.findall("testcase")
    assert case.get("name") == "no findings"
    assert list(case) == []


def test_missing_key_and_fileless_findings() -> None:
    root = _tree(full_result())
    missing = _case(root, "coverage", "coverage/missing-key")
    assert missing.get("line") is None
    assert missing.get("name") == "coverage/missing-key [fr-FR] cart.items"
    no_file = _case(root, "coverage", "coverage/missing-locale")
    assert no_file.get("file") is None and no_file.get("classname") == "locale-guard"


def test_input_errors_are_error_cases_and_notices_system_out() -> None:
    suite = _suites(_tree(full_result()))["input"]
    cases = suite.findall("testcase")
    assert [c.get("file") for c in cases] == ["locales/broken.json", "locales/bad.po"]
    error = cases[0].find("error")
    assert error is not None
    assert error.get("message") == "invalid JSON: Expecting ',' delimiter <here> & \"there\""
    assert error.get("type") == "InputError"
    # a newline in an attribute survives as &#10;, not as a space
    assert cases[1].find("error").get("message") == "not UTF-8 at byte 17\nsecond line"
    assert "pt_BR" in (suite.findtext("system-out") or "")


def test_hostile_text_is_escaped_and_illegal_characters_made_visible() -> None:
    text = render(full_result(), RenderOptions())
    assert "<script>" not in text and "]]>" not in text
    root = ET.fromstring(text.encode("utf-8"))
    case = _case(root, "offensive", "offensive/markup")
    failure = case.find("failure")
    message = failure.get("message")
    assert message.startswith("message <script>alert('x')</script> \"quoted\" & ]]> ctl:")
    assert "\\x00\\x01\\x08\\x0b\\x0c\\x1b" in message
    assert "\x00" not in message and "\x1b" not in message
    assert "suggestion: <b>bold</b> & \"fixed\" ]]>" in failure.text
    assert case.get("name") == "offensive/markup [en-US] k<script>\"'&]]>\\x01"


def test_xml_text_replaces_only_what_xml_cannot_hold() -> None:
    assert xml_text("tab\tnl\ncr\r ok é 😀 \u202e") == "tab\tnl\ncr\r ok é 😀 \u202e"
    assert xml_text("\x00\x1f\ud800\ufffe") == "\\x00\\x1f\\ud800\\ufffe"
    assert xml_text(None) == ""
    assert "\x00" in HOSTILE  # the fixture really exercises it


def test_fingerprint_is_a_property_of_each_finding_case() -> None:
    result = full_result()
    root = _tree(result)
    found = [p.get("value") for p in root.iter("property") if p.get("name") == "fingerprint"]
    assert sorted(found) == sorted(result.findings["fingerprint"].to_list())


def test_no_findings_no_errors() -> None:
    root = _tree(make_result([], checks_run=["formality"]))
    assert root.get("failures") == "0" and root.get("errors") == "0"
    assert [s.get("name") for s in root.findall("testsuite")] == ["formality"]


def test_errors_only() -> None:
    root = _tree(make_result([], errors=[Problem("x.json", "boom", 2)], checks_run=[]))
    assert root.get("errors") == "1"
    assert root.find("testsuite/testcase/error").get("message") == "boom"


def test_reporter_is_registered_for_xml_files() -> None:
    reporter = get_reporter("junit")
    assert reporter_for_file("report.junit.xml") is reporter
    assert reporter_for_file("report.xml") is reporter
