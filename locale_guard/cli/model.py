"""``locale-guard model``: train, evaluate, predict with and distill the classifier.

Everything runs offline: ``--base`` and ``--model`` take local folders (a hub id works too
when the hub is reachable or the model is in the local Hugging Face cache). See docs/MODEL.md.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from locale_guard.cli.common import error_exit, open_config

DEVICE_CHOICE = click.Choice(["auto", "cpu", "cuda"])
OUTPUT_FORMATS = (".parquet", ".jsonl", ".csv")


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Model, input and missing-dependency problems become one ``error:`` line and exit 2."""
    from locale_guard.model import ModelError
    from locale_guard.readers.base import InputError

    try:
        yield
    except ModelError as exc:
        error_exit(str(exc))
    except InputError as exc:
        error_exit(exc.describe())
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in ("torch", "transformers", "tokenizers", "safetensors"):
            error_exit(f"the classifier needs {exc.name}: pip install 'locale-guard[model]' (see docs/MODEL.md)")
        raise


def _threads(value: int | None) -> None:
    if value:
        import torch

        torch.set_num_threads(value)


def _say(message: str) -> None:
    click.echo(message, err=True)


def device_option(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--threads", type=click.IntRange(1), help="CPU threads for torch (default: all cores).")(func)
    return click.option(
        "--device", type=DEVICE_CHOICE, default="auto", show_default=True, envvar="LOCALE_GUARD_DEVICE",
        help="Where to run: auto picks CUDA when available.",
    )(func)


@click.group()
def model() -> None:
    """Train and use the transformer classifier (offensive content and register)."""


def _merge(paths: tuple[Path, ...], data: tuple[Path, ...], what: str) -> list[Path]:
    """Inputs given as arguments and with --data, in that order; at least one."""
    merged = [*paths, *data]
    if not merged:
        error_exit(f"no {what} given: pass FILE arguments or --data FILE")
    return merged


@model.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", required=True, help="Encoder to fine-tune: a local folder or a hub id (xlm-roberta-base, microsoft/mdeberta-v3-base).")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path), help="Labelled JSONL/CSV/Parquet (the `review export` schema); also as arguments. Repeatable.")
@click.option("--output", required=True, type=click.Path(path_type=Path), help="Folder to write the trained model to.")
@click.option("--valid-fraction", type=click.FloatRange(0.01, 0.5), default=0.1, show_default=True, help="Share of texts held out for early stopping and thresholds.")
@click.option("--epochs", type=click.IntRange(1), default=4, show_default=True)
@click.option("--lr", type=click.FloatRange(0, min_open=True), default=3e-5, show_default=True, help="Peak learning rate (AdamW, linear warm-up and decay).")
@click.option("--batch-size", type=click.IntRange(1), default=32, show_default=True)
@click.option("--max-length", type=click.IntRange(8, 4096), default=128, show_default=True, help="Tokens per text; longer texts are truncated.")
@click.option("--patience", type=click.IntRange(1), default=2, show_default=True, help="Stop after this many epochs without a better validation loss.")
@click.option("--min-locale-examples", type=click.IntRange(2), default=30, show_default=True, help="Validation rows a locale needs for a threshold of its own.")
@click.option("--seed", type=int, default=13, show_default=True)
@device_option
def train(paths: tuple[Path, ...], base: str, data: tuple[Path, ...], output: Path, valid_fraction: float, epochs: int, lr: float, batch_size: int,
          max_length: int, patience: int, min_locale_examples: int, seed: int, device: str, threads: int | None) -> None:
    """Fine-tune an encoder on labelled data.

    Trains BASE (a folder or hub id; a model of ours continues with its heads) on the labelled
    rows in PATHS and/or --data, and saves encoder, tokenizer, heads and per-locale thresholds
    to OUTPUT.
    """
    from locale_guard.model import META_FILE

    files = _merge(paths, data, "labelled data")
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / META_FILE).is_file())):
        error_exit(f"{output} exists and is not a locale-guard model folder; choose a new --output")
    with _clean_errors():
        from locale_guard.model.training import TrainOptions
        from locale_guard.model.training import train as run_training

        _threads(threads)
        result = run_training(
            TrainOptions(
                base=base, data=files, output=output, valid_fraction=valid_fraction, epochs=epochs, lr=lr,
                batch_size=batch_size, max_length=max_length, patience=patience, device=device, seed=seed,
                min_locale_examples=min_locale_examples,
            ),
            log=_say,
        )
    valid = result.meta.training["validation"]
    parts = []
    if "offensive" in valid:
        off = valid["offensive"]
        parts.append(f"offensive F1 {off['f1']:.3f} (AUC {_fmt(off['roc_auc'])})")
    if "register" in valid:
        parts.append(f"register accuracy {valid['register']['accuracy']:.3f}")
    per = result.meta.thresholds.get("locales", {})
    parts.append(f"thresholds: global {result.meta.thresholds['global']:.3f}" + (f", {len(per)} per-locale" if per else ""))
    click.echo(f"{output}: best epoch {result.best_epoch}; validation " + "; ".join(parts))


@model.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--model", "model_path", required=True, envvar="LOCALE_GUARD_MODEL", help="A trained model folder.")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path), help="Labelled JSONL/CSV/Parquet; also as arguments. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--batch-tokens", type=click.IntRange(16), help="Padded tokens per batch (default: 8192 on CPU, 32768 on CUDA).")
@device_option
def evaluate(paths: tuple[Path, ...], model_path: str, data: tuple[Path, ...], fmt: str, batch_tokens: int | None, device: str, threads: int | None) -> None:
    """Per-locale quality and calibration on labelled data.

    Precision, recall, F1 and ROC-AUC of both heads per locale on the labelled rows in PATHS
    and/or --data, and calibration tables.
    """
    files = _merge(paths, data, "labelled data")
    with _clean_errors():
        from locale_guard.model.data import load_labelled
        from locale_guard.model.evaluate import evaluate as run_evaluation
        from locale_guard.model.evaluate import render_text
        from locale_guard.model.inference import Predictor
        from locale_guard.model.network import load_model

        _threads(threads)
        labelled = load_labelled(files)
        predictor = Predictor(load_model(model_path), device=device, batch_tokens=batch_tokens)
        report = run_evaluation(predictor, labelled)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False, default=_jsonable))
    else:
        click.echo(render_text(report), nl=False)


@model.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--model", "model_path", required=True, envvar="LOCALE_GUARD_MODEL", help="A trained model folder.")
@click.option("--locale", help="Locale of inputs whose path does not name one.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write predictions to FILE (.parquet, .jsonl or .csv); default: JSON Lines on stdout.")
@click.option("--batch-tokens", type=click.IntRange(16), help="Padded tokens per batch (default: 8192 on CPU, 32768 on CUDA).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (reader options).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True, help="Score in this process, or in a pool of Ray actors (one per GPU, else per --threads cores; see docs/RAY.md).")
@click.option("--ray-address", help="With --engine ray: the cluster (auto, HOST:PORT or ray://HOST:10001) [default: RAY_ADDRESS, else a local Ray].")
@click.option("--ray-actors", type=click.IntRange(1), help="With --engine ray: how many model actors [default: one per GPU, else per --threads CPUs].")
@device_option
def predict(paths: tuple[Path, ...], model_path: str, locale: str | None, output: Path | None, batch_tokens: int | None,
            config_path: Path | None, engine: str, ray_address: str | None, ray_actors: int | None, device: str,
            threads: int | None) -> None:
    """Score the strings of catalogs, training data or tables.

    Reads PATHS as `check` does and writes one row of scores per string.
    """
    if output is not None and output.suffix.lower() not in OUTPUT_FORMATS:
        error_exit(f"cannot tell the output format of '{output}': use {', '.join(OUTPUT_FORMATS)}")
    if (ray_address or ray_actors) and engine != "ray":
        error_exit("--ray-address and --ray-actors need --engine ray")
    config = open_config(config_path, paths)
    with _clean_errors():
        from locale_guard.model.data import texts_from_inputs
        from locale_guard.model.inference import Predictor
        from locale_guard.model.network import load_model

        if engine == "local":
            _threads(threads)
        records, problems = texts_from_inputs(paths, locale, config)
        if problems:
            for problem in problems:
                click.echo(f"error: {problem.describe()}", err=True)
            sys.exit(2)
        frame = records.select("record_id", "locale", "path", "line", "key", "text")
        if engine == "ray":
            from locale_guard.distributed import RayUnavailable
            from locale_guard.distributed.ray_predict import predict_on_ray

            try:
                scored, ray_predictor = predict_on_ray(
                    frame, model_path, address=ray_address, device=device, batch_tokens=batch_tokens,
                    threads=threads, actors=ray_actors,
                )
            except RayUnavailable as exc:
                error_exit(str(exc))
            stats, where = ray_predictor.stats, ray_predictor.where
        else:
            predictor = Predictor(load_model(model_path), device=device, batch_tokens=batch_tokens)
            scored = predictor.predict(frame)
            stats, where = predictor.stats, predictor.device.type
    if output is None:
        sys.stdout.write(scored.write_ndjson())
    elif output.suffix.lower() == ".parquet":
        scored.write_parquet(output)
    elif output.suffix.lower() == ".csv":
        scored.write_csv(output)
    else:
        scored.write_ndjson(output)
    flagged = int(scored["offensive"].sum()) if scored.height else 0
    counts = dict(scored.group_by("register").len().iter_rows()) if scored.height else {}
    _say(
        f"scored {scored.height} strings ({stats.texts} distinct) in {stats.seconds:.2f}s on {where} "
        f"({stats.texts_per_second:.0f} texts/s, {stats.tokens_per_second:.0f} tokens/s); {flagged} offensive; "
        "register " + ", ".join(f"{k} {counts.get(k, 0)}" for k in ("formal", "informal", "none"))
        + (f"; wrote {output}" if output else "")
    )


@model.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--teacher", required=True, help="The trained model folder to imitate.")
@click.option("--student", help="A pretrained encoder (folder or hub id) to train as the student.")
@click.option("--student-layers", type=click.IntRange(1), help="Without --student: build the student from the teacher's architecture with this many layers.")
@click.option("--student-hidden", type=click.IntRange(8), help="Without --student: and this hidden size (default: the teacher's, which lets it start from the teacher's weights).")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path), help="Unlabelled in-domain text: catalogs, training data, tables; also as arguments. Repeatable.")
@click.option("--locale", help="Locale of inputs whose path does not name one.")
@click.option("--output", type=click.Path(path_type=Path), help="Folder for the student [default: TEACHER-student].")
@click.option("--epochs", type=click.IntRange(1), default=3, show_default=True)
@click.option("--lr", type=click.FloatRange(0, min_open=True), default=1e-4, show_default=True)
@click.option("--batch-size", type=click.IntRange(1), default=32, show_default=True)
@click.option("--temperature", type=click.FloatRange(0.1, 20), default=2.0, show_default=True, help="Softening of the teacher's outputs.")
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file (reader options).")
@device_option
def distill(paths: tuple[Path, ...], teacher: str, student: str | None, student_layers: int | None, student_hidden: int | None, data: tuple[Path, ...],
            locale: str | None, output: Path | None, epochs: int, lr: float, batch_size: int, temperature: float, seed: int,
            config_path: Path | None, device: str, threads: int | None) -> None:
    """Train a small, fast student to imitate a model.

    The student learns the TEACHER's soft outputs over in-domain text (PATHS and/or --data:
    catalogs, training data); student-teacher agreement and the speed-up are reported.
    """
    inputs = _merge(paths, data, "in-domain text")
    target = output or Path(str(Path(teacher)).rstrip("/\\") + "-student")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        from locale_guard.model import META_FILE

        if not (target / META_FILE).is_file():
            error_exit(f"{target} exists and is not a locale-guard model folder; choose a new --output")
    config = open_config(config_path, inputs)
    with _clean_errors():
        from locale_guard.model.data import texts_from_inputs
        from locale_guard.model.distill import DistillOptions
        from locale_guard.model.distill import distill as run_distill

        _threads(threads)
        records, problems = texts_from_inputs(inputs, locale, config)
        if problems:
            for problem in problems:
                click.echo(f"error: {problem.describe()}", err=True)
            sys.exit(2)
        result = run_distill(
            DistillOptions(
                teacher=teacher, output=target, student=student, student_layers=student_layers, student_hidden=student_hidden,
                epochs=epochs, lr=lr, batch_size=batch_size, temperature=temperature, device=device, seed=seed,
            ),
            records,
            log=_say,
        )
    b, a = result.before, result.after
    click.echo(
        f"{target}: student-teacher agreement on {result.heldout} held-out texts: "
        f"offensive {b['offensive']:.3f} -> {a['offensive']:.3f}, register {b['register']:.3f} -> {a['register']:.3f}, "
        f"both {b['both']:.3f} -> {a['both']:.3f}; speed-up {result.speedup:.2f}x over {result.texts} texts "
        f"(teacher {result.teacher_seconds:.2f}s, student {result.student_seconds:.2f}s)"
    )


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _jsonable(value: Any) -> Any:
    """numpy scalars in reports → plain JSON values."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
