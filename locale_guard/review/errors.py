"""Errors of the review store: each is one line a reviewer or operator can act on."""

from __future__ import annotations


class ReviewError(Exception):
    """Base class; the CLI prints ``error: <message>`` and exits 2, the console shows it."""


class NotFound(ReviewError):
    """No such item, or one outside the reviewer's locales (the two are indistinguishable on purpose)."""


class PermissionDenied(ReviewError):
    """The reviewer's role does not allow this (a lead-only or admin-only action)."""


class ConflictError(ReviewError):
    """Another reviewer got there first: the item has its reviews, is claimed, or is resolved."""


class AuthError(ReviewError):
    """Login failed, the account is disabled, or the session has expired."""
