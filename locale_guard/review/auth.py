"""Passwords (argon2id) and the snapshot of a reviewer that the console and store pass around.

Passwords are hashed with argon2-cffi's defaults (argon2id, memory-hard) and never stored,
logged or echoed. A hash made with older parameters is upgraded at the next successful login.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from locale_guard.review.errors import ReviewError

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the user name does not exist, so a failed login takes as long either way."""
    return _hasher.hash("locale-guard timing guard")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ReviewError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; a missing hash (an OIDC-only account) never matches."""
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


@dataclass(frozen=True)
class ReviewerInfo:
    """What the console may know about a reviewer: never the password hash."""

    id: int
    username: str
    display_name: str | None
    email: str | None
    role: str
    locales: tuple[str, ...]
    active: bool
    created_at: datetime | None = None
    last_login_at: datetime | None = None

    @property
    def is_lead(self) -> bool:
        return self.role in ("lead", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def label(self) -> str:
        return self.display_name or self.username
