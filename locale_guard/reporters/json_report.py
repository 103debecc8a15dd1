"""JSON report: ``{"version": 1, "summary": {...}, "findings": [...], "errors": [...]}``.

The machine-readable contract: stable keys, one object per finding with every schema field,
read back by ``review import`` and by ``--baseline``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from locale_guard.reporters import RenderOptions, Reporter

if TYPE_CHECKING:
    from locale_guard.engine import RunResult


def report_dict(result: RunResult) -> dict:
    return {
        "version": 1,
        "tool": {"name": "locale-guard", "version": result.version},
        "summary": result.summary(),
        "findings": result.findings.to_dicts(),
        "errors": [p.as_dict() for p in result.errors],
        "warnings": [p.as_dict() for p in result.warnings],
    }


def render(result: RunResult, options: RenderOptions) -> str:
    return json.dumps(report_dict(result), ensure_ascii=False, indent=2) + "\n"


REPORTER = Reporter(name="json", extensions=(".json",), render=render, description="JSON report")
