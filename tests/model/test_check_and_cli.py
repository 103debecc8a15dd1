"""The classifier inside ``check``, the ``model`` commands, and distillation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

pytest.importorskip("torch")

from _tiny_models import HELDOUT, LABELLED, TINY_TRAINING
from click.testing import CliRunner

from locale_guard.checks import CheckContext, all_checks
from locale_guard.checks.classifier import CHECK
from locale_guard.cli import cli
from locale_guard.config import Config, ConfigError
from locale_guard.engine import RunOptions, read_inputs

CATALOG = LABELLED.parent / "catalog"
REPO = Path(__file__).resolve().parents[2]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def run_check(config: Config) -> pl.DataFrame:
    records, files, errors, _ = read_inputs(RunOptions(paths=[CATALOG]), config)
    assert not errors
    return CHECK.run(records, CheckContext(config=config, source_locale="en-US", files=files))


def test_check_adds_model_findings(trained):
    folder, _ = trained
    found = run_check(Config(checks={"classifier": {"model": str(folder), "device": "cpu"}}))
    assert set(found["source"]) == {"model"}
    offensive = found.filter(pl.col("rule") == "offensive/classifier")
    formality = found.filter(pl.col("rule") == "formality/classifier")
    assert sorted(offensive["key"]) == ["alarm.rude", "alarm.rude"]  # de-DE and en-US
    assert set(offensive["check"]) == {"offensive"}
    assert (offensive["score"] >= 0.5).all()
    assert offensive["message"][0].startswith("offensive-content classifier: probability")
    # de-DE speaks formally, es-ES informally; en-US has no policy and is never judged
    assert sorted(zip(formality["locale"], formality["key"], strict=True)) == [
        ("de-DE", "alarm.confirm_casual"),
        ("de-DE", "alarm.rude"),
        ("es-ES", "weather.ask_formal"),
    ]
    assert set(formality["check"]) == {"formality"}
    assert "reads as informal" in formality.filter(pl.col("key") == "alarm.confirm_casual")["message"][0]
    assert formality.sort("locale", "key")["evidence"].list.first().to_list() == ["register=informal", "register=informal", "register=formal"]


def test_register_confidence_option_filters(trained):
    folder, _ = trained
    strict = run_check(
        Config(checks={"classifier": {"model": str(folder), "device": "cpu", "register-confidence": 1.0}})
    )
    assert strict.filter(pl.col("rule") == "formality/classifier").height == 0


def test_no_model_no_findings_and_no_torch():
    """Without a model the check is silent and a check run never imports torch."""
    assert run_check(Config()).height == 0
    code = (
        "import sys, os\n"
        "os.environ.pop('LOCALE_GUARD_MODEL', None)\n"
        "from locale_guard.engine import RunOptions, run\n"
        "from locale_guard.config import Config\n"
        "from locale_guard.checks import all_checks\n"
        "others = [c for c in all_checks() if c != 'classifier']\n"
        f"r = run(RunOptions(paths=[{str(CATALOG)!r}], ignore=others), Config())\n"
        "assert 'classifier' in r.checks_run, r.checks_run\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "LOCALE_GUARD_MODEL"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert done.returncode == 0, done.stderr


def test_bad_model_config_is_a_config_error(tmp_path, tiny_base):
    with pytest.raises(ConfigError, match=r"\[checks.classifier\] model: no model folder"):
        run_check(Config(checks={"classifier": {"model": str(tmp_path / "nope")}}))
    with pytest.raises(ConfigError, match="is not a locale-guard model"):
        run_check(Config(checks={"classifier": {"model": str(tiny_base)}}))
    with pytest.raises(ConfigError, match="device must be one of"):
        run_check(Config(checks={"classifier": {"model": "x", "device": "tpu"}}))


def test_check_cli_with_model_from_config(trained, tmp_path):
    folder, _ = trained
    config = tmp_path / "locale-guard.toml"
    config.write_text(f'[checks.classifier]\nmodel = "{folder.as_posix()}"\ndevice = "cpu"\n', encoding="utf-8")
    # only this check (and the rule checks sharing its findings' check names, as --ignore
    # offensive also drops offensive/classifier): the others are tested elsewhere
    others = ",".join(name for name in all_checks() if name not in ("classifier", "offensive", "formality"))
    result = invoke("check", str(CATALOG), "--config", str(config), "--format", "json", "--fail-on", "never",
                    "--ignore", others)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    rules = {f["rule"] for f in report["findings"] if f["source"] == "model"}
    assert rules == {"offensive/classifier", "formality/classifier"}


def test_cli_train_evaluate_predict(tiny_base, tmp_path):
    out = tmp_path / "m"
    result = invoke(
        "model", "train", str(LABELLED), "--base", str(tiny_base), "--output", str(out), "--device", "cpu",
        "--epochs", "3", "--lr", str(TINY_TRAINING["lr"]), "--batch-size", "16", "--max-length", "64",
        "--valid-fraction", "0.2",
    )
    assert result.exit_code == 0, result.output
    assert "best epoch" in result.stdout and "validation" in result.stdout
    assert "epoch 1:" in result.stderr

    result = invoke("model", "evaluate", "--model", str(out), "--data", str(HELDOUT), "--format", "json", "--device", "cpu")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["offensive"]["locales"]) == {"de-DE", "en-US", "es-ES", "fr-FR", "pl-PL"}
    for stats in report["offensive"]["locales"].values():
        assert {"precision", "recall", "f1", "roc_auc", "threshold"} <= set(stats)
    assert len(report["offensive"]["calibration"]["bins"]) == 10
    assert report["register"]["overall"]["n"] > 200

    text = invoke("model", "evaluate", "--model", str(out), "--data", str(HELDOUT), "--device", "cpu").stdout
    assert "calibration of the offensive probability" in text and "roc_auc" in text and "pl-PL" in text

    target = tmp_path / "pred.parquet"
    result = invoke("model", "predict", "--model", str(out), str(CATALOG), "-o", str(target), "--device", "cpu")
    assert result.exit_code == 0, result.output
    scored = pl.read_parquet(target)
    assert scored.height == 12
    assert {"record_id", "offensive_score", "offensive_threshold", "offensive", "register", "p_formal"} <= set(scored.columns)
    assert "scored 12 strings" in result.stderr

    lines = invoke("model", "predict", "--model", str(out), str(HELDOUT), "--device", "cpu").stdout.splitlines()
    assert len(lines) == 257 and "offensive_score" in json.loads(lines[0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["model", "evaluate", "--model", "{tmp}/none", "--data", str(HELDOUT)], "no model folder"),
        (["model", "evaluate", "--model", "{base}", "--data", str(HELDOUT)], "is not a locale-guard model"),
        (["model", "train", "--base", "{tmp}/none", "--data", str(LABELLED), "--output", "{tmp}/o"], "cannot load model"),
        (["model", "train", "--base", "{base}", "--data", "{tmp}/texts.jsonl", "--output", "{tmp}/o"], "no label column"),
        (["model", "train", "--base", "{base}", "--data", "{tmp}/cols.jsonl", "--output", "{tmp}/o"], "missing column(s) text"),
        (["model", "train", "--base", "{base}", "--output", "{tmp}/o"], "no labelled data given"),
        (["model", "predict", "--model", "{base}", str(CATALOG), "-o", "{tmp}/x.txt"], "cannot tell the output format"),
        (["model", "predict", "--model", "{base}", "{tmp}/none.json"], "no such file"),
        (["model", "distill", "--teacher", "{tmp}/none", "--data", str(CATALOG), "--student-layers", "1"], "no model folder"),
    ],
)
def test_bad_input_is_one_error_line_exit_2(tiny_base, tmp_path, args, message):
    (tmp_path / "texts.jsonl").write_text('{"text": "Hallo", "locale": "de-DE"}\n', encoding="utf-8")
    (tmp_path / "cols.jsonl").write_text('{"utt": "Hallo", "locale": "de-DE", "label_offensive": 0}\n', encoding="utf-8")
    args = [a.replace("{tmp}", str(tmp_path)).replace("{base}", str(tiny_base)) for a in args]
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert "Traceback" not in result.output


def test_train_refuses_to_overwrite_other_folders(tiny_base, tmp_path):
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    result = invoke("model", "train", "--base", str(tiny_base), "--data", str(LABELLED), "--output", str(tmp_path))
    assert result.exit_code == 2 and "is not a locale-guard model folder" in result.stderr


def test_distillation_raises_agreement(trained, tmp_path):
    from locale_guard.model.data import texts_from_inputs
    from locale_guard.model.distill import DistillOptions, distill
    from locale_guard.model.network import load_model

    folder, _ = trained
    texts, problems = texts_from_inputs([LABELLED, HELDOUT, CATALOG])
    assert not problems
    out = tmp_path / "student"
    result = distill(
        DistillOptions(teacher=str(folder), output=out, student_layers=1, student_hidden=16, epochs=6, lr=5e-3,
                       batch_size=16, device="cpu"),
        texts,
    )
    # a random student agrees with the teacher by chance; after distillation nearly always
    assert result.after["both"] >= 0.85, result.after
    assert result.after["both"] > result.before["both"] + 0.3
    assert result.after["offensive_mae"] < result.before["offensive_mae"] / 3
    assert result.heldout >= 10 and result.speedup > 0
    student = load_model(str(out))
    assert student.model.encoder.config.num_hidden_layers == 1
    assert student.model.encoder.config.hidden_size == 16
    assert student.meta.thresholds == load_model(str(folder)).meta.thresholds
    assert student.meta.training["agreement_after"] == result.after
    assert student.meta.training["speed"]["speedup"] == pytest.approx(result.speedup)


def test_distill_cli_reports(trained, tmp_path):
    folder, _ = trained
    result = invoke(
        "model", "distill", "--teacher", str(folder), "--student-layers", "1", "--data", str(LABELLED),
        "--data", str(CATALOG), "--output", str(tmp_path / "s"), "--epochs", "1", "--lr", "5e-3", "--device", "cpu",
    )
    assert result.exit_code == 0, result.output
    assert "student-teacher agreement" in result.stdout and "speed-up" in result.stdout
    assert (tmp_path / "s" / "heads.safetensors").is_file()


def test_same_width_student_starts_from_teacher_layers(trained):
    import torch

    from locale_guard.model.distill import DistillOptions, build_student
    from locale_guard.model.network import load_model

    teacher = load_model(str(trained[0]))
    student = build_student(teacher, DistillOptions(teacher="t", output=Path("s"), student_layers=1))
    t_state, s_state = teacher.model.state_dict(), student.model.state_dict()
    assert student.model.encoder.config.num_hidden_layers == 1
    for key in ("encoder.embeddings.word_embeddings.weight", "offensive.weight", "register.bias"):
        assert torch.equal(s_state[key], t_state[key])
    # a one-layer student takes the teacher's first layer; a wider gap would take evenly spaced ones
    q = "encoder.encoder.layer.0.attention.self.query.weight"
    assert torch.equal(s_state[q], t_state[q])
