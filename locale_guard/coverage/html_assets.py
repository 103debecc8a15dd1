"""The stylesheet and script of the coverage report, inlined into the page.

The script is allowed by the page's Content-Security-Policy through its SHA-256 (:data:`CSP`),
so it must be inlined byte for byte as it is here. It reads the gap and record data from the
page's ``<script type="application/json">`` block and writes it into the page with
``textContent`` only, never as HTML.
"""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root { --line: #d0d7de; --muted: #57606a; --err: #b3261e; --warn: #8a5a00; --info: #0b57d0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2328; }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); background: #f6f8fa; }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
nav a { margin-right: 14px; }
main { padding: 0 24px 40px; max-width: 100%; }
.muted { color: var(--muted); }
.notes li { color: var(--warn); }
.sev-error { color: var(--err); font-weight: 600; } .sev-warning { color: var(--warn); font-weight: 600; }
.sev-info { color: var(--info); }
ol.gaps { padding-left: 0; list-style: none; margin: 0; }
ol.gaps > li { border-bottom: 1px solid var(--line); padding: 4px 0; }
button.gap { all: unset; cursor: pointer; display: block; width: 100%; padding: 2px 4px; border-radius: 4px; }
button.gap:hover, button.gap:focus-visible { background: #eef4ff; outline: 2px solid #a8c7fa; }
button.gap .id { color: var(--muted); font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
.panel { margin: 6px 0 10px 18px; padding: 8px 10px; border-left: 3px solid #a8c7fa; background: #fafbfc; }
.panel h4 { margin: 8px 0 4px; font-size: 13px; }
table { border-collapse: collapse; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: start;
  vertical-align: top; }
table.data th { background: #f6f8fa; font-weight: 600; position: sticky; top: 0; }
td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
td.text { white-space: pre-wrap; overflow-wrap: anywhere; max-width: 60ch; }
mark { background: #ffe08a; color: inherit; border-radius: 2px; }
mark .slot { font-size: 10px; color: #6b4f00; margin-left: 2px; }
.scroll { overflow: auto; max-height: 80vh; border: 1px solid var(--line); }
table.heat { font-size: 11px; }
table.heat th, table.heat td { border: 1px solid #fff; padding: 1px 3px; white-space: nowrap; }
table.heat thead th { position: sticky; top: 0; background: #fff; z-index: 2; height: 7.5em; vertical-align: bottom; }
table.heat thead th span { display: inline-block; writing-mode: vertical-rl; transform: rotate(180deg); }
table.heat tbody th { position: sticky; left: 0; background: #fff; text-align: start; font-weight: normal; z-index: 1; }
table.heat tr.scenario th { font-weight: 600; background: #f6f8fa; }
table.heat td { text-align: center; min-width: 2.6em; font-variant-numeric: tabular-nums; }
table.heat td.gap { cursor: pointer; outline: 1px dashed #333; outline-offset: -2px; }
table.heat td.pivot { background: #eaeef2; }
.legend span { display: inline-block; padding: 1px 8px; margin-right: 4px; border-radius: 3px; font-size: 12px; }
.scroll.short { max-height: 50vh; display: inline-block; max-width: 100%; }
table.overview .track { display: inline-block; position: relative; width: 140px; height: 12px; background: #eaeef2;
  border-radius: 3px; vertical-align: middle; }
table.overview .fill { position: absolute; left: 0; top: 0; bottom: 0; background: #d1242f; border-radius: 3px; }
table.overview .fill.ok { background: #57ab5a; }
.bar { display: flex; align-items: center; gap: 8px; margin: 3px 0; }
.bar .label { width: 6em; font-family: ui-monospace, Menlo, monospace; }
.bar .label.wide { width: 16em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar .track { position: relative; flex: 0 0 320px; height: 14px; background: #eaeef2; border-radius: 3px; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; background: #d1242f; border-radius: 3px; }
.bar .fill.ok { background: #57ab5a; }
.bar .limit { position: absolute; top: -3px; bottom: -3px; width: 2px; background: #1f2328; }
#cell-detail:empty { display: none; }
[hidden] { display: none !important; }
"""

JS = """
(function () {
  var data = JSON.parse(document.getElementById('coverage-data').textContent);
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function marked(rec) {
    var td = el('td', 'text');
    td.lang = rec.locale || '';
    td.dir = rec.dir || 'auto';
    var text = rec.text || '', pos = 0;
    (rec.slots || []).forEach(function (s) {
      if (s[0] === null || s[0] < pos || s[1] > text.length) { return; }
      td.appendChild(document.createTextNode(text.slice(pos, s[0])));
      var m = el('mark', null, text.slice(s[0], s[1]));
      m.appendChild(el('span', 'slot', s[2]));
      td.appendChild(m);
      pos = s[1];
    });
    td.appendChild(document.createTextNode(text.slice(pos)));
    return td;
  }
  function records(label, ids) {
    var box = el('div');
    box.appendChild(el('h4', null, label + ' (' + ids.length + ')'));
    var table = el('table', 'data records'), head = el('tr');
    ['locale', 'split', 'intent / key', 'text', 'where'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    table.appendChild(head);
    ids.forEach(function (id) {
      var rec = data.records[id], tr = el('tr');
      if (!rec) { tr.appendChild(el('td', 'muted', id)); table.appendChild(tr); return; }
      tr.appendChild(el('td', null, rec.locale));
      tr.appendChild(el('td', null, rec.partition || ''));
      tr.appendChild(el('td', null, rec.intent || rec.key || ''));
      tr.appendChild(marked(rec));
      tr.appendChild(el('td', 'muted', rec.where));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }
  function renderGap(id, into, withMessage) {
    var g = data.gaps[id];
    into.textContent = '';
    if (!g) { return; }
    if (withMessage) { into.appendChild(el('div', null, g.message)); }
    if (g.suggestion) { into.appendChild(el('div', 'muted', 'suggestion: ' + g.suggestion)); }
    if (g.evidence.length) { into.appendChild(el('div', 'muted', g.evidence.join(' · '))); }
    if (g.records.length) { into.appendChild(records(g.records_label, g.records)); }
    if (g.reference.length) { into.appendChild(records(g.reference_label, g.reference)); }
    if (!g.records.length && !g.reference.length) {
      into.appendChild(el('div', 'muted', 'No single records behind this gap: it is about the whole locale.'));
    }
  }
  document.querySelectorAll('button.gap').forEach(function (button) {
    button.addEventListener('click', function () {
      var panel = document.getElementById('records-' + button.dataset.gap);
      if (!panel.dataset.done) { renderGap(button.dataset.gap, panel, false); panel.dataset.done = '1'; }
      panel.hidden = !panel.hidden;
      button.setAttribute('aria-expanded', panel.hidden ? 'false' : 'true');
    });
  });
  var detail = document.getElementById('cell-detail');
  document.querySelectorAll('td[data-cell]').forEach(function (td) {
    td.addEventListener('click', function () {
      var ids = data.cells[td.dataset.cell] || [];
      detail.textContent = '';
      if (!ids.length) { return; }
      detail.appendChild(el('h3', null, td.title));
      ids.forEach(function (id) {
        var box = el('div', 'panel');
        renderGap(id, box, true);
        detail.appendChild(box);
      });
      detail.scrollIntoView({block: 'nearest'});
    });
  });
})();
"""

_SCRIPT_HASH = base64.b64encode(hashlib.sha256(JS.encode("utf-8")).digest()).decode("ascii")
CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SCRIPT_HASH}'; img-src data:"
