"""One item: the text verbatim with its span, the evidence, the guideline, and the decision keys.

Keys (shown on the buttons): A accept · X reject as false positive · F fix (with the text in the
box) · S skip · N save the note · U undo your last decision. After a decision the next item of
the same queue is claimed and shown.
"""

from __future__ import annotations

import console_kit as kit
import streamlit as st

from locale_guard.review import ConflictError, NotFound, ReviewError

me = kit.require_reviewer()
store = kit.store()

item_id = kit.current_item_id()
queue = kit.queue_filter()
if item_id is None and queue:
    claimed = store.claim_next(me.id, locale=queue.get("locale"), check=queue.get("check"))
    item_id = claimed.id if claimed else None
    kit.set_item(item_id)


def undo_button() -> None:
    if st.button("Undo", key="act_undo", shortcut="U", help="Take back your last decision (U)"):
        try:
            back = store.undo(me.id)
        except NotFound as exc:
            st.warning(kit.md(exc))
        else:
            kit.set_item(back)
            kit.flash(f"Your last decision on item {back} was undone.", "warning")
            st.rerun()


if item_id is None:
    st.title("Review")
    st.info("Nothing open. Pick a queue on the Queue page." if not queue else "This queue is done. Thank you!")
    undo_button()
    st.stop()

try:
    item = store.item(me.id, item_id)
except NotFound as exc:
    kit.set_item(None)
    st.title("Review")
    st.error(kit.md(exc))
    st.stop()

st.title(f"Item {item.id}")
st.caption(
    kit.md(
        f"{item.locale or '(no locale)'} · {item.check} · rule {item.rule} · severity {item.severity or 'n/a'}"
        f" · status {item.status} · {item.required_reviews} review(s) needed"
    )
)
if item.gold_decision:
    st.info(f"A lead resolved this item: {item.gold_decision}.")
if item.my_decision:
    st.info(f"Your decision: {kit.DECISION_LABELS.get(item.my_decision, item.my_decision)}. Deciding again replaces it.")

kit.show_text(item.text, item.locale, item.span_start, item.span_end)

default_fix = item.text
if item.suggestion and item.span_start is not None and item.span_end is not None:
    default_fix = item.text[: item.span_start] + item.suggestion + item.text[item.span_end :]
button_row = st.container()  # filled below, once the boxes the buttons read exist
fix_col, note_col = st.columns([3, 2])
fixed = fix_col.text_area("Fixed text (for F)", value=default_fix, key=f"fix_{item.id}", height=90)
note = note_col.text_area("Note (saved with your decision, or alone with N)", key=f"note_{item.id}", height=90)


def decide(decision: str) -> None:
    try:
        store.decide(
            me.id,
            item.id,
            decision,
            fixed_text=fixed if decision == "fix" else None,
            note=note or None,
        )
    except ConflictError as exc:
        kit.flash(f"Not saved: {kit.md(exc)}. Here is the next item.", "warning")
    except ReviewError as exc:
        st.error(kit.md(exc))
        return
    else:
        if decision == "note":
            kit.flash(f"Note saved on item {item.id}.")
            st.session_state.pop(f"note_{item.id}", None)
            st.rerun()
        kit.flash(f"{kit.DECISION_LABELS[decision]} saved for item {item.id}. Press U to undo.")
    following = None
    if queue:
        nxt = store.claim_next(me.id, locale=queue.get("locale"), check=queue.get("check"))
        following = nxt.id if nxt else None
    kit.set_item(following)
    st.rerun()


cols = button_row.columns(6)
actions = [
    ("accept", "Accept", "A", "primary", "The finding is right"),
    ("reject", "Reject", "X", "secondary", "A false positive: the finding is wrong"),
    ("fix", "Fix", "F", "secondary", "The finding is right; save the corrected text from the box"),
    ("skip", "Skip", "S", "secondary", "Not for me: leave it to another reviewer"),
    ("note", "Note", "N", "secondary", "Save the note on its own"),
]
for column, (decision, label, key, kind, explain) in zip(cols[:5], actions, strict=True):
    with column:
        if st.button(label, key=f"act_{decision}", shortcut=key, type=kind, help=explain, width="stretch"):
            decide(decision)
with cols[5]:
    undo_button()

left, right = st.columns([3, 2])
with left:
    st.subheader("Evidence")
    st.text(f"Rule: {item.rule} (from {item.finding_source or 'rule'})")
    if item.message:
        st.text(f"Message: {item.message}")
    if item.span_text is not None:
        st.text(f"Flagged: {item.span_text}")
    if item.evidence:
        st.text("Matched: " + ", ".join(item.evidence))
    if item.score is not None:
        st.text(f"Classifier score: {item.score:.3f}")
    if item.suggestion:
        st.text(f"Suggestion: {item.suggestion}")
    where = " · ".join(p for p in (item.path, f"line {item.line}" if item.line else None, item.key) if p)
    if where:
        st.text(f"Where: {where}")
    if item.rule_version or item.model_version:
        st.text(f"Versions: rules {item.rule_version or 'n/a'}, model {item.model_version or 'n/a'}")
    if item.source_text:
        st.subheader("Source string")
        kit.show_text(item.source_text, None)
    with st.expander("Exact characters"):
        st.code(item.text, language=None, wrap_lines=True)
        if item.span_text:
            st.code(kit.codepoints(item.span_text), language=None)
    if item.votes:
        st.subheader("Reviewers so far")
        st.dataframe(
            [{"reviewer": v.reviewer, "decision": v.decision, "fixed text": v.fixed_text or ""} for v in item.votes],
            hide_index=True,
        )
with right:
    st.subheader("Guideline")
    if item.guideline:
        st.markdown(item.guideline)  # written by leads; Markdown without raw HTML
    else:
        st.caption("No guideline for this rule and locale yet; ask your lead.")

if item.claim_expires_at is not None:
    st.caption(f"Reserved for you until {item.claim_expires_at:%H:%M} UTC; after that others may take it.")
st.page_link("views/history.py", label="Audit history of this item", icon=":material/history:")
