"""locale-guard review console (Streamlit). Start it with ``locale-guard review serve``.

The entry point: it checks the login, then shows only the pages the reviewer's role may use.
Every page talks to :class:`locale_guard.review.ReviewStore` and nothing else; see
``console_kit.py`` for the rules on scoping and text rendering.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # console_kit next to this file, also under AppTest
    sys.path.insert(0, str(HERE))

import console_kit as kit  # noqa: E402
import streamlit as st  # noqa: E402

st.set_page_config(page_title="locale-guard review", page_icon=":material/translate:", layout="wide")

me = kit.current_reviewer()
if me is None and kit.oidc_enabled() and st.user.is_logged_in:
    from locale_guard.review import AuthError

    try:
        kit.log_in(kit.store().login_oidc(st.user.get("email")))
        me = kit.current_reviewer()
    except AuthError as exc:
        st.error(kit.md(exc))

views = HERE / "views"
if me is None:
    pages = [st.Page(views / "login.py", title="Log in", icon=":material/login:", default=True)]
else:
    pages = [
        st.Page(views / "queue.py", title="Queue", icon=":material/inbox:", default=True),
        st.Page(views / "review.py", title="Review", icon=":material/rate_review:"),
        st.Page(views / "history.py", title="History", icon=":material/history:"),
        st.Page(views / "dashboard.py", title="Progress", icon=":material/bar_chart:"),
    ]
    if me.is_lead:
        pages.append(st.Page(views / "lead.py", title="Lead", icon=":material/gavel:"))
    if me.is_admin:
        pages.append(st.Page(views / "admin.py", title="Admin", icon=":material/admin_panel_settings:"))
    with st.sidebar:
        st.text(f"{me.label} ({me.role})")
        st.caption("Locales: " + (", ".join(me.locales) or "none"))
        if st.button("Log out", key="logout"):
            kit.store().release(me.id)
            kit.log_out()
            if kit.oidc_enabled() and st.user.is_logged_in:
                st.logout()
            st.rerun()

page = st.navigation(pages)
# a link to one item (?item=123) opens the review page; the store decides whether it is visible
if me is not None and "item" in st.query_params:
    raw = st.query_params.get("item", "")
    del st.query_params["item"]
    if raw.isascii() and raw.isdigit() and int(raw) < 2**63:  # SQL integers are 64-bit
        kit.set_item(int(raw))
    else:
        kit.set_item(None)
        kit.flash("That link does not name an item.", "error")
    if page.title != "Review":
        st.switch_page(views / "review.py")
kit.input_direction_style()
kit.show_flash()
page.run()
