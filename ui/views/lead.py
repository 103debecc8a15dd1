"""Leads: resolve disagreements into a gold decision, and write the guidelines reviewers see."""

from __future__ import annotations

import console_kit as kit
import streamlit as st

from locale_guard.review import ReviewError

me = kit.require_reviewer("lead", "admin")
store = kit.store()
st.title("Lead")
tab_conflicts, tab_guides = st.tabs(["Conflicts", "Guidelines"])

with tab_conflicts:
    conflicts = store.conflicts(me.id)
    if not conflicts:
        st.success("No disagreements to resolve in your locales.")
    else:
        labels = {c.id: f"#{c.id} · {c.locale} · {c.rule}" for c in conflicts}
        chosen = st.selectbox("Item", list(labels), format_func=labels.__getitem__, key="lead_item")
        item = next(c for c in conflicts if c.id == chosen)
        kit.show_text(item.text, item.locale, item.span_start, item.span_end)
        if item.message:
            st.text(f"Message: {item.message}")
        st.dataframe(
            [{"reviewer": v.reviewer, "decision": v.decision, "fixed text": v.fixed_text or ""} for v in item.votes],
            hide_index=True,
        )
        decision = st.radio("Gold decision", ["accept", "reject", "fix"], horizontal=True, key="lead_decision",
                            format_func=kit.DECISION_LABELS.__getitem__)
        fixes = [v.fixed_text for v in item.votes if v.fixed_text]
        fixed = st.text_area("Fixed text (for fix)", value=fixes[-1] if fixes else item.text, key=f"lead_fix_{item.id}")
        note = st.text_input("Note", key=f"lead_note_{item.id}")
        if st.button("Resolve", type="primary", key="lead_resolve"):
            try:
                store.resolve(me.id, item.id, decision, fixed_text=fixed if decision == "fix" else None, note=note or None)
            except ReviewError as exc:
                st.error(kit.md(exc))
            else:
                kit.flash(f"Item {item.id} resolved: {decision}.")
                st.rerun()

with tab_guides:
    existing = store.guidelines(me.id)
    if existing:
        st.dataframe(
            [{"rule": g.rule, "locale": g.locale, "by": g.updated_by or "", "text": g.text} for g in existing],
            hide_index=True,
            width="stretch",
        )
    rule = st.text_input("Rule (offensive/vulgar) or whole check (offensive)", key="guide_rule")
    locales = [loc for loc in me.locales]
    locale = st.selectbox("Locale", locales, key="guide_locale") if locales else None
    current = next((g.text for g in existing if g.rule == rule.strip() and g.locale == locale), "")
    body = st.text_area("Guideline (Markdown; empty removes it)", value=current, key=f"guide_text_{rule}_{locale}", height=160)
    if st.button("Save guideline", key="guide_save") and locale:
        try:
            store.set_guideline(me.id, rule, locale, body)
        except ReviewError as exc:
            st.error(kit.md(exc))
        else:
            kit.flash(f"Guideline for {kit.md(rule)} in {kit.md(locale)} saved.")
            st.rerun()
