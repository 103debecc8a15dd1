"""One real browser run: `review serve`, headless Chromium logs in, decides with the keyboard.

Uses Debian's Chromium (/usr/bin/chromium) through Playwright's ``executable_path``; no browser
is downloaded. Locally the test is skipped without Chromium; under CI it fails instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from review_helpers import PASSWORD, finding, report_json
from sqlalchemy import text

from locale_guard.review.store import ReviewStore

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[str, ReviewStore]]:
    """`locale-guard review serve` on a free port, with two de-DE items and one fr-FR item."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is needed in CI (.ci/system-deps installs it)")
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    store = ReviewStore(sqlite_url, auto_migrate=False)
    store.import_report(
        report_json([
            finding("de1"),
            finding("de2", text="Du Idiot", span=(3, 8)),
            finding("fr1", locale="fr-FR", text="Quelle merde", span=(7, 12)),
        ]),
        source_name="r.json",
    )
    store.add_user("dora", password=PASSWORD, locales=["de-DE"])
    port = _free_port()
    executable = shutil.which("locale-guard", path=str(Path(sys.executable).parent)) or "locale-guard"
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [executable, "review", "serve", "--db", sqlite_url, "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("the console did not start:\n" + (tmp_path / "serve.log").read_text())
            time.sleep(0.25)
        yield base, store
    finally:
        # the server is the process itself (serve execs Streamlit); its session also holds any
        # helper it started, so the whole group it leads is stopped
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        log.close()


@pytest.mark.browser
def _settled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script run is over and the decision buttons (whose keys we press) are on the page."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    expect(page.get_by_role("button", name="Undo")).to_be_visible()


def test_log_in_and_adjudicate_with_the_keyboard(served: tuple[str, ReviewStore]) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # a busy CI machine reruns the script slowly

    base, store = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.goto(base)
            page.get_by_label("User name").fill("dora")
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", name="Queue")).to_be_visible()
            page.get_by_role("button", name="Start reviewing").click()
            expect(page.get_by_role("heading", name="Item 1")).to_be_visible()
            expect(page.locator("mark.lg-span")).to_have_text("Scheiße")
            _settled(page)
            page.get_by_role("heading", name="Item 1").click()  # focus on the page, not in a text box
            page.keyboard.press("a")
            expect(page.get_by_role("heading", name="Item 2")).to_be_visible()
            expect(page.get_by_text("Accept saved for item 1")).to_be_visible()
            _settled(page)
            page.get_by_role("heading", name="Item 2").click()
            page.keyboard.press("x")
            expect(page.get_by_text("Reject (false positive) saved for item 2")).to_be_visible()
            # the fr-FR item is out of reach through the URL as well (a new page is a new session)
            page.goto(f"{base}/?item=3")
            page.get_by_label("User name").fill("dora")
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.keyboard.press("Enter")
            expect(page.get_by_text("no item 3 in your locales")).to_be_visible()
            expect(page.get_by_text("Quelle merde")).to_have_count(0)
        finally:
            browser.close()
    with store.db.read() as session:
        rows = session.execute(text(
            "SELECT r.username, a.item_id, a.decision FROM adjudications a "
            "JOIN reviewers r ON r.id = a.reviewer_id ORDER BY a.id"
        )).all()
    assert [tuple(r) for r in rows] == [("dora", 1, "accept"), ("dora", 2, "reject")]
