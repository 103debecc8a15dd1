"""Audit history of one item: every decision, note, undo and gold resolution, oldest first."""

from __future__ import annotations

import console_kit as kit
import streamlit as st

from locale_guard.review import NotFound

me = kit.require_reviewer()
store = kit.store()
st.title("Audit history")
default = kit.current_item_id() or 1
item_id = int(st.number_input("Item", min_value=1, step=1, value=default, key="history_item"))
try:
    item = store.item(me.id, item_id)
    entries = store.history(me.id, item_id)
except NotFound as exc:
    st.error(kit.md(exc))
    st.stop()

st.caption(kit.md(f"{item.locale or '(no locale)'} · {item.rule} · status {item.status}"))
kit.show_text(item.text, item.locale, item.span_start, item.span_end)
if not entries:
    st.info("No decisions yet.")
else:
    st.dataframe(
        [
            {
                "#": e.id,
                "time (UTC)": e.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                "reviewer": e.reviewer,
                "decision": ("gold " if e.is_gold else "") + e.decision + (f" of #{e.retracts_id}" if e.retracts_id else ""),
                "fixed text": e.fixed_text or "",
                "note": e.note or "",
                "rule": e.rule,
                "rule version": e.rule_version or "",
                "model version": e.model_version or "",
            }
            for e in entries
        ],
        hide_index=True,
        width="stretch",
    )
