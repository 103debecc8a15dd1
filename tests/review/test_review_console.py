"""The Streamlit console through ``streamlit.testing.v1.AppTest``: every page, scoping, safe text."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import PASSWORD, finding, report_json
from streamlit.testing.v1 import AppTest

from locale_guard.review.store import ReviewStore

APP = Path(__file__).resolve().parents[2] / "ui" / "app.py"
HOSTILE = '<img src=x onerror="alert(1)"> **bold** <script>alert(2)</script> Scheiße'


@pytest.fixture
def console(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> ReviewStore:
    """A store with de-DE, fr-FR and ar-EG items, and users of every role."""
    monkeypatch.setenv("LOCALE_GUARD_REVIEW_DB", sqlite_url)
    monkeypatch.setenv("LOCALE_GUARD_REVIEW_SESSION_MINUTES", "60")
    store = ReviewStore(sqlite_url, auto_migrate=False)
    store.import_report(
        report_json([
            finding("de1"),
            finding("de2", text=HOSTILE, span=(HOSTILE.index("Scheiße"), len(HOSTILE))),
            finding("fr1", locale="fr-FR", text="Quelle merde secrète", span=(7, 12)),
            finding("ar1", locale="ar-EG", text="هذا كلام بذيء جدا", span=(4, 8),
                    source_text="This is very rude talk"),
        ]),
        source_name="r.json",
    )
    store.add_user("dora", password=PASSWORD, locales=["de-DE"])
    store.add_user("dieter", password=PASSWORD, locales=["de-DE"])
    store.add_user("amal", password=PASSWORD, locales=["ar-EG"])
    store.add_user("lena", password=PASSWORD, role="lead", locales=["de-DE"])
    store.add_user("root", password=PASSWORD, role="admin", locales=["*"])
    store.set_guideline_operator("offensive/vulgar", "de-DE", "Accept **vulgar** words unless quoted.")
    return store


def login(user: str, password: str = PASSWORD) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    at.text_input(key="login_user").input(user)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, at.exception
    return at


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def all_text(at: AppTest) -> str:
    """Everything the page shows as text, markdown, code or HTML (for "is it there?" checks)."""
    parts = [e.value for kind in ("text", "markdown", "caption", "code", "error", "warning", "info", "success")
             for e in getattr(at, kind)]
    parts += [h.proto.body for h in at.get("html")]
    return "\n".join(str(p) for p in parts)


def start_queue(at: AppTest) -> AppTest:
    at.button(key="queue_start").click().run()
    assert not at.exception, at.exception
    return at


# --------------------------------------------------------------------------------- login


def test_login_page_rejects_bad_passwords_and_offers_only_login(console: ReviewStore) -> None:
    at = login("dora", "not the password")
    assert titles(at) == ["locale-guard review"]
    assert [e.value for e in at.error] == ["wrong user name or password"]
    assert "lg_auth" not in at.session_state


def test_login_leads_to_the_queue_of_own_locales(console: ReviewStore) -> None:
    at = login("dora")
    assert titles(at) == ["Queue"]
    table = at.dataframe[0].value
    assert list(table["locale"]) == ["de-DE"]
    assert "Dora" not in all_text(at) and "dora (reviewer)" in all_text(at)


def test_sessions_expire(console: ReviewStore) -> None:
    at = login("dora")
    auth = dict(at.session_state["lg_auth"])
    at.session_state["lg_auth"] = {**auth, "at": auth["at"] - 61 * 60}
    at.run()
    assert titles(at) == ["locale-guard review"]
    assert any("session expired" in w.value for w in at.warning)


def test_a_disabled_account_is_logged_out_at_the_next_click(console: ReviewStore) -> None:
    at = login("dora")
    console.set_active("dora", False)
    at.run()
    assert titles(at) == ["locale-guard review"]


# -------------------------------------------------------------------------------- review


def test_review_page_shows_text_verbatim_with_span_evidence_and_guideline(console: ReviewStore) -> None:
    at = start_queue(login("dora"))
    assert titles(at) == ["Item 1"]
    html = at.get("html")[0].proto.body
    assert 'dir="auto"' in html and 'lang="de-DE"' in html
    assert 'Das ist <mark class="lg-span">Scheiße</mark>' in html
    shown = all_text(at)
    assert "Rule: offensive/vulgar (from rule)" in shown and "Matched: Scheiße" in shown
    assert "Accept **vulgar** words unless quoted." in [m.value for m in at.markdown]
    assert {b.key for b in at.button} >= {"act_accept", "act_reject", "act_fix", "act_skip", "act_note", "act_undo"}


def test_hostile_text_is_escaped_never_markup(console: ReviewStore) -> None:
    at = login("dora")
    at.query_params["item"] = "2"
    at.run()
    assert titles(at) == ["Item 2"]
    html = at.get("html")[0].proto.body
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; **bold** &lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert all(HOSTILE not in m.value for m in at.markdown)  # never rendered as Markdown
    assert HOSTILE in [c.value for c in at.code]  # the exact characters, as code


def test_values_from_a_report_are_inert_in_markdown_elements(console: ReviewStore) -> None:
    rule = "offensive/![t](http://evil.example/t.png)"
    console.import_report(report_json([finding("odd", rule=rule)]), source_name="r.json")
    at = login("dora")
    at.query_params["item"] = "5"
    at.run()
    caption = at.caption[0].value
    assert "](http" not in caption and r"\!\[t\]\(http\://evil\.example/t\.png\)" in caption
    assert f"Rule: {rule} (from rule)" in [t.value for t in at.text]  # st.text shows it as typed


def test_right_to_left_text_and_source_string(console: ReviewStore) -> None:
    at = start_queue(login("amal"))
    bodies = [h.proto.body for h in at.get("html")]
    assert 'dir="rtl"' in bodies[0] and 'lang="ar-EG"' in bodies[0]
    assert '<mark class="lg-span">كلام</mark>' in bodies[0]
    assert any("This is very rude talk" in b for b in bodies[1:])


def test_decide_with_keys_then_undo(console: ReviewStore) -> None:
    at = start_queue(login("dora"))
    assert titles(at) == ["Item 1"]
    accept = at.button(key="act_accept")
    assert accept.proto.shortcut.lower() == "a"
    accept.click().run()
    assert titles(at) == ["Item 2"]  # the next item of the queue
    assert any("Accept saved for item 1" in s.value for s in at.success)
    at.button(key="act_undo").click().run()
    assert titles(at) == ["Item 1"]
    dora = console.authenticate("dora", PASSWORD).id
    assert [h.decision for h in console.history(dora, 1)] == ["accept", "undo"]
    assert console.item(dora, 1).my_decision is None


def test_fix_and_note_and_skip(console: ReviewStore) -> None:
    at = start_queue(login("dora"))
    at.text_area(key="note_1").input("quoted from a film")
    at.button(key="act_note").click().run()
    assert titles(at) == ["Item 1"]
    at.text_area(key="fix_1").input("Das ist Mist")
    at.button(key="act_fix").click().run()
    assert titles(at) == ["Item 2"]
    at.button(key="act_skip").click().run()
    dora = console.authenticate("dora", PASSWORD).id
    log = [(h.decision, h.fixed_text, h.note) for h in console.history(dora, 1)]
    assert log == [("note", None, "quoted from a film"), ("fix", "Das ist Mist", None)]
    assert console.item(dora, 2).my_decision == "skip"
    assert any("This queue is done" in i.value for i in at.info)


def test_a_fix_without_a_change_is_refused_with_a_message(console: ReviewStore) -> None:
    at = start_queue(login("dora"))
    at.button(key="act_fix").click().run()  # the box still holds the original text
    assert titles(at) == ["Item 1"]
    assert any("same as the original" in e.value for e in at.error)


# --------------------------------------------------------------------- scoping by any page


def test_a_de_reviewer_cannot_reach_fr_items_by_url_page_or_query(console: ReviewStore) -> None:
    at = login("dora")
    at.query_params["item"] = "3"  # fr-FR
    at.run()
    assert [e.value for e in at.error] == ["no item 3 in your locales"]
    assert "merde" not in all_text(at)
    assert not any(b.key.startswith("act_") and b.key != "act_undo" for b in at.button)
    at.query_params["item"] = "3 OR 1=1"
    at.run()
    assert "does not name an item" in all_text(at)
    at.switch_page("views/history.py").run()
    at.number_input(key="history_item").set_value(3).run()
    assert [e.value for e in at.error] == ["no item 3 in your locales"]
    assert "merde" not in all_text(at)
    at.switch_page("views/dashboard.py").run()
    assert [m.value for m in at.metric] == ["2", "2", "0", "0"]  # only the two de-DE items
    for page in ("views/lead.py", "views/admin.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    assert console.history(console.authenticate("root", PASSWORD).id, 3) == []


def test_pages_stop_without_login(console: ReviewStore) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["item"] = "1"
    at.run()
    assert titles(at) == ["locale-guard review"]
    assert "Scheiße" not in all_text(at)


# -------------------------------------------------------------------------- history page


def test_history_page_lists_the_audit_log(console: ReviewStore) -> None:
    dora = console.authenticate("dora", PASSWORD).id
    console.claim_next(dora)
    console.decide(dora, 1, "reject", note="a fish's tail fin")
    at = login("dora")
    at.switch_page("views/history.py").run()
    table = at.dataframe[0].value
    assert list(table["reviewer"]) == ["dora"]
    assert list(table["decision"]) == ["reject"] and list(table["note"]) == ["a fish's tail fin"]


# ------------------------------------------------------------------------ dashboard page


def test_dashboard_charts_and_agreement(console: ReviewStore) -> None:
    console.import_report(report_json([finding("de1")]), source_name="r.json", required_reviews=2)
    dora = console.authenticate("dora", PASSWORD).id
    dieter = console.authenticate("dieter", PASSWORD).id
    console.claim_next(dora)
    console.claim_next(dieter)
    console.decide(dora, 1, "accept")
    console.decide(dieter, 1, "reject")
    at = login("lena")
    at.switch_page("views/dashboard.py").run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["2", "1", "1", "0"]
    assert len(at.get("vega_lite_chart")) == 3
    agreement = at.dataframe[-1].value
    assert set(agreement["rule"]) == {"offensive/vulgar", "(all rules)"}
    assert set(agreement["percent_agreement"]) == {0.0}


# ------------------------------------------------------------------------------ lead page


def test_lead_resolves_a_conflict_and_writes_a_guideline(console: ReviewStore) -> None:
    console.import_report(report_json([finding("de1")]), source_name="r.json", required_reviews=2)
    dora = console.authenticate("dora", PASSWORD).id
    dieter = console.authenticate("dieter", PASSWORD).id
    for reviewer, decision in ((dora, "accept"), (dieter, "reject")):
        console.claim_next(reviewer)
        console.decide(reviewer, 1, decision)
    at = login("lena")
    at.switch_page("views/lead.py").run()
    assert not at.exception, at.exception
    votes = at.dataframe[0].value
    assert sorted(votes["decision"]) == ["accept", "reject"]
    at.radio(key="lead_decision").set_value("reject")
    at.text_input(key="lead_note_1").input("a fish, not an insult")
    at.button(key="lead_resolve").click().run()
    lena = console.authenticate("lena", PASSWORD).id
    assert console.item(lena, 1).gold_decision == "reject"
    assert any("No disagreements" in s.value for s in at.success)
    at.text_input(key="guide_rule").input("offensive").run()
    at.text_area(key="guide_text_offensive_de-DE").input("Check the context first.")
    at.button(key="guide_save").click().run()
    assert console.item(lena, 1).guideline == "Accept **vulgar** words unless quoted."  # the rule's own wins
    assert any(g.rule == "offensive" and g.text == "Check the context first." for g in console.guidelines(lena))


# ----------------------------------------------------------------------------- admin page


def test_admin_adds_users_grants_locales_and_imports_a_report(console: ReviewStore) -> None:
    at = login("root")
    at.switch_page("views/admin.py").run()
    assert not at.exception, at.exception
    assert "dora" in list(at.dataframe[0].value["user"])
    at.text_input(key="add_username").input("fatima")
    at.text_input(key="add_password").input("a long enough password")
    at.text_input(key="add_locales").input("fa-IR, ur")
    at.button(key="add_user_submit").click().run()
    assert console.authenticate("fatima", "a long enough password").locales == ("fa-IR", "ur")
    at.selectbox(key="grant_user").set_value("dora")
    at.text_input(key="grant_locales").input("fr-FR")
    at.button(key="grant_do").click().run()
    assert console.whoami(console.authenticate("dora", PASSWORD).id).locales == ("de-DE", "fr-FR")
    upload = report_json([finding("up1", locale="fa-IR", text="این متن است", span=(0, 3))]).encode()
    at.file_uploader(key="import_file").set_value(("findings.json", upload, "application/json"))
    at.run()
    at.button(key="import_do").click().run()
    assert any("1 new" in s.value for s in at.success), all_text(at)
    at.file_uploader(key="import_file").set_value(("bad.json", b'{"findings": [{"rule": "x"}]}', "application/json"))
    at.run()
    at.button(key="import_do").click().run()
    assert any("no 'fingerprint'" in e.value for e in at.error)


def test_non_admins_cannot_use_admin_actions_even_if_they_reach_the_page(
    console: ReviewStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(APP.parent))
    at = login("lena")
    page = AppTest.from_file(APP.parent / "views" / "admin.py", default_timeout=60)
    page.session_state["lg_auth"] = at.session_state["lg_auth"]
    page.run()
    assert [e.value for e in page.error] == ["This page is for the role admin."]
    assert not page.dataframe


def test_a_decision_that_lost_the_race_is_reported_not_saved(console: ReviewStore) -> None:
    at = login("dora")
    at.query_params["item"] = "1"  # opened by link, so not claimed by dora
    at.run()
    dieter = console.authenticate("dieter", PASSWORD).id
    assert console.claim_next(dieter).id == 1  # type: ignore[union-attr]
    console.decide(dieter, 1, "reject")
    at.button(key="act_accept").click().run()
    assert any("Not saved" in w.value and "already has its 1 review" in w.value for w in at.warning)
    dora = console.authenticate("dora", PASSWORD).id
    assert [h.reviewer for h in console.history(dora, 1)] == ["dieter"]
