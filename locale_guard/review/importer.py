"""``review import``: a ``check --format json`` report into the store, idempotent by fingerprint.

The whole import is one write transaction: killed half-way (even with SIGKILL) it leaves the
database as it was, and running it again completes it. A finding whose fingerprint is already
stored updates that item (message, severity, score, position may have changed) and keeps its
reviews; a new fingerprint becomes a new pending item.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from locale_guard.readers.base import InputError
from locale_guard.review.models import Import, Item, utcnow

CHUNK = 500
#: fields of a finding copied onto an item (finding key -> item column)
_FIELDS = {
    "rule": "rule",
    "check": "check",
    "severity": "severity",
    "locale": "locale",
    "path": "path",
    "line": "line",
    "column": "column",
    "key": "key",
    "record_id": "record_id",
    "text": "text",
    "message": "message",
    "suggestion": "suggestion",
    "source": "finding_source",
    "score": "score",
    "evidence": "evidence",
    "source_text": "source_text",
}


@dataclass(frozen=True)
class ImportResult:
    import_id: int
    findings: int
    created: int
    updated: int


def parse_report(data: bytes | str, source_name: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The findings of a JSON report (or a bare list of findings) and the report's ``tool`` block."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise InputError(source_name, f"not UTF-8 (byte {exc.start})", offset=exc.start) from None
    try:
        report = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source_name, f"not JSON: {exc.msg}", line=exc.lineno) from None
    if isinstance(report, dict):
        findings = report.get("findings")
        tool = report.get("tool") if isinstance(report.get("tool"), dict) else {}
    else:
        findings, tool = report, {}
    if not isinstance(findings, list):
        raise InputError(
            source_name, "no 'findings' list: expected the report of 'locale-guard check --format json'"
        )
    return findings, tool


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _normalise_locale(value: Any, where: str) -> str | None:
    from locale_guard.tags import LocaleTagError, normalise_tag

    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(where, "'locale' is not a string")
    try:
        return normalise_tag(value).tag
    except LocaleTagError as exc:
        raise InputError(where, str(exc)) from None


def finding_to_row(finding: Any, index: int, source_name: str, tool: Mapping[str, Any]) -> dict[str, Any]:
    """One finding as item columns; InputError names the finding that is wrong and why."""
    where = f"{source_name} (finding {index + 1})"
    if not isinstance(finding, dict):
        raise InputError(where, "a finding must be a JSON object")
    fingerprint = finding.get("fingerprint")
    if not isinstance(fingerprint, str) or not fingerprint.strip() or len(fingerprint) > 128:
        raise InputError(where, "no 'fingerprint': findings are matched by it, so re-imports do not duplicate")
    rule = finding.get("rule")
    if not isinstance(rule, str) or not rule:
        raise InputError(where, "no 'rule'")
    row: dict[str, Any] = {column: finding.get(key) for key, column in _FIELDS.items()}
    row["fingerprint"] = fingerprint.strip()
    row["check"] = row["check"] if isinstance(row["check"], str) and row["check"] else rule.split("/", 1)[0]
    row["text"] = finding.get("text") if isinstance(finding.get("text"), str) else ""
    row["locale"] = _normalise_locale(finding.get("locale"), where)
    for name in ("line", "column"):
        row[name] = _int_or_none(row[name])
    score = row["score"]
    row["score"] = float(score) if isinstance(score, int | float) and not isinstance(score, bool) and math.isfinite(score) else None
    evidence = row["evidence"]
    row["evidence"] = [str(e) for e in evidence] if isinstance(evidence, list) else []
    for name in ("severity", "path", "key", "record_id", "message", "suggestion", "finding_source", "source_text"):
        if row[name] is not None and not isinstance(row[name], str):
            row[name] = str(row[name])
    span = finding.get("span")
    start = end = None
    if isinstance(span, dict):
        start, end = _int_or_none(span.get("start")), _int_or_none(span.get("end"))
        if start is None or end is None or not 0 <= start <= end <= len(row["text"]):
            start = end = None  # a span that does not fit the text is not highlighted
    row["span_start"], row["span_end"] = start, end
    row["rule_version"] = str(finding.get("rule_version") or tool.get("version") or "") or None
    model = finding.get("model_version") or (tool.get("model") if row["finding_source"] == "model" else None)
    row["model_version"] = str(model) if model else None
    return row


def import_findings(
    session: Session,
    data: bytes | str,
    *,
    source_name: str,
    imported_by: str | None = None,
    required_reviews: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import a report inside ``session``'s transaction (the caller commits or rolls back)."""
    if required_reviews is not None and required_reviews < 1:
        raise InputError(source_name, "--reviewers must be at least 1")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    findings, tool = parse_report(raw, source_name)
    rows: dict[str, dict[str, Any]] = {}
    for index, finding in enumerate(findings):
        row = finding_to_row(finding, index, source_name, tool)
        rows[row["fingerprint"]] = row  # the same fingerprint twice in one report: the last wins
    now = utcnow()
    record = Import(
        created_at=now,
        source_name=source_name[:500],
        sha256=hashlib.sha256(raw).hexdigest(),
        tool_version=str(tool.get("version"))[:100] if tool.get("version") else None,
        imported_by=imported_by,
        findings=len(rows),
    )
    session.add(record)
    session.flush()
    created = updated = 0
    fingerprints = list(rows)
    for start in range(0, len(fingerprints), CHUNK):
        chunk = fingerprints[start : start + CHUNK]
        existing = dict(
            session.execute(select(Item.fingerprint, Item.id).where(Item.fingerprint.in_(chunk))).all()
        )
        new_rows = [_new_item(rows[fp], record.id, now, required_reviews) for fp in chunk if fp not in existing]
        changed = [_updated_item(rows[fp], existing[fp], record.id, now, required_reviews) for fp in chunk if fp in existing]
        if new_rows:
            session.execute(insert(Item), new_rows)
        if changed:
            session.execute(update(Item), changed)
        created += len(new_rows)
        updated += len(changed)
        if progress is not None:
            progress(min(start + CHUNK, len(fingerprints)), len(fingerprints))
    if required_reviews is not None and updated:
        from locale_guard.review.decisions import refresh_statuses

        changed_ids = session.scalars(select(Item.id).where(Item.last_import_id == record.id)).all()
        refresh_statuses(session, changed_ids)
    record.created = created
    record.updated = updated
    return ImportResult(import_id=record.id, findings=len(rows), created=created, updated=updated)


def _new_item(row: dict[str, Any], import_id: int, now: datetime, required: int | None) -> dict[str, Any]:
    return {
        **row,
        "required_reviews": required or 1,
        "status": "pending",
        "first_import_id": import_id,
        "last_import_id": import_id,
        "created_at": now,
        "updated_at": now,
    }


def _updated_item(row: dict[str, Any], item_id: int, import_id: int, now: datetime, required: int | None) -> dict[str, Any]:
    values = {k: v for k, v in row.items() if k != "fingerprint"}
    values.update(id=item_id, last_import_id=import_id, updated_at=now)
    if required is not None:
        values["required_reviews"] = required
    return values


def iter_chunks(values: Iterable[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
