"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

``locale-guard check --format github`` in a workflow step prints one line per finding::

    ::error file=locales/de-DE.json,line=12,col=5,title=formality/informal-pronoun::[de-DE] greeting: ...

(``warning`` findings use ``::warning``, ``info`` findings ``::notice``), then one plain summary
line for the log. Inputs that could not be read are ``::error`` lines on their file, notices about
inputs ``::warning`` lines.

Escaping follows the runner's rules (actions/toolkit ``command.ts``): in the message ``%``, CR and
LF become ``%25``, ``%0D``, ``%0A``; in properties ``:`` and ``,`` also become ``%3A``, ``%2C``.
So a finding's text can neither break the line nor start a second command; other control
characters and Unicode line breaks are shown as U+2400 symbols (␛ rather than a raw ESC the log
viewer would act on). The runner shows at most 10 annotations of each level per step; the summary
line and the log keep the full count.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from locale_guard.findings import relpath
from locale_guard.reporters import RenderOptions, Reporter

if TYPE_CHECKING:
    from locale_guard.engine import RunResult

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message (the part after ``::``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value (``file=``, ``title=``): data escapes plus ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")


def _symbol(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the U+2400 "symbol for" block: ␀ ... ␟
    return "\u2421" if code == 0x7F else "\u2424"  # ␡ for DEL, ␤ for the Unicode line breaks


def _visible(value: str) -> str:
    """Show control characters as symbols.

    A raw ESC would drive the log viewer's ANSI colours, and NEL/U+2028/U+2029 are line breaks to
    many log tools (Python's ``splitlines`` among them) though not to the runner.
    """
    return _CONTROL.sub(lambda m: _symbol(m.group()), value)


def command(name: str, message: str, **properties: Any) -> str:
    """One workflow command line; properties that are None are left out."""
    props = ",".join(
        f"{k}={escape_property(_visible(str(v)))}" for k, v in properties.items() if v is not None
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(_visible(message))}"


def _message(row: dict[str, Any]) -> str:
    where = " ".join(part for part in (f"[{row['locale']}]" if row.get("locale") else "", row.get("key") or "") if part)
    text = row.get("message") or row.get("rule") or ""
    if where:
        text = f"{where}: {text}"
    if row.get("suggestion"):
        text += f" (suggestion: {row['suggestion']})"
    return text


def _position(row: dict[str, Any], rel: Callable[[str], str]) -> dict[str, Any]:
    """file/line/col/endColumn properties; a column without a line would mean nothing."""
    path = rel(row["path"]) if row.get("path") else None
    line = row.get("line") if row.get("line") and row["line"] >= 1 else None
    col = row.get("column") if line and row.get("column") and row["column"] >= 1 else None
    end = None
    span = row.get("span")
    if col and span and span.get("start") is not None and span.get("end") is not None:
        end = col + max(1, span["end"] - span["start"])
    return {"file": path, "line": line, "col": col, "endColumn": end}


def _summary(result: RunResult) -> str:
    s = result.summary()
    sev = s["by_severity"]
    line = (
        f"locale-guard: {s['findings']} finding(s): {sev['error']} error, {sev['warning']} warning,"
        f" {sev['info']} info in {s['files']} file(s)"
    )
    if result.errors:
        line += f"; {len(result.errors)} input(s) could not be read"
    if result.suppressed:
        line += f"; {result.suppressed} suppressed inline"
    if result.baselined:
        line += f"; {result.baselined} in baseline"
    return escape_data(line)


def render(result: RunResult, options: RenderOptions) -> str:
    rel = cache(relpath)  # once per file: resolving a path costs system calls
    lines: list[str] = []
    for row in result.findings.iter_rows(named=True):
        name = COMMANDS.get(row.get("severity") or "", "warning")
        lines.append(command(name, _message(row), **_position(row, rel), title=row.get("rule")))
    for problem in result.errors:
        path = rel(problem.path) if problem.path else None
        line = problem.line if problem.line and problem.line >= 1 else None
        lines.append(command("error", problem.message, file=path, line=line, title="locale-guard: input error"))
    for notice in result.warnings:
        path = rel(notice.path) if notice.path else None
        lines.append(command("warning", notice.message, file=path, title="locale-guard"))
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


REPORTER = Reporter(
    name="github",
    extensions=(),
    render=render,
    description="GitHub Actions annotations (workflow commands)",
)
