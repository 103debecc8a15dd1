"""The coverage tables: counts, divergence, duplicates, leaks, slots, diversity, variants, options."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest
from _coverage_helpers import CATALOG, MASSIVE, analysis_of

from locale_guard.config import Config, ConfigError
from locale_guard.coverage import CoverageAnalysis, analyse, coverage_options
from locale_guard.coverage.divergence import divergence
from locale_guard.coverage.duplicates import conflicts, duplicates, leaks, repeated_texts
from locale_guard.coverage.matrix import intent_matrix, training_records
from locale_guard.coverage.options import defaults
from locale_guard.coverage.slots import MALFORMED_FLAG
from locale_guard.coverage.text import normalised
from locale_guard.records import records_from_rows


def utterances(rows: list[tuple[str, str, str, str]]) -> pl.DataFrame:
    """(locale, partition, intent, text) → a record frame of training examples."""
    return records_from_rows(
        {
            "record_id": f"{loc}:{i}",
            "locale": loc,
            "partition": part,
            "intent": intent,
            "scenario": intent.split("_")[0],
            "text": text,
            "kind": "utterance",
            "path": f"{loc}.jsonl",
            "line": i + 1,
            "slots": [],
        }
        for i, (loc, part, intent, text) in enumerate(rows)
    )


def matrix_row(a: CoverageAnalysis, locale: str, intent: str) -> dict:
    return a.intent_matrix.filter((pl.col("locale") == locale) & (pl.col("intent") == intent)).row(0, named=True)


# ---------------------------------------------------------------------------------- counts


def test_intent_matrix_numbers(massive: CoverageAnalysis) -> None:
    counts = {(r["locale"], r["intent"]): r["count"] for r in massive.intent_matrix.iter_rows(named=True)}
    assert counts == {
        ("de-DE", "alarm_query"): 12, ("de-DE", "alarm_set"): 13, ("de-DE", "general_joke"): 0,
        ("de-DE", "play_music"): 20, ("de-DE", "weather_query"): 13,
        ("en-US", "alarm_query"): 10, ("en-US", "alarm_set"): 10, ("en-US", "general_joke"): 10,
        ("en-US", "play_music"): 20, ("en-US", "weather_query"): 10,
        ("pl-PL", "alarm_query"): 6, ("pl-PL", "alarm_set"): 10, ("pl-PL", "general_joke"): 10,
        ("pl-PL", "play_music"): 20, ("pl-PL", "weather_query"): 10,
    }
    row = matrix_row(massive, "pl-PL", "alarm_query")
    assert (row["scenario"], row["pivot_count"], row["shortfall"]) == ("alarm", 10, 4)
    assert row["ratio"] == pytest.approx(0.6)
    assert row["share"] == pytest.approx(6 / 56)
    assert row["pivot_share"] == pytest.approx(10 / 60)


def test_intent_matrix_agrees_with_a_direct_count(massive: CoverageAnalysis) -> None:
    direct = (
        pl.concat([pl.read_ndjson(p) for p in sorted(MASSIVE.glob("*.jsonl"))])
        .group_by("locale", "intent")
        .len()
    )
    ours = massive.intent_matrix.filter(pl.col("count") > 0).select("locale", "intent", "count")
    joined = direct.join(ours, on=["locale", "intent"], how="full", coalesce=True)
    assert joined.height == ours.height == direct.height
    assert (joined["len"].cast(pl.Int64) == joined["count"]).all()


def test_slot_matrix_and_totals(massive: CoverageAnalysis) -> None:
    slots = massive.slot_matrix
    place = slots.filter((pl.col("intent") == "weather_query") & (pl.col("slot_type") == "place_name"))
    assert dict(place.select("locale", "count").iter_rows()) == {"de-DE": 0, "en-US": 5, "pl-PL": 5}
    assert set(place["pivot_count"]) == {5}
    totals = {r["locale"]: r for r in massive.totals.iter_rows(named=True)}
    assert (totals["en-US"]["records"], totals["en-US"]["intents"]) == (60, 5)
    assert totals["pl-PL"]["partitions"] == "test 11, train 45"
    # en-US: time 9, date 10, place_name 5, artist_name 12 annotations
    assert (totals["en-US"]["slot_types"], totals["en-US"]["slots"]) == (4, 36)


# ------------------------------------------------------------------------------ divergence


def test_jensen_shannon_on_a_hand_computed_example() -> None:
    # P = (1/2, 1/2), Q = (1, 0), M = (3/4, 1/4):
    # KL(P‖M) = ½·log₂(⅔) + ½·log₂(2) = 0.2075187…, KL(Q‖M) = log₂(4/3) = 0.4150375…
    # JSD = ½·(0.2075187 + 0.4150375) = 0.3112781…
    matrix = pl.DataFrame(
        {
            "locale": ["xx", "xx", "yy", "yy"],
            "intent": ["a", "b", "a", "b"],
            "count": [5, 5, 8, 0],
            "share": [0.5, 0.5, 1.0, 0.0],
            "pivot_share": [0.5, 0.5, 0.5, 0.5],
        }
    )
    d = divergence(matrix, "xx", drivers=3).row(0, named=True)
    expected = 0.5 * (0.5 * math.log2(0.5 / 0.75) + 0.5 * math.log2(0.5 / 0.25)) + 0.5 * math.log2(1 / 0.75)
    assert d["jsd"] == pytest.approx(expected) == pytest.approx(0.3112781)
    assert d["tvd"] == pytest.approx(0.5)
    assert d["out_of_place"] == 4
    # both intents contribute; b (absent here) the most
    assert d["drivers"] == ["b", "a"]
    assert sum(d["driver_terms"]) == pytest.approx(d["jsd"])


def test_divergence_names_the_missing_intent_first(massive: CoverageAnalysis) -> None:
    rows = {r["locale"]: r for r in massive.divergence.iter_rows(named=True)}
    assert set(rows) == {"de-DE", "pl-PL"}
    assert rows["de-DE"]["drivers"][0] == "general_joke"
    assert rows["de-DE"]["jsd"] > 0.01 > rows["pl-PL"]["jsd"] > 0


# ------------------------------------------------------------------ duplicates and friends


def test_normalisation_ignores_case_punctuation_and_spaces() -> None:
    frame = pl.DataFrame({"t": ["Wake me UP,  at 7!", "wake me up at 7", " wake\tme up at 7 ?", "Ｗａｋｅ me up at 7"]})
    assert frame.select(normalised(pl.col("t")))["t"].unique().to_list() == ["wake me up at 7"]


def test_duplicates_exact_and_normalised() -> None:
    records = utterances(
        [
            ("en-US", "train", "alarm_set", "Wake me up at 7!"),
            ("en-US", "train", "alarm_set", "wake me up at 7"),
            ("en-US", "train", "alarm_set", "snooze"),
            ("en-US", "train", "alarm_set", "snooze"),
            ("en-US", "train", "alarm_set", "something else"),
            ("de-DE", "train", "alarm_set", "snooze"),  # another locale: no duplicate
            ("en-US", "test", "alarm_set", "something else"),  # another partition: a leak, not a duplicate
        ]
    )
    training = training_records(records)
    found = duplicates(repeated_texts(training), limit=10).sort("text")
    assert found["exact"].to_list() == [True, False]
    assert found["count"].to_list() == [2, 2]
    assert found["records"].to_list() == [["en-US:2", "en-US:3"], ["en-US:0", "en-US:1"]]
    # the finding points at the second copy
    assert found["record_id"].to_list() == ["en-US:3", "en-US:1"]


def test_conflicts_and_leaks() -> None:
    records = utterances(
        [
            ("en-US", "train", "alarm_query", "stop"),
            ("en-US", "train", "alarm_query", "Stop."),
            ("en-US", "train", "play_music", "STOP"),
            ("en-US", "train", "weather_query", "will it rain"),
            ("en-US", "test", "weather_query", "Will it rain?"),
            ("en-US", "dev", "weather_query", "is it sunny"),
            ("en-US", "train", "weather_query", "is it sunny"),
        ]
    )
    training = training_records(records)
    repeated = repeated_texts(training)
    c = conflicts(repeated, limit=10).row(0, named=True)
    assert (c["intents"], c["intent_counts"], c["count"]) == (["alarm_query", "play_music"], [2, 1], 3)
    assert c["record_id"] == "en-US:2"  # the least frequent label
    lk = leaks(repeated, ["train"], ["test"], limit=10)
    assert lk.select("record_id", "train_count", "test_count", "train_records").rows() == [
        ("en-US:4", 1, 1, ["en-US:3"])
    ]
    both = leaks(repeated, ["train"], ["test", "dev"], limit=10)
    assert sorted(both["record_id"]) == ["en-US:4", "en-US:5"]


# -------------------------------------------------------------------------------- slots


def test_slot_problems(massive: CoverageAnalysis) -> None:
    problems = massive.slot_problems.select("record_id", "problem", "slot_type", "value").rows()
    assert problems == [
        ("de-DE:106", "not-in-text", "time", "sieben uhr"),
        ("de-DE:107", "unknown-type", "zeit", "übermorgen"),
    ]
    unknown = massive.slot_problems.filter(pl.col("problem") == "unknown-type")["span"][0]
    assert unknown == {"start": 10, "end": 20}


def test_schema_can_be_replaced_or_switched_off(tmp_path: Path) -> None:
    schema = tmp_path / "schema.yaml"
    schema.write_text("name: Mine\nintents: [alarm_set]\nslot-types: [time, date, zeit]\n", encoding="utf-8")
    mine = analysis_of(MASSIVE, schema=str(schema))
    unknown = mine.slot_problems.filter(pl.col("problem") == "unknown-type")
    # zeit is fine now; artist_name and place_name are not in this schema
    assert set(unknown["slot_type"]) == {"artist_name", "place_name"}
    off = analysis_of(MASSIVE, schema="none")
    assert off.slot_problems["problem"].to_list() == ["not-in-text"]


def test_malformed_annotation_flag_is_a_slot_problem() -> None:
    records = utterances([("en-US", "train", "alarm_set", "wake me at five")]).with_columns(
        pl.lit([MALFORMED_FLAG]).alias("flags")
    )
    a = analyse(records, coverage_options(Config()))
    assert a.slot_problems.select("record_id", "problem").rows() == [("en-US:0", "malformed")]


def test_bad_schema_file_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("slot-types: [time\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid YAML"):
        analysis_of(MASSIVE, schema=str(bad))
    with pytest.raises(ConfigError, match="cannot read"):
        analysis_of(MASSIVE, schema=str(tmp_path / "missing.yaml"))


# ---------------------------------------------------------------------------- diversity


def test_templated_intent_has_low_diversity(massive: CoverageAnalysis) -> None:
    rows = {(r["locale"], r["intent"]): r for r in massive.diversity.iter_rows(named=True)}
    # only play_music has 20 examples (diversity-min-examples) in a locale and the pivot
    assert set(rows) == {("de-DE", "play_music"), ("pl-PL", "play_music")}
    german, polish = rows[("de-DE", "play_music")], rows[("pl-PL", "play_music")]
    assert german["low"] and not polish["low"]
    assert german["sample"] == 20
    # 20 × "spiel musik von X": 60 bigrams, of which "spiel musik", "musik von" and 20 "von X"
    # are distinct ("peter fox" adds one more bigram, and a distinct one); en-US: all distinct
    assert german["distinct_ratio"] == pytest.approx(23 / 61)
    assert german["pivot_distinct_ratio"] == pytest.approx(1.0)
    assert german["repeated"][:2] == ["musik von ×20", "spiel musik ×20"]


# ----------------------------------------------------------------------------- variants


def test_few_variants_against_the_source() -> None:
    a = analysis_of(CATALOG)
    assert a.variants.select("locale", "key", "count", "pivot_count").rows() == [("pl-PL", "greeting", 1, 5)]
    assert analysis_of(CATALOG, **{"variant-ratio": 0.2}).variants.height == 0


# ------------------------------------------------------------------- pivot and options


def test_parallel_ids_name_the_missing_pivot_rows(massive: CoverageAnalysis) -> None:
    assert massive.parallel_locales == ["pl-PL"]
    thin = massive.gaps.filter(pl.col("rule") == "coverage/thin-intent").row(0, named=True)
    assert thin["reference_records"] == ["en-US:16", "en-US:17", "en-US:18", "en-US:19"]


def test_pivot_option_and_missing_pivot() -> None:
    german = analysis_of(MASSIVE, pivot="de-DE")
    assert german.pivot == "de-DE"
    assert matrix_row(german, "en-US", "weather_query")["pivot_count"] == 13
    absent = analysis_of(MASSIVE, pivot="fr-FR")
    assert absent.pivot is None
    assert "fr-FR has no training examples" in absent.notes[0]
    assert absent.divergence.height == 0
    assert absent.gaps.filter(pl.col("rule") == "coverage/missing-intent").height == 0


def test_language_only_pivot_finds_the_regional_locale() -> None:
    assert analysis_of(MASSIVE, pivot="pl").pivot == "pl-PL"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"thin-ratio": 1.5}, "thin-ratio must be between 0 and 1"),
        ({"min-examples": 0}, "min-examples must be a whole number of at least 1"),
        ({"min-examples": "ten"}, "must be a number"),
        ({"imbalance-threshold": True}, "must be a number"),
        ({"pivot": "not a tag"}, "pivot"),
        ({"test-partitions": ["train"]}, "share train"),
        ({"thin-ratoi": 0.5}, "unknown option"),
    ],
)
def test_bad_options_are_config_errors(options: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        coverage_options(Config(checks={"coverage": options}))


def test_defaults_documented() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "COVERAGE.md").read_text(encoding="utf-8")
    for name, value in defaults().items():
        shown = f'"{value}"' if isinstance(value, str) else (
            "[" + ", ".join(f'"{v}"' for v in value) + "]" if isinstance(value, tuple) else str(value)
        )
        assert f"`{name}`" in docs, name
        assert f"`{name} = {shown}`" in docs or (name == "pivot"), f"{name} = {shown} not documented"


def test_empty_input_gives_empty_tables() -> None:
    a = analyse(records_from_rows([]), coverage_options(Config()))
    assert a.gaps.height == 0 and a.intent_matrix.height == 0 and a.pivot is None
    assert intent_matrix(training_records(records_from_rows([])), None).height == 0
