"""Human-readable report: findings grouped by file, the string shown with the span marked.

Colour is added only when the CLI says stdout is a terminal (and ``NO_COLOR`` is unset), so
piped output and CI logs stay plain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from locale_guard.reporters import RenderOptions, Reporter

if TYPE_CHECKING:
    from locale_guard.engine import RunResult

_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def _paint(text: str, code: str, on: bool) -> str:
    return f"{code}{text}{_RESET}" if on else text


def _marked(text: str, span: dict | None, color: bool) -> tuple[str, str | None]:
    """The text on one line and, when a span is known, a ``^^^`` marker under it."""
    flat = text.replace("\n", "⏎").replace("\t", " ")
    if len(flat) > 160 and span:
        start = max(0, span["start"] - 60)
        flat = ("…" if start else "") + flat[start : start + 150]
        span = {"start": span["start"] - start + (1 if start else 0), "end": span["end"] - start + (1 if start else 0)}
    elif len(flat) > 160:
        flat = flat[:157] + "…"
    if not span or span.get("start") is None:
        return flat, None
    s, e = max(0, span["start"]), max(span["start"] + 1, span["end"])
    marker = " " * s + "^" * max(1, min(e, len(flat)) - s)
    if color:
        flat = flat[:s] + _BOLD + flat[s:e] + _RESET + flat[e:]
    return flat, marker


def render(result: RunResult, options: RenderOptions) -> str:
    color = options.color
    lines: list[str] = []
    current_path = None
    for f in result.findings.iter_rows(named=True):
        if f["path"] != current_path:
            current_path = f["path"]
            if lines:
                lines.append("")
            lines.append(_paint(current_path or "<no file>", _BOLD, color))
        where = f"{f['line']}:{f['column'] or 1}" if f["line"] else "-"
        sev = _paint(f["severity"], _COLORS.get(f["severity"], ""), color)
        key = f" [{f['key']}]" if f["key"] else ""
        lines.append(f"  {where:>8}  {sev:<7} {f['rule']:<28} {f['locale'] or ''}{key}: {f['message']}")
        if options.show_source and f["text"]:
            text, marker = _marked(f["text"], f["span"], color)
            lines.append(_paint(f"            | {text}", "", False))
            if marker:
                lines.append(f"            | {_paint(marker, _COLORS.get(f['severity'], ''), color)}")
        if f["suggestion"]:
            lines.append(f"            = suggestion: {f['suggestion']}")
    for problem in result.errors:
        if lines:
            lines.append("")
        lines.append(_paint("error: ", _COLORS["error"], color) + problem.describe())
    s = result.summary()
    sev = s["by_severity"]
    tail = (
        f"{s['findings']} finding(s): {sev['error']} error, {sev['warning']} warning, {sev['info']} info"
        f" in {s['files']} file(s), {s['records']} string(s), {len(s['locales'])} locale(s)"
    )
    extra = []
    if result.errors:
        extra.append(f"{len(result.errors)} input(s) could not be read")
    if result.suppressed:
        extra.append(f"{result.suppressed} suppressed inline")
    if result.baselined:
        extra.append(f"{result.baselined} in baseline")
    if extra:
        tail += "; " + ", ".join(extra)
    if lines:
        lines.append("")
    lines.append(_paint(tail, _DIM if not result.findings.height else _BOLD, color))
    return "\n".join(lines) + "\n"


REPORTER = Reporter(name="text", extensions=(".txt",), render=render, description="human-readable text")
