"""Read-only snapshots the store returns: plain frozen dataclasses, safe to hold in a UI session.

No ORM object leaves the store (an ORM object outside its session lazy-loads, or silently goes
stale); the console gets these values and nothing that can reach the database by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from locale_guard.review.models import Adjudication, Item


@dataclass(frozen=True)
class VoteView:
    reviewer: str
    decision: str
    fixed_text: str | None
    decided_at: datetime


@dataclass(frozen=True)
class ItemView:
    id: int
    fingerprint: str
    rule: str
    check: str
    severity: str | None
    locale: str | None
    path: str | None
    line: int | None
    column: int | None
    key: str | None
    text: str
    span_start: int | None
    span_end: int | None
    message: str | None
    suggestion: str | None
    finding_source: str | None
    score: float | None
    evidence: tuple[str, ...]
    source_text: str | None
    rule_version: str | None
    model_version: str | None
    required_reviews: int
    status: str
    gold_decision: str | None
    gold_fixed_text: str | None
    guideline: str | None = None
    my_decision: str | None = None
    my_fixed_text: str | None = None
    claim_expires_at: datetime | None = None
    #: other reviewers' votes: filled for leads only, so reviewers decide unbiased
    votes: tuple[VoteView, ...] = ()

    @property
    def span_text(self) -> str | None:
        if self.span_start is None or self.span_end is None:
            return None
        return self.text[self.span_start : self.span_end]


def item_view(item: Item, **extra: object) -> ItemView:
    return ItemView(
        id=item.id,
        fingerprint=item.fingerprint,
        rule=item.rule,
        check=item.check,
        severity=item.severity,
        locale=item.locale,
        path=item.path,
        line=item.line,
        column=item.column,
        key=item.key,
        text=item.text,
        span_start=item.span_start,
        span_end=item.span_end,
        message=item.message,
        suggestion=item.suggestion,
        finding_source=item.finding_source,
        score=item.score,
        evidence=tuple(item.evidence or ()),
        source_text=item.source_text,
        rule_version=item.rule_version,
        model_version=item.model_version,
        required_reviews=item.required_reviews,
        status=item.status,
        gold_decision=item.gold_decision,
        gold_fixed_text=item.gold_fixed_text,
        **extra,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an item's audit history."""

    id: int
    created_at: datetime
    reviewer: str
    decision: str
    fixed_text: str | None
    note: str | None
    is_gold: bool
    retracts_id: int | None
    rule: str
    rule_version: str | None
    model_version: str | None


def history_entry(entry: Adjudication, reviewer: str) -> HistoryEntry:
    return HistoryEntry(
        id=entry.id,
        created_at=entry.created_at,
        reviewer=reviewer,
        decision=entry.decision,
        fixed_text=entry.fixed_text,
        note=entry.note,
        is_gold=entry.is_gold,
        retracts_id=entry.retracts_id,
        rule=entry.rule,
        rule_version=entry.rule_version,
        model_version=entry.model_version,
    )


@dataclass(frozen=True)
class Guidance:
    rule: str
    locale: str
    text: str
    updated_by: str | None
    updated_at: datetime
