"""Shared pieces of the review console: the store, the login session, safe text rendering.

Rules every page follows (and tests check):

* data comes only from :class:`locale_guard.review.ReviewStore`, called with the logged-in
  reviewer's id; the store scopes every query to the reviewer's locales, the console never
  filters by itself and shows "not found" for anything the store refuses;
* user text (catalog strings, fixes, notes, messages that quote them) is shown with
  ``st.text``/``st.code``/``st.dataframe``, or HTML-escaped before ``st.html`` (which Streamlit
  also sanitises with DOMPurify); never ``unsafe_allow_html``; never as Markdown;
* the login lives in server-side session state and expires after
  ``$LOCALE_GUARD_REVIEW_SESSION_MINUTES`` (default 480).
"""

from __future__ import annotations

import html
import os
import re
import time
import unicodedata
from typing import Any

import streamlit as st

from locale_guard.review import AuthError, ReviewStore
from locale_guard.review.auth import ReviewerInfo
from locale_guard.review.db import resolve_url

SESSION_KEY = "lg_auth"
ITEM_KEY = "lg_item"
FILTER_KEY = "lg_queue"
FLASH_KEY = "lg_flash"
#: languages written right to left (the console sets dir="rtl" for them)
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "syr"})
DECISION_LABELS = {
    "accept": "Accept",
    "reject": "Reject (false positive)",
    "fix": "Fix",
    "skip": "Skip",
    "note": "Note",
    "undo": "Undo",
}


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> ReviewStore:
    return ReviewStore(url)


def store() -> ReviewStore:
    """The store of ``$LOCALE_GUARD_REVIEW_DB`` (one per URL and server process)."""
    return _open_store(resolve_url(None))


def session_minutes() -> float:
    try:
        return max(1.0, float(os.environ.get("LOCALE_GUARD_REVIEW_SESSION_MINUTES", "480")))
    except ValueError:
        return 480.0


def oidc_enabled() -> bool:
    return os.environ.get("LOCALE_GUARD_REVIEW_OIDC") == "1"


def log_in(info: ReviewerInfo) -> None:
    st.session_state[SESSION_KEY] = {"id": info.id, "at": time.time()}
    st.session_state.pop(ITEM_KEY, None)


def log_out(message: str | None = None) -> None:
    for key in (SESSION_KEY, ITEM_KEY, FILTER_KEY):
        st.session_state.pop(key, None)
    if message:
        flash(message, "warning")


def current_reviewer() -> ReviewerInfo | None:
    """The logged-in reviewer, re-read from the store on every run (a disabled account is out at once)."""
    auth = st.session_state.get(SESSION_KEY)
    if not isinstance(auth, dict):
        return None
    if time.time() - float(auth.get("at", 0)) > session_minutes() * 60:
        log_out("Your session expired; please log in again.")
        return None
    try:
        return store().whoami(int(auth["id"]))
    except (AuthError, KeyError, TypeError, ValueError):
        log_out("Your account is not available any more.")
        return None


def require_reviewer(*roles: str) -> ReviewerInfo:
    """The logged-in reviewer with one of ``roles`` (any role when none given), else stop the page."""
    me = current_reviewer()
    if me is None:
        st.warning("Please log in.")
        st.stop()
    assert me is not None
    if roles and me.role not in roles:
        st.error(f"This page is for the role {' or '.join(roles)}.")
        st.stop()
    return me


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(value: object) -> str:
    """A value from the data (rule ids, user names, error texts) made inert for Markdown elements.

    ``st.caption``, ``st.error`` and their kind render Markdown, links and images included; every
    character with a meaning there is backslash-escaped so the value shows as typed.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(value))


def flash(message: str, kind: str = "success") -> None:
    """A message shown once, on the next run (survives st.rerun)."""
    st.session_state[FLASH_KEY] = (kind, message)


def show_flash() -> None:
    found = st.session_state.pop(FLASH_KEY, None)
    if not found:
        return
    kind, message = found
    {"success": st.success, "warning": st.warning, "error": st.error}.get(kind, st.info)(message)  # already escaped


def is_rtl(locale: str | None) -> bool:
    return bool(locale) and locale.split("-", 1)[0].lower() in RTL_LANGUAGES  # type: ignore[union-attr]


def text_block_html(text: str, locale: str | None, start: int | None = None, end: int | None = None) -> str:
    """The text, HTML-escaped, with the span in ``<mark>``, in the script's direction.

    ``dir`` is ``rtl`` for right-to-left languages and ``auto`` otherwise; ``unicode-bidi:
    plaintext`` lets each line find its own direction, so an English brand name inside Arabic
    text stays in place. ``white-space: pre-wrap`` keeps spaces and line breaks exactly.
    """
    direction = "rtl" if is_rtl(locale) else "auto"
    lang = html.escape(locale or "und", quote=True)
    if start is not None and end is not None and 0 <= start <= end <= len(text):
        body = (
            html.escape(text[:start])
            + '<mark class="lg-span">'
            + html.escape(text[start:end])
            + "</mark>"
            + html.escape(text[end:])
        )
    else:
        body = html.escape(text)
    style = (
        "white-space: pre-wrap; unicode-bidi: plaintext; font-size: 1.35rem; line-height: 1.7; "
        "padding: 0.75rem 1rem; border: 1px solid rgba(128,128,128,0.35); border-radius: 0.5rem;"
    )
    return f'<div class="lg-text" dir="{direction}" lang="{lang}" style="{style}">{body}</div>'


def input_direction_style() -> None:
    """Let text boxes follow the direction of what is typed (Arabic fixes right to left).

    A fixed style sheet, no user content: Streamlit's inputs have no ``dir`` parameter.
    """
    st.html("<style>textarea, input[type='text'] { unicode-bidi: plaintext; text-align: start; }</style>")


def show_text(text: str, locale: str | None, start: int | None = None, end: int | None = None) -> None:
    st.html(text_block_html(text, locale, start, end))


def codepoints(text: str, limit: int = 40) -> str:
    """``U+0064 d  LATIN SMALL LETTER D`` lines, to see invisible or look-alike characters."""
    lines = []
    for ch in text[:limit]:
        name = unicodedata.name(ch, "(unnamed)")
        shown = ch if ch.isprintable() and not ch.isspace() else " "
        lines.append(f"U+{ord(ch):04X} {shown}  {name}")
    if len(text) > limit:
        lines.append(f"… {len(text) - limit} more")
    return "\n".join(lines)


def set_item(item_id: int | None) -> None:
    if item_id is None:
        st.session_state.pop(ITEM_KEY, None)
    else:
        st.session_state[ITEM_KEY] = int(item_id)


def current_item_id() -> int | None:
    value = st.session_state.get(ITEM_KEY)
    return int(value) if isinstance(value, int) else None


def queue_filter() -> dict[str, Any]:
    value = st.session_state.get(FILTER_KEY)
    return dict(value) if isinstance(value, dict) else {}


def set_queue_filter(locale: str | None, check: str | None) -> None:
    st.session_state[FILTER_KEY] = {"locale": locale, "check": check}


def as_pandas(frame: Any) -> Any:
    """Polars frames to pandas for Streamlit's charts (tables take polars as is)."""
    return frame.to_pandas() if hasattr(frame, "to_pandas") else frame
