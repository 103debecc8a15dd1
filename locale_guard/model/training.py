"""Fine-tuning: a base encoder + fresh heads, trained on labelled rows with a held-out split.

The loss is the sum of the two heads' losses, each masked to the rows that carry its label
(binary cross-entropy for offensive, cross-entropy for register), so an export in which most
rows were judged for one thing only still trains both heads. After every epoch the validation
split is scored; training stops when its loss has not improved for ``patience`` epochs, and the
best epoch's weights are the ones saved. The offensive head's thresholds are then chosen on the
validation split (F1-optimal per locale with enough examples, else global) and saved with it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from locale_guard.model import META_FILE, REGISTER_LABELS, ModelError
from locale_guard.model.batching import DEFAULT_BATCH_TOKENS, MAX_BATCH_ROWS, Encoded, encode
from locale_guard.model.data import Labelled, load_labelled, split_validation
from locale_guard.model.device import autocast, autocast_dtype, configure_cuda, describe, resolve_device
from locale_guard.model.inference import Scores, score_chunks
from locale_guard.model.metrics import (
    MIN_LOCALE_EXAMPLES,
    binary_report,
    choose_thresholds,
    multiclass_report,
    threshold_for,
)
from locale_guard.model.network import LoadedModel, ModelMeta, load_encoder, load_model, new_model, save_model

#: fewer validation rows than this make early stopping and thresholds meaningless
MIN_VALID_ROWS = 10


@dataclass
class TrainOptions:
    base: str
    data: Sequence[Path]
    output: Path
    valid_fraction: float = 0.1
    epochs: int = 4
    lr: float = 3e-5
    batch_size: int = 32
    max_length: int = 128
    patience: int = 2
    device: str = "auto"
    seed: int = 13
    weight_decay: float = 0.01
    warmup: float = 0.06
    dropout: float = 0.1
    #: a locale (or language) gets its own threshold with this many validation rows
    min_locale_examples: int = MIN_LOCALE_EXAMPLES


@dataclass
class EpochLog:
    epoch: int
    train_loss: float
    valid_loss: float
    offensive_auc: float | None
    register_accuracy: float | None
    seconds: float


@dataclass
class TrainResult:
    meta: ModelMeta
    history: list[EpochLog] = field(default_factory=list)
    best_epoch: int = 0


@dataclass(frozen=True)
class Targets:
    """Label arrays aligned with an encoded split: NaN / -100 where a row lacks that label."""

    offensive: np.ndarray  # float32, NaN = no label
    register: np.ndarray  # int64, -100 = no label

    @classmethod
    def of(cls, frame: pl.DataFrame) -> Targets:
        off = frame["label_offensive"].cast(pl.Float32).fill_null(float("nan")).to_numpy().astype(np.float32)
        reg = (
            frame["label_register"]
            .replace_strict({k: i for i, k in enumerate(REGISTER_LABELS)}, default=-100, return_dtype=pl.Int64)
            .fill_null(-100)
            .to_numpy()
        )
        return cls(off, reg)


def seed_everything(seed: int) -> None:
    import random

    import torch

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def training_batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of row indices with similar lengths (sorted within pools of 50 batches)."""
    perm = rng.permutation(lengths.size)
    pool = batch_size * 50
    batches: list[np.ndarray] = []
    for lo in range(0, perm.size, pool):
        part = perm[lo : lo + pool]
        part = part[np.argsort(-lengths[part], kind="stable")]
        batches.extend(part[i : i + batch_size] for i in range(0, part.size, batch_size))
    order = rng.permutation(len(batches))
    return [batches[i] for i in order]


def masked_loss(off_logit: Any, reg_logits: Any, off_t: np.ndarray, reg_t: np.ndarray, device: Any) -> Any:
    """Sum of the heads' mean losses over the rows labelled for each head.

    Masks are computed in numpy before anything reaches the device, so no GPU sync happens to
    find out whether a batch has labels for a head.
    """
    import torch
    import torch.nn.functional as F

    loss = off_logit.new_zeros((), dtype=torch.float32)
    has_off = ~np.isnan(off_t)
    if has_off.any():
        idx = torch.from_numpy(np.flatnonzero(has_off)).to(device)
        target = torch.from_numpy(off_t[has_off]).to(device)
        loss = loss + F.binary_cross_entropy_with_logits(off_logit.float()[idx], target)
    if (reg_t >= 0).any():
        loss = loss + F.cross_entropy(reg_logits.float(), torch.from_numpy(reg_t).to(device), ignore_index=-100)
    return loss


def numpy_loss(scores: Scores, targets: Targets) -> float:
    """The same masked loss as training, computed from validation probabilities."""
    eps = 1e-7
    total = 0.0
    has_off = ~np.isnan(targets.offensive)
    if has_off.any():
        p = np.clip(scores.offensive[has_off], eps, 1 - eps)
        y = targets.offensive[has_off]
        total += float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    has_reg = targets.register >= 0
    if has_reg.any():
        picked = scores.register[has_reg, targets.register[has_reg]]
        total += float(-np.mean(np.log(np.clip(picked, eps, 1.0))))
    return total


def make_optimizer(model: Any, lr: float, weight_decay: float, total_steps: int, warmup: float) -> tuple[Any, Any]:
    """AdamW without decay on biases and norms; linear warm-up then linear decay to zero."""
    import torch

    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        (no_decay if param.ndim < 2 or "norm" in name.lower() else decay).append(param)
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=lr
    )
    warm = max(1, int(total_steps * warmup))

    def factor(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (total_steps - step) / max(1, total_steps - warm))

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def score_encoded(model: Any, encoded: Encoded, *, device: Any, dtype: Any) -> Scores:
    """Score an already tokenized split (validation, distillation) with the inference path."""
    kind = device.type
    chunks = iter([(np.arange(len(encoded)), encoded)]) if len(encoded) else iter([])
    was_training = model.training
    model.eval()
    try:
        return score_chunks(
            model,
            chunks,
            len(encoded),
            device=device,
            dtype=dtype,
            batch_tokens=DEFAULT_BATCH_TOKENS.get(kind, 8192),
            max_rows=MAX_BATCH_ROWS.get(kind, 256),
        )
    finally:
        model.train(was_training)


def run_epoch(
    model: Any,
    encoded: Encoded,
    batches: list[np.ndarray],
    loss_fn: Callable[[Any, Any, np.ndarray], Any],
    *,
    optimizer: Any,
    scheduler: Any,
    device: Any,
    dtype: Any,
    scaler: Any,
) -> float:
    """One pass over a tokenized split; ``loss_fn(offensive_logit, register_logits, rows)``."""
    import torch

    model.train()
    ids_all = torch.from_numpy(encoded.input_ids)
    mask_all = torch.from_numpy(encoded.attention_mask)
    losses = []
    for rows in batches:
        width = int(encoded.lengths[rows].max())
        index = torch.from_numpy(rows)
        ids = ids_all[index, :width].to(device, non_blocking=True)
        mask = mask_all[index, :width].to(device, non_blocking=True)
        with autocast(device, dtype):
            off, reg = model(ids, mask)
        loss = loss_fn(off, reg, rows)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        scaler.step(optimizer)
        scaler.update()
        scheduler.step()
        losses.append(loss.detach())
    return float(torch.stack(losses).mean().item()) if losses else math.nan


def validation_metrics(scores: Scores, targets: Targets, locales: Sequence[str], thresholds: dict[str, Any]) -> dict[str, Any]:
    """Offensive P/R/F1/AUC at the per-locale thresholds, register accuracy and macro-F1."""
    out: dict[str, Any] = {}
    has_off = ~np.isnan(targets.offensive)
    if has_off.any():
        locs = np.asarray(locales, dtype=object)[has_off]
        cut = np.array([threshold_for(thresholds, loc) for loc in locs], dtype=np.float64)
        out["offensive"] = binary_report(targets.offensive[has_off] > 0.5, scores.offensive[has_off], cut)
    has_reg = targets.register >= 0
    if has_reg.any():
        rep = multiclass_report(targets.register[has_reg], scores.register[has_reg], REGISTER_LABELS)
        out["register"] = {k: rep[k] for k in ("n", "accuracy", "macro_f1", "macro_roc_auc")}
    return out


def train(
    opts: TrainOptions,
    *,
    log: Callable[[str], None] | None = None,
    labelled: Labelled | None = None,
    base: LoadedModel | None = None,
) -> TrainResult:
    """Fine-tune ``opts.base`` on ``opts.data`` and save the model folder to ``opts.output``."""
    import torch

    say = log or (lambda _msg: None)
    data = labelled or load_labelled([Path(p) for p in opts.data])
    train_rows, valid_rows = split_validation(data.frame, opts.valid_fraction, opts.seed)
    if valid_rows.height < MIN_VALID_ROWS or train_rows.height < MIN_VALID_ROWS:
        raise ModelError(
            f"too few labelled rows ({data.frame.height}) for a training and a validation split of at least "
            f"{MIN_VALID_ROWS} rows each; label more data or raise --valid-fraction"
        )
    seed_everything(opts.seed)
    device = resolve_device(opts.device)
    dtype = autocast_dtype(device)
    if device.type == "cuda":
        configure_cuda()
    if base is None:
        if (Path(opts.base) / META_FILE).is_file():
            # a model of ours: go on from its encoder *and* heads (the next round of reviews)
            previous = load_model(opts.base)
            previous.meta = ModelMeta(base_model=opts.base, max_length=opts.max_length)
            base = previous
        else:
            encoder, tokenizer = load_encoder(opts.base)
            base = new_model(encoder, tokenizer, ModelMeta(base_model=opts.base, max_length=opts.max_length))
    model = base.model.to(device)
    model.dropout.p = opts.dropout
    say(
        f"training on {describe(device)}: {train_rows.height} rows, validating on {valid_rows.height} "
        f"({data.dropped} unlabelled or empty rows skipped)"
    )
    tokenizer = base.tokenizer
    enc_train = encode(tokenizer, train_rows["text"].to_list(), opts.max_length)
    enc_valid = encode(tokenizer, valid_rows["text"].to_list(), opts.max_length)
    t_train, t_valid = Targets.of(train_rows), Targets.of(valid_rows)
    rng = np.random.default_rng(opts.seed)
    steps_per_epoch = math.ceil(train_rows.height / opts.batch_size)
    optimizer, scheduler = make_optimizer(model, opts.lr, opts.weight_decay, steps_per_epoch * opts.epochs, opts.warmup)
    scaler = torch.amp.GradScaler(device.type, enabled=dtype == torch.float16)

    result = TrainResult(meta=base.meta)
    best_loss = math.inf
    best_state: dict[str, Any] | None = None
    stale = 0
    for epoch in range(1, opts.epochs + 1):
        started = time.perf_counter()
        batches = training_batches(enc_train.lengths, opts.batch_size, rng)
        train_loss = run_epoch(
            model,
            enc_train,
            batches,
            lambda off, reg, rows: masked_loss(off, reg, t_train.offensive[rows], t_train.register[rows], device),
            optimizer=optimizer,
            scheduler=scheduler,
            device=device,
            dtype=dtype,
            scaler=scaler,
        )
        scores = score_encoded(model, enc_valid, device=device, dtype=dtype)
        valid_loss = numpy_loss(scores, t_valid)
        quick = validation_metrics(scores, t_valid, valid_rows["locale"].to_list(), {"global": 0.5})
        entry = EpochLog(
            epoch,
            train_loss,
            valid_loss,
            quick.get("offensive", {}).get("roc_auc"),
            quick.get("register", {}).get("accuracy"),
            time.perf_counter() - started,
        )
        result.history.append(entry)
        say(
            f"epoch {epoch}: train loss {train_loss:.4f}, valid loss {valid_loss:.4f}, offensive AUC "
            f"{_fmt(entry.offensive_auc)}, register accuracy {_fmt(entry.register_accuracy)} ({entry.seconds:.1f}s)"
        )
        if valid_loss < best_loss - 1e-4:
            best_loss, stale, result.best_epoch = valid_loss, 0, epoch
            best_state = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
        else:
            stale += 1
            if stale >= opts.patience:
                say(f"early stop: no improvement for {opts.patience} epoch(s); keeping epoch {result.best_epoch}")
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    scores = score_encoded(model, enc_valid, device=device, dtype=dtype)
    has_off = ~np.isnan(t_valid.offensive)
    locales = valid_rows["locale"].to_list()
    thresholds = (
        choose_thresholds(
            t_valid.offensive[has_off] > 0.5,
            scores.offensive[has_off],
            [loc for loc, h in zip(locales, has_off, strict=True) if h],
            min_examples=opts.min_locale_examples,
            min_class=max(2, opts.min_locale_examples // 6),
        )
        if has_off.any()
        else {"global": 0.5, "locales": {}}
    )
    meta = base.meta
    meta.thresholds = thresholds
    meta.max_length = opts.max_length
    meta.training = {
        "base_model": opts.base,
        "data": [str(p) for p in opts.data],
        "data_sha256": data.sha256,
        "rows": {"train": train_rows.height, "valid": valid_rows.height, "skipped": data.dropped},
        "locales": dict(sorted(data.frame.group_by("locale").len().iter_rows())),
        "epochs_run": len(result.history),
        "best_epoch": result.best_epoch,
        "options": {
            "valid_fraction": opts.valid_fraction, "epochs": opts.epochs, "lr": opts.lr, "batch_size": opts.batch_size,
            "max_length": opts.max_length, "patience": opts.patience, "seed": opts.seed,
            "weight_decay": opts.weight_decay, "warmup": opts.warmup, "dropout": opts.dropout,
            "min_locale_examples": opts.min_locale_examples,
        },
        "device": describe(device),
        "history": [vars(h) for h in result.history],
        "validation": validation_metrics(scores, t_valid, locales, thresholds),
    }
    result.meta = meta
    model.to("cpu")
    save_model(base, Path(opts.output))
    say(f"saved model to {opts.output}")
    return result


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
