"""Training-data export, rule suggestions, atomic imports under SIGKILL, backup and restore."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
import yaml
from review_helpers import PASSWORD, finding, report_json
from sqlalchemy import text

from locale_guard.review.errors import ReviewError
from locale_guard.review.export import (
    SETTLED_SCHEMA,
    TRAINING_SCHEMA,
    read_training,
    training_rows,
    write_training,
)
from locale_guard.review.store import ReviewStore
from locale_guard.review.suggest import SuggestOptions, suggestions


def _decide_all(store: ReviewStore, reviewer: int, decisions: dict[str, tuple[str, str | None]]) -> None:
    """Decide every claimable item by fingerprint: {fingerprint: (decision, fixed_text)}."""
    while (item := store.claim_next(reviewer)) is not None:
        decision, fixed = decisions[item.fingerprint]
        store.decide(reviewer, item.id, decision, fixed_text=fixed)


def test_training_rows_follow_the_documented_schema(store: ReviewStore) -> None:
    store.import_report(
        report_json([
            finding("off-accept"),
            finding("off-reject", text="Schwanzflosse des Fisches", span=(0, 13)),
            finding("off-fix", text="Du Idiot", span=(3, 8)),
            finding("form-accept", rule="formality/informal-pronoun", text="Hast du Zeit?", span=(5, 7),
                    message="informal 'du' in a locale that expects the formal register", severity="warning"),
            finding("form-evidence", rule="formality/formal-pronoun", text="Haben Sie Zeit?", span=(6, 9),
                    message="register mismatch", evidence=["Sie", "register=formal"], severity="warning"),
            finding("form-fix", rule="formality/informal-pronoun", text="Kannst du das?", span=(7, 9),
                    message="informal 'du'", severity="warning"),
            finding("ph", rule="placeholders/missing", text="Hallo", span=None, message="missing {name}"),
            finding("pending", text="Noch offen", span=(0, 4)),
        ]),
        source_name="r.json",
    )
    reviewer = store.add_user("dora", password=PASSWORD, locales=["de-DE"]).id
    _decide_all(store, reviewer, {
        "off-accept": ("accept", None),
        "off-reject": ("reject", None),
        "off-fix": ("fix", "Du Schlaumeier"),
        "form-accept": ("accept", None),
        "form-evidence": ("accept", None),
        "form-fix": ("fix", "Können Sie das?"),
        "ph": ("accept", None),
        "pending": ("skip", None),
    })
    frame = store.training()
    assert frame.schema == pl.Schema(TRAINING_SCHEMA)
    rows = {(r["fingerprint"], r["decision"]): r for r in frame.to_dicts()}
    assert "pending" not in {fp for fp, _ in rows}  # skipped: not settled, not exported
    assert rows[("off-accept", "accept")]["label_offensive"] == 1
    assert rows[("off-reject", "reject")]["label_offensive"] == 0
    assert rows[("off-fix", "fix")]["label_offensive"] == 1
    assert rows[("off-fix", "fix")]["fixed_text"] == "Du Schlaumeier"
    fixed_row = rows[("off-fix", "fixed")]
    assert (fixed_row["text"], fixed_row["label_offensive"], fixed_row["fixed_text"]) == ("Du Schlaumeier", 0, None)
    assert rows[("form-accept", "accept")]["label_register"] == "informal"
    assert rows[("form-evidence", "accept")]["label_register"] == "formal"
    assert rows[("form-fix", "fix")]["label_register"] == "informal"
    assert rows[("form-fix", "fixed")]["label_register"] == "formal"
    assert rows[("form-accept", "accept")]["label_offensive"] is None
    assert (rows[("ph", "accept")]["label_offensive"], rows[("ph", "accept")]["label_register"]) == (None, None)
    assert all(r["reviewer_count"] == 1 and r["gold"] is False for r in rows.values())
    assert store.training(locales=["fr-FR"]).height == 0
    assert set(store.training(checks=["formality"])["check"].to_list()) == {"formality"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_formats_round_trip(tmp_path: Path, fmt: str) -> None:
    settled = pl.DataFrame(
        [{
            "item_id": 1, "fingerprint": "f", "text": "a, \"quoted\"\nline", "locale": "ar-EG", "rule": "offensive/x",
            "check": "offensive", "message": "m", "evidence": ["x"], "source_text": None, "decision": "fix",
            "fixed_text": "clean", "reviewer_count": 2, "gold": True,
        }],
        schema=SETTLED_SCHEMA,
    )
    frame = training_rows(settled)
    target = tmp_path / f"train.{fmt}"
    write_training(frame, fmt, target)
    back = read_training(target)
    assert back.equals(frame)


def test_suggest_rules_allowlists_repeated_false_positives_and_lowers_noisy_rules(store: ReviewStore) -> None:
    reports = [finding(f"fin{i}", text=f"Der Fisch {i} hat eine Schwanzflosse", span=(len(f"Der Fisch {i} hat eine "), len(f"Der Fisch {i} hat eine Schwanzflosse")))
               for i in range(5)]
    reports += [finding("real", text="Das ist Scheiße", span=(8, 15)), finding("model", text="Du Penner", span=(3, 9), source="model")]
    store.import_report(report_json(reports), source_name="r.json")
    reviewer = store.add_user("dora", password=PASSWORD, locales=["de-DE"]).id
    _decide_all(store, reviewer, {**{f"fin{i}": ("reject", None) for i in range(5)}, "real": ("accept", None), "model": ("reject", None)})
    entries = suggestions(store.settled(), SuggestOptions(min_rejections=2, min_reviewed=5, reject_share=0.6))
    assert len(entries) == 1
    pack = entries[0]
    assert pack["file"] == "rules/de/offensive.yaml"
    assert pack["allow"] == ["Schwanzflosse"]  # the model's false positive is not allowlisted
    assert pack["severity"] == {"offensive/vulgar": "warning"}  # 6 of 7 rejected
    assert "Schwanzflosse" in " ".join(pack["why"])
    assert suggestions(store.settled(), SuggestOptions(min_rejections=6))[0].get("allow") is None


def test_suggest_rules_cli_writes_a_yaml_patch_and_training_examples(store: ReviewStore, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from locale_guard.cli.review import review

    store.import_report(report_json([finding(f"f{i}", text=f"Schwanzflosse {i}", span=(0, 13)) for i in range(3)]
                                    + [finding("ok", text="Das ist Scheiße")]), source_name="r.json")
    reviewer = store.add_user("dora", password=PASSWORD, locales=["de-DE"]).id
    _decide_all(store, reviewer, {**{f"f{i}": ("reject", None) for i in range(3)}, "ok": ("fix", "Das ist Mist")})
    patch, examples = tmp_path / "patch.yaml", tmp_path / "examples.jsonl"
    result = CliRunner().invoke(review, ["suggest-rules", "--db", store.url, "-o", str(patch), "--training", str(examples)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(patch.read_text(encoding="utf-8"))
    assert data["packs"][0]["allow"] == ["Schwanzflosse"]
    assert data["training_examples"] == 2
    assert sorted(read_training(examples)["decision"].to_list()) == ["fix", "fixed"]


# --------------------------------------------------------------------- atomic imports

_KILLED_IMPORT = """
import pathlib, sys, time
from locale_guard.review.store import ReviewStore
url, report, marker = sys.argv[1:4]
store = ReviewStore(url, auto_migrate=False)
def progress(done, total):
    if done >= 1000:
        pathlib.Path(marker).write_text("inside the transaction")
        time.sleep(120)
store.import_report(pathlib.Path(report).read_bytes(), source_name="big.json", progress=progress)
"""


def test_kill_9_mid_import_leaves_the_database_consistent(store: ReviewStore, tmp_path: Path) -> None:
    report = tmp_path / "big.json"
    report.write_text(report_json([finding(f"fp{i}", text=f"Scheiße Nummer {i}", span=(0, 7)) for i in range(3000)]), encoding="utf-8")
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_IMPORT, store.url, str(report), str(marker)])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the import finished or failed before it could be killed"
            assert time.monotonic() < deadline, "the import never got half-way"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    with store.db.read() as session:
        assert session.execute(text("SELECT count(*) FROM items")).scalar_one() == 0
        assert session.execute(text("SELECT count(*) FROM imports")).scalar_one() == 0
    result = store.import_report(report.read_bytes(), source_name="big.json")
    assert (result.created, result.updated) == (3000, 0)


# ------------------------------------------------------------------------------ backup


def test_backup_and_restore_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    store = ReviewStore(sqlite_url, auto_migrate=False)
    store.import_report(report_json([finding("a")]), source_name="r.json")
    backup = tmp_path / "backup.db"
    store.backup(backup)
    with pytest.raises(ReviewError, match="exists"):
        store.backup(backup)
    store.import_report(report_json([finding("b", text="Du Idiot", span=(3, 8))]), source_name="r2.json")
    store.restore(backup)
    with store.db.read() as session:
        assert session.execute(text("SELECT fingerprint FROM items")).scalars().all() == ["a"]
    not_a_store = tmp_path / "other.db"
    not_a_store.write_bytes(b"hello")
    with pytest.raises(ReviewError, match=r"not an SQLite database|not a locale-guard"):
        store.restore(not_a_store)


@pytest.mark.postgres
def test_backup_of_postgresql_points_to_pg_dump(pg_url: str, tmp_path: Path) -> None:
    store = ReviewStore(pg_url, auto_migrate=False)
    with pytest.raises(ReviewError, match="pg_dump"):
        store.backup(tmp_path / "x.db")
