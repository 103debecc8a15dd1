"""``locale-guard review …`` end to end through click, on SQLite (the store tests cover PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from review_helpers import PASSWORD, finding, report_json

from locale_guard.cli import cli
from locale_guard.review.export import TRAINING_SCHEMA
from locale_guard.review.store import ReviewStore


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["review", *args], input=input)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "findings.json"
    path.write_text(
        report_json([finding("a"), finding("b", locale="fr-FR", text="Quelle merde", span=(7, 12))]), encoding="utf-8"
    )
    return path


def test_import_twice_then_stats(sqlite_url: str, report: Path) -> None:
    first = run("import", str(report), "--db", sqlite_url)
    assert first.exit_code == 0, first.output
    assert "2 finding(s), 2 new, 0 updated" in first.output
    second = run("import", str(report), "--db", sqlite_url, "--reviewers", "2")
    assert "0 new, 2 updated" in second.output
    stats = run("stats", "--db", sqlite_url, "--format", "json")
    data = json.loads(stats.output)
    assert data["totals"] == {"pending": 2, "conflict": 0, "done": 0, "items": 2}
    assert {r["locale"] for r in data["by_locale"]} == {"de-DE", "fr-FR"}
    text = run("stats", "--db", sqlite_url)
    assert "2 item(s): 2 pending, 0 conflicting, 0 done" in text.output


def test_users_add_list_grant_revoke_passwd(sqlite_url: str) -> None:
    added = run("users", "add", "dora", "--locale", "de_DE", "--password-stdin", "--db", sqlite_url, input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "locales: de-DE" in added.output
    assert run("users", "grant", "dora", "--locale", "fr", "--role", "lead", "--db", sqlite_url).exit_code == 0
    listed = json.loads(run("users", "list", "--format", "json", "--db", sqlite_url).output)
    assert listed[0]["role"] == "lead" and listed[0]["locales"] == "de-DE,fr"
    assert "argon2" not in json.dumps(listed) and PASSWORD not in json.dumps(listed)
    assert run("users", "revoke", "dora", "--locale", "fr", "--db", sqlite_url).exit_code == 0
    assert run("users", "passwd", "dora", "--password-stdin", "--db", sqlite_url, input="another long password\n").exit_code == 0
    store = ReviewStore(sqlite_url, auto_migrate=False)
    assert store.authenticate("dora", "another long password").locales == ("de-DE",)
    assert run("users", "disable", "dora", "--db", sqlite_url).exit_code == 0
    assert store.list_users()[0].active is False


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["import", "missing.json"], None, "missing.json"),
        (["users", "add", "x", "--password-stdin"], "short\n", "at least"),
        (["users", "add", "x", "--locale", "xx-QQ", "--password-stdin"], PASSWORD + "\n", "not a locale tag"),
        (["users", "grant", "nobody", "--role", "lead"], None, "no user named"),
        (["users", "grant", "nobody"], None, "nothing to grant"),
        (["users", "add", "x", "--no-password"], None, "needs --email"),
        (["export", "--format", "parquet"], None, "-o"),
        (["export", "--db", "mysql://x/y"], None, "unsupported database"),
        (["backup", "/no/such/folder/b.db"], None, "folder does not exist"),
        (["guidelines", "set", "offensive", "de-DE"], None, "exactly one of"),
    ],
)
def test_errors_are_one_line_with_exit_2(sqlite_url: str, args: list[str], stdin: str | None, message: str) -> None:
    if "--db" not in args:
        args = [*args, "--db", sqlite_url]
    result = run(*args, input=stdin)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("error:")]) == 1


def test_bad_report_names_the_finding(sqlite_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"findings": [finding("a"), {"rule": "x/y"}]}), encoding="utf-8")
    result = run("import", str(bad), "--db", sqlite_url)
    assert result.exit_code == 2
    assert "bad.json (finding 2): no 'fingerprint'" in result.output


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_writes_the_training_schema(sqlite_url: str, report: Path, tmp_path: Path, fmt: str) -> None:
    run("import", str(report), "--db", sqlite_url)
    store = ReviewStore(sqlite_url, auto_migrate=False)
    reviewer = store.add_user("root", password=PASSWORD, role="admin", locales=["*"]).id
    while (item := store.claim_next(reviewer)) is not None:
        store.decide(reviewer, item.id, "accept")
    target = tmp_path / f"train.{fmt}"
    result = run("export", "--format", fmt, "-o", str(target), "--db", sqlite_url)
    assert result.exit_code == 0, result.output
    frame = {"jsonl": pl.read_ndjson, "csv": pl.read_csv, "parquet": pl.read_parquet}[fmt](target)
    assert frame.columns == list(TRAINING_SCHEMA)
    assert frame.height == 2 and frame["label_offensive"].to_list() == [1, 1]
    stdout = run("export", "--format", "jsonl", "--locale", "fr-FR", "--db", sqlite_url)
    assert [json.loads(line)["locale"] for line in stdout.output.splitlines()] == ["fr-FR"]


def test_guidelines_migrate_backup_restore(sqlite_url: str, tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text("Reject jokes among friends.", encoding="utf-8")
    assert run("guidelines", "set", "offensive", "de", "--file", str(guide), "--db", sqlite_url).exit_code == 0
    assert "already at revision" in run("migrate", "--db", sqlite_url).output
    backup = tmp_path / "backup.db"
    assert run("backup", str(backup), "--db", sqlite_url).exit_code == 0
    assert run("guidelines", "set", "offensive", "de", "--text", "", "--db", sqlite_url).exit_code == 0
    assert run("restore", str(backup), "--db", sqlite_url, input="n\n").exit_code == 2
    assert run("restore", str(backup), "--yes", "--db", sqlite_url).exit_code == 0
    store = ReviewStore(sqlite_url, auto_migrate=False)
    reviewer = store.add_user("greta", password=PASSWORD, locales=["de-AT"]).id
    assert [g.text for g in store.guidelines(reviewer)] == ["Reject jokes among friends."]


def test_serve_starts_streamlit_with_xsrf_on_and_the_url_in_the_environment(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from locale_guard.cli import review as review_cli

    seen: dict = {}

    def fake_exec(path: str, command: list[str], env: dict[str, str]) -> None:
        seen["command"], seen["env"] = command, env
        raise SystemExit(0)

    monkeypatch.setattr(os, "execve", fake_exec)
    result = run("serve", "--db", sqlite_url, "--port", "8601", "--session-minutes", "15", "--max-upload-mb", "20")
    assert result.exit_code == 0, result.output
    command = seen["command"]
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4] == str(review_cli.UI_APP)
    assert Path(command[4]).is_file()
    for flag in ("--server.enableXsrfProtection=true", "--server.headless=true", "--server.maxUploadSize=20",
                 "--server.port=8601", "--server.address=127.0.0.1"):
        assert flag in command
    assert seen["env"]["LOCALE_GUARD_REVIEW_DB"] == sqlite_url
    assert seen["env"]["LOCALE_GUARD_REVIEW_SESSION_MINUTES"] == "15"
    assert not any(PASSWORD in part for part in command)


def test_a_real_check_report_imports_with_every_field(sqlite_url: str) -> None:
    """tests/data/review/check-report.json is `check --format json` output (on examples/), trimmed."""
    report = Path(__file__).resolve().parents[1] / "data" / "review" / "check-report.json"
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    result = run("import", str(report), "--db", sqlite_url)
    assert result.exit_code == 0, result.output
    assert f"{len(findings)} finding(s), {len(findings)} new" in result.output
    store = ReviewStore(sqlite_url, auto_migrate=False)
    admin = store.add_user("root", password=PASSWORD, role="admin", locales=["*"]).id
    by_fp = {store.item(admin, i).fingerprint: store.item(admin, i) for i in store.items(admin)["id"]}
    for f in findings:
        item = by_fp[f["fingerprint"]]
        assert (item.rule, item.locale, item.path, item.line, item.key, item.text) == (
            f["rule"], f["locale"], f["path"], f["line"], f["key"], f["text"]
        )
        span = f["span"] or {"start": None, "end": None}
        assert (item.span_start, item.span_end) == (span["start"], span["end"])
        assert item.rule_version == "0.1.0"
