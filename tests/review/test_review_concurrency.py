"""4 processes × 250 adjudications on one queue: nothing lost, no item over-reviewed, conflicts surfaced."""

from __future__ import annotations

import multiprocessing
from collections import Counter

import pytest
from review_helpers import PASSWORD, concurrency_worker, finding, report_json
from sqlalchemy import text

from locale_guard.review.decisions import LABEL
from locale_guard.review.store import ReviewStore

PROCESSES = 4
ROUNDS = 250
QUEUE_ITEMS = 600  # 600 items × 2 reviews = 1200 slots for 1000 decisions: no reviewer runs dry
HOT_ITEMS = 40


@pytest.mark.slow
def test_four_processes_adjudicate_one_queue(db_url: str) -> None:
    store = ReviewStore(db_url, auto_migrate=False)
    queue = [finding(f"q{i}", text=f"Scheiße Nummer {i}", span=(0, 7)) for i in range(QUEUE_ITEMS)]
    store.import_report(report_json(queue), source_name="queue.json", required_reviews=2)
    hot = [finding(f"h{i}", locale="de-AT", text=f"Heiß {i}", span=(0, 4)) for i in range(HOT_ITEMS)]
    store.import_report(report_json(hot), source_name="hot.json", required_reviews=1)
    reviewers = [store.add_user(f"r{i}", password=PASSWORD, locales=["de-DE", "de-AT"]).id for i in range(PROCESSES)]
    lead = store.add_user("lead", password=PASSWORD, role="lead", locales=["de"]).id

    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [
        ctx.Process(target=concurrency_worker, args=(store.url, reviewers[i], i, ROUNDS, "de-AT", barrier, results))
        for i in range(PROCESSES)
    ]
    for w in workers:
        w.start()
    reports = [results.get(timeout=600) for _ in workers]
    for w in workers:
        w.join(timeout=60)
    assert [r["errors"] for r in reports] == [[]] * PROCESSES
    assert all(len(r["decided"]) == ROUNDS for r in reports)

    # 0 lost: every decision a process saw succeed is in the log and the votes, nothing else is
    claimed = {(reviewers[r["index"]], item, decision) for r in reports for item, decision in r["decided"]}
    with store.db.read() as session:
        logged = set(session.execute(text(
            "SELECT a.reviewer_id, a.item_id, a.decision FROM adjudications a JOIN items i ON i.id = a.item_id "
            "WHERE i.locale = 'de-DE'"
        )).all())
        votes = session.execute(text(
            "SELECT v.item_id, v.decision FROM votes v JOIN items i ON i.id = v.item_id WHERE i.locale = 'de-DE'"
        )).all()
        statuses = dict(session.execute(text("SELECT id, status FROM items WHERE locale = 'de-DE'")).all())
    assert len(claimed) == PROCESSES * ROUNDS
    assert {(r, i, d) for r, i, d in logged} == claimed
    per_item = Counter(item for item, _ in votes)
    assert max(per_item.values()) <= 2  # claims kept every item to its two reviewers

    # conflicts surfaced: items whose two reviewers disagree are 'conflict', and the lead sees them
    labels: dict[int, set[str]] = {}
    for item, decision in votes:
        labels.setdefault(item, set()).add(LABEL[decision])
    expected_conflicts = {i for i, seen in labels.items() if per_item[i] == 2 and len(seen) == 2}
    assert expected_conflicts, "the decisions were chosen so that some pairs disagree"
    assert {i for i, s in statuses.items() if s == "conflict"} == expected_conflicts
    assert {c.id for c in store.conflicts(lead, limit=2000)} == expected_conflicts
    assert {i for i, s in statuses.items() if s == "done"} == {
        i for i, seen in labels.items() if per_item[i] == 2 and len(seen) == 1
    }

    # racing on the same hot items without claims: one winner per item, the rest get ConflictError
    won = [item for r in reports for item in r["won"]]
    assert len(won) == len(set(won)) == HOT_ITEMS
    assert sum(r["conflicts"] for r in reports) == HOT_ITEMS * (PROCESSES - 1)
    store.close()
