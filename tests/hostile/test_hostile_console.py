"""The review console against a hostile reviewer and hostile report text.

What tests/review/ already covers (scoping by URL/page/query, <script> and Markdown escaping,
session expiry, XSRF and upload-size server flags, argon2 hashes, kill -9 during import,
backup/restore) is not repeated; this adds the shapes it lacks: $…$ math and zero-width
characters shown verbatim, a sweep of tampered ``?item=`` values and widget values over every
foreign item, and passwords absent from logs, captured output and every database column.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from locale_guard.review.store import ReviewStore

APP = Path(__file__).resolve().parents[2] / "ui" / "app.py"
PASSWORD = "hostile horse battery 42"
#: math, Markdown, HTML and invisible characters (ZWSP, ZWJ, word joiner, BOM, RTL override)
TRICKY = "Zahle $x^2$ **jetzt** <script>alert(1)</script> a\u200bb\u200dc\u2060d\ufeffe \u202eSchei\u00dfe"
FOREIGN_TEXT = {"fr-FR": "Quelle merde secrète", "ar-EG": "هذا كلام بذيء جدا"}


def _finding(fp: str, locale: str, text: str, start: int, end: int) -> dict:
    return {
        "fingerprint": fp, "rule": "offensive/vulgar", "check": "offensive", "severity": "warning",
        "message": "vulgar word", "path": f"{locale}.json", "line": 1, "key": fp, "locale": locale,
        "text": text, "span_start": start, "span_end": end, "record_id": f"{locale}.json#{fp}",
    }


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReviewStore:
    url = f"sqlite:///{tmp_path / 'review.db'}"
    monkeypatch.setenv("LOCALE_GUARD_REVIEW_DB", url)
    monkeypatch.setenv("LOCALE_GUARD_REVIEW_SESSION_MINUTES", "60")
    instance = ReviewStore(url)
    findings = [
        _finding("de1", "de-DE", TRICKY, TRICKY.index("Schei"), len(TRICKY)),
        _finding("fr1", "fr-FR", FOREIGN_TEXT["fr-FR"], 7, 12),
        _finding("ar1", "ar-EG", FOREIGN_TEXT["ar-EG"], 4, 8),
    ]
    report = {"version": 1, "tool": {"name": "locale-guard", "version": "0.1.0"}, "findings": findings}
    instance.import_report(json.dumps(report), source_name="r.json")
    instance.add_user("dora", password=PASSWORD, locales=["de-DE"])
    return instance


def _login(user: str, password: str = PASSWORD) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="login_user").input(user)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "text", "markdown", "caption", "code", "error", "warning", "info", "success")
             for e in getattr(at, kind)]
    parts += [h.proto.body for h in at.get("html")]
    return "\n".join(str(p) for p in parts)


def _item_ids(store: ReviewStore) -> dict[str, int]:
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as db:
        rows = db.execute("SELECT id, locale FROM items").fetchall()
    return {locale: item_id for item_id, locale in rows}


def test_math_markdown_and_zero_width_text_is_shown_verbatim(store: ReviewStore) -> None:
    at = _login("dora")
    at.query_params["item"] = str(_item_ids(store)["de-DE"])
    at.run()
    assert not at.exception
    assert TRICKY in [c.value for c in at.code]  # every character, invisible ones included
    assert all(TRICKY not in m.value and "$x^2$" not in m.value for m in at.markdown)  # no LaTeX, no Markdown
    html = at.get("html")[0].proto.body
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "\u200b" in html and "\u202e" in html  # not stripped either: the reviewer must see them


def test_tampered_item_values_never_show_another_locale(store: ReviewStore) -> None:
    ids = _item_ids(store)
    at = _login("dora")
    for locale, text in FOREIGN_TEXT.items():
        foreign = ids[locale]
        tampered = [str(foreign), f" {foreign} ", f"{foreign}.0", f"0{foreign}", f"{foreign}&item=1", "-1", "0",
                    str(2**63 - 1), "1e3", "%00", "", "' OR 1=1 --"]
        for value in tampered:
            at.query_params["item"] = value
            at.run()
            assert not at.exception, (value, at.exception)
            assert text not in _shown(at), value
    at.switch_page("views/history.py").run()
    for value in (ids["fr-FR"], ids["ar-EG"], -ids["fr-FR"], 2**62):
        at.number_input(key="history_item").set_value(value).run()
        assert not at.exception
        assert all(text not in _shown(at) for text in FOREIGN_TEXT.values())


def test_passwords_are_never_logged_printed_or_stored(
    store: ReviewStore, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    other = "another secret pass 99"
    store.add_user("eve", password=other, locales=["fr-FR"])
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do; its text is checked below
        store.authenticate("eve", PASSWORD)
    store.authenticate("eve", other)
    at = _login("dora", "wrong " + PASSWORD)
    at = _login("dora")
    captured = capfd.readouterr()
    for secret in (PASSWORD, other):
        assert secret not in caplog.text
        assert secret not in captured.out and secret not in captured.err
        assert secret not in _shown(at)
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                flat = " ".join(str(v) for v in row)
                assert PASSWORD not in flat and other not in flat, table
        hashes = [r[0] for r in db.execute("SELECT password_hash FROM reviewers")]
    assert hashes and all(h.startswith("$argon2") for h in hashes)


def test_an_item_id_beyond_64_bits_is_refused_cleanly(store: ReviewStore) -> None:
    at = _login("dora")
    at.query_params["item"] = "9" * 30
    at.run()
    assert not at.exception
    assert "does not name an item" in _shown(at) or "no item" in _shown(at)
