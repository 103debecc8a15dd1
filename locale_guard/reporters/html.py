"""A single self-contained HTML page: summary, filters, and the findings grouped by file.

Made to be attached to a CI run or mailed to a translator, so it loads nothing from elsewhere:
inline CSS, a few lines of inline JS for the filters, no fonts or CDNs.

Finding text is untrusted (it comes from the catalogs under review), so:

* every value is HTML-escaped, attribute values included; characters that HTML forbids in a
  document (C0 controls other than tab and newline, DEL, C1 controls) are shown as visible
  symbols (U+2400 block, or ``\\x85``-style escapes) so a reviewer sees they are there;
* no data is ever placed inside ``<script>``: the filter script reads the table it filters;
* a Content-Security-Policy allows no network at all and only *our* script, by its SHA-256, so
  even an escaping bug could not run a script that came in with the data.

The flagged span is wrapped in ``<mark>``. Text cells carry ``lang`` and ``dir``: ``rtl`` for
right-to-left locales (Arabic, Hebrew, Persian, Urdu ...), ``auto`` otherwise, so mixed-direction
strings display in their own reading order.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections import Counter
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError

from locale_guard.findings import relpath
from locale_guard.reporters import RenderOptions, Reporter

if TYPE_CHECKING:
    from locale_guard.engine import RunResult

SEVERITY_ORDER = ("error", "warning", "info")

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ␁ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}"


def esc(value: Any) -> str:
    """HTML-escape ``value`` (quotes too), showing control characters as visible symbols."""
    if value is None:
        return ""
    text = _CONTROL.sub(_visible, str(value))
    # lone surrogates cannot be written as UTF-8; show them instead of failing the report
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return html.escape(text, quote=True)


@lru_cache(maxsize=256)
def text_direction(locale: str | None) -> str:
    """``rtl`` when CLDR says the locale is written right to left (ar, he, fa, ur ...), else ``auto``.

    ``auto`` rather than ``ltr``: a left-to-right locale's string may still quote Arabic or
    Hebrew, and the browser then picks the direction from its first strong character.
    """
    if not locale:
        return "auto"
    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return "auto"
    return "rtl" if parsed.text_direction == "rtl" else "auto"


def marked_text(text: str | None, span: dict[str, Any] | None) -> str:
    """The escaped text with the flagged span in ``<mark>``."""
    if text is None:
        return '<span class="none">(no text)</span>'
    if not span or span.get("start") is None or span.get("end") is None:
        return esc(text)
    start = min(max(0, int(span["start"])), len(text))
    end = min(max(start, int(span["end"])), len(text))
    if end == start:
        return esc(text)
    return f"{esc(text[:start])}<mark>{esc(text[start:end])}</mark>{esc(text[end:])}"


_CSS = """
:root { --err: #b3261e; --warn: #8a5a00; --info: #0b57d0; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2328; }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); background: #f6f8fa; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 15px; margin: 24px 0 8px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
main { padding: 0 24px 32px; }
.counts { display: flex; flex-wrap: wrap; gap: 24px; }
.counts table { border-collapse: collapse; }
.counts th, .counts td { text-align: left; padding: 1px 10px 1px 0; font-weight: normal; }
.counts caption { text-align: left; font-weight: 600; white-space: nowrap; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 12px 0; position: sticky;
  top: 0; background: #fff; border-bottom: 1px solid var(--line); }
.filters input { min-width: 260px; }
.filters input, .filters select { font: inherit; padding: 3px 6px; }
table.findings { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.findings th, table.findings td { border-bottom: 1px solid var(--line); padding: 4px 6px; vertical-align: top;
  text-align: start; overflow-wrap: anywhere; }
table.findings th { font-weight: 600; background: #f6f8fa; }
col.where { width: 7em; } col.sev { width: 6em; } col.rule { width: 16em; } col.loc { width: 6em; }
td.text { white-space: pre-wrap; }
mark { background: #ffe08a; color: inherit; border-radius: 2px; }
.sev-error { color: var(--err); font-weight: 600; } .sev-warning { color: var(--warn); font-weight: 600; }
.sev-info { color: var(--info); }
.muted, .none { color: var(--muted); }
.suggestion { color: var(--muted); display: block; margin-top: 2px; }
.errors li { color: var(--err); }
[hidden] { display: none !important; }
"""

_JS = """
(function () {
  var q = document.getElementById('q'), loc = document.getElementById('f-locale'),
      sev = document.getElementById('f-severity'), chk = document.getElementById('f-check'),
      shown = document.getElementById('shown');
  function apply() {
    var text = q.value.toLowerCase(), n = 0;
    document.querySelectorAll('section.file').forEach(function (section) {
      var any = false;
      section.querySelectorAll('tbody tr').forEach(function (tr) {
        var ok = (!loc.value || tr.dataset.locale === loc.value) &&
                 (!sev.value || tr.dataset.severity === sev.value) &&
                 (!chk.value || tr.dataset.check === chk.value) &&
                 (!text || tr.textContent.toLowerCase().indexOf(text) !== -1);
        tr.hidden = !ok;
        if (ok) { any = true; n += 1; }
      });
      section.hidden = !any;
    });
    shown.textContent = String(n);
  }
  [q, loc, sev, chk].forEach(function (el) { el.addEventListener('input', apply); });
  apply();
})();
"""

_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii")
CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SCRIPT_HASH}'; img-src data:"


def _count_table(caption: str, counts: dict[str, int], css: str = "") -> str:
    def head(key: str) -> str:
        return f'<th class="{esc(css)}-{esc(key)}">' if css else "<th>"

    rows = "".join(f"<tr>{head(k)}{esc(k)}</th><td>{v}</td></tr>" for k, v in counts.items())
    return f"<table><caption>{esc(caption)}</caption>{rows or '<tr><td class=muted>none</td></tr>'}</table>"


def _options(element_id: str, label: str, values: list[str]) -> str:
    opts = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)
    return (
        f'<label>{esc(label)} <select id="{element_id}"><option value="">all</option>{opts}</select></label>'
    )


def _row(row: dict[str, Any]) -> str:
    severity = row.get("severity") or ""
    locale = row.get("locale") or ""
    where = f"{row['line']}:{row.get('column') or 1}" if row.get("line") else "–"
    key = f'<div class="muted">{esc(row["key"])}</div>' if row.get("key") else ""
    suggestion = (
        f'<span class="suggestion">suggestion: {esc(row["suggestion"])}</span>' if row.get("suggestion") else ""
    )
    score = f' <span class="muted">(score {row["score"]:.2f})</span>' if row.get("score") is not None else ""
    lang = f' lang="{esc(locale)}"' if locale else ""
    return (
        f'<tr data-severity="{esc(severity)}" data-locale="{esc(locale)}" data-check="{esc(row.get("check"))}">'
        f"<td>{esc(where)}</td>"
        f'<td class="sev-{esc(severity)}">{esc(severity)}</td>'
        f"<td>{esc(row.get('rule'))}{key}</td>"
        f"<td>{esc(locale)}</td>"
        f'<td class="text" dir="{text_direction(locale)}"{lang}>{marked_text(row.get("text"), row.get("span"))}</td>'
        f"<td>{esc(row.get('message'))}{score}{suggestion}</td>"
        "</tr>"
    )


_HEAD_ROW = (
    '<colgroup><col class="where"><col class="sev"><col class="rule"><col class="loc"><col><col></colgroup>'
    "<thead><tr><th>line</th><th>severity</th><th>rule / key</th><th>locale</th><th>text</th>"
    "<th>message</th></tr></thead>"
)


def render(result: RunResult, options: RenderOptions) -> str:
    findings = result.findings
    rows = list(findings.iter_rows(named=True))
    summary = result.summary()
    by_severity = {s: summary["by_severity"].get(s, 0) for s in SEVERITY_ORDER}
    by_check = dict(sorted(Counter(r.get("check") or "" for r in rows).items()))
    by_locale = dict(sorted(Counter(r.get("locale") or "" for r in rows).items()))

    rel = cache(relpath)  # once per file: resolving a path costs system calls
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(rel(row["path"]) if row.get("path") else "", []).append(row)

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>locale-guard report: {len(rows)} finding(s)</title>",
        f"<style>{_CSS}</style></head><body>",
        "<header><h1>locale-guard report</h1>",
        f'<p class="muted">{summary["findings"]} finding(s) in {summary["files"]} file(s),'
        f" {summary['records']} string(s), {len(summary['locales'])} locale(s);"
        f" locale-guard {esc(result.version)}",
        f"; {result.suppressed} suppressed inline" if result.suppressed else "",
        f"; {result.baselined} in baseline" if result.baselined else "",
        "</p>",
        '<div class="counts">',
        _count_table("by severity", by_severity, "sev"),
        _count_table("by check", by_check),
        _count_table("by locale", by_locale),
        "</div></header><main>",
    ]
    if result.errors:
        parts.append(f'<h2>{len(result.errors)} input(s) could not be read</h2><ul class="errors">')
        parts.extend(f"<li>{esc(p.describe())}</li>" for p in result.errors)
        parts.append("</ul>")
    if result.warnings:
        parts.append('<ul class="muted">')
        parts.extend(f"<li>warning: {esc(p.describe())}</li>" for p in result.warnings)
        parts.append("</ul>")
    parts.append(
        '<div class="filters"><label>filter <input id="q" type="search" placeholder="text, key, rule, message">'
        "</label>"
        + _options("f-locale", "locale", [k for k in by_locale if k])
        + _options("f-severity", "severity", [s for s in SEVERITY_ORDER if by_severity[s]])
        + _options("f-check", "check", [k for k in by_check if k])
        + f'<span class="muted"><span id="shown">{len(rows)}</span> of {len(rows)} shown</span></div>'
    )
    if not rows:
        parts.append('<p class="muted">No findings.</p>')
    # files in name order, findings without a file last
    for path, group in sorted(groups.items(), key=lambda item: (item[0] == "", item[0])):
        parts.append(f'<section class="file"><h2>{esc(path or "(no file)")}</h2>')
        parts.append(f'<table class="findings">{_HEAD_ROW}<tbody>')
        parts.extend(_row(r) for r in group)
        parts.append("</tbody></table></section>")
    parts.append(f"</main><script>{_JS}</script></body></html>")
    return "\n".join(p for p in parts if p) + "\n"


REPORTER = Reporter(
    name="html",
    extensions=(".html", ".htm"),
    render=render,
    description="self-contained HTML page with filters",
)
