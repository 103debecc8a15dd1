"""``locale-guard rules validate | list | test``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _pack_helpers import DATA, write_pack
from click.testing import CliRunner

from locale_guard.cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_validate_ok_prints_counts(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["rules", "validate", str(DATA)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "ok: 3 pack(s), 11 rule(s), 27 example(s) run"


def test_validate_defaults_to_configured_folders(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALE_GUARD_RULES_PATH", str(DATA))
    result = runner.invoke(cli, ["rules", "validate"])
    assert result.exit_code == 0, result.output
    assert "3 pack(s)" in result.output


def test_validate_failure_exits_1_with_one_line_per_problem(runner: CliRunner, tmp_path: Path) -> None:
    path = write_pack(
        tmp_path,
        "de",
        "offensive",
        """
        version: "1"
        language: de
        check: offensive
        rules:
          - id: bad-re
            kind: pattern
            severity: warning
            message: "x"
            pattern: '(?<=a)b'
            examples: {match: [ab]}
          - id: wrong-example
            kind: lexicon
            severity: loud
            message: "x"
            terms: [regen]
            examples: {match: [Sonne]}
        """,
    )
    result = runner.invoke(cli, ["rules", "validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:5: rule 'bad-re': 'pattern': RE2 cannot compile the pattern: invalid perl operator: (?<=")
    assert lines[1] == f"{path}:11: rule 'wrong-example': 'severity' must be one of error, warning, info (got 'loud')"
    assert "2 problem(s)" in result.stderr


def test_list_shows_effective_rules_and_their_packs(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALE_GUARD_RULES_PATH", str(DATA))
    result = runner.invoke(cli, ["rules", "list", "--locale", "de_AT", "--check", "offensive", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    by_id = {r["rule"]: r for r in rows}
    assert "offensive/inherited-then-disabled" not in by_id
    assert by_id["offensive/overridden"]["from"].endswith("de-AT/offensive.yaml:6")
    assert by_id["offensive/todo-marker"]["kind"] == "pattern"
    table = runner.invoke(cli, ["rules", "list", "--locale", "de-AT"])
    assert table.output.splitlines()[0].split() == ["rule", "kind", "severity", "scope", "from"]


def test_list_without_locale_lists_packs(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALE_GUARD_RULES_PATH", str(DATA))
    result = runner.invoke(cli, ["rules", "list", "--json"])
    packs = json.loads(result.output)
    assert [(p["locale"], p["version"], p["rules"]) for p in packs] == [("de", "2.1", 6), ("de-AT", "1.0", 2), ("und", "1.0", 3)]


def test_test_shows_matching_rules(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALE_GUARD_RULES_PATH", str(DATA))
    result = runner.invoke(cli, ["rules", "test", "Guten Abend, eine Email bitte", "--locale", "de-AT"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "0-11 info    offensive/greeting: Grußformel: Guten Abend ['Guten Abend']",
        "18-23 warning offensive/email-spelling: Schreibe E-Mail statt Email ['Email' → E-Mail]",
    ]


def test_test_respects_kind_and_reports_no_match(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALE_GUARD_RULES_PATH", str(DATA))
    response = runner.invoke(cli, ["rules", "test", "Bitteschön", "--locale", "de", "--kind", "response"])
    utterance = runner.invoke(cli, ["rules", "test", "Bitteschön", "--locale", "de", "--kind", "utterance"])
    assert "offensive/responses-only" in response.output
    assert utterance.output.strip() == "no rule matches (de)"


def test_bad_locale_and_broken_packs_exit_2(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALE_GUARD_RULES_PATH", str(DATA))
    bad = runner.invoke(cli, ["rules", "test", "x", "--locale", "xx-YY-ZZ-1"])
    assert bad.exit_code == 2
    assert "is not a locale tag" in bad.stderr
    write_pack(tmp_path, "de", "offensive", "version: 1\n")
    monkeypatch.setenv("LOCALE_GUARD_RULES_PATH", str(tmp_path))
    broken = runner.invoke(cli, ["rules", "list"])
    assert broken.exit_code == 2
    assert "'version' must be a string" in broken.stderr
