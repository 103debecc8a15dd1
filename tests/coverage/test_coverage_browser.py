"""The HTML report in a real browser: headless Chromium draws it, and a click on a gap or a
heatmap cell shows the records behind it. Skipped where /usr/bin/chromium is not installed."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from _coverage_helpers import MASSIVE
from click.testing import CliRunner

from locale_guard.cli import cli

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("html") / "coverage.html"
    result = CliRunner().invoke(
        cli, ["coverage", str(MASSIVE), "--no-holidays", "--html", str(target), "--fail-on", "never"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return target


def png_size_and_colours(data: bytes) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values in the decoded image rows (a blank
    page has one or two, a drawn report hundreds); PNG parsed with zlib alone."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, pos = [], 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    return width, height, len(set(raw))


def test_headless_chromium_screenshot(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            str(CHROMIUM), *ARGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,2000",
            f"--screenshot={shot}", report.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = shot.read_bytes()
    width, height, colours = png_size_and_colours(data)
    assert (width, height) == (1280, 2000)
    assert len(data) > 20_000 and colours > 50


def test_clicking_a_gap_shows_its_records(report: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS[1:])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.goto(report.as_uri())
            thin = page.locator("button.gap", has_text="only 6 examples of 'alarm_query' in pl-PL")
            gap_id = thin.get_attribute("data-gap")
            panel = page.locator(f"#records-{gap_id}")
            assert panel.is_hidden()
            thin.click()
            assert panel.is_visible()
            text = panel.inner_text()
            # the pl-PL examples, and the four en-US examples pl-PL lacks (ids 16-19)
            assert "pl-PL examples (6)" in text and "jakie mam budziki" in text
            assert "en-US examples pl-PL lacks (4)" in text and "do i have any alarms set" in text
            # slot values are marked
            assert panel.locator("mark").count() >= 1
            thin.click()
            assert panel.is_hidden()

            # a heatmap cell opens the same gap below the map
            page.locator('td[data-cell="pl-PL|alarm_query"]').click()
            detail = page.locator("#cell-detail")
            assert "only 6 examples of 'alarm_query'" in detail.inner_text()
            assert errors == []
        finally:
            browser.close()
