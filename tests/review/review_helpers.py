"""Builders of findings reports for the review tests (named uniquely: tests have no packages)."""

from __future__ import annotations

import json

PASSWORD = "correct horse battery"


def report_json(findings: list[dict], version: str = "0.1.0") -> str:
    return json.dumps({"version": 1, "tool": {"name": "locale-guard", "version": version}, "findings": findings})


def finding(
    fingerprint: str,
    *,
    locale: str = "de-DE",
    rule: str = "offensive/vulgar",
    text: str = "Das ist Scheiße",
    span: tuple[int, int] | None = (8, 15),
    message: str = "vulgar word",
    severity: str = "error",
    source: str = "rule",
    evidence: list[str] | None = None,
    **extra: object,
) -> dict:
    start, end = span if span else (None, None)
    return {
        "rule": rule,
        "check": rule.split("/", 1)[0],
        "severity": severity,
        "locale": locale,
        "path": f"catalog/{locale}.json",
        "line": 3,
        "column": (start or 0) + 1,
        "key": f"key.{fingerprint}",
        "record_id": f"rec-{fingerprint}",
        "text": text,
        "span": {"start": start, "end": end} if span else None,
        "message": message,
        "suggestion": None,
        "source": source,
        "score": 0.93 if source == "model" else None,
        "evidence": evidence if evidence is not None else ([text[start:end]] if span else []),
        "fingerprint": fingerprint,
        **extra,
    }


def concurrency_worker(url: str, reviewer_id: int, index: int, rounds: int, hot_locale: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    """One reviewer process of the concurrency test (module-level so ``spawn`` can import it).

    Phase 1 takes ``rounds`` items from the shared queue with claim_next + decide; phase 2
    (after every process reaches the barrier) races the other processes on the same hot items
    without claiming, where only one decision per item may win.
    """
    from locale_guard.review.errors import ConflictError
    from locale_guard.review.store import ReviewStore

    store = ReviewStore(url, auto_migrate=False)
    decided: list[tuple[int, str]] = []
    errors: list[str] = []
    try:
        for _ in range(rounds):
            item = store.claim_next(reviewer_id, locale="de-DE")
            if item is None:
                errors.append("queue ran dry")
                break
            decision = "reject" if (item.id + index) % 3 == 0 else "accept"
            store.decide(reviewer_id, item.id, decision)
            decided.append((item.id, decision))
        barrier.wait(timeout=300)
        won, lost = [], 0
        hot = store.items(reviewer_id, locale=hot_locale, limit=1000)["id"].to_list()
        for item_id in hot:
            try:
                store.decide(reviewer_id, item_id, "accept")
                won.append(item_id)
            except ConflictError:
                lost += 1
        results.put({"index": index, "decided": decided, "won": won, "conflicts": lost, "errors": errors})
    except Exception as exc:  # reported to the parent, which fails the test with it
        results.put({"index": index, "decided": decided, "won": [], "conflicts": 0, "errors": [repr(exc)]})
        barrier.abort()
    finally:
        store.close()
