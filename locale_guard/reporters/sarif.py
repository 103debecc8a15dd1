"""SARIF 2.1.0 report, for GitHub code scanning, GitLab, Azure DevOps and SARIF viewers.

One run, one result per finding. Choices worth knowing:

* Paths are relative to the working directory and marked ``uriBaseId: %SRCROOT%`` (what code
  scanning expects when the tool runs at the repository root); paths outside it become absolute
  ``file://`` URIs. Paths are percent-encoded, since a URI may not hold spaces or ``#``.
* ``startColumn`` counts Unicode code points (``run.columnKind``) within the flagged string, which
  is what a finding's ``column`` is; ``region`` is left out when the line is unknown (a key missing
  from a locale has no line), which SARIF allows. The region's snippet is the flagged span and a
  ``contextRegion`` carries the whole string; without a span the region's snippet is the string.
* ``partialFingerprints["localeGuard/v1"]`` is the finding fingerprint, so code scanning keeps an
  alert's identity when lines move, exactly as ``--baseline`` does.
* No ``fixes``: a SARIF fix replaces a region of the *file*, and a finding's span is an offset in
  the decoded string value (escapes, quoting and plural markup sit between the two), so a fix
  computed from it could corrupt the file. The suggestion is in ``properties.suggestion``.
* Inputs that could not be read are ``toolExecutionNotifications`` of level ``error`` and make
  ``executionSuccessful`` false; notices (a locale tag read another way) are level ``warning``.
"""

from __future__ import annotations

import json
import math
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import polars as pl

from locale_guard.findings import relpath
from locale_guard.reporters import RenderOptions, Reporter

if TYPE_CHECKING:
    from locale_guard.checks import Rule
    from locale_guard.engine import Problem, RunResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/locale-guard/locale-guard"
FINGERPRINT_KEY = "localeGuard/v1"
SRCROOT = "%SRCROOT%"

#: finding severity -> SARIF level (SARIF has no "info"; "note" is its advisory level)
LEVELS = {"error": "error", "warning": "warning", "info": "note", "off": "none", "never": "none"}


def artifact_location(path: str) -> dict[str, str]:
    """A SARIF ``artifactLocation`` for a finding's path.

    Relative paths are percent-encoded (keeping ``/``) and anchored at ``%SRCROOT%``; a path that
    does not lie under the working directory stays absolute as a ``file://`` URI, because a
    ``../`` URI against ``%SRCROOT%`` would point outside the repository that code scanning shows.
    """
    rel = relpath(path)
    if Path(rel).is_absolute():
        return {"uri": Path(rel).as_uri()}
    # surrogateescape: a file name that is not valid UTF-8 keeps its original bytes
    return {"uri": quote(rel.encode("utf-8", "surrogateescape"), safe="/"), "uriBaseId": SRCROOT}


def _level(severity: str | None) -> str:
    return LEVELS.get(severity or "", "warning")


def _finite(value: Any) -> Any:
    """JSON has no NaN or infinity; a score that is not a number is better left out."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _rule_descriptor(rule_id: str, rule: Rule | None, fallback_severity: str | None) -> dict[str, Any]:
    descriptor: dict[str, Any] = {"id": rule_id, "name": rule_id.replace("/", ".")}
    if rule is not None and rule.summary:
        descriptor["shortDescription"] = {"text": rule.summary}
    if rule is not None and rule.help:
        descriptor["fullDescription"] = {"text": rule.help}
        descriptor["help"] = {"text": rule.help}
    severity = rule.severity if rule is not None else fallback_severity
    descriptor["defaultConfiguration"] = {"level": _level(severity)}
    descriptor["properties"] = {"tags": ["localization", rule_id.split("/", 1)[0]]}
    return descriptor


def _regions(row: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The ``region`` and, when only part of the string is flagged, its ``contextRegion``.

    A snippet is the content of its region: the flagged span for the region, the whole string
    for the context region around it (the line), so viewers show both.
    """
    line = row.get("line")
    if not line or line < 1:
        return None, None
    region: dict[str, Any] = {"startLine": int(line)}
    text = row.get("text")
    span = row.get("span")
    flagged = None
    if text is not None and span and span.get("start") is not None and span.get("end") is not None:
        flagged = text[max(0, int(span["start"])) : max(0, int(span["end"]))] or None
    column = row.get("column")
    if column and column >= 1:
        region["startColumn"] = int(column)
        if flagged is not None:
            region["endColumn"] = int(column) + len(flagged)
    if flagged is not None:
        region["snippet"] = {"text": flagged}
        return region, {"startLine": int(line), "snippet": {"text": text}}
    if text is not None:
        region["snippet"] = {"text": text}
    return region, None


def _result(row: dict[str, Any], rule_index: int, locations: dict[str, dict[str, str]]) -> dict[str, Any]:
    message = row.get("message") or row["rule"]
    result: dict[str, Any] = {
        "ruleId": row["rule"],
        "ruleIndex": rule_index,
        "level": _level(row.get("severity")),
        "message": {"text": message},
    }
    path = row.get("path")
    if path:
        physical: dict[str, Any] = {"artifactLocation": locations[path]}
        region, context = _regions(row)
        if region is not None:
            physical["region"] = region
        if context is not None:
            physical["contextRegion"] = context
        result["locations"] = [{"physicalLocation": physical}]
    if row.get("fingerprint"):
        result["partialFingerprints"] = {FINGERPRINT_KEY: row["fingerprint"]}
    props = {
        "locale": row.get("locale"),
        "key": row.get("key"),
        "check": row.get("check"),
        "source": row.get("source"),
        "score": _finite(row.get("score")),
        "suggestion": row.get("suggestion"),
    }
    props = {k: v for k, v in props.items() if v is not None}
    if row.get("evidence"):
        props["evidence"] = list(row["evidence"])
    if props:
        result["properties"] = props
    return result


def _notification(problem: Problem, level: str) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(problem.path)}
    if problem.line and problem.line >= 1:
        physical["region"] = {"startLine": int(problem.line)}
    return {
        "level": level,
        "message": {"text": problem.message or "could not be read"},
        "locations": [{"physicalLocation": physical}],
    }


def sarif_log(result: RunResult) -> dict[str, Any]:
    """The SARIF log as a dict (what :func:`render` serialises)."""
    # a finding always has a rule; a hand-built frame might not, and SARIF needs one to index
    findings = result.findings.with_columns(pl.col("rule").fill_null("unknown"))
    rule_ids = sorted(findings["rule"].drop_nulls().unique().to_list()) if findings.height else []
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    first_severity: dict[str, str] = {}
    if findings.height:
        for rule_id, severity in findings.select("rule", "severity").unique("rule", keep="first").iter_rows():
            first_severity[rule_id] = severity
    rules = [_rule_descriptor(r, result.rules.get(r), first_severity.get(r)) for r in rule_ids]

    paths = findings["path"].drop_nulls().unique().to_list() if findings.height else []
    locations = {p: artifact_location(p) for p in paths}
    results = [_result(row, index[row["rule"]], locations) for row in findings.iter_rows(named=True)]

    notifications = [_notification(p, "error") for p in result.errors]
    notifications += [_notification(p, "warning") for p in result.warnings]
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "locale-guard",
                "version": result.version,
                "semanticVersion": result.version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "checks": list(result.checks_run),
            "suppressed": result.suppressed,
            "baselined": result.baselined,
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: RunResult, options: RenderOptions) -> str:
    """The log indented, except that each result is one compact line.

    One line per result keeps a diff of two reports readable, and lets ``json`` use its C
    encoder for the bulk (indenting 100,000 results is five times slower).
    """
    log = sarif_log(result)
    results = log["runs"][0]["results"]
    marker = f"results-{uuid.uuid4().hex}"  # a value no data can contain: it is new each time
    log["runs"][0]["results"] = marker
    head = json.dumps(log, ensure_ascii=False, indent=2)
    body = ",\n        ".join(json.dumps(r, ensure_ascii=False) for r in results)
    listed = f"[\n        {body}\n      ]" if results else "[]"
    return head.replace(json.dumps(marker), listed, 1) + "\n"


REPORTER = Reporter(
    name="sarif",
    extensions=(".sarif", ".sarif.json"),
    render=render,
    description="SARIF 2.1.0 (GitHub code scanning, GitLab, IDE viewers)",
)
