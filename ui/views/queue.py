"""The reviewer's queues: one per locale and check, only in the reviewer's locales (the store scopes them)."""

from __future__ import annotations

import console_kit as kit
import polars as pl
import streamlit as st

me = kit.require_reviewer()
store = kit.store()
st.title("Queue")
overview = store.queue(me.id)
if overview.height == 0:
    st.info("Nothing to review in your locales yet. An admin imports findings with `locale-guard review import`.")
    st.stop()

st.dataframe(
    overview.rename({"for_me": "waiting for you"}),
    hide_index=True,
    width="stretch",
)
options = [(r["locale"], r["check"]) for r in overview.filter(pl.col("for_me") > 0).iter_rows(named=True)]
if not options:
    st.success("You have reviewed everything that needs you. Thank you!")
    st.stop()

current = kit.queue_filter()
labels = [f"{loc or '(no locale)'} · {check} ({n} waiting)" for (loc, check), n in
          zip(options, overview.filter(pl.col("for_me") > 0)["for_me"].to_list(), strict=True)]
default = next((i for i, (loc, check) in enumerate(options) if current == {"locale": loc, "check": check}), 0)
choice = st.selectbox("Queue", range(len(options)), index=default, format_func=lambda i: labels[i], key="queue_choice")
if st.button("Start reviewing", type="primary", key="queue_start", shortcut="Enter"):
    locale, check = options[choice]
    kit.set_queue_filter(locale, check)
    item = store.claim_next(me.id, locale=locale, check=check)
    if item is None:
        st.warning("Someone else took the last item of this queue.")
    else:
        kit.set_item(item.id)
        st.switch_page("views/review.py")
