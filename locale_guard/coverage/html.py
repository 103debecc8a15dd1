"""The coverage report as one self-contained HTML page that works offline.

Pictures first (a heatmap of intents × locales relative to the pivot, slot types likewise,
divergence bars), then the top gaps in plain words; clicking a gap or a heatmap cell shows the
records behind it. The same numbers follow as plain tables for anyone who would rather copy
than look.

Safety, as in :mod:`locale_guard.reporters.html`: every value from the data is HTML-escaped;
the records behind the gaps travel as JSON in a ``<script type="application/json">`` block
with ``<``, ``>`` and ``&`` escaped (so no ``</script>`` can end it early) and are put into the
page by the script with ``textContent`` only; a Content-Security-Policy forbids any network
access and any script but ours, by hash. Nothing is loaded from elsewhere: no fonts, no CDN.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import polars as pl

from locale_guard.coverage.html_assets import CSP, CSS, JS
from locale_guard.coverage.report import CoverageReport, overview, shortfalls
from locale_guard.reporters.html import esc, text_direction

#: rules about how much data there is: their heatmap cells are outlined (every cell with any gap
#: is clickable, but duplicates in nearly every intent would outline the whole map)
_COVERAGE_RULES = ("coverage/missing-intent", "coverage/thin-intent", "coverage/missing-slot", "coverage/low-diversity")


def _json_for_script(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&`` unescaped
    (so no ``</script>`` or ``<!--``), no raw line separators, no lone surrogates."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    # a lone surrogate becomes its \\udxxx escape, which JSON.parse accepts
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


# ----------------------------------------------------------------------------- colours


def ratio_colour(ratio: float | None) -> str:
    """Background for a count relative to the pivot's: white at 100%, deepening red below,
    a pale green above, grey where the pivot has none."""
    if ratio is None:
        return "background:#eef1f4"
    if ratio >= 1:
        return "background:#e3f4e1"
    lightness = 97 - (1 - max(0.0, ratio)) * 57
    colour = "#fff" if lightness < 58 else "#1f2328"
    return f"background:hsl(3,75%,{lightness:.0f}%);color:{colour}"


def _pct(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio * 100:.0f}"


# ------------------------------------------------------------------------------ sections


def _labels(row: dict[str, Any], report: CoverageReport) -> tuple[str, str]:
    pivot, locale = report.pivot or "pivot", row.get("locale") or ""
    # with ids parallel to the pivot's, the reference records are exactly the rows this locale lacks
    lacking = f"{pivot} examples {locale} lacks" if locale in report.parallel_locales else f"{pivot} examples"
    return {
        "coverage/missing-intent": ("", f"{pivot} examples to translate"),
        "coverage/thin-intent": (f"{locale} examples", lacking),
        "coverage/missing-slot": (f"{locale} examples of the intent", f"{pivot} examples with the slot"),
        "coverage/duplicate": ("the copies", ""),
        "coverage/conflict": ("the records, label by label", ""),
        "coverage/leak": ("test records", "training copies"),
        "coverage/slot-mismatch": ("the record", ""),
        "coverage/low-diversity": (f"{locale} sample", f"{pivot} sample"),
        "coverage/few-variants": (f"{locale} variants", "source variants"),
    }.get(row["rule"], ("records", "reference records"))


def _payload(report: CoverageReport, shown: pl.DataFrame) -> dict[str, Any]:
    gaps: dict[str, Any] = {}
    cells: dict[str, list[str]] = {}
    for row in shown.iter_rows(named=True):
        records_label, reference_label = _labels(row, report)
        gaps[row["gap_id"]] = {
            "rule": row["rule"],
            "severity": row["severity"],
            "locale": row["locale"],
            "message": row["message"],
            "suggestion": row["suggestion"],
            "evidence": row["evidence"] or [],
            "records": row["records"] or [],
            "reference": row["reference_records"] or [],
            "records_label": records_label,
            "reference_label": reference_label,
        }
        if row["intent"] and row["locale"]:
            cells.setdefault(f"{row['locale']}|{row['intent']}", []).append(row["gap_id"])
    records: dict[str, Any] = {}
    for rec in report.records.iter_rows(named=True):
        records[rec["record_id"]] = {
            "locale": rec["locale"],
            "partition": rec["partition"],
            "intent": rec["intent"],
            "key": rec["key"],
            "text": rec["text"],
            "dir": text_direction(rec["locale"]),
            "where": f"{rec['path'] or ''}:{rec['line'] or ''}",
            "slots": [
                [s["start"], s["end"], s["type"]]
                for s in (rec["slots"] or [])
                if s["start"] is not None and s["end"] is not None
            ],
        }
    return {"pivot": report.pivot, "gaps": gaps, "records": records, "cells": cells}


def _gap_items(rows: pl.DataFrame) -> str:
    items = []
    for row in rows.iter_rows(named=True):
        gid = esc(row["gap_id"])
        sev = esc(row["severity"])
        items.append(
            f'<li><button class="gap" type="button" data-gap="{gid}" aria-expanded="false" '
            f'aria-controls="records-{gid}"><span class="id">{gid}</span> '
            f'<span class="sev-{sev}">{sev}</span> {esc(row["rule"].split("/", 1)[1])} · '
            f"<strong>{esc(row['locale'])}</strong>: {esc(row['message'])}</button>"
            f'<div class="panel" id="records-{gid}" hidden></div></li>'
        )
    return "".join(items)


def _gap_list(shown: pl.DataFrame, first: int = 15) -> str:
    """The first gaps in view, the rest of those shown behind a disclosure."""
    if shown.height == 0:
        return '<p class="muted">No coverage gaps found.</p>'
    html = '<ol class="gaps">' + _gap_items(shown.head(first)) + "</ol>"
    if shown.height > first:
        html += (
            f"<details><summary>{shown.height - first:,} more gap(s)</summary>"
            f'<ol class="gaps">{_gap_items(shown.slice(first))}</ol></details>'
        )
    return html


def _ordered_locales(report: CoverageReport) -> list[str]:
    others = [loc for loc in report.locales if loc != report.pivot]
    return ([report.pivot] if report.pivot in report.locales else []) + others


def _heatmap(report: CoverageReport, gap_cells: set[str]) -> str:
    matrix = report.intents
    if matrix.height == 0:
        return '<p class="muted">No training data (utterances with intents) in the inputs.</p>'
    locales = _ordered_locales(report)
    cells = {(r["locale"], r["intent"]): r for r in matrix.iter_rows(named=True)}
    intents = (
        matrix.select("scenario", "intent").unique().sort("scenario", "intent", nulls_last=True).iter_rows()
    )
    head = "".join(
        f'<th scope="col"><span>{esc(loc)}{" (pivot)" if loc == report.pivot else ""}</span></th>' for loc in locales
    )
    rows: list[str] = []
    current: object = object()
    for scenario, intent in intents:
        if scenario != current:
            current = scenario
            rows.append(f'<tr class="scenario"><th colspan="{len(locales) + 1}">{esc(scenario or "(no scenario)")}</th></tr>')
        tds = []
        for loc in locales:
            cell = cells.get((loc, intent))
            if cell is None:
                tds.append("<td></td>")
                continue
            count, pivot_count, ratio = cell["count"], cell["pivot_count"], cell["ratio"]
            key = f"{loc}|{intent}"
            if loc == report.pivot:
                title = f"{loc} · {intent}: {count} examples (pivot)"
                tds.append(f'<td class="pivot" title="{esc(title)}">{count}</td>')
                continue
            if report.pivot is None or not pivot_count:
                title = f"{loc} · {intent}: {count} examples; {report.pivot or 'the pivot'} has none"
                text = f"+{count}" if count else ""
            else:
                title = f"{loc} · {intent}: {count} of {report.pivot}'s {pivot_count} examples ({_pct(ratio)}%)"
                text = _pct(ratio)
            css = ' class="gap"' if key in gap_cells else ""  # outlined: a coverage gap
            tds.append(
                f'<td{css} data-cell="{esc(key)}" title="{esc(title)}" style="{ratio_colour(ratio)}">{esc(text)}</td>'
            )
        rows.append(f'<tr><th scope="row">{esc(intent)}</th>{"".join(tds)}</tr>')
    legend = (
        '<p class="legend">Cells: examples as % of the pivot\'s count. '
        + "".join(
            f'<span style="{ratio_colour(r)}">{label}</span>'
            for r, label in ((0.0, "0%"), (0.5, "50%"), (0.8, "80%"), (1.0, "≥ 100%"), (None, "pivot has none"))
        )
        + " Outlined cells are short of examples or slots; click any cell for the gaps and records behind it.</p>"
    )
    return (
        legend
        + f'<div class="scroll"><table class="heat" id="intent-heatmap"><thead><tr><th></th>{head}</tr></thead>'
        + f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _slot_heatmap(report: CoverageReport) -> str:
    slots = report.slots
    if slots.height == 0:
        return '<p class="muted">No slot annotations in the inputs.</p>'
    per = slots.group_by("locale", "slot_type").agg(pl.col("count").sum())
    pivot_totals = dict(per.filter(pl.col("locale") == report.pivot).select("slot_type", "count").iter_rows())
    counts = {(loc, st): n for loc, st, n in per.iter_rows()}
    locales = _ordered_locales(report)
    types = sorted(per["slot_type"].unique().to_list())
    head = "".join(f'<th scope="col"><span>{esc(loc)}</span></th>' for loc in locales)
    rows = []
    for st in types:
        tds = []
        base = pivot_totals.get(st)
        for loc in locales:
            n = counts.get((loc, st), 0)
            if loc == report.pivot:
                tds.append(f'<td class="pivot" title="{esc(f"{loc} · {st}: {n} annotations (pivot)")}">{n}</td>')
                continue
            ratio = n / base if base else None
            title = (
                f"{loc} · {st}: {n} annotations"
                + (f", {_pct(ratio)}% of {report.pivot}'s {base}" if base else f"; {report.pivot or 'the pivot'} has none")
            )
            text = _pct(ratio) if base else (f"+{n}" if n else "")
            tds.append(f'<td title="{esc(title)}" style="{ratio_colour(ratio)}">{esc(text)}</td>')
        rows.append(f'<tr><th scope="row">{esc(st)}</th>{"".join(tds)}</tr>')
    return (
        '<p class="muted">Annotations of each slot type, as % of the pivot\'s.</p>'
        + f'<div class="scroll"><table class="heat" id="slot-heatmap"><thead><tr><th></th>{head}</tr></thead>'
        + f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _bar(share: float | None, top: float, ok: bool) -> str:
    width = 0.0 if share is None or not top else 100 * min(share, top) / top
    return f'<span class="track"><span class="fill{" ok" if ok else ""}" style="width:{width:.1f}%"></span></span>'


def _overview(report: CoverageReport) -> str:
    """One row per locale: examples and pivot intents as bars, divergence, gaps."""
    rows = overview(report)
    if rows.height == 0:
        return ""
    top = max(1.0, rows["ratio"].max() or 1.0)  # type: ignore[arg-type]
    body = []
    for r in rows.iter_rows(named=True):
        is_pivot = r["locale"] == report.pivot
        examples = f"{r['records']:,}" + ("" if is_pivot or r["ratio"] is None else f" · {r['ratio']:.0%}")
        if r["pivot_intents"]:
            share = r["pivot_intents_covered"] / r["pivot_intents"]
            intents = _bar(share, 1.0, share >= 1) + f" {r['pivot_intents_covered']} of {r['pivot_intents']}"
        else:
            intents = f"{r['intents']}"
        body.append(
            f"<tr><th scope=\"row\">{esc(r['locale'])}{' (pivot)' if is_pivot else ''}</th>"
            f"<td>{_bar(r['ratio'], top, (r['ratio'] or 0) >= 1)} {esc(examples)}</td>"
            f"<td>{intents}</td><td class=num>{r['slot_types']}</td>"
            f"<td class=num>{'' if r['jsd'] is None else format(r['jsd'], '.4f')}</td>"
            f"<td class=num>{r['errors'] or ''}</td><td class=num>{r['warnings'] or ''}</td></tr>"
        )
    head = (
        f"<tr><th>locale</th><th>examples · % of {esc(report.pivot or 'pivot')}</th>"
        f"<th>{esc(report.pivot or 'pivot')} intents covered</th><th class=num>slot types</th>"
        "<th class=num>divergence (bits)</th><th class=num>errors</th><th class=num>warnings</th></tr>"
    )
    return f'<div class="scroll short"><table class="data overview" id="locales">{head}{"".join(body)}</table></div>'


def _shortfalls(report: CoverageReport, top: int = 12) -> str:
    """Per locale, the intents where most of the pivot's examples are missing, as bars."""
    rows = shortfalls(report, top)
    if rows.height == 0:
        return f'<p class="muted">No locale has fewer examples of any intent than {esc(report.pivot or "the pivot")}.</p>'
    blocks = []
    for i, row in enumerate(rows.sort("total", "locale", descending=[True, False]).iter_rows(named=True)):
        biggest = max(row["missing"])
        bars = "".join(
            f'<div class="bar"><span class="label wide">{esc(intent)}</span>'
            f'<span class="track"><span class="fill" style="width:{100 * n / biggest:.1f}%"></span></span>'
            f"<span>{n:,} fewer ({_pct(ratio)}% of {esc(report.pivot)}'s)</span></div>"
            for intent, n, ratio in zip(row["intents"], row["missing"], row["ratios"], strict=True)
        )
        summary = (
            f"{esc(row['locale'])}: {row['total']:,} fewer examples than {esc(report.pivot)} "
            f"in {row['intent_count']} intent(s)"
        )
        blocks.append(f'<details{" open" if i < 3 else ""}><summary>{summary}</summary>{bars}</details>')
    return (
        f'<p class="muted">Intent by intent, how many fewer examples each locale has than {esc(report.pivot)} '
        f"(largest first, at most {top} per locale).</p>" + "".join(blocks)
    )


def _divergence(report: CoverageReport, threshold: float) -> str:
    d = report.divergence
    if d.height == 0:
        return '<p class="muted">Nothing to compare: the pivot locale has no training data, or no other locale has.</p>'
    top = max(d["jsd"].max() or 0.0, threshold * 2)  # type: ignore[operator]
    bars = []
    for row in d.iter_rows(named=True):
        width = 100 * row["jsd"] / top if top else 0
        drivers = ", ".join(
            f"{name} {share * 100:.1f}% vs {ref * 100:.1f}%"
            for name, share, ref in zip(row["drivers"], row["driver_shares"], row["driver_pivot_shares"], strict=True)
        )
        ok = " ok" if row["jsd"] <= threshold else ""
        bars.append(
            f'<div class="bar"><span class="label">{esc(row["locale"])}</span>'
            f'<span class="track"><span class="fill{ok}" style="width:{width:.1f}%"></span>'
            f'<span class="limit" style="left:{100 * threshold / top:.1f}%" title="threshold"></span></span>'
            f'<span>{row["jsd"]:.4f} bits · ~{row["out_of_place"]:,} examples out of place'
            f'{" · " + esc(drivers) if drivers else ""}</span></div>'
        )
    return (
        f'<p class="muted">Jensen–Shannon divergence of each locale\'s intent mix from {esc(report.pivot)}\'s '
        f"(0 = same mix); the black tick is the threshold ({threshold}). Largest contributors: share here vs "
        "in the pivot.</p>" + "".join(bars)
    )


def _table(frame: pl.DataFrame, columns: Iterable[str], element_id: str, numeric: Iterable[str] = ()) -> str:
    cols = list(columns)
    nums = set(numeric)
    head = "".join(f'<th{" class=num" if c in nums else ""}>{esc(c)}</th>' for c in cols)
    body = []
    for row in frame.select(cols).iter_rows():
        cells = []
        for name, value in zip(cols, row, strict=True):
            if isinstance(value, float):
                value = f"{value:.4g}"
            elif isinstance(value, list):
                value = ", ".join("" if v is None else str(v) for v in value)
            cells.append(f'<td{" class=num" if name in nums else ""}>{esc(value)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="data" id="{esc(element_id)}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _diversity(report: CoverageReport) -> str:
    low = report.diversity.filter(pl.col("low"))
    if report.diversity.height == 0:
        return '<p class="muted">Not measured: no intent has enough examples in both a locale and the pivot.</p>'
    if low.height == 0:
        return (
            f'<p class="muted">No intent looks templated: {report.diversity.height} locale × intent pairs measured '
            "against the pivot.</p>"
        )
    return _table(
        low,
        ["locale", "intent", "sample", "distinct_ratio", "pivot_distinct_ratio", "score", "repeated"],
        "low-diversity",
        ["sample", "distinct_ratio", "pivot_distinct_ratio", "score"],
    )


def _holidays(report: CoverageReport) -> str:
    if report.holidays is None:
        return '<p class="muted" id="holidays-missing">holidays check not run</p>'
    if report.holidays.height == 0:
        return '<p class="muted">The holidays check found no holidays to cover.</p>'
    return _table(report.holidays, ["locale", "holiday", "aliases", "mentions"], "holiday-table", ["mentions"])


def render_html(report: CoverageReport, *, imbalance_threshold: float, report_gaps: int) -> str:
    """The whole page as a string."""
    shown = report.gaps.head(report_gaps)
    payload = _payload(report, shown)
    gap_cells = {
        f"{loc}|{intent}"
        for loc, intent in shown.filter(pl.col("rule").is_in(_COVERAGE_RULES)).select("locale", "intent").iter_rows()
    }
    hidden = report.gaps.height - shown.height
    notes = "".join(f"<li>{esc(n)}</li>" for n in report.notes)
    total = int(report.totals["records"].sum()) if report.totals.height else 0
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>locale-guard coverage: {report.gaps.height} gap(s)</title>",
        f"<style>{CSS}</style></head><body>",
        "<header><h1>Training data coverage</h1>",
        f'<p class="muted">{total:,} examples in {len(report.locales)} locale(s), compared with '
        f"{esc(report.pivot or report.pivot_wanted)}; {report.gaps.height:,} gap(s); "
        f"locale-guard {esc(report.version)}</p>",
        f'<ul class="notes">{notes}</ul>' if notes else "",
        '<nav><a href="#locales-section">Locales</a><a href="#shortfall">Missing examples</a><a href="#gaps">Top gaps</a><a href="#heatmap">Intents</a><a href="#slots">Slot types</a>'
        '<a href="#divergence">Intent mix</a><a href="#diversity">Diversity</a><a href="#holidays">Holidays</a>'
        '<a href="#numbers">Numbers</a></nav></header><main>',
        '<section id="locales-section"><h2>Locales</h2>',
        _overview(report),
        "</section>",
        '<section id="shortfall"><h2>Where examples are missing</h2>',
        _shortfalls(report),
        "</section>",
        '<section id="gaps"><h2>Top gaps</h2>',
        '<p class="muted">Worst first. Click a gap to see the records behind it.'
        + (f" {hidden:,} more gap(s) are in the JSON/CSV export (--format)." if hidden > 0 else "")
        + "</p>",
        _gap_list(shown),
        "</section>",
        '<section id="heatmap"><h2>Intents × locales</h2>',
        _heatmap(report, gap_cells),
        '<div id="cell-detail" aria-live="polite"></div></section>',
        '<section id="slots"><h2>Slot types × locales</h2>',
        _slot_heatmap(report),
        "</section>",
        '<section id="divergence"><h2>Intent mix against the pivot</h2>',
        _divergence(report, imbalance_threshold),
        "</section>",
        '<section id="diversity"><h2>Templated intents (low diversity)</h2>',
        _diversity(report),
        "</section>",
        '<section id="holidays"><h2>Holiday coverage</h2>',
        _holidays(report),
        "</section>",
        '<section id="numbers"><h2>Numbers</h2>',
        "<details><summary>Examples per locale</summary>",
        _table(report.totals, ["locale", "records", "intents", "slot_types", "slots", "partitions"], "totals",
               ["records", "intents", "slot_types", "slots"]),
        "</details><details><summary>Examples per locale and intent</summary>",
        _table(
            report.intents,
            ["locale", "scenario", "intent", "count", "pivot_count", "ratio", "shortfall"],
            "intent-table",
            ["count", "pivot_count", "ratio", "shortfall"],
        ),
        "</details></section></main>",
        f'<script type="application/json" id="coverage-data">{_json_for_script(payload)}</script>',
        f"<script>{JS}</script></body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"
