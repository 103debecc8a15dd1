"""The engine: inputs read, locales filled, source paired, policy, suppression and baselines."""

import json
from pathlib import Path

import polars as pl
import pytest

from locale_guard.checks import Check, Rule, all_checks
from locale_guard.config import Config, parse_config
from locale_guard.engine import RunOptions, load_baseline, run, write_baseline
from locale_guard.findings import findings_from_records


def _shouty(records: pl.DataFrame, ctx) -> pl.DataFrame:
    """A test check: flags strings containing '!!'."""
    hit = records.filter(pl.col("text").str.contains("!!", literal=True))
    return findings_from_records(
        hit,
        rule="demo/shouting",
        severity="warning",
        message="too loud",
        span=pl.struct(
            pl.col("text").str.find("!!", literal=True).cast(pl.Int32).alias("start"),
            (pl.col("text").str.find("!!", literal=True) + 2).cast(pl.Int32).alias("end"),
        ),
    )


@pytest.fixture
def demo_check(monkeypatch: pytest.MonkeyPatch) -> Check:
    check = Check(name="demo", rules=(Rule("demo/shouting", "warning", "too loud"),), run=_shouty)
    monkeypatch.setitem(all_checks(), "demo", check)
    return check


@pytest.fixture
def catalogs(tmp_path: Path) -> Path:
    root = tmp_path / "cat"
    root.mkdir()
    (root / "en-US.json").write_text(json.dumps({"hi": "Hello!!", "bye": "Bye"}))
    (root / "de-DE.json").write_text(
        json.dumps({"x-locale-guard-ignore": {"bye": "demo"}, "hi": "Hallo!!", "bye": "Tschüss!!"})
    )
    return root


def test_records_are_paired_with_their_source(catalogs: Path, demo_check: Check) -> None:
    result = run(RunOptions(paths=[catalogs]), Config())
    de = result.records.filter(pl.col("locale") == "de-DE").sort("key")
    assert de["source_text"].to_list() == ["Bye", "Hello!!"]
    assert result.source_locale == "en-US"


def test_findings_have_spans_columns_and_fingerprints(catalogs: Path, demo_check: Check) -> None:
    result = run(RunOptions(paths=[catalogs], select=["demo"]), Config())
    assert result.findings.height == 2  # de "bye" is suppressed inline
    assert result.suppressed == 1
    row = result.findings.filter(pl.col("locale") == "de-DE").to_dicts()[0]
    assert row["column"] == 6 and row["span"] == {"start": 5, "end": 7}
    assert row["fingerprint"] and len(row["fingerprint"]) == 32


def test_fingerprints_survive_moved_lines(tmp_path: Path, demo_check: Check) -> None:
    p = tmp_path / "en.json"
    p.write_text('{"a": "x!!"}')
    first = run(RunOptions(paths=[p], select=["demo"]), Config()).findings["fingerprint"].to_list()
    p.write_text('\n\n\n{\n"z": "other",\n\n"a": "x!!"}')
    second = run(RunOptions(paths=[p], select=["demo"]), Config()).findings["fingerprint"].to_list()
    assert first == second


def test_severity_override_and_ignore(catalogs: Path, demo_check: Check) -> None:
    config = parse_config({"severity": {"demo/shouting": "error"}})
    result = run(RunOptions(paths=[catalogs], select=["demo"]), config)
    assert set(result.findings["severity"]) == {"error"}
    off = run(RunOptions(paths=[catalogs], select=["demo"]), parse_config({"severity": {"demo": "off"}}))
    assert off.findings.height == 0
    ignored = run(RunOptions(paths=[catalogs], ignore=["demo/shouting"]), Config())
    assert "demo/shouting" not in ignored.findings["rule"].to_list()


def test_baseline_hides_known_findings_only(catalogs: Path, demo_check: Check, tmp_path: Path) -> None:
    first = run(RunOptions(paths=[catalogs], select=["demo"]), Config())
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, first.findings)
    assert len(load_baseline(baseline)) == 2
    (catalogs / "fr-FR.json").write_text(json.dumps({"hi": "Salut!!"}))
    second = run(RunOptions(paths=[catalogs], select=["demo"], baseline=baseline), Config())
    assert second.baselined == 2
    assert second.findings["locale"].to_list() == ["fr-FR"]


def test_one_broken_file_does_not_stop_the_others(catalogs: Path, demo_check: Check) -> None:
    (catalogs / "fr-FR.json").write_text("{broken")
    result = run(RunOptions(paths=[catalogs], select=["demo"]), Config())
    assert [e.path for e in result.errors] == [str(catalogs / "fr-FR.json")]
    assert result.findings.height == 2


def test_locale_flag_applies_to_files_without_one(tmp_path: Path, demo_check: Check) -> None:
    p = tmp_path / "strings.json"
    p.write_text('{"a": "hi!!"}')
    assert run(RunOptions(paths=[p]), Config()).errors[0].message.startswith("cannot tell the locale")
    result = run(RunOptions(paths=[p], locale="sw-TZ"), Config())
    assert not result.errors and result.records["locale"].to_list() == ["sw-TZ"]


def test_source_locale_matches_by_language(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "de").mkdir()
    (tmp_path / "en" / "app.json").write_text('{"a": "Hello"}')
    (tmp_path / "de" / "app.json").write_text('{"a": "Hallo"}')
    result = run(RunOptions(paths=[tmp_path], source_locale="en-US", select=["demo"]), Config())
    assert result.source_locale == "en"
    assert result.records.filter(pl.col("locale") == "de")["source_text"].to_list() == ["Hello"]


def test_files_without_a_locale_found_by_walking_are_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "de.json").write_text('{"a": "Hallo"}')
    (tmp_path / "package.json").write_text('{"name": "app", "version": "1.0"}')
    result = run(RunOptions(paths=[tmp_path]), Config())
    assert not result.errors
    assert result.records.height == 1
    assert "skipped 1 file(s)" in result.warnings[0].message


def test_exclude_patterns(tmp_path: Path) -> None:
    (tmp_path / "de.json").write_text('{"a": "Hallo"}')
    (tmp_path / "fr.json").write_text("{broken")
    result = run(RunOptions(paths=[tmp_path]), parse_config({"exclude": ["fr.json"]}))
    assert not result.errors and result.records.height == 1
