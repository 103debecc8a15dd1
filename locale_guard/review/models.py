"""SQLAlchemy 2 models of the review store.

The adjudication log is the source of truth and is append-only (the migration adds triggers
that refuse UPDATE and DELETE on it). ``votes`` and the ``status``/``gold_*`` columns of
``items`` are derived from that log and rewritten in the same transaction as each decision, so
queues, dashboards and exports read one small indexed table instead of replaying history.

The schema here must match ``migrations/versions``; ``tests/review/test_store.py`` compares
them, so a model change without a migration fails the tests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("reviewer", "lead", "admin")
#: what a reviewer can decide about one finding
DECISIONS = ("accept", "reject", "fix", "skip")
#: every kind of adjudication row: decisions, a note on its own, and the undo of a decision
ADJUDICATION_KINDS = (*DECISIONS, "note", "undo")
STATUSES = ("pending", "conflict", "done")
#: a grant of this locale lets a reviewer see every locale (admins, usually)
ALL_LOCALES = "*"


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as naive UTC and read back aware, on SQLite and PostgreSQL alike.

    SQLite has no time-zone type; without this a value written aware comes back naive and
    comparisons with ``utcnow()`` (claim expiry, session expiry) raise.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Import(Base):
    """One ``review import`` of a findings report."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    tool_version: Mapped[str | None] = mapped_column(String(100))
    imported_by: Mapped[str | None] = mapped_column(String(200))
    findings: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)


class Reviewer(Base):
    """A person who reviews (local account, or matched by e-mail after OIDC login)."""

    __tablename__ = "reviewers"
    __table_args__ = (CheckConstraint("role IN ('reviewer', 'lead', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="reviewer")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    locales: Mapped[list[ReviewerLocale]] = relationship(
        back_populates="reviewer", cascade="all, delete-orphan", lazy="selectin"
    )


class ReviewerLocale(Base):
    """A locale a reviewer may see and decide: ``de-DE``, a language ``de`` (every de-*), or ``*``."""

    __tablename__ = "reviewer_locales"

    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id", ondelete="CASCADE"), primary_key=True)
    locale: Mapped[str] = mapped_column(String(50), primary_key=True)

    reviewer: Mapped[Reviewer] = relationship(back_populates="locales")


class Item(Base):
    """One finding to review, keyed by its fingerprint (re-imports update it in place)."""

    __tablename__ = "items"
    __table_args__ = (
        Index("ix_items_queue", "locale", "check", "status"),
        CheckConstraint("status IN ('pending', 'conflict', 'done')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(128), unique=True)
    rule: Mapped[str] = mapped_column(String(200), index=True)
    check: Mapped[str] = mapped_column(String(50))
    severity: Mapped[str | None] = mapped_column(String(20))
    locale: Mapped[str | None] = mapped_column(String(50))
    path: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)
    column: Mapped[int | None] = mapped_column(Integer)
    key: Mapped[str | None] = mapped_column(Text)
    record_id: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text)
    suggestion: Mapped[str | None] = mapped_column(Text)
    finding_source: Mapped[str | None] = mapped_column(String(20))
    score: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_text: Mapped[str | None] = mapped_column(Text)
    rule_version: Mapped[str | None] = mapped_column(String(100))
    model_version: Mapped[str | None] = mapped_column(String(200))
    required_reviews: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    gold_decision: Mapped[str | None] = mapped_column(String(20))
    gold_fixed_text: Mapped[str | None] = mapped_column(Text)
    first_import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    last_import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Claim(Base):
    """A reviewer working on an item; expires so an abandoned tab does not block the item."""

    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("item_id", "reviewer_id", name="uq_claims_item_reviewer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id", ondelete="CASCADE"), index=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Adjudication(Base):
    """One entry of the append-only audit log: a decision, a note, an undo, or a lead's gold."""

    __tablename__ = "adjudications"
    __table_args__ = (
        CheckConstraint(
            "decision IN ('accept', 'reject', 'fix', 'skip', 'note', 'undo')", name="decision"
        ),
        Index("ix_adjudications_item_reviewer", "item_id", "reviewer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision: Mapped[str] = mapped_column(String(20))
    fixed_text: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(200))
    rule_version: Mapped[str | None] = mapped_column(String(100))
    model_version: Mapped[str | None] = mapped_column(String(200))
    is_gold: Mapped[bool] = mapped_column(Boolean, default=False)
    #: for an undo: the adjudication it takes back
    retracts_id: Mapped[int | None] = mapped_column(ForeignKey("adjudications.id"))


class Vote(Base):
    """The current decision of one reviewer on one item (derived from the log)."""

    __tablename__ = "votes"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id", ondelete="CASCADE"), primary_key=True, index=True)
    adjudication_id: Mapped[int] = mapped_column(ForeignKey("adjudications.id"))
    decision: Mapped[str] = mapped_column(String(20))
    fixed_text: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Guideline(Base):
    """What reviewers should know about one rule in one locale (``*`` for every locale)."""

    __tablename__ = "guidelines"
    __table_args__ = (UniqueConstraint("rule", "locale", name="uq_guidelines_rule_locale"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
