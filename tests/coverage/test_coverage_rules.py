"""The training-data rules of the coverage check: each fires where the fixtures put a gap, stays
quiet where they do not or when its threshold says so, and `locale-guard check` reports them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from _coverage_helpers import CATALOG, MASSIVE, context, read
from click.testing import CliRunner

from locale_guard.checks import all_checks, all_rules
from locale_guard.checks.coverage import CHECK, RULE_FUNCTIONS
from locale_guard.cli import cli
from locale_guard.coverage.ruleset import TRAINING_RULES

RECORDS, FILES = read(MASSIVE)


def findings(rule: str, **options: Any) -> pl.DataFrame:
    found = CHECK.run(RECORDS, context(FILES, **options))
    return found.filter(pl.col("rule") == rule)


def where(found: pl.DataFrame) -> list[tuple[str, str | None]]:
    return sorted(found.select("locale", "key").rows())


def test_rules_are_registered_in_the_one_coverage_check() -> None:
    rules = all_rules()
    for rule in TRAINING_RULES:
        assert rules[rule.id].severity == rule.severity
    assert all_checks()["coverage"] is CHECK
    names = [fn.__name__ for fn in RULE_FUNCTIONS]
    assert names[:2] == ["missing_keys", "missing_files"]  # the catalog rules still run first
    assert {"missing_intent", "leak", "few_variants"} <= set(names)


def test_missing_intent() -> None:
    found = findings("coverage/missing-intent")
    assert where(found) == [("de-DE", "general_joke")]
    row = found.row(0, named=True)
    assert row["severity"] == "error"
    assert row["message"] == "no examples of intent 'general_joke' in de-DE; en-US has 10"
    assert row["path"].endswith("de-DE.jsonl") and row["line"] is None
    # against de-DE, which lacks general_joke, en-US and pl-PL miss nothing
    assert findings("coverage/missing-intent", pivot="de-DE").height == 0


def test_missing_slot() -> None:
    found = findings("coverage/missing-slot")
    assert where(found) == [("de-DE", "weather_query/place_name")]
    assert "en-US annotates it 5 times" in found["message"][0]
    assert findings("coverage/missing-slot", **{"missing-slot-min": 6}).height == 0


def test_thin_intent() -> None:
    found = findings("coverage/thin-intent")
    assert where(found) == [("pl-PL", "alarm_query")]
    assert found["message"][0] == "only 6 examples of 'alarm_query' in pl-PL, 60% of en-US's 10 (4 fewer)"
    assert findings("coverage/thin-intent", **{"thin-ratio": 0.6, "min-examples": 6}).height == 0
    # an absolute minimum applies to the pivot too
    absolute = findings("coverage/thin-intent", **{"min-examples": 11, "thin-ratio": 0.1})
    assert ("en-US", "alarm_set") in where(absolute)
    assert "needs at least 11" in absolute["message"][0]


def test_imbalance() -> None:
    found = findings("coverage/imbalance")
    assert where(found) == [("de-DE", None)]
    message = found["message"][0]
    assert "Jensen–Shannon divergence 0." in message and "general_joke 0.0% vs 17%" in message
    assert found["evidence"][0][0] == "general_joke 0.0% vs 17%"
    assert findings("coverage/imbalance", **{"imbalance-threshold": 0.5}).height == 0


def test_duplicate() -> None:
    found = findings("coverage/duplicate").sort("record_id")
    assert found["record_id"].to_list() == ["de-DE:100", "de-DE:101"]
    assert "(the same after normalising case, punctuation and spaces)" in found["message"][0]
    assert "(exact duplicates)" in found["message"][1]
    # en-US and pl-PL have none
    assert set(found["locale"]) == {"de-DE"}


def test_conflict() -> None:
    found = findings("coverage/conflict")
    assert found.select("locale", "record_id").rows() == [("de-DE", "de-DE:103")]
    assert found["message"][0] == "'Stopp!' is labelled with 2 intents in de-DE: alarm_query (1), alarm_set (1)"


def test_leak() -> None:
    found = findings("coverage/leak")
    assert found.select("locale", "record_id").rows() == [("de-DE", "de-DE:105")]
    assert "in both training (1) and test (1)" in found["message"][0]
    assert findings("coverage/leak", **{"test-partitions": ["dev"]}).height == 0


def test_slot_mismatch() -> None:
    found = findings("coverage/slot-mismatch").sort("record_id")
    assert found.select("record_id", "severity").rows() == [("de-DE:106", "error"), ("de-DE:107", "error")]
    assert found["message"].to_list() == [
        "slot value 'sieben uhr' [time] does not occur in the utterance",
        "slot type 'zeit' is not in the MASSIVE 1.1 schema",
    ]
    assert found["span"][1] == {"start": 10, "end": 20}
    assert findings("coverage/slot-mismatch", schema="none").height == 1


def test_low_diversity() -> None:
    found = findings("coverage/low-diversity")
    assert where(found) == [("de-DE", "play_music")]
    assert "most repeated: musik von ×20, spiel musik ×20" in found["message"][0]
    assert findings("coverage/low-diversity", **{"diversity-ratio": 0.3}).height == 0


def test_few_variants() -> None:
    records, files = read(CATALOG)
    found = CHECK.run(records, context(files)).filter(pl.col("rule") == "coverage/few-variants")
    assert where(found) == [("pl-PL", "greeting")]
    assert found["message"][0] == "key 'greeting' has 1 variant(s) in pl-PL against en-US's 5"
    assert found["text"][0] == "Cześć!"


def test_a_clean_locale_has_no_training_findings() -> None:
    found = CHECK.run(RECORDS, context(FILES))
    training = found.filter(pl.col("rule").is_in([r.id for r in TRAINING_RULES]))
    assert set(training["locale"]) == {"de-DE", "pl-PL"}
    assert training.filter(pl.col("locale") == "pl-PL")["rule"].to_list() == ["coverage/thin-intent"]


def test_the_analysis_runs_once_per_context() -> None:
    ctx = context(FILES)
    CHECK.run(RECORDS, ctx)
    first = ctx.artifacts["coverage"]
    CHECK.run(RECORDS, ctx)
    assert ctx.artifacts["coverage"] is first


def test_locale_guard_check_reports_coverage_findings(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["check", str(MASSIVE), "--select", "coverage", "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 1, result.output  # missing-intent and slot-mismatch are errors
    report = json.loads(result.stdout)
    rules = sorted({f["rule"] for f in report["findings"]})
    assert rules == sorted(
        {
            "coverage/missing-intent", "coverage/missing-slot", "coverage/thin-intent", "coverage/imbalance",
            "coverage/duplicate", "coverage/conflict", "coverage/leak", "coverage/slot-mismatch",
            "coverage/low-diversity",
        }
    )
    assert all(f["fingerprint"] for f in report["findings"])
    assert "warning" not in result.stderr


def test_check_select_one_rule_and_severity_override(tmp_path: Path) -> None:
    config = tmp_path / "locale-guard.toml"
    config.write_text('[severity]\n"coverage/leak" = "error"\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["check", str(MASSIVE), "--select", "coverage/leak", "--config", str(config), "--format", "json"],
        catch_exceptions=False,
    )
    found = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["severity"]) for f in found] == [("coverage/leak", "error")]
    assert result.exit_code == 1


@pytest.mark.parametrize("bad", ['thin-ratio = "high"', "unknown-thing = 1"])
def test_bad_coverage_config_is_exit_2(tmp_path: Path, bad: str) -> None:
    config = tmp_path / "locale-guard.toml"
    config.write_text(f"[checks.coverage]\n{bad}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(MASSIVE), "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "[checks.coverage]" in result.output


def test_empty_annotation_is_a_slot_mismatch_but_a_template_placeholder_is_not(tmp_path: Path) -> None:
    massive = tmp_path / "massive" / "de-DE.jsonl"
    massive.parent.mkdir()
    line = {"id": "1", "locale": "de-DE", "partition": "train", "scenario": "alarm", "intent": "alarm_set"}
    massive.write_text(json.dumps({**line, "utt": "weck mich", "annot_utt": "weck mich [time : ]"}) + "\n", encoding="utf-8")
    intent = tmp_path / "skill" / "locale" / "de-de" / "weather.intent"
    intent.parent.mkdir(parents=True)
    intent.write_text("wie ist das Wetter in {location}\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["check", str(tmp_path), "--select", "coverage/slot-mismatch", "--format", "json"], catch_exceptions=False
    )
    found = [(Path(f["path"]).name, f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [("de-DE.jsonl", "empty slot [time : ]")]
