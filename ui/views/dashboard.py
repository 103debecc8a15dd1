"""Progress: pending / conflicting / done per locale, per check and per reviewer, and agreement."""

from __future__ import annotations

import console_kit as kit
import streamlit as st

me = kit.require_reviewer()
store = kit.store()
st.title("Progress")
progress = store.progress(me.id)
totals = progress.totals
cols = st.columns(4)
for column, (label, key) in zip(cols, (("Items", "items"), ("Pending", "pending"), ("Conflicting", "conflict"), ("Done", "done")), strict=True):
    column.metric(label, totals[key])
if totals["items"] == 0:
    st.info("No items in your locales yet.")
    st.stop()

statuses = ["pending", "conflict", "done"]
left, right = st.columns(2)
with left:
    st.subheader("Per locale")
    st.bar_chart(kit.as_pandas(progress.by_locale.fill_null("(none)")), x="locale", y=statuses, stack=True)
with right:
    st.subheader("Per check")
    st.bar_chart(kit.as_pandas(progress.by_check), x="check", y=statuses, stack=True)
st.subheader("Per reviewer")
if progress.by_reviewer.height:
    st.bar_chart(kit.as_pandas(progress.by_reviewer), x="reviewer", y=["accept", "reject", "fix", "skip"], stack=True)
    st.dataframe(progress.by_reviewer, hide_index=True)
else:
    st.caption("No decisions yet.")

st.subheader("Agreement")
st.caption(
    "Per locale and rule, on items with two or more reviews (fix counts as accept). Cohen's κ when "
    "exactly two reviewers rated; Fleiss' κ when every item has the same number of reviews; "
    "Krippendorff's α always (it allows missing reviews). Empty: not defined for these data."
)
agreement = store.agreement(me.id)
if agreement.height:
    st.dataframe(agreement, hide_index=True, width="stretch")
else:
    st.caption("No item has two reviews yet.")
