"""Labelled-data validation, the held-out split, metrics and thresholds (no torch needed)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from locale_guard.model.data import load_labelled, split_validation
from locale_guard.model.metrics import (
    best_f1_threshold,
    calibration,
    choose_thresholds,
    multiclass_report,
    roc_auc,
    threshold_for,
)
from locale_guard.readers.base import InputError

DATA = Path(__file__).resolve().parent.parent / "data" / "model"


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_export_schema_is_read_with_masked_labels():
    data = load_labelled([DATA / "labelled.jsonl"])
    frame = data.frame
    assert frame.columns == ["text", "locale", "label_offensive", "label_register", "row", "file"]
    assert frame["label_offensive"].dtype == pl.Int8
    # some rows carry one label only; both kinds are kept
    assert frame.filter(pl.col("label_offensive").is_null()).height > 0
    assert frame.filter(pl.col("label_register").is_null()).height > 0
    assert set(frame["label_register"].drop_nulls().unique()) == {"formal", "informal", "none"}
    assert len(data.sha256) == 64


def test_csv_and_parquet_and_label_spellings(tmp_path):
    rows = pl.DataFrame(
        {
            "text": ["Kannst du helfen?", "Können Sie helfen?", "So ein Mist.", ""],
            "locale": ["de_DE", "de-DE", "de-DE", "de-DE"],
            "label_offensive": ["no", "0", "TRUE", "1"],
            "label_register": ["informal", "Formal", "neutral", None],
        }
    )
    rows.write_csv(tmp_path / "x.csv")
    rows.write_parquet(tmp_path / "x.parquet")
    for name in ("x.csv", "x.parquet"):
        data = load_labelled([tmp_path / name])
        assert data.frame["locale"].unique().to_list() == ["de-DE"]
        assert data.frame["label_offensive"].to_list() == [0, 0, 1]
        assert data.frame["label_register"].to_list() == ["informal", "formal", "none"]
        assert data.dropped == 1  # the empty text


@pytest.mark.parametrize(
    ("rows", "message", "line"),
    [
        ([{"utt": "x", "locale": "de-DE", "label_offensive": 1}], "missing column(s) text", None),
        ([{"text": "x", "locale": "de-DE"}], "no label column", None),
        ([{"text": "x", "locale": "de-DE", "label_offensive": 1}, {"text": "y", "locale": "de-DE", "label_offensive": 2}],
         "label_offensive must be 1, 0 or empty, not '2'", 2),
        ([{"text": "x", "locale": "de-DE", "label_register": "polite"}], "label_register must be formal, informal, none", 1),
        ([{"text": "x", "locale": "deutsch", "label_register": "formal"}], "is not a locale tag", 1),
        ([{"text": "x", "locale": "de-DE", "label_offensive": None, "label_register": None}], "no labelled rows", None),
    ],
)
def test_bad_labelled_data_is_one_clear_error(tmp_path, rows, message, line):
    path = write_jsonl(tmp_path / "bad.jsonl", rows)
    with pytest.raises(InputError) as err:
        load_labelled([path])
    assert message in err.value.message
    assert err.value.line == line
    assert "\n" not in err.value.describe()


def test_missing_and_unknown_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_labelled([tmp_path / "nope.jsonl"])
    (tmp_path / "x.xlsx").write_bytes(b"PK")
    with pytest.raises(InputError, match="unknown table format"):
        load_labelled([tmp_path / "x.xlsx"])
    (tmp_path / "broken.jsonl").write_text('{"text": "a"\n', encoding="utf-8")
    with pytest.raises(InputError, match="cannot read as jsonl"):
        load_labelled([tmp_path / "broken.jsonl"])


def test_split_is_stratified_and_keeps_duplicates_together():
    frame = load_labelled([DATA / "labelled.jsonl"]).frame
    doubled = pl.concat([frame, frame.with_columns(pl.col("text").str.to_uppercase())])
    train, valid = split_validation(doubled, 0.2, seed=5)
    assert train.height + valid.height == doubled.height
    lower = lambda f: set(f["text"].str.to_lowercase())  # noqa: E731
    assert not lower(train) & lower(valid)
    # every locale is represented in validation, at roughly the asked share
    share = valid.group_by("locale").len().join(doubled.group_by("locale").len(), on="locale")
    assert share.height == doubled["locale"].n_unique()
    assert ((share["len"] / share["len_right"]) - 0.2).abs().max() < 0.08
    again = split_validation(doubled, 0.2, seed=5)[1]
    assert again["text"].to_list() == valid["text"].to_list()


def test_roc_auc_matches_pairwise_definition():
    rng = np.random.default_rng(0)
    y = rng.random(300) < 0.3
    s = np.round(rng.random(300) + y * 0.4, 1)  # rounded: many ties
    pos, neg = s[y], s[~y]
    pairwise = ((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (pos.size * neg.size)
    assert roc_auc(y, s) == pytest.approx(pairwise)
    assert roc_auc(np.ones(3, bool), np.array([0.1, 0.2, 0.3])) is None


def test_best_threshold_separates_and_locales_get_their_own():
    t, f1 = best_f1_threshold(np.array([0, 0, 1, 1]), np.array([0.1, 0.3, 0.6, 0.9]))
    assert 0.3 < t < 0.6 and f1 == 1.0
    rng = np.random.default_rng(1)
    n = 200
    # German positives score around 0.3, French ones around 0.8: one global cut fits neither
    locales = ["de-DE"] * n + ["fr-FR"] * n + ["it-IT"] * 6
    y = np.r_[rng.random(n) < 0.5, rng.random(n) < 0.5, [1, 0, 1, 0, 1, 0]].astype(bool)
    base = np.r_[np.full(n, 0.1), np.full(n, 0.6), np.full(6, 0.4)]
    s = base + y * 0.2 + rng.normal(0, 0.01, y.size)
    th = choose_thresholds(y, s, locales, min_examples=30, min_class=5)
    assert 0.1 < th["locales"]["de-DE"] < 0.3 and 0.6 < th["locales"]["fr-FR"] < 0.8
    assert th["locales"]["de"] == th["locales"]["de-DE"]
    assert "it-IT" not in th["locales"]  # too few examples: global threshold
    assert threshold_for(th, "it-IT") == th["global"]
    assert threshold_for(th, "de-AT") == th["locales"]["de"]  # language fallback
    assert threshold_for(th, None) == th["global"]


def test_calibration_and_multiclass_report():
    y = np.array([0, 0, 1, 1, 1])
    s = np.array([0.05, 0.15, 0.95, 0.92, 0.55])
    cal = calibration(y, s, bins=10)
    assert [b["count"] for b in cal["bins"]] == [1, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert cal["bins"][9]["positive_rate"] == 1.0
    assert 0 < cal["ece"] < 0.2
    probs = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    rep = multiclass_report(np.array([0, 1, 2, 1]), probs, ["formal", "informal", "none"])
    assert rep["accuracy"] == 0.75
    assert rep["classes"]["informal"]["recall"] == 0.5
    assert rep["classes"]["formal"]["precision"] == 0.5
