"""Log in: a local account (argon2-hashed password), or single sign-on when the server enables it."""

from __future__ import annotations

import time

import console_kit as kit
import streamlit as st

from locale_guard.review import AuthError

st.title("locale-guard review")
st.caption("Native-speaker review of findings. Log in with the account your lead created for you.")

failures = int(st.session_state.get("lg_login_failures", 0))
with st.form("login", clear_on_submit=False):
    username = st.text_input("User name", key="login_user", autocomplete="username")
    password = st.text_input("Password", type="password", key="login_password", autocomplete="current-password")
    submitted = st.form_submit_button("Log in", type="primary", key="login_submit")

if submitted:
    if failures >= 3:
        time.sleep(min(2.0 * (failures - 2), 10.0))  # slow down guessing in this session
    try:
        info = kit.store().authenticate(username, password)
    except AuthError as exc:
        st.session_state["lg_login_failures"] = failures + 1
        st.error(kit.md(exc))
    else:
        st.session_state.pop("lg_login_failures", None)
        st.session_state.pop("login_password", None)
        kit.log_in(info)
        st.rerun()

if kit.oidc_enabled():
    st.divider()
    st.caption("Or use your organisation's identity provider (your roles and locales still come from this console).")
    if st.button("Log in with single sign-on", key="login_oidc"):
        st.login()
