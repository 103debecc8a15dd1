"""`locale-guard coverage`: summary, JSON/CSV/Parquet tables, the HTML page, exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polars as pl
import pytest
from _coverage_helpers import MASSIVE, analysis_of
from click.testing import CliRunner, Result

from locale_guard.cli import cli
from locale_guard.coverage.html import render_html
from locale_guard.coverage.html_assets import CSP, JS
from locale_guard.coverage.report import TABLES, build_report


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["coverage", *args], catch_exceptions=False)


def embedded_json(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="coverage-data">(.*?)</script>', page, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


def test_summary_in_plain_words() -> None:
    result = run(str(MASSIVE), "--no-holidays")
    assert result.exit_code == 1  # missing-intent and slot-mismatch are errors
    out = result.stdout
    assert "pl-PL: 56 examples of 5 intents, 4 fewer than en-US (93%)" in out
    assert "de-DE: 58 examples of 4 intents, 2 fewer than en-US (97%); 4 of en-US's 5 intents" in out
    assert "pl-PL lacks 4 of en-US's examples in 1 intent(s), most in alarm_query (4)." in out
    assert "de-DE lacks 10 of en-US's examples in 1 intent(s), most in general_joke (10)." in out
    assert "[error] de-DE: no examples of intent 'general_joke' in de-DE; en-US has 10" in out
    assert "11 gap(s):" in out


def test_fail_on_never_and_warning() -> None:
    assert run(str(MASSIVE), "--no-holidays", "--fail-on", "never").exit_code == 0
    polish_only = run(str(MASSIVE / "en-US.jsonl"), str(MASSIVE / "pl-PL.jsonl"), "--no-holidays")
    assert polish_only.exit_code == 0  # a thin intent is a warning
    assert run(str(MASSIVE / "en-US.jsonl"), str(MASSIVE / "pl-PL.jsonl"), "--fail-on", "warning",
               "--no-holidays").exit_code == 1


def test_json_tables(tmp_path: Path) -> None:
    target = tmp_path / "cov.json"
    result = run(str(MASSIVE), "--no-holidays", "--format", "json", "-o", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert set(data["tables"]) == set(TABLES)
    assert data["pivot"] == "en-US" and data["locales"] == ["de-DE", "en-US", "pl-PL"]
    assert data["holidays_check_run"] is False
    row = next(r for r in data["tables"]["intents"] if r["locale"] == "pl-PL" and r["intent"] == "alarm_query")
    assert (row["count"], row["pivot_count"], row["shortfall"]) == (6, 10, 4)
    assert len(data["tables"]["gaps"]) == 11
    assert not any(k.startswith("_") for k in data["tables"]["gaps"][0])
    assert "wrote JSON tables" in result.stderr


def test_json_on_stdout_keeps_the_summary_on_stderr() -> None:
    result = run(str(MASSIVE), "--no-holidays", "--format", "json", "--fail-on", "never")
    assert json.loads(result.stdout)["summary"][0].startswith("de-DE:")
    assert "gap(s):" in result.stderr


def test_csv_table(tmp_path: Path) -> None:
    result = run(str(MASSIVE), "--no-holidays", "--format", "csv", "--table", "intents", "--fail-on", "never")
    frame = pl.read_csv(result.stdout.encode())
    assert frame.filter((pl.col("locale") == "de-DE") & (pl.col("intent") == "general_joke"))["count"].to_list() == [0]
    target = tmp_path / "gaps.csv"
    run(str(MASSIVE), "--no-holidays", "--format", "csv", "-o", str(target))
    gaps = pl.read_csv(target)
    assert gaps.height == 11
    leak = gaps.filter(pl.col("rule") == "coverage/leak").row(0, named=True)
    assert leak["records"] == "de-DE:105" and leak["reference_records"] == "de-DE:104"


def test_parquet_tables_all(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    result = run(str(MASSIVE), "--no-holidays", "--format", "parquet", "--table", "all", "-o", str(target))
    for name in TABLES:
        assert (tmp_path / f"out-{name}.parquet").is_file(), result.stderr
    gaps = pl.read_parquet(tmp_path / "out-gaps.parquet")
    assert gaps.schema["records"] == pl.List(pl.String)
    slots = pl.read_parquet(tmp_path / "out-slots.parquet")
    assert slots.filter((pl.col("locale") == "de-DE") & (pl.col("slot_type") == "place_name"))["count"].to_list() == [0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "parquet"], "give it with -o"),
        (["--format", "csv", "--table", "all"], "one file per table"),
        (["-o", "x.json"], "-o needs --format"),
        (["--pivot", "xx-invalid-tag-zz"], "not a locale tag"),
        (["--input-format", "nope"], "unknown --input-format"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = run(str(MASSIVE), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_unreadable_input_exit_2_and_the_rest_analysed(tmp_path: Path) -> None:
    for name in ("en-US.jsonl", "pl-PL.jsonl"):
        shutil.copy(MASSIVE / name, tmp_path / name)
    (tmp_path / "de-DE.jsonl").write_text('{"id": "1", "utt": "hallo", "intent": "general_greet"\n', encoding="utf-8")
    result = run(str(tmp_path), "--no-holidays")
    assert result.exit_code == 2
    assert "error:" in result.stderr and "de-DE.jsonl" in result.stderr
    assert "pl-PL: 56 examples" in result.stdout


def test_pivot_option() -> None:
    result = run(str(MASSIVE), "--no-holidays", "--pivot", "pl-PL", "--fail-on", "never")
    assert "pl-PL (pivot): 56 examples" in result.stdout
    assert "en-US: 60 examples of 5 intents, 4 more than pl-PL" in result.stdout


def test_html_report(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = run(str(MASSIVE), "--no-holidays", "--html", str(target), "--fail-on", "never")
    assert result.exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "holidays check not run" in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert 'id="intent-heatmap"' in page and 'id="slot-heatmap"' in page
    assert "pl-PL: 4 fewer examples than en-US in 1 intent(s)" in page
    data = embedded_json(page)
    thin = next(g for g in data["gaps"].values() if g["rule"] == "coverage/thin-intent")
    assert thin["reference"] == ["en-US:16", "en-US:17", "en-US:18", "en-US:19"]
    assert data["records"]["en-US:16"]["text"]
    assert data["cells"]["pl-PL|alarm_query"]
    # the pl-PL alarm_query cell is 60% and outlined as a gap
    assert re.search(r'<td class="gap" data-cell="pl-PL\|alarm_query" title="[^"]*\(60%\)"', page)


def test_html_escapes_everything(tmp_path: Path) -> None:
    evil = "</script><script>alert(1)</script><img src=x onerror=alert(2)> & \u2028"
    rows = [
        {"id": str(i), "locale": loc, "partition": "train", "scenario": "alarm", "intent": "alarm_set",
         "utt": text, "annot_utt": text}
        for i, (loc, text) in enumerate([("en-US", evil), ("en-US", evil), ("de-DE", "hallo")])
    ]
    (tmp_path / "data.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    target = tmp_path / "r.html"
    run(str(tmp_path), "--no-holidays", "--html", str(target))
    page = target.read_text(encoding="utf-8")
    assert "<img src=x" not in page and "<script>alert" not in page
    assert page.count("<script") == 2 and page.count("</script>") == 2
    data = embedded_json(page)
    duplicate = next(g for g in data["gaps"].values() if g["rule"] == "coverage/duplicate")
    assert data["records"][duplicate["records"][0]]["text"] == evil
    assert CSP.startswith("default-src 'none'") and "sha256-" in CSP and JS in page


def test_holiday_table_rendered_when_the_artifact_is_present() -> None:
    analysis = analysis_of(MASSIVE)
    holidays = pl.DataFrame(
        {
            "locale": ["pl-PL", "pl-PL"],
            "holiday": ["Boże Narodzenie", "Wszystkich Świętych <b>"],
            "aliases": [["Boże Narodzenie", "święta"], ["Wszystkich Świętych"]],
            "mentions": [3, 0],
            "extra": [1, 2],
        }
    )
    report = build_report(analysis, holidays=holidays)
    assert report.table("holidays").columns == ["locale", "holiday", "aliases", "mentions"]
    page = render_html(report, imbalance_threshold=0.01, report_gaps=300)
    assert 'id="holiday-table"' in page and "holidays check not run" not in page
    assert "Boże Narodzenie, święta" in page and "Wszystkich Świętych &lt;b&gt;" in page
    without = render_html(build_report(analysis), imbalance_threshold=0.01, report_gaps=300)
    assert "holidays check not run" in without


def test_coverage_command_fills_the_holiday_table_when_the_check_exists(tmp_path: Path) -> None:
    from locale_guard.checks import all_checks

    if "holidays" not in all_checks():
        pytest.skip("this installation has no holidays check")
    target = tmp_path / "cov.json"
    run(str(MASSIVE), "--format", "json", "-o", str(target), "--fail-on", "never")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["holidays_check_run"] is True
    assert set(data["tables"]["holidays"][0]) == {"locale", "holiday", "aliases", "mentions"}
