"""Claims, decisions, undo and gold resolutions: the writes of the review workflow.

Each function runs inside the caller's write transaction and starts by locking the item row
(``FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers), so
the capacity check "this item still needs a review" and the write that uses it cannot be split
by another reviewer. What loses that race gets :class:`ConflictError`, never a silent overwrite.

Status of an item, derived after every change:

* ``done`` — a lead's gold decision exists, or ``required_reviews`` reviewers decided and agree
  (accept and fix agree: both say the finding is right; reject says it is a false positive);
* ``conflict`` — enough reviewers decided and they disagree (the lead view resolves these);
* ``pending`` — fewer than ``required_reviews`` non-skip decisions so far.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from locale_guard.review.errors import ConflictError, NotFound, ReviewError
from locale_guard.review.models import DECISIONS, Adjudication, Claim, Item, Vote, utcnow
from locale_guard.review.scope import Actor, locale_condition

#: decisions that count as a review (skip means "not me", and does not fill a slot)
COUNTED = ("accept", "reject", "fix")
#: the label agreement and conflicts are computed on
LABEL = {"accept": "accept", "fix": "accept", "reject": "reject"}
MAX_TEXT = 20_000
#: queue rows examined per query when claiming
CLAIM_BATCH = 64


def lock_item(session: Session, actor: Actor, item_id: int) -> Item:
    """The item, row-locked, if the actor may see it; otherwise NotFound (never "forbidden")."""
    item = session.scalars(
        select(Item).where(Item.id == item_id, locale_condition(actor)).with_for_update()
    ).first()
    if item is None:
        raise NotFound(f"no item {item_id} in your locales")
    return item


def _others_taking_slots(session: Session, item: Item, reviewer_id: int) -> int:
    """Reviews by others that count, plus others' live claims: the item's taken slots."""
    votes = (
        select(func.count())
        .select_from(Vote)
        .where(Vote.item_id == item.id, Vote.reviewer_id != reviewer_id, Vote.decision.in_(COUNTED))
        .scalar_subquery()
    )
    claims = (
        select(func.count())
        .select_from(Claim)
        .where(Claim.item_id == item.id, Claim.reviewer_id != reviewer_id, Claim.expires_at > utcnow())
        .scalar_subquery()
    )
    return int(session.scalar(select(votes + claims)) or 0)


def _set_claim(session: Session, item_id: int, reviewer_id: int, minutes: float) -> Claim:
    """Claim one item for the reviewer and drop their other claims: one open item each, no hoarding."""
    now = utcnow()
    session.execute(delete(Claim).where(Claim.reviewer_id == reviewer_id))
    claim = Claim(item_id=item_id, reviewer_id=reviewer_id, claimed_at=now, expires_at=now + timedelta(minutes=minutes))
    session.add(claim)
    session.flush()
    return claim


def release_claims(session: Session, reviewer_id: int) -> None:
    """Drop the reviewer's claims (the console's "stop reviewing")."""
    session.execute(delete(Claim).where(Claim.reviewer_id == reviewer_id))


def _queue_candidates(actor: Actor, locale: str | None, check: str | None, rule: str | None):  # type: ignore[no-untyped-def]
    now = utcnow()
    my_vote = select(Vote.item_id).where(Vote.item_id == Item.id, Vote.reviewer_id == actor.id).exists()
    votes = (
        select(func.count())
        .select_from(Vote)
        .where(Vote.item_id == Item.id, Vote.decision.in_(COUNTED))
        .scalar_subquery()
    )
    claims = (
        select(func.count())
        .select_from(Claim)
        .where(Claim.item_id == Item.id, Claim.reviewer_id != actor.id, Claim.expires_at > now)
        .scalar_subquery()
    )
    query = select(Item).where(
        locale_condition(actor), Item.status == "pending", ~my_vote, votes + claims < Item.required_reviews
    )
    if locale:
        query = query.where(Item.locale == locale)
    if check:
        query = query.where(Item.check == check)
    if rule:
        query = query.where(Item.rule == rule)
    return query.order_by(Item.id)


def claim_next(
    session: Session,
    actor: Actor,
    *,
    locale: str | None = None,
    check: str | None = None,
    rule: str | None = None,
    minutes: float = 30.0,
) -> tuple[Item, Claim] | None:
    """Claim the next item of the actor's queue (or resume the one already claimed)."""
    now = utcnow()
    resume = (
        select(Item)
        .join(Claim, and_(Claim.item_id == Item.id, Claim.reviewer_id == actor.id, Claim.expires_at > now))
        .where(locale_condition(actor), Item.status == "pending")
        .where(~select(Vote.item_id).where(Vote.item_id == Item.id, Vote.reviewer_id == actor.id).exists())
    )
    for column, value in ((Item.locale, locale), (Item.check, check), (Item.rule, rule)):
        if value:
            resume = resume.where(column == value)
    held = session.scalars(resume.order_by(Item.id).limit(1)).first()
    if held is not None:
        return held, _set_claim(session, held.id, actor.id, minutes)
    postgres = session.get_bind().dialect.name == "postgresql"
    now = utcnow()
    my_vote = select(Vote.item_id).where(Vote.item_id == Item.id, Vote.reviewer_id == actor.id).exists()
    base = select(Item.id, Item.required_reviews).where(locale_condition(actor), Item.status == "pending", ~my_vote)
    for column, value in ((Item.locale, locale), (Item.check, check), (Item.rule, rule)):
        if value:
            base = base.where(column == value)
    last_id = 0
    # walk the queue in id order, a batch at a time, counting taken slots per batch with two
    # grouped queries (a correlated count per row made PostgreSQL count the whole queue per claim)
    while True:
        batch = session.execute(base.where(Item.id > last_id).order_by(Item.id).limit(CLAIM_BATCH)).all()
        if not batch:
            return None
        ids = [row.id for row in batch]
        taken: dict[int, int] = defaultdict(int)
        for item_id, n in session.execute(
            select(Vote.item_id, func.count())
            .where(Vote.item_id.in_(ids), Vote.reviewer_id != actor.id, Vote.decision.in_(COUNTED))
            .group_by(Vote.item_id)
        ):
            taken[item_id] += n
        for item_id, n in session.execute(
            select(Claim.item_id, func.count())
            .where(Claim.item_id.in_(ids), Claim.reviewer_id != actor.id, Claim.expires_at > now)
            .group_by(Claim.item_id)
        ):
            taken[item_id] += n
        for row in batch:
            if taken[row.id] >= row.required_reviews:
                continue
            lock = select(Item).where(Item.id == row.id)
            if postgres:
                # another reviewer claiming this row right now: skip it; under the lock the
                # count is read again, because the batch's counts may be stale by now
                lock = lock.with_for_update(skip_locked=True)
            item = session.scalars(lock).first()
            if item is None or (postgres and _others_taking_slots(session, item, actor.id) >= item.required_reviews):
                continue
            return item, _set_claim(session, item.id, actor.id, minutes)
        last_id = ids[-1]


def _append(
    session: Session,
    item: Item,
    actor: Actor,
    decision: str,
    *,
    fixed_text: str | None = None,
    note: str | None = None,
    is_gold: bool = False,
    retracts_id: int | None = None,
) -> Adjudication:
    entry = Adjudication(
        item_id=item.id,
        reviewer_id=actor.id,
        created_at=utcnow(),
        decision=decision,
        fixed_text=fixed_text,
        note=note,
        rule=item.rule,
        rule_version=item.rule_version,
        model_version=item.model_version,
        is_gold=is_gold,
        retracts_id=retracts_id,
    )
    session.add(entry)
    session.flush()
    return entry


def _clean_text(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReviewError(f"{what} must be text")
    if len(value) > MAX_TEXT:
        raise ReviewError(f"{what} is longer than {MAX_TEXT} characters")
    return value


def _validate(item: Item, decision: str, fixed_text: str | None, note: str | None) -> tuple[str | None, str | None]:
    if decision not in (*DECISIONS, "note"):
        raise ReviewError(f"unknown decision '{decision}'; one of {', '.join((*DECISIONS, 'note'))}")
    fixed_text = _clean_text(fixed_text, "the fixed text")
    note = _clean_text(note, "the note")
    note = note.strip() or None if note is not None else None
    if decision == "fix":
        if not fixed_text or not fixed_text.strip():
            raise ReviewError("a fix needs the fixed text")
        if fixed_text == item.text:
            raise ReviewError("the fixed text is the same as the original; accept instead")
    elif fixed_text:
        raise ReviewError("fixed text only goes with the decision 'fix'")
    if decision == "note" and not note:
        raise ReviewError("a note needs some text")
    return fixed_text, note


def adjudicate(
    session: Session,
    actor: Actor,
    item_id: int,
    decision: str,
    *,
    fixed_text: str | None = None,
    note: str | None = None,
) -> Adjudication:
    """Record the actor's decision (or a note) on an item they may see."""
    item = lock_item(session, actor, item_id)
    fixed_text, note = _validate(item, decision, fixed_text, note)
    if decision == "note":
        return _append(session, item, actor, "note", note=note)
    if item.gold_decision is not None:
        raise ConflictError(f"item {item.id} has been resolved by a lead; add a note instead")
    current = session.get(Vote, (item.id, actor.id))
    if current is None and decision in COUNTED and _others_taking_slots(session, item, actor.id) >= item.required_reviews:
        raise ConflictError(f"item {item.id} already has its {item.required_reviews} review(s) or is claimed by others")
    entry = _append(session, item, actor, decision, fixed_text=fixed_text, note=note)
    session.execute(delete(Claim).where(Claim.item_id == item.id, Claim.reviewer_id == actor.id))
    rederive(session, item, actor.id)
    return entry


def resolve(
    session: Session,
    actor: Actor,
    item_id: int,
    decision: str,
    *,
    fixed_text: str | None = None,
    note: str | None = None,
) -> Adjudication:
    """A lead's gold decision: it settles the item whatever the reviewers said."""
    actor.require("lead", "admin")
    item = lock_item(session, actor, item_id)
    if decision not in COUNTED:
        raise ReviewError("a gold decision is accept, reject or fix")
    fixed_text, note = _validate(item, decision, fixed_text, note)
    entry = _append(session, item, actor, decision, fixed_text=fixed_text, note=note, is_gold=True)
    rederive(session, item, actor.id)
    return entry


def undo(session: Session, actor: Actor, item_id: int | None = None, *, minutes: float = 30.0) -> Adjudication:
    """Take back the actor's latest decision (on ``item_id``, or anywhere); returns the undo entry.

    The log keeps both the decision and its undo; the item goes back to the actor's claim so
    the console can show it again.
    """
    retracted = select(Adjudication.retracts_id).where(Adjudication.retracts_id.is_not(None))
    query = (
        select(Adjudication)
        .join(Item, Item.id == Adjudication.item_id)
        .where(
            Adjudication.reviewer_id == actor.id,
            Adjudication.decision.in_(DECISIONS),
            Adjudication.id.not_in(retracted),
            locale_condition(actor),
        )
        .order_by(Adjudication.id.desc())
        .limit(1)
    )
    if item_id is not None:
        query = query.where(Adjudication.item_id == item_id)
    target = session.scalars(query).first()
    if target is None:
        raise NotFound("nothing of yours to undo")
    item = lock_item(session, actor, target.item_id)
    entry = _append(session, item, actor, "undo", retracts_id=target.id)
    rederive(session, item, actor.id)
    if not target.is_gold and item.status == "pending":
        _set_claim(session, item.id, actor.id, minutes)
    return entry


def rederive(session: Session, item: Item, reviewer_id: int) -> None:
    """Recompute the actor's vote and the item's gold and status from the log."""
    session.flush()
    entries = session.scalars(
        select(Adjudication).where(Adjudication.item_id == item.id).order_by(Adjudication.id)
    ).all()
    retracted = {e.retracts_id for e in entries if e.decision == "undo"}
    live = [e for e in entries if e.decision in DECISIONS and e.id not in retracted]
    mine = [e for e in live if e.reviewer_id == reviewer_id and not e.is_gold]
    vote = session.get(Vote, (item.id, reviewer_id))
    if mine:
        last = mine[-1]
        if vote is None:
            session.add(Vote(item_id=item.id, reviewer_id=reviewer_id, adjudication_id=last.id,
                             decision=last.decision, fixed_text=last.fixed_text, decided_at=last.created_at))
        else:
            vote.adjudication_id, vote.decision = last.id, last.decision
            vote.fixed_text, vote.decided_at = last.fixed_text, last.created_at
    elif vote is not None:
        session.delete(vote)
    golds = [e for e in live if e.is_gold]
    item.gold_decision = golds[-1].decision if golds else None
    item.gold_fixed_text = golds[-1].fixed_text if golds else None
    session.flush()
    current = session.scalars(select(Vote.decision).where(Vote.item_id == item.id)).all()
    item.status = status_of(item.required_reviews, item.gold_decision, current)
    session.flush()


def status_of(required: int, gold: str | None, decisions: Sequence[str]) -> str:
    if gold is not None:
        return "done"
    counted = [d for d in decisions if d in COUNTED]
    if len(counted) < required:
        return "pending"
    return "done" if len({LABEL[d] for d in counted}) == 1 else "conflict"


def refresh_statuses(session: Session, item_ids: Iterable[int]) -> None:
    """Set ``status`` of these items from their votes (a few queries per 500 items)."""
    from locale_guard.review.importer import iter_chunks

    for chunk in iter_chunks(item_ids):
        decisions: dict[int, list[str]] = defaultdict(list)
        for item_id, decision in session.execute(
            select(Vote.item_id, Vote.decision).where(Vote.item_id.in_(chunk))
        ):
            decisions[item_id].append(decision)
        for item in session.scalars(select(Item).where(Item.id.in_(chunk))):
            status = status_of(item.required_reviews, item.gold_decision, decisions[item.id])
            if item.status != status:
                item.status = status
    session.flush()
