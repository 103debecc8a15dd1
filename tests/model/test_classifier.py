"""The classifier end to end on a tiny XLM-R-shaped model: it learns, saves, loads, predicts."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

torch = pytest.importorskip("torch")

from _tiny_models import HELDOUT, LABELLED  # noqa: E402

from locale_guard.model import HEADS_FILE, META_FILE, ModelError  # noqa: E402
from locale_guard.model.batching import encode, plan_batches  # noqa: E402
from locale_guard.model.data import load_labelled  # noqa: E402
from locale_guard.model.inference import Predictor  # noqa: E402
from locale_guard.model.network import load_model, save_model  # noqa: E402


def heldout_frame() -> pl.DataFrame:
    return load_labelled([HELDOUT]).frame


def test_training_learns_both_heads(trained):
    folder, result = trained
    assert result.best_epoch >= 1
    losses = [h.valid_loss for h in result.history]
    assert min(losses) < losses[0] * 0.5
    predictor = Predictor(load_model(str(folder)), device="cpu")
    scored = predictor.predict(heldout_frame())
    off = scored.filter(pl.col("label_offensive").is_not_null())
    y = off["label_offensive"].to_numpy() == 1
    hit = off["offensive"].to_numpy()
    balanced = (hit[y].mean() + (~hit[~y]).mean()) / 2
    reg = scored.filter(pl.col("label_register").is_not_null())
    accuracy = (reg["register"] == reg["label_register"]).mean()
    # chance is 0.5 balanced accuracy for offensive, about 0.4 for register (majority label);
    # the held-out set's names, cities and times never occur in training
    assert balanced >= 0.85, balanced
    assert accuracy >= 0.8, accuracy
    # and per locale, not only on average
    per_locale = reg.group_by("locale").agg((pl.col("register") == pl.col("label_register")).mean().alias("acc"))
    assert per_locale["acc"].min() >= 0.6


def test_folder_layout_and_metadata(trained):
    folder, result = trained
    for name in ("config.json", "model.safetensors", "tokenizer.json", HEADS_FILE, META_FILE):
        assert (folder / name).is_file(), name
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    assert meta["format"] == "locale-guard-model"
    assert meta["register_labels"] == ["formal", "informal", "none"]
    training = meta["training"]
    assert training["data_sha256"] == load_labelled([LABELLED]).sha256
    assert training["rows"]["train"] + training["rows"]["valid"] == 409
    assert training["best_epoch"] == result.best_epoch
    assert training["validation"]["register"]["accuracy"] > 0.8
    # per-locale thresholds were chosen on the validation split and saved
    assert meta["thresholds"]["locales"], meta["thresholds"]
    assert 0.0 < meta["thresholds"]["global"] < 1.0


def test_save_load_predict_round_trip(trained, tmp_path):
    from transformers import AutoModel

    folder, _ = trained
    first = load_model(str(folder))
    # the encoder folder is an ordinary transformers model
    assert type(AutoModel.from_pretrained(folder)).__name__ == "XLMRobertaModel"
    texts = heldout_frame()["text"].to_list()[:60]
    a = Predictor(first, device="cpu").scores(texts)
    save_model(first, tmp_path / "copy")
    b = Predictor(load_model(str(tmp_path / "copy")), device="cpu").scores(texts)
    np.testing.assert_allclose(a.offensive, b.offensive, atol=1e-6)
    np.testing.assert_allclose(a.register, b.register, atol=1e-6)
    assert load_model(str(tmp_path / "copy")).meta.thresholds == first.meta.thresholds


def test_batching_does_not_change_scores(trained):
    """Token-budget batches over length-sorted chunks give what one text at a time gives."""
    folder, _ = trained
    loaded = load_model(str(folder))
    texts = [*heldout_frame()["text"].to_list()[:50], "", "x " * 300]  # empty and truncated texts too
    predictor = Predictor(loaded, device="cpu", batch_tokens=256)
    fast = predictor.scores(texts)
    # both kinds of batch were exercised: masked (padded) ones and mask-free uniform ones
    assert 0 < predictor.stats.uniform_batches < predictor.stats.batches
    model = loaded.model.eval()
    with torch.inference_mode():
        for i in (0, 7, 23, 49, 50, 51):
            enc = loaded.tokenizer([texts[i]], truncation=True, max_length=loaded.meta.max_length, return_tensors="pt")
            off, reg = model(enc["input_ids"], enc["attention_mask"])
            assert float(torch.sigmoid(off)[0]) == pytest.approx(float(fast.offensive[i]), abs=1e-5)
            np.testing.assert_allclose(torch.softmax(reg, -1)[0].numpy(), fast.register[i], atol=1e-5)


def test_plan_batches_respects_budget_and_covers_all():
    lengths = np.array([120, 64, 64, 30, 12, 12, 12, 5, 5, 3])
    plan = plan_batches(lengths, budget=128, max_rows=4, multiple=8)
    assert plan[0] == (0, 1, 120, True)
    starts = [lo for lo, _, _, _ in plan]
    assert starts == sorted(starts) and starts[0] == 0
    assert all(hi == next_lo for (_, hi, _, _), next_lo in zip(plan, [*starts[1:], lengths.size], strict=True))
    for lo, hi, width, uniform in plan:
        assert width >= lengths[lo] and hi - lo <= 4
        assert (hi - lo) * width <= 128 or hi - lo == 1
        if uniform:  # no padding at all: the encoder may run without a mask
            assert (lengths[lo:hi] == width).all()
        else:
            assert width % 8 == 0
    assert (7, 9, 5, True) in plan
    # three 12s form an exact-length batch of their own rather than a padded one with a 5
    assert plan_batches(np.array([12, 12, 12, 5, 5, 3]), budget=128, max_rows=4, multiple=8)[0] == (0, 3, 12, True)


def test_plan_batches_pads_when_lengths_are_all_different():
    lengths = np.arange(40, 0, -1)
    plan = plan_batches(lengths, budget=4096, max_rows=16, multiple=1)
    assert len(plan) == 3 and [hi - lo for lo, hi, _, _ in plan] == [16, 16, 8]
    assert not any(uniform for *_, uniform in plan)


def test_encode_lengths_and_fast_path_matches_transformers(trained):
    from locale_guard.model.batching import Encoder, _encode_slow

    loaded = load_model(str(trained[0]))
    texts = ["Hallo", "Können Sie mir helfen?", "a " * 200, "", "¿Quieres el tiempo para Bilbao?"]
    enc = encode(loaded.tokenizer, texts, max_length=32)
    assert Encoder(loaded.tokenizer, 32).backend is not None  # the Rust path is the one tested
    assert enc.input_ids.shape == (5, 32)
    assert enc.lengths[2] == 32 and enc.lengths[0] < enc.lengths[1] < 32
    assert (enc.attention_mask.sum(1) == enc.lengths).all()
    # the tokenizer the user holds is not reconfigured by ours (transformers' own call does that)
    assert loaded.tokenizer.backend_tokenizer.padding is None
    slow = _encode_slow(loaded.tokenizer, texts, 32)
    np.testing.assert_array_equal(enc.input_ids, slow.input_ids)
    np.testing.assert_array_equal(enc.attention_mask, slow.attention_mask)


def test_per_locale_thresholds_are_applied(trained):
    folder, _ = trained
    loaded = load_model(str(folder))
    frame = pl.DataFrame({
        "text": ["Halt die Klappe, du Idiot.", "Halt die Klappe, du Idiot.", "Halt die Klappe, du Idiot."],
        "locale": ["de-DE", "de-AT", "fr-FR"],
    })
    loaded.meta.thresholds = {"global": 0.5, "locales": {"de-DE": 0.999999, "de": 0.25, "fr-FR": 0.0}}
    out = Predictor(loaded, device="cpu").predict(frame)
    assert out["offensive_threshold"].to_list() == [0.999999, 0.25, 0.0]
    score = out["offensive_score"][0]
    assert out["offensive_score"].n_unique() == 1  # same text, same score; only the cut differs
    assert out["offensive"].to_list() == [score >= 0.999999, score >= 0.25, True]


def test_bad_model_folders(tmp_path, tiny_base):
    with pytest.raises(ModelError, match="no model folder"):
        load_model(str(tmp_path / "missing"))
    with pytest.raises(ModelError, match=f"lacks {META_FILE}"):
        load_model(str(tiny_base))  # an encoder, but not one of ours
    (tmp_path / "f.bin").write_bytes(b"x")
    with pytest.raises(ModelError, match="is a file"):
        load_model(str(tmp_path / "f.bin"))


def test_training_from_a_trained_model_keeps_its_heads(trained, tmp_path):
    """`--base` may be a model of ours: the next round of reviews continues from it."""
    from _tiny_models import TINY_TRAINING

    from locale_guard.model.training import TrainOptions, train

    folder, first = trained
    options = {**TINY_TRAINING, "epochs": 1}
    again = train(TrainOptions(base=str(folder), data=[LABELLED], output=tmp_path / "m2", device="cpu", max_length=64, **options))
    # a fresh encoder with fresh heads starts near ln 2 + ln 3 ≈ 1.8; a trained one starts low
    assert first.history[0].valid_loss > 1.0
    assert again.history[0].valid_loss < 0.5
    assert again.meta.training["base_model"] == str(folder)


def test_predict_on_nothing(trained):
    predictor = Predictor(load_model(str(trained[0])), device="cpu")
    out = predictor.predict(pl.DataFrame({"text": [], "locale": []}, schema={"text": pl.String, "locale": pl.String}))
    assert out.height == 0 and "offensive_score" in out.columns
    assert predictor.scores([]).register.shape == (0, 3)
