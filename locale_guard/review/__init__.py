"""The review store: findings to review, reviewers, decisions, agreement and training data.

``ReviewStore`` is the API; the CLI (``locale-guard review``) and the Streamlit console (``ui/``)
use nothing else. See docs/REVIEW.md for the workflow and the training-data schema.
"""

from __future__ import annotations

from locale_guard.review.errors import AuthError, ConflictError, NotFound, PermissionDenied, ReviewError
from locale_guard.review.store import ReviewStore

__all__ = ["AuthError", "ConflictError", "NotFound", "PermissionDenied", "ReviewError", "ReviewStore"]
