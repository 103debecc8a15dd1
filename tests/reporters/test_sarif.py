"""SARIF reporter: valid against the official 2.1.0 schema, and carrying what code scanning needs."""

from __future__ import annotations

import copy
import hashlib
import json
import math
from pathlib import Path
from typing import Any

import pytest
from _fixtures import (
    FINDING_ROWS,
    RULES,
    SCHEMA_PATH,
    full_result,
    is_uri,
    is_uri_reference,
    make_result,
    sarif_errors,
    sarif_schema,
)
from jsonschema import Draft7Validator

from locale_guard.reporters import RenderOptions, get_reporter, reporter_for_file
from locale_guard.reporters.sarif import FINGERPRINT_KEY, artifact_location, render

SCHEMA_SHA256_LF = "9f103f0a1fdc398edfe4dbae9091e04ff84abdc256e00270d48a44ee9061908e"


def _strict_loads(text: str) -> Any:
    """json.loads that refuses NaN/Infinity, which are not JSON."""

    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def _sarif(result) -> dict[str, Any]:
    return _strict_loads(render(result, RenderOptions()))


# ----------------------------------------------------------------------------- the schema file


def test_schema_file_is_the_official_draft7_sarif_210_schema() -> None:
    raw = SCHEMA_PATH.read_bytes()
    assert hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest() == SCHEMA_SHA256_LF
    schema = sarif_schema()
    assert "2.1.0" in schema["$id"]
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_uri_format_checks_used_by_the_validator() -> None:
    assert is_uri("https://json.schemastore.org/sarif-2.1.0.json")
    assert is_uri("file:///tmp/a%20b.json")
    assert not is_uri("locales/de.json")
    assert is_uri_reference("locales/de-DE.json")
    assert is_uri_reference("locales/weird%20dir/a%2Cb.json")
    assert not is_uri_reference("locales/with space.json")
    assert not is_uri_reference("bad%zzescape")
    assert not is_uri_reference("日本.json")


# ----------------------------------------------------------------------------- validity


def test_report_of_every_finding_shape_is_schema_valid() -> None:
    document = _sarif(full_result())
    assert sarif_errors(document) == []


def test_empty_report_is_schema_valid() -> None:
    document = _sarif(make_result([], checks_run=[]))
    assert sarif_errors(document) == []
    run = document["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["invocations"][0]["executionSuccessful"] is True


def _break_level(d: dict) -> None:
    d["runs"][0]["results"][0]["level"] = "fatal"


def _break_version(d: dict) -> None:
    d["version"] = "2.0.0"


def _drop_driver_name(d: dict) -> None:
    del d["runs"][0]["tool"]["driver"]["name"]


def _negative_rule_index(d: dict) -> None:
    d["runs"][0]["results"][0]["ruleIndex"] = -7


def _raw_space_in_uri(d: dict) -> None:
    d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b.json"


def _zero_start_line(d: dict) -> None:
    d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0


def _unknown_result_property(d: dict) -> None:
    d["runs"][0]["results"][0]["severity"] = "error"


def _message_without_text(d: dict) -> None:
    d["runs"][0]["results"][0]["message"] = {"markdown": "**x**"}


def _missing_execution_successful(d: dict) -> None:
    del d["runs"][0]["invocations"][0]["executionSuccessful"]


@pytest.mark.parametrize(
    "breakage",
    [
        _break_level,
        _break_version,
        _drop_driver_name,
        _negative_rule_index,
        _raw_space_in_uri,
        _zero_start_line,
        _unknown_result_property,
        _message_without_text,
        _missing_execution_successful,
    ],
)
def test_validation_rejects_broken_documents(breakage) -> None:
    """The validity tests above can fail: each deliberate breakage is caught."""
    document = _sarif(full_result())
    assert sarif_errors(document) == []
    broken = copy.deepcopy(document)
    breakage(broken)
    assert sarif_errors(broken), f"{breakage.__name__} was not detected"


# ----------------------------------------------------------------------------- content


def test_log_header_and_driver() -> None:
    result = full_result()
    document = _sarif(result)
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "locale-guard"
    assert driver["version"] == result.version
    assert driver["informationUri"].startswith("https://")


def test_rules_cover_every_rule_used_with_metadata_when_known() -> None:
    document = _sarif(full_result())
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted({row["rule"] for row in FINDING_ROWS})
    by_id = {r["id"]: r for r in rules}
    for rule_id, meta in RULES.items():
        assert by_id[rule_id]["shortDescription"]["text"] == meta.summary
    assert by_id["formality/informal-pronoun"]["defaultConfiguration"]["level"] == "error"
    assert by_id["coverage/missing-key"]["defaultConfiguration"]["level"] == "warning"
    # no metadata: no shortDescription, level from the finding (info -> note)
    assert "shortDescription" not in by_id["coverage/missing-locale"]
    assert by_id["coverage/missing-locale"]["defaultConfiguration"]["level"] == "note"


def test_one_result_per_finding_with_rule_index_level_and_fingerprint() -> None:
    result = full_result()
    run = _sarif(result)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == result.findings.height
    expected_level = {"error": "error", "warning": "warning", "info": "note"}
    for sarif_result, finding in zip(run["results"], result.findings.iter_rows(named=True), strict=True):
        assert sarif_result["ruleId"] == finding["rule"]
        assert rules[sarif_result["ruleIndex"]]["id"] == finding["rule"]
        assert sarif_result["level"] == expected_level[finding["severity"]]
        assert sarif_result["message"]["text"] == finding["message"]
        assert sarif_result["partialFingerprints"] == {FINGERPRINT_KEY: finding["fingerprint"]}


def _result_for(run: dict, rule: str, locale: str) -> dict:
    return next(
        r for r in run["results"] if r["ruleId"] == rule and r["properties"]["locale"] == locale
    )


def test_location_region_snippet_context_and_properties() -> None:
    run = _sarif(full_result())["runs"][0]
    first = _result_for(run, "formality/informal-pronoun", "de-DE")
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "locales/de-DE.json", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {
        "startLine": 3,
        "startColumn": 20,
        "endColumn": 23,
        "snippet": {"text": "dir"},
    }
    assert physical["contextRegion"] == {"startLine": 3, "snippet": {"text": "Hallo, wie geht es dir?"}}
    no_span = _result_for(run, "placeholders/missing", "de-DE")["locations"][0]["physicalLocation"]
    assert no_span["region"] == {"startLine": 7, "snippet": {"text": "Sie haben Artikel im Warenkorb"}}
    assert "contextRegion" not in no_span
    assert first["properties"] == {
        "locale": "de-DE",
        "key": "greeting.hello",
        "check": "formality",
        "source": "rule",
        "score": 0.97,
        "suggestion": "Ihnen",
        "evidence": ["dir"],
    }
    assert run["columnKind"] == "unicodeCodePoints"


def test_finding_without_line_has_no_region_and_without_path_no_location() -> None:
    run = _sarif(full_result())["runs"][0]
    missing = _result_for(run, "coverage/missing-key", "fr-FR")
    assert "region" not in missing["locations"][0]["physicalLocation"]
    no_file = _result_for(run, "coverage/missing-locale", "it-IT")
    assert "locations" not in no_file


def test_paths_are_percent_encoded_relative_uris() -> None:
    run = _sarif(full_result())["runs"][0]
    hostile = _result_for(run, "offensive/markup", "en-US")
    uri = hostile["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "locales/weird%20%3Cdir%3E/en-US%2Ca%3Ab.json"
    utterances = _result_for(run, "language/mixed-script", "fr-FR")
    assert utterances["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "data/utterances%20fr.jsonl"
    # the hostile text itself is carried verbatim (JSON escapes it)
    assert "<script>" in hostile["message"]["text"]
    assert hostile["properties"]["key"] == "k<script>\"'&]]>\x01"


def test_absolute_path_outside_the_working_directory_is_a_file_uri() -> None:
    outside = Path("/") / "srv" / "catalogs" / "de DE.json"
    location = artifact_location(str(outside))
    assert location == {"uri": "file:///srv/catalogs/de%20DE.json"}
    rows = [dict(FINDING_ROWS[0], path=str(outside))]
    document = _sarif(make_result(rows))
    assert sarif_errors(document) == []


def test_non_utf8_file_name_keeps_its_bytes() -> None:
    name = b"locales/caf\xe9.json".decode("utf-8", "surrogateescape")
    assert artifact_location(name)["uri"] == "locales/caf%E9.json"


def test_not_a_number_score_is_left_out_so_the_output_stays_json() -> None:
    rows = [dict(FINDING_ROWS[0], score=math.nan), dict(FINDING_ROWS[1], score=math.inf)]
    document = _sarif(make_result(rows))
    assert all("score" not in r["properties"] for r in document["runs"][0]["results"])
    assert sarif_errors(document) == []


def test_input_errors_are_error_notifications_and_fail_the_invocation() -> None:
    invocation = _sarif(full_result())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    errors = [n for n in notes if n["level"] == "error"]
    assert [n["message"]["text"] for n in errors] == [
        "invalid JSON: Expecting ',' delimiter <here> & \"there\"",
        "not UTF-8 at byte 17\nsecond line",
    ]
    first = errors[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"]["uri"] == "locales/broken.json"
    assert first["region"] == {"startLine": 3}
    assert [n["level"] for n in notes].count("warning") == 1


def test_each_result_is_one_line_and_the_rest_indented() -> None:
    result = full_result()
    text = render(result, RenderOptions())
    lines = text.splitlines()
    result_lines = [line for line in lines if line.lstrip().startswith('{"ruleId"')]
    assert len(result_lines) == result.findings.height
    assert all(line.startswith("        {") for line in result_lines)
    assert '      "results": [' in lines and "      ]," in lines
    assert render(make_result([], checks_run=[]), RenderOptions()).count('"results": []') == 1


def test_reporter_is_registered_for_sarif_files() -> None:
    reporter = get_reporter("sarif")
    assert reporter.render is render
    assert reporter_for_file("out/report.sarif") is reporter
    assert reporter_for_file("out/report.sarif.json") is reporter
