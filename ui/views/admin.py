"""Admins: accounts, roles and locales, and uploading findings reports."""

from __future__ import annotations

import console_kit as kit
import streamlit as st

from locale_guard.readers.base import InputError
from locale_guard.review import ReviewError

me = kit.require_reviewer("admin")
store = kit.store()
st.title("Admin")
tab_users, tab_import = st.tabs(["Users", "Import findings"])

with tab_users:
    people = store.admin_users(me.id)
    st.dataframe(
        [
            {"user": p.username, "name": p.display_name or "", "role": p.role, "locales": ", ".join(p.locales),
             "e-mail": p.email or "", "active": p.active}
            for p in people
        ],
        hide_index=True,
        width="stretch",
    )
    st.subheader("Add a user")
    with st.form("add_user", clear_on_submit=True):
        username = st.text_input("User name", key="add_username")
        password = st.text_input("Password (10+ characters; empty for single sign-on only)", type="password", key="add_password")
        email = st.text_input("E-mail (for single sign-on)", key="add_email")
        role = st.selectbox("Role", ["reviewer", "lead", "admin"], key="add_role")
        locales = st.text_input("Locales (comma-separated: de-DE, fr, *)", key="add_locales")
        if st.form_submit_button("Add user", key="add_user_submit"):
            try:
                store.admin_add_user(
                    me.id, username, password=password or None, role=role, email=email or None,
                    locales=[x.strip() for x in locales.split(",") if x.strip()],
                )
            except ReviewError as exc:
                st.error(kit.md(exc))
            else:
                kit.flash(f"Added {kit.md(username)}.")
                st.rerun()
    st.subheader("Change locales or role")
    names = [p.username for p in people]
    who = st.selectbox("User", names, key="grant_user")
    change = st.text_input("Locales (comma-separated)", key="grant_locales")
    new_role = st.selectbox("Role", ["(unchanged)", "reviewer", "lead", "admin"], key="grant_role")
    grant_col, revoke_col = st.columns(2)
    wanted = [x.strip() for x in change.split(",") if x.strip()]
    if grant_col.button("Grant", key="grant_do"):
        try:
            store.admin_grant(me.id, who, locales=wanted, role=None if new_role == "(unchanged)" else new_role)
        except ReviewError as exc:
            st.error(kit.md(exc))
        else:
            kit.flash(f"Updated {kit.md(who)}.")
            st.rerun()
    if revoke_col.button("Revoke locales", key="revoke_do"):
        try:
            store.admin_revoke(me.id, who, wanted)
        except ReviewError as exc:
            st.error(kit.md(exc))
        else:
            kit.flash(f"Revoked {kit.md(', '.join(wanted))} from {kit.md(who)}.")
            st.rerun()

with tab_import:
    st.caption("The JSON report of `locale-guard check --format json`. Re-importing updates items by fingerprint.")
    upload = st.file_uploader("Findings report", type=["json"], key="import_file")
    reviewers = st.number_input("Reviewers per item (applies to new and re-imported items)", min_value=1, max_value=20, value=1, key="import_reviewers")
    if st.button("Import", key="import_do", disabled=upload is None) and upload is not None:
        try:
            result = store.admin_import(me.id, upload.getvalue(), source_name=upload.name, required_reviews=int(reviewers))
        except (ReviewError, InputError) as exc:
            st.error(kit.md(exc))
        else:
            kit.flash(f"{kit.md(upload.name)}: {result.findings} finding(s), {result.created} new, {result.updated} updated.")
            st.rerun()
    history = store.imports()
    if history:
        st.dataframe(history, hide_index=True, width="stretch")
