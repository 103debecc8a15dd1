"""Server-side scoping: which items a reviewer may see, as a SQL condition.

Every store method that reads or changes items takes the acting reviewer, loads the reviewer's
role and locales from the database inside the same transaction (so a revoked grant takes effect
at once, and nothing the console holds can widen it), and adds :func:`locale_condition` to its
query. The console never filters by locale itself; an item outside the grant is "not found".

A grant is a locale (``de-DE``: exactly that locale), a language (``de``: ``de`` and every
``de-*``) or ``*`` (every locale, including findings without one).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import Session

from locale_guard.review.errors import AuthError, PermissionDenied
from locale_guard.review.models import ALL_LOCALES, Item, Reviewer, ReviewerLocale


@dataclass(frozen=True)
class Actor:
    """The reviewer a store call acts for, as loaded from the database for this transaction."""

    id: int
    username: str
    role: str
    locales: frozenset[str]

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise PermissionDenied(f"this needs the role {' or '.join(roles)}; {self.username} is {self.role}")

    def covers(self, locale: str | None) -> bool:
        """The same rule as :func:`locale_condition`, for one value (checks before writes)."""
        if ALL_LOCALES in self.locales:
            return True
        if locale is None:
            return False
        return locale in self.locales or locale.split("-", 1)[0] in self.locales


def load_actor(session: Session, reviewer_id: int) -> Actor:
    """The acting reviewer, or AuthError when the account is gone or disabled (one query)."""
    if not isinstance(reviewer_id, int) or isinstance(reviewer_id, bool):
        raise AuthError("not logged in")
    rows = session.execute(
        select(Reviewer.username, Reviewer.role, Reviewer.active, ReviewerLocale.locale)
        .outerjoin(ReviewerLocale, ReviewerLocale.reviewer_id == Reviewer.id)
        .where(Reviewer.id == reviewer_id)
    ).all()
    if not rows or not rows[0].active:
        raise AuthError("this account does not exist or has been disabled")
    return Actor(
        id=reviewer_id,
        username=rows[0].username,
        role=rows[0].role,
        locales=frozenset(r.locale for r in rows if r.locale is not None),
    )


def locale_condition(actor: Actor, column=Item.locale) -> ColumnElement[bool]:  # type: ignore[no-untyped-def]
    """The SQL condition "this row's locale is one the actor may see"."""
    if ALL_LOCALES in actor.locales:
        return true()
    exact = sorted(g for g in actor.locales if "-" in g)
    languages = sorted(g for g in actor.locales if "-" not in g)
    parts: list[ColumnElement[bool]] = []
    if exact or languages:
        parts.append(column.in_(exact + languages))
    parts.extend(column.startswith(f"{lang}-", autoescape=True) for lang in languages)
    return or_(*parts) if parts else false()


def scoped_items(actor: Actor) -> Select[tuple[Item]]:
    """``SELECT items`` limited to the actor's locales: the base of every item query."""
    return select(Item).where(locale_condition(actor))
