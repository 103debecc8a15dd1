"""The review store's API: the only way the CLI and the console touch review data.

Two kinds of caller:

* the **console**, which acts for a logged-in reviewer: every such method takes the reviewer's
  id first, loads the reviewer (role, locales) from the database in the same transaction and
  scopes every query with :func:`locale_guard.review.scope.locale_condition`;
* the **operator** at the command line (import, export, stats, users), who owns the database
  file or URL anyway and acts on everything.

Methods that write run in one write transaction each; see :mod:`locale_guard.review.db`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from locale_guard.review import decisions
from locale_guard.review.agreement import summarise
from locale_guard.review.auth import ReviewerInfo, hash_password, needs_rehash, verify_password
from locale_guard.review.db import Database, migrate
from locale_guard.review.errors import AuthError, NotFound, PermissionDenied, ReviewError
from locale_guard.review.export import SETTLED_SCHEMA, training_rows
from locale_guard.review.importer import ImportResult, import_findings
from locale_guard.review.models import (
    ALL_LOCALES,
    ROLES,
    Adjudication,
    Claim,
    Guideline,
    Import,
    Item,
    Reviewer,
    ReviewerLocale,
    Vote,
    utcnow,
)
from locale_guard.review.scope import Actor, load_actor, locale_condition
from locale_guard.review.views import (
    Guidance,
    HistoryEntry,
    ItemView,
    VoteView,
    history_entry,
    item_view,
)

CLAIM_MINUTES_ENV = "LOCALE_GUARD_REVIEW_CLAIM_MINUTES"
#: the command-line operator: sees everything, and is no row of ``reviewers``
OPERATOR = Actor(id=0, username="operator", role="admin", locales=frozenset({ALL_LOCALES}))


def normalise_grant(locale: str) -> str:
    """A locale grant in canonical spelling: ``*``, a language (``de``) or a locale (``de-DE``)."""
    from locale_guard.tags import LocaleTagError, normalise_tag

    value = locale.strip()
    if value == ALL_LOCALES:
        return value
    try:
        return normalise_tag(value).tag
    except LocaleTagError as exc:
        raise ReviewError(str(exc)) from None


def _info(reviewer: Reviewer) -> ReviewerInfo:
    return ReviewerInfo(
        id=reviewer.id,
        username=reviewer.username,
        display_name=reviewer.display_name,
        email=reviewer.email,
        role=reviewer.role,
        locales=tuple(sorted(g.locale for g in reviewer.locales)),
        active=reviewer.active,
        created_at=reviewer.created_at,
        last_login_at=reviewer.last_login_at,
    )


@dataclass(frozen=True)
class Progress:
    """Dashboard data: item counts by status per locale and per check, decisions per reviewer."""

    by_locale: pl.DataFrame
    by_check: pl.DataFrame
    by_reviewer: pl.DataFrame
    totals: dict[str, int]


class ReviewStore:
    """Open with a URL (or ``$LOCALE_GUARD_REVIEW_DB``); migrates the schema unless told not to."""

    def __init__(self, url: str | None = None, *, auto_migrate: bool = True, claim_minutes: float | None = None) -> None:
        self.db = Database(url)
        if auto_migrate:
            migrate(self.db)
        env_minutes = os.environ.get(CLAIM_MINUTES_ENV)
        self.claim_minutes = float(claim_minutes or (env_minutes and float(env_minutes)) or 30.0)

    @property
    def url(self) -> str:
        return self.db.url

    def close(self) -> None:
        self.db.dispose()

    # ------------------------------------------------------------------ accounts and login

    def add_user(
        self,
        username: str,
        *,
        password: str | None = None,
        role: str = "reviewer",
        locales: Iterable[str] = (),
        email: str | None = None,
        display_name: str | None = None,
    ) -> ReviewerInfo:
        username = username.strip()
        if not username or len(username) > 100 or any(c.isspace() for c in username):
            raise ReviewError("a user name is 1-100 characters without spaces")
        if role not in ROLES:
            raise ReviewError(f"unknown role '{role}'; one of {', '.join(ROLES)}")
        if password is None and not email:
            raise ReviewError("a user needs a password, or an e-mail address for single sign-on")
        grants = sorted({normalise_grant(g) for g in locales})
        hashed = hash_password(password) if password is not None else None
        try:
            with self.db.write() as session:
                reviewer = Reviewer(
                    username=username,
                    password_hash=hashed,
                    role=role,
                    email=(email or None) and email.strip().lower(),
                    display_name=display_name,
                    active=True,
                    created_at=utcnow(),
                )
                reviewer.locales = [ReviewerLocale(locale=g) for g in grants]
                session.add(reviewer)
                session.flush()
                return _info(reviewer)
        except IntegrityError:
            raise ReviewError(f"a user named '{username}' (or with that e-mail) already exists") from None

    def _reviewer_by_name(self, session: Session, username: str) -> Reviewer:
        reviewer = session.scalars(select(Reviewer).where(Reviewer.username == username.strip())).first()
        if reviewer is None:
            raise NotFound(f"no user named '{username}'")
        return reviewer

    def list_users(self) -> list[ReviewerInfo]:
        with self.db.read() as session:
            return [_info(r) for r in session.scalars(select(Reviewer).order_by(Reviewer.username))]

    def grant(self, username: str, *, locales: Iterable[str] = (), role: str | None = None) -> ReviewerInfo:
        """Add locale grants and/or change the role of a user."""
        if role is not None and role not in ROLES:
            raise ReviewError(f"unknown role '{role}'; one of {', '.join(ROLES)}")
        grants = {normalise_grant(g) for g in locales}
        with self.db.write() as session:
            reviewer = self._reviewer_by_name(session, username)
            have = {g.locale for g in reviewer.locales}
            reviewer.locales.extend(ReviewerLocale(locale=g) for g in sorted(grants - have))
            if role is not None:
                reviewer.role = role
            session.flush()
            return _info(reviewer)

    def revoke(self, username: str, locales: Iterable[str]) -> ReviewerInfo:
        grants = {normalise_grant(g) for g in locales}
        with self.db.write() as session:
            reviewer = self._reviewer_by_name(session, username)
            reviewer.locales = [g for g in reviewer.locales if g.locale not in grants]
            # a reviewer loses the claims of the locales taken away at once
            session.flush()
            actor = Actor(reviewer.id, reviewer.username, reviewer.role, frozenset(g.locale for g in reviewer.locales))
            outside = select(Item.id).where(~locale_condition(actor))
            session.execute(Claim.__table__.delete().where(Claim.reviewer_id == reviewer.id, Claim.item_id.in_(outside)))
            return _info(reviewer)

    def set_password(self, username: str, password: str) -> None:
        hashed = hash_password(password)
        with self.db.write() as session:
            self._reviewer_by_name(session, username).password_hash = hashed

    def set_active(self, username: str, active: bool) -> ReviewerInfo:
        with self.db.write() as session:
            reviewer = self._reviewer_by_name(session, username)
            reviewer.active = active
            if not active:
                session.execute(Claim.__table__.delete().where(Claim.reviewer_id == reviewer.id))
            return _info(reviewer)

    def authenticate(self, username: str, password: str) -> ReviewerInfo:
        """The reviewer if the password matches; one message for every failure (no user probing)."""
        failure = AuthError("wrong user name or password")
        with self.db.write() as session:
            reviewer = session.scalars(select(Reviewer).where(Reviewer.username == (username or "").strip())).first()
            stored = reviewer.password_hash if reviewer is not None else None
            if not verify_password(stored, password or "") or reviewer is None or not reviewer.active:
                raise failure
            if stored and needs_rehash(stored):
                reviewer.password_hash = hash_password(password)
            reviewer.last_login_at = utcnow()
            return _info(reviewer)

    def login_oidc(self, email: str | None) -> ReviewerInfo:
        """The reviewer whose e-mail the identity provider vouched for; roles come from our table."""
        if not email:
            raise AuthError("the identity provider did not give an e-mail address")
        with self.db.write() as session:
            reviewer = session.scalars(select(Reviewer).where(Reviewer.email == email.strip().lower())).first()
            if reviewer is None or not reviewer.active:
                raise AuthError(f"{email} has no reviewer account here; ask an admin to add one")
            reviewer.last_login_at = utcnow()
            return _info(reviewer)

    def whoami(self, reviewer_id: int) -> ReviewerInfo:
        with self.db.read() as session:
            actor = load_actor(session, reviewer_id)
            reviewer = session.get(Reviewer, actor.id)
            assert reviewer is not None
            return _info(reviewer)

    # -------------------------------------------------------------- console: admin actions

    def admin_users(self, reviewer_id: int) -> list[ReviewerInfo]:
        self._require(reviewer_id, "admin")
        return self.list_users()

    def admin_add_user(self, reviewer_id: int, username: str, **kwargs: Any) -> ReviewerInfo:
        self._require(reviewer_id, "admin")
        return self.add_user(username, **kwargs)

    def admin_grant(self, reviewer_id: int, username: str, **kwargs: Any) -> ReviewerInfo:
        self._require(reviewer_id, "admin")
        return self.grant(username, **kwargs)

    def admin_revoke(self, reviewer_id: int, username: str, locales: Iterable[str]) -> ReviewerInfo:
        self._require(reviewer_id, "admin")
        return self.revoke(username, locales)

    def admin_import(self, reviewer_id: int, data: bytes, *, source_name: str, required_reviews: int | None = None) -> ImportResult:
        admin = self._require(reviewer_id, "admin")
        return self.import_report(data, source_name=source_name, imported_by=admin.username, required_reviews=required_reviews)

    def _require(self, reviewer_id: int, *roles: str) -> Actor:
        with self.db.read() as session:
            actor = load_actor(session, reviewer_id)
        actor.require(*roles)
        return actor

    # ---------------------------------------------------------------------------- import

    def import_report(
        self,
        data: bytes | str,
        *,
        source_name: str,
        imported_by: str | None = None,
        required_reviews: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportResult:
        """Import a findings report in one transaction (see :mod:`locale_guard.review.importer`)."""
        with self.db.write() as session:
            return import_findings(
                session,
                data,
                source_name=source_name,
                imported_by=imported_by,
                required_reviews=required_reviews,
                progress=progress,
            )

    def imports(self) -> list[dict[str, Any]]:
        with self.db.read() as session:
            rows = session.scalars(select(Import).order_by(Import.id)).all()
            return [
                {"id": r.id, "created_at": r.created_at, "source": r.source_name, "findings": r.findings,
                 "created": r.created, "updated": r.updated, "by": r.imported_by}
                for r in rows
            ]

    # -------------------------------------------------------------------- reviewer queue

    def queue(self, reviewer_id: int) -> pl.DataFrame:
        """Per locale and check of the reviewer's locales: pending, conflict, done, and left for me."""
        with self.db.read() as session:
            actor = load_actor(session, reviewer_id)
            counts = session.execute(
                select(Item.locale, Item.check, Item.status, func.count())
                .where(locale_condition(actor))
                .group_by(Item.locale, Item.check, Item.status)
            ).all()
            mine = session.execute(
                decisions._queue_candidates(actor, None, None, None)
                .with_only_columns(Item.locale, Item.check, func.count())
                .group_by(Item.locale, Item.check)
                .order_by(None)
            ).all()
        frame = pl.DataFrame(
            counts, schema={"locale": pl.String, "check": pl.String, "status": pl.String, "n": pl.Int64}, orient="row"
        )
        todo = pl.DataFrame(mine, schema={"locale": pl.String, "check": pl.String, "for_me": pl.Int64}, orient="row")
        return _pivot_status(frame, ["locale", "check"]).join(todo, on=["locale", "check"], how="left", nulls_equal=True).with_columns(
            pl.col("for_me").fill_null(0)
        ).sort("locale", "check", nulls_last=True)

    def claim_next(self, reviewer_id: int, *, locale: str | None = None, check: str | None = None, rule: str | None = None) -> ItemView | None:
        with self.db.write() as session:
            actor = load_actor(session, reviewer_id)
            claimed = decisions.claim_next(session, actor, locale=locale, check=check, rule=rule, minutes=self.claim_minutes)
            return None if claimed is None else self._view(session, actor, claimed[0], fresh_claim=claimed[1])

    def item(self, reviewer_id: int, item_id: int) -> ItemView:
        """One item the reviewer may see (NotFound for any other id, existing or not)."""
        with self.db.read() as session:
            actor = load_actor(session, reviewer_id)
            item = session.scalars(select(Item).where(Item.id == int(item_id), locale_condition(actor))).first()
            if item is None:
                raise NotFound(f"no item {item_id} in your locales")
            return self._view(session, actor, item)

    def decide(self, reviewer_id: int, item_id: int, decision: str, *, fixed_text: str | None = None, note: str | None = None) -> int:
        """Record a decision (accept, reject, fix, skip) or a note; returns the log entry's id."""
        with self.db.write() as session:
            actor = load_actor(session, reviewer_id)
            return decisions.adjudicate(session, actor, int(item_id), decision, fixed_text=fixed_text, note=note).id

    def note(self, reviewer_id: int, item_id: int, text: str) -> int:
        return self.decide(reviewer_id, item_id, "note", note=text)

    def undo(self, reviewer_id: int, item_id: int | None = None) -> int:
        """Take back the reviewer's latest decision; returns the id of the item it was on."""
        with self.db.write() as session:
            actor = load_actor(session, reviewer_id)
            return decisions.undo(session, actor, item_id, minutes=self.claim_minutes).item_id

    def release(self, reviewer_id: int) -> None:
        with self.db.write() as session:
            actor = load_actor(session, reviewer_id)
            decisions.release_claims(session, actor.id)

    def history(self, reviewer_id: int, item_id: int) -> list[HistoryEntry]:
        with self.db.read() as session:
            actor = load_actor(session, reviewer_id)
            if session.scalar(select(Item.id).where(Item.id == int(item_id), locale_condition(actor))) is None:
                raise NotFound(f"no item {item_id} in your locales")
            rows = session.execute(
                select(Adjudication, Reviewer.username)
                .join(Reviewer, Reviewer.id == Adjudication.reviewer_id)
                .where(Adjudication.item_id == int(item_id))
                .order_by(Adjudication.id)
            ).all()
            return [history_entry(entry, name) for entry, name in rows]

    def items(
        self,
        reviewer_id: int,
        *,
        locale: str | None = None,
        check: str | None = None,
        status: str | None = None,
        limit: int = 200,
    ) -> pl.DataFrame:
        """A browsable list of items in the reviewer's locales (id, locale, check, rule, status, text)."""
        with self.db.read() as session:
            actor = load_actor(session, reviewer_id)
            query = select(Item.id, Item.locale, Item.check, Item.rule, Item.status, Item.text).where(locale_condition(actor))
            for column, value in ((Item.locale, locale), (Item.check, check), (Item.status, status)):
                if value:
                    query = query.where(column == value)
            rows = session.execute(query.order_by(Item.id).limit(max(1, min(limit, 5000)))).all()
        return pl.DataFrame(
            rows,
            schema={"id": pl.Int64, "locale": pl.String, "check": pl.String, "rule": pl.String, "status": pl.String, "text": pl.String},
            orient="row",
        )

    # ------------------------------------------------------------------------------- lead

    def conflicts(self, reviewer_id: int, *, limit: int = 200) -> list[ItemView]:
        """Items whose reviewers disagree, in the lead's locales, with everyone's votes."""
        with self.db.read() as session:
            actor = load_actor(session, reviewer_id)
            actor.require("lead", "admin")
            items = session.scalars(
                select(Item).where(locale_condition(actor), Item.status == "conflict").order_by(Item.id).limit(limit)
            ).all()
            return [self._view(session, actor, item) for item in items]

    def resolve(self, reviewer_id: int, item_id: int, decision: str, *, fixed_text: str | None = None, note: str | None = None) -> int:
        with self.db.write() as session:
            actor = load_actor(session, reviewer_id)
            return decisions.resolve(session, actor, int(item_id), decision, fixed_text=fixed_text, note=note).id

    # -------------------------------------------------------------------------- guidelines

    def set_guideline(self, reviewer_id: int, rule: str, locale: str, text: str) -> None:
        """A lead writes the guideline of a rule (or a whole check) for a locale they lead."""
        with self.db.write() as session:
            actor = load_actor(session, reviewer_id)
            actor.require("lead", "admin")
            grant = normalise_grant(locale)
            if not (actor.covers(grant) if grant != ALL_LOCALES else ALL_LOCALES in actor.locales):
                raise PermissionDenied(f"{actor.username} cannot write guidelines for {grant}")
            self._upsert_guideline(session, rule, grant, text, actor.username)

    def set_guideline_operator(self, rule: str, locale: str, text: str) -> None:
        with self.db.write() as session:
            self._upsert_guideline(session, rule, normalise_grant(locale), text, None)

    @staticmethod
    def _upsert_guideline(session: Session, rule: str, locale: str, text: str, by: str | None) -> None:
        rule = rule.strip()
        if not rule:
            raise ReviewError("a guideline needs a rule or check name")
        found = session.scalars(select(Guideline).where(Guideline.rule == rule, Guideline.locale == locale)).first()
        if not text.strip():
            if found is not None:
                session.delete(found)
            return
        if found is None:
            session.add(Guideline(rule=rule, locale=locale, text=text, updated_by=by, updated_at=utcnow()))
        else:
            found.text, found.updated_by, found.updated_at = text, by, utcnow()

    def guidelines(self, reviewer_id: int) -> list[Guidance]:
        """Guidelines of the reviewer's locales (and the ``*`` ones every locale shares)."""
        with self.db.read() as session:
            actor = load_actor(session, reviewer_id)
            rows = session.scalars(select(Guideline).order_by(Guideline.rule, Guideline.locale)).all()
            return [
                Guidance(g.rule, g.locale, g.text, g.updated_by, g.updated_at)
                for g in rows
                if g.locale == ALL_LOCALES or actor.covers(g.locale) or any(a.startswith(g.locale + "-") for a in actor.locales)
            ]

    @staticmethod
    def _guideline(session: Session, rule: str, check: str, locale: str | None) -> str | None:
        candidates = [locale, locale.split("-", 1)[0] if locale else None, ALL_LOCALES]
        keys = [(name, loc) for name in (rule, check) for loc in candidates if loc]
        rows = {
            (g.rule, g.locale): g.text
            for g in session.scalars(select(Guideline).where(Guideline.rule.in_([rule, check])))
        }
        return next((rows[k] for k in keys if k in rows), None)

    def _view(self, session: Session, actor: Actor, item: Item, *, fresh_claim: Claim | None = None) -> ItemView:
        """The item as the actor sees it (``fresh_claim``: just claimed by the actor, who has no vote on it)."""
        mine: Vote | None
        if fresh_claim is not None:
            mine, claim = None, fresh_claim
        else:
            mine = session.get(Vote, (item.id, actor.id))
            claim = session.scalars(select(Claim).where(Claim.item_id == item.id, Claim.reviewer_id == actor.id)).first()
        votes: tuple[VoteView, ...] = ()
        if actor.role in ("lead", "admin"):
            votes = tuple(
                VoteView(name, v.decision, v.fixed_text, v.decided_at)
                for v, name in session.execute(
                    select(Vote, Reviewer.username).join(Reviewer, Reviewer.id == Vote.reviewer_id)
                    .where(Vote.item_id == item.id).order_by(Vote.decided_at)
                )
            )
        return item_view(
            item,
            guideline=self._guideline(session, item.rule, item.check, item.locale),
            my_decision=mine.decision if mine else None,
            my_fixed_text=mine.fixed_text if mine else None,
            claim_expires_at=claim.expires_at if claim else None,
            votes=votes,
        )

    # ------------------------------------------------------------------------- dashboards

    def progress(self, reviewer_id: int) -> Progress:
        with self.db.read() as session:
            return self._progress(session, load_actor(session, reviewer_id))

    def agreement(self, reviewer_id: int) -> pl.DataFrame:
        with self.db.read() as session:
            return self._agreement(session, load_actor(session, reviewer_id))

    def stats(self) -> tuple[Progress, pl.DataFrame]:
        """Everything, for the operator (``review stats``)."""
        with self.db.read() as session:
            return self._progress(session, OPERATOR), self._agreement(session, OPERATOR)

    def _progress(self, session: Session, actor: Actor) -> Progress:
        rows = session.execute(
            select(Item.locale, Item.check, Item.status, func.count())
            .where(locale_condition(actor))
            .group_by(Item.locale, Item.check, Item.status)
        ).all()
        frame = pl.DataFrame(
            rows, schema={"locale": pl.String, "check": pl.String, "status": pl.String, "n": pl.Int64}, orient="row"
        )
        voters = session.execute(
            select(Reviewer.username, Vote.decision, func.count())
            .join(Vote, Vote.reviewer_id == Reviewer.id)
            .join(Item, Item.id == Vote.item_id)
            .where(locale_condition(actor))
            .group_by(Reviewer.username, Vote.decision)
        ).all()
        by_reviewer = pl.DataFrame(
            voters, schema={"reviewer": pl.String, "decision": pl.String, "n": pl.Int64}, orient="row"
        )
        if by_reviewer.height:
            by_reviewer = by_reviewer.pivot("decision", index="reviewer", values="n").fill_null(0)
        for decision in ("accept", "reject", "fix", "skip"):
            if decision not in by_reviewer.columns:
                by_reviewer = by_reviewer.with_columns(pl.lit(0, dtype=pl.Int64).alias(decision))
        by_reviewer = by_reviewer.select("reviewer", "accept", "reject", "fix", "skip").with_columns(
            pl.sum_horizontal("accept", "reject", "fix", "skip").alias("total")
        ).sort("total", descending=True)
        totals = {s: int(frame.filter(pl.col("status") == s)["n"].sum()) for s in ("pending", "conflict", "done")}
        totals["items"] = int(frame["n"].sum())
        return Progress(
            by_locale=_pivot_status(frame.group_by("locale", "status").agg(pl.col("n").sum()), ["locale"]),
            by_check=_pivot_status(frame.group_by("check", "status").agg(pl.col("n").sum()), ["check"]),
            by_reviewer=by_reviewer,
            totals=totals,
        )

    def _agreement(self, session: Session, actor: Actor) -> pl.DataFrame:
        rows = session.execute(
            select(Item.id, Item.locale, Item.rule, Vote.reviewer_id, Vote.decision)
            .join(Vote, Vote.item_id == Item.id)
            .where(locale_condition(actor), Vote.decision.in_(decisions.COUNTED))
        ).all()
        groups: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
        for item_id, locale, rule, reviewer, decision in rows:
            rating = (item_id, reviewer, decisions.LABEL[decision])
            groups.setdefault((locale or "", rule), []).append(rating)
            groups.setdefault((locale or "", "(all rules)"), []).append(rating)
        out = []
        for (locale, rule), ratings in sorted(groups.items()):
            summary = summarise(ratings)
            if summary["items"]:
                out.append({"locale": locale or None, "rule": rule, **summary})
        schema = {
            "locale": pl.String, "rule": pl.String, "items": pl.Int64, "reviewers": pl.Int64,
            "percent_agreement": pl.Float64, "cohen_kappa": pl.Float64, "fleiss_kappa": pl.Float64,
            "krippendorff_alpha": pl.Float64,
        }
        return pl.DataFrame(out, schema=schema)

    # ----------------------------------------------------------------- export, suggestions

    def settled(self, *, locales: Sequence[str] = (), checks: Sequence[str] = ()) -> pl.DataFrame:
        """Every ``done`` item with its final decision (:data:`export.SETTLED_SCHEMA` + extras)."""
        actor = OPERATOR if not locales else Actor(0, "operator", "admin", frozenset(normalise_grant(g) for g in locales))
        with self.db.read() as session:
            query = select(Item).where(locale_condition(actor), Item.status == "done").order_by(Item.id)
            if checks:
                query = query.where(Item.check.in_(list(checks)))
            items = session.scalars(query).all()
            votes: dict[int, list[Vote]] = {}
            from locale_guard.review.importer import iter_chunks

            for chunk in iter_chunks([i.id for i in items]):
                for vote in session.scalars(select(Vote).where(Vote.item_id.in_(chunk)).order_by(Vote.decided_at)):
                    votes.setdefault(vote.item_id, []).append(vote)
        rows = []
        for item in items:
            counted = [v for v in votes.get(item.id, []) if v.decision in decisions.COUNTED]
            if item.gold_decision is not None:
                decision, fixed, gold = item.gold_decision, item.gold_fixed_text, True
            elif counted:
                fixes = [v for v in counted if v.decision == "fix"]
                decision = "fix" if fixes else counted[-1].decision
                fixed, gold = (fixes[-1].fixed_text if fixes else None), False
            else:
                continue
            span = item.text[item.span_start : item.span_end] if item.span_start is not None and item.span_end is not None else None
            rows.append({
                "item_id": item.id, "fingerprint": item.fingerprint, "text": item.text, "locale": item.locale,
                "rule": item.rule, "check": item.check, "message": item.message, "evidence": list(item.evidence or []),
                "source_text": item.source_text, "decision": decision, "fixed_text": fixed,
                "reviewer_count": len(counted), "gold": gold, "severity": item.severity,
                "finding_source": item.finding_source, "span_text": span or (item.evidence[0] if item.evidence else None),
            })
        schema = {**SETTLED_SCHEMA, "severity": pl.String(), "finding_source": pl.String(), "span_text": pl.String()}
        return pl.DataFrame(rows, schema=schema)

    def training(self, *, locales: Sequence[str] = (), checks: Sequence[str] = ()) -> pl.DataFrame:
        """The training-data frame (:data:`export.TRAINING_SCHEMA`)."""
        return training_rows(self.settled(locales=locales, checks=checks).select(list(SETTLED_SCHEMA)))

    # ----------------------------------------------------------------------- backup

    def backup(self, target: Path) -> None:
        from locale_guard.review.backup import backup_sqlite

        backup_sqlite(self.db, target)

    def restore(self, source: Path) -> None:
        from locale_guard.review.backup import restore_sqlite

        restore_sqlite(self.db, source)


def _pivot_status(frame: pl.DataFrame, index: list[str]) -> pl.DataFrame:
    """Long (…, status, n) → wide (…, pending, conflict, done, total)."""
    if frame.height == 0:
        base = pl.DataFrame(schema={**{c: pl.String for c in index}})
    else:
        base = frame.pivot("status", index=index, values="n", aggregate_function="sum")
    for status in ("pending", "conflict", "done"):
        if status not in base.columns:
            base = base.with_columns(pl.lit(0, dtype=pl.Int64).alias(status))
    return base.select(
        *index,
        *[pl.col(s).fill_null(0).cast(pl.Int64) for s in ("pending", "conflict", "done")],
    ).with_columns(pl.sum_horizontal("pending", "conflict", "done").alias("total")).sort(index, nulls_last=True)
