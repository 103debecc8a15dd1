"""HTML reporter: self-contained, everything escaped, RTL text marked, filters that work."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from _fixtures import ALLOWED_TAGS, ARABIC, FINDING_ROWS, HEBREW, Page, full_result, make_result

from locale_guard.reporters import RenderOptions, get_reporter, reporter_for_file
from locale_guard.reporters.html import CSP, esc, marked_text, render, text_direction


def _page(result=None) -> tuple[str, Page]:
    text = render(result if result is not None else full_result(), RenderOptions())
    page = Page()
    page.feed(text)
    page.close()
    return text, page


def test_page_is_self_contained() -> None:
    text, page = _page()
    assert text.startswith("<!DOCTYPE html>")
    for tag, attrs in page.elements:
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        assert "src" not in attrs, (tag, attrs)
        assert not (attrs.get("href") or "").startswith(("http:", "https:", "//"))
    assert "http://" not in text and "https://" not in text
    assert len(page.scripts) == 1


def test_only_our_script_may_run() -> None:
    _, page = _page()
    (script,) = page.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in CSP
    assert "default-src 'none'" in CSP
    csp = [a for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert [a["content"] for a in csp] == [CSP]


def test_untrusted_text_is_escaped_everywhere() -> None:
    text, page = _page()
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "<b>bold</b>" not in text
    # no element came from the data: only the tags the reporter writes
    assert {tag for tag, _ in page.elements} <= ALLOWED_TAGS
    hostile = next(c for c in page.cells if c["text"].startswith("<script>"))
    assert hostile["marked"] == "<script>"
    # control characters (CR too) are shown as symbols; the newline stays a line break
    assert "ctl:\u2400\u2401\u2408\u240b\u240c\u241b\u2421\\x85 crlf:\u240d\nend" in hostile["text"]
    for bad in ("\x00", "\x01", "\x1b", "\x7f", "\x85"):
        assert bad not in text


def test_text_cells_carry_direction_language_and_the_marked_span() -> None:
    _, page = _page()
    by_text = {c["text"]: c for c in page.cells}
    arabic, hebrew = by_text[ARABIC], by_text[HEBREW]
    assert arabic["attrs"]["dir"] == "rtl" and arabic["attrs"]["lang"] == "ar-SA"
    assert hebrew["attrs"]["dir"] == "rtl" and hebrew["attrs"]["lang"] == "he-IL"
    assert arabic["marked"] == ARABIC[0:5] and hebrew["marked"] == HEBREW[6:8]
    german = by_text["Hallo, wie geht es dir?"]
    assert german["attrs"]["dir"] == "auto" and german["marked"] == "dir"
    assert by_text["(no text)"]["marked"] == ""  # the missing-key finding has no text


@pytest.mark.parametrize(
    ("locale", "direction"),
    [("ar", "rtl"), ("ar-EG", "rtl"), ("he-IL", "rtl"), ("fa-IR", "rtl"), ("ur-PK", "rtl"), ("ckb", "rtl"),
     ("sd-Deva", "auto"), ("en-US", "auto"), ("ja", "auto"), ("not a locale", "auto"), (None, "auto")],
)  # fmt: skip
def test_text_direction(locale: str | None, direction: str) -> None:
    assert text_direction(locale) == direction


def test_marked_text_clamps_spans_and_escapes_each_part() -> None:
    assert marked_text("a<b>c", {"start": 1, "end": 4}) == "a<mark>&lt;b&gt;</mark>c"
    assert marked_text("abc", {"start": 2, "end": 99}) == "ab<mark>c</mark>"
    assert marked_text("abc", {"start": -5, "end": 1}) == "<mark>a</mark>bc"
    assert marked_text("abc", {"start": 2, "end": 2}) == "abc"
    assert marked_text("abc", None) == "abc"
    assert esc('"\'&<>') == "&quot;&#x27;&amp;&lt;&gt;"
    assert esc("\ud800") == "\\ud800"


def test_summary_counts_and_groups() -> None:
    text, page = _page()
    assert "8 finding(s) in 6 file(s)" in text
    assert '<th class="sev-error">error</th><td>3</td>' in text
    assert '<th class="sev-warning">warning</th><td>2</td>' in text
    assert '<th class="sev-info">info</th><td>3</td>' in text
    assert "<th>formality</th><td>2</td>" in text and "<th>offensive</th><td>2</td>" in text
    assert "<th>de-DE</th><td>2</td>" in text and "<th>ar-SA</th><td>1</td>" in text
    headings = [h for h in text.split("<h2>")[1:]]
    files = [h.split("</h2>")[0] for h in headings if not h.startswith(("2 input", "1 input"))]
    assert files == [*sorted(files[:-1]), "(no file)"]
    assert files[0] == "data/utterances fr.jsonl"
    rows = [a for t, a in page.elements if t == "tr" and "data-severity" in a]
    assert len(rows) == len(FINDING_ROWS)


def test_filters_offer_the_values_present() -> None:
    _, page = _page()
    ids = {a.get("id") for t, a in page.elements if t in ("input", "select")}
    assert ids == {"q", "f-locale", "f-severity", "f-check"}
    options = [a["value"] for t, a in page.elements if t == "option"]
    for value in ("ar-SA", "he-IL", "it-IT", "error", "warning", "info", "offensive", "coverage"):
        assert value in options


def test_input_errors_are_listed_escaped() -> None:
    text, _ = _page()
    assert "2 input(s) could not be read" in text
    assert "locales/broken.json:3: invalid JSON: Expecting &#x27;,&#x27; delimiter &lt;here&gt;" in text


def test_empty_report() -> None:
    text, page = _page(make_result([], checks_run=[]))
    assert "No findings." in text and len(page.scripts) == 1


def test_reporter_is_registered_for_html_files() -> None:
    reporter = get_reporter("html")
    assert reporter_for_file("report.html") is reporter


def _chromium() -> str | None:
    return os.environ.get("LOCALE_GUARD_CHROMIUM") or shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@pytest.mark.browser
def test_filters_work_in_a_browser_and_no_data_script_runs(tmp_path: Path) -> None:
    executable = _chromium()
    if executable is None:
        pytest.skip("needs Chromium (/usr/bin/chromium or LOCALE_GUARD_CHROMIUM)")
    sync_api = pytest.importorskip("playwright.sync_api")
    report = tmp_path / "report.html"
    report.write_text(render(full_result(), RenderOptions()), encoding="utf-8")
    dialogs: list[str] = []
    violations: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: violations.append(m.text) if m.type == "error" else None)
        page.goto(report.as_uri())
        visible = "table.findings tbody tr:not([hidden])"
        assert page.locator(visible).count() == len(FINDING_ROWS)
        assert page.text_content("#shown") == str(len(FINDING_ROWS))
        page.select_option("#f-severity", "error")
        assert page.locator(visible).count() == 3
        page.select_option("#f-severity", "")
        page.select_option("#f-locale", "ar-SA")
        assert page.locator(visible).count() == 1
        assert page.locator("section.file:not([hidden])").count() == 1
        page.select_option("#f-locale", "")
        page.fill("#q", "WIE GEHT")
        assert page.locator(visible).count() == 1
        page.fill("#q", "")
        page.select_option("#f-check", "coverage")
        assert page.locator(visible).count() == 2
        assert page.text_content("#shown") == "2"
        assert not [v for v in violations if "Content Security Policy" in v]
        # defence in depth: a script that got in despite the escaping is blocked by the CSP
        injected = tmp_path / "injected.html"
        injected.write_text(
            report.read_text(encoding="utf-8").replace("<main>", "<main><script>alert('injected')</script>"),
            encoding="utf-8",
        )
        page.goto(injected.as_uri())
        assert page.locator(visible).count() == len(FINDING_ROWS)  # our script still runs
        browser.close()
    assert dialogs == []  # neither the data's <script>alert('x')</script> nor the injected one ran
    assert any("Content Security Policy" in v for v in violations)
