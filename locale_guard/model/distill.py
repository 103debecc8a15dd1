"""Distillation: a small, fast student trained to reproduce a trained teacher.

No labels are needed: the teacher scores in-domain text (the catalogs and training data the
student will check), and the student learns the teacher's *soft* outputs, softened by a
temperature so that "0.7 offensive" teaches more than a hard 1 would (Hinton et al., 2015).
A held-out part of the text measures how often student and teacher agree, before and after
training, and both models are timed on the same texts to report the speed-up.

The student is either a pretrained encoder (``--student distilbert-base-multilingual-cased``,
with its own tokenizer; it gets fresh heads) or a smaller copy of the teacher's architecture
(``--student-layers 2 --student-hidden 128``) using the teacher's tokenizer. When the hidden
size is the teacher's, the student starts from the teacher's embeddings, an evenly spaced
subset of its layers and its heads (as DistilBERT did), which converges much faster than a
random start.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from locale_guard.model import META_FILE, ModelError
from locale_guard.model.batching import encode
from locale_guard.model.device import autocast_dtype, configure_cuda, describe, resolve_device
from locale_guard.model.inference import Predictor, Scores
from locale_guard.model.metrics import threshold_for
from locale_guard.model.network import (
    LoadedModel,
    ModelMeta,
    encoder_from_config,
    load_encoder,
    load_model,
    new_model,
    save_model,
)
from locale_guard.model.training import (
    make_optimizer,
    run_epoch,
    score_encoded,
    seed_everything,
    training_batches,
)

#: held-out texts at least, for agreement figures worth reading
MIN_HELDOUT = 10


@dataclass
class DistillOptions:
    teacher: str
    output: Path
    student: str | None = None
    student_layers: int | None = None
    student_hidden: int | None = None
    epochs: int = 3
    lr: float = 1e-4
    batch_size: int = 32
    temperature: float = 2.0
    heldout_fraction: float = 0.1
    patience: int = 2
    device: str = "auto"
    seed: int = 13


@dataclass
class DistillResult:
    meta: ModelMeta
    texts: int
    heldout: int
    before: dict[str, float]
    after: dict[str, float]
    teacher_seconds: float
    student_seconds: float
    history: list[dict[str, float]] = field(default_factory=list)

    @property
    def speedup(self) -> float:
        return self.teacher_seconds / self.student_seconds if self.student_seconds else math.inf


def agreement(teacher: Scores, student: Scores, cut: np.ndarray) -> dict[str, float]:
    """How often the student decides as the teacher does (offensive at the locale threshold,
    register by argmax), and the mean absolute gap between their offensive probabilities."""
    if teacher.offensive.size == 0:
        return {"offensive": math.nan, "register": math.nan, "both": math.nan, "offensive_mae": math.nan}
    off = (teacher.offensive >= cut) == (student.offensive >= cut)
    reg = teacher.register.argmax(axis=1) == student.register.argmax(axis=1)
    return {
        "offensive": float(off.mean()),
        "register": float(reg.mean()),
        "both": float((off & reg).mean()),
        "offensive_mae": float(np.abs(teacher.offensive - student.offensive).mean()),
    }


def _smaller_config(config: Any, layers: int | None, hidden: int | None) -> Any:
    """The teacher's config with fewer layers and/or a smaller hidden size (heads divide it)."""
    import copy

    small = copy.deepcopy(config)
    teacher_hidden = int(config.hidden_size)
    if layers is not None:
        if layers < 1:
            raise ModelError("--student-layers must be at least 1")
        small.num_hidden_layers = layers
    if hidden is not None and hidden != teacher_hidden:
        if hidden < 8:
            raise ModelError("--student-hidden must be at least 8")
        heads = next(h for h in range(min(int(config.num_attention_heads), max(1, hidden // 32)), 0, -1) if hidden % h == 0)
        small.hidden_size = hidden
        small.num_attention_heads = heads
        ratio = int(config.intermediate_size) / teacher_hidden
        small.intermediate_size = max(hidden, round(hidden * ratio))
    return small


_LAYER_KEY = re.compile(r"^(.*?\blayers?\.)(\d+)(\..*)$")


def init_from_teacher(student: Any, teacher: Any) -> int:
    """Copy embeddings, evenly spaced layers and heads from teacher to student where shapes fit.

    Works on state-dict names (``...layer.<i>....``), so any encoder family that numbers its
    layers that way (BERT, XLM-R, DeBERTa, DistilBERT) is covered. Returns tensors copied.
    """
    t_state = teacher.state_dict()
    s_state = student.state_dict()
    t_layers = 1 + max((int(m.group(2)) for k in t_state if (m := _LAYER_KEY.match(k))), default=-1)
    s_layers = 1 + max((int(m.group(2)) for k in s_state if (m := _LAYER_KEY.match(k))), default=-1)
    chosen = np.linspace(0, t_layers - 1, s_layers).round().astype(int).tolist() if s_layers and t_layers else []
    copied = 0
    update = {}
    for key, value in s_state.items():
        source = key
        m = _LAYER_KEY.match(key)
        if m and chosen:
            source = f"{m.group(1)}{chosen[int(m.group(2))]}{m.group(3)}"
        if source in t_state and tuple(t_state[source].shape) == tuple(value.shape):
            update[key] = t_state[source]
            copied += 1
    student.load_state_dict(update, strict=False)
    return copied


def build_student(teacher: LoadedModel, opts: DistillOptions) -> LoadedModel:
    """The student model: a pretrained encoder with fresh heads, or a smaller teacher copy."""
    meta = ModelMeta(
        base_model=opts.student or f"{teacher.meta.base_model} (distilled)",
        max_length=teacher.meta.max_length,
        thresholds=dict(teacher.meta.thresholds),
        register_min_confidence=teacher.meta.register_min_confidence,
    )
    if opts.student:
        if opts.student_layers or opts.student_hidden:
            raise ModelError("give either --student or --student-layers/--student-hidden, not both")
        encoder, tokenizer = load_encoder(opts.student)
        return new_model(encoder, tokenizer, meta)
    if not (opts.student_layers or opts.student_hidden):
        raise ModelError("name a student: --student PATH_OR_ID, or --student-layers N and/or --student-hidden H")
    config = _smaller_config(teacher.model.encoder.config, opts.student_layers, opts.student_hidden)
    encoder = encoder_from_config(config)
    student = new_model(encoder, teacher.tokenizer, meta)
    init_from_teacher(student.model, teacher.model)
    meta.base_model = (
        f"{teacher.meta.base_model} → {config.num_hidden_layers} layers, hidden {config.hidden_size}"
    )
    return student


def soft_loss(teacher: Scores, temperature: float, device: Any) -> Callable[[Any, Any, np.ndarray], Any]:
    """KL divergence on register and binary cross-entropy on offensive, both at temperature T,
    scaled by T² so gradients keep their size whatever T is."""
    import torch
    import torch.nn.functional as F

    eps = 1e-6
    p = np.clip(teacher.offensive, eps, 1 - eps)
    off_logit = np.log(p / (1 - p)) / temperature
    off_target = torch.from_numpy((1.0 / (1.0 + np.exp(-off_logit))).astype(np.float32))
    reg_logit = np.log(np.clip(teacher.register, eps, 1.0)) / temperature
    reg_target = torch.from_numpy(np.exp(reg_logit - np.logaddexp.reduce(reg_logit, axis=1, keepdims=True)).astype(np.float32))
    scale = temperature**2

    def loss(off: Any, reg: Any, rows: np.ndarray) -> Any:
        idx = torch.from_numpy(rows)
        t_off = off_target[idx].to(device, non_blocking=True)
        t_reg = reg_target[idx].to(device, non_blocking=True)
        l_off = F.binary_cross_entropy_with_logits(off.float() / temperature, t_off)
        l_reg = F.kl_div(F.log_softmax(reg.float() / temperature, dim=-1), t_reg, reduction="batchmean")
        return scale * (l_off + l_reg)

    return loss


def _timed(loaded: LoadedModel, texts: list[str], device: str) -> float:
    """Seconds a Predictor takes over ``texts`` after a short warm-up (first-call allocations)."""
    predictor = Predictor(loaded, device=device)
    predictor.scores(texts[: min(len(texts), 64)])
    started = time.perf_counter()
    predictor.scores(texts)
    return time.perf_counter() - started


def distill(
    opts: DistillOptions, texts: pl.DataFrame, *, log: Callable[[str], None] | None = None
) -> DistillResult:
    """Train a student on the teacher's soft labels over ``texts`` (a frame with ``text``, ``locale``)."""
    import torch

    say = log or (lambda _msg: None)
    teacher = load_model(opts.teacher)
    unique = texts.select("text", "locale").unique("text", keep="first", maintain_order=True)
    n = unique.height
    n_held = max(MIN_HELDOUT, round(n * opts.heldout_fraction))
    if n - n_held < MIN_HELDOUT:
        raise ModelError(f"too few distinct texts to distill on ({n}); give more catalogs or training data")
    seed_everything(opts.seed)
    rng = np.random.default_rng(opts.seed)
    perm = rng.permutation(n)
    train_rows, held_rows = unique[np.sort(perm[n_held:])], unique[np.sort(perm[:n_held])]
    device = resolve_device(opts.device)
    dtype = autocast_dtype(device)
    if device.type == "cuda":
        configure_cuda()
    student = build_student(teacher, opts)
    say(f"distilling on {describe(device)}: {train_rows.height} texts, {held_rows.height} held out")

    teacher.model.to(device)
    max_len = teacher.meta.max_length
    t_train = score_encoded(teacher.model, encode(teacher.tokenizer, train_rows["text"].to_list(), max_len), device=device, dtype=dtype)
    t_held = score_encoded(teacher.model, encode(teacher.tokenizer, held_rows["text"].to_list(), max_len), device=device, dtype=dtype)
    teacher.model.to("cpu")
    cut = np.array([threshold_for(teacher.meta.thresholds, loc) for loc in held_rows["locale"].to_list()], dtype=np.float64)

    model = student.model.to(device)
    s_train = encode(student.tokenizer, train_rows["text"].to_list(), max_len)
    s_held = encode(student.tokenizer, held_rows["text"].to_list(), max_len)
    before = agreement(t_held, score_encoded(model, s_held, device=device, dtype=dtype), cut)
    say(f"agreement before: offensive {before['offensive']:.3f}, register {before['register']:.3f}")

    loss_fn = soft_loss(t_train, opts.temperature, device)
    held_loss_fn = soft_loss(t_held, opts.temperature, device)
    steps = math.ceil(train_rows.height / opts.batch_size) * opts.epochs
    optimizer, scheduler = make_optimizer(model, opts.lr, 0.01, steps, 0.06)
    scaler = torch.amp.GradScaler(device.type, enabled=dtype == torch.float16)
    best, best_state, stale = math.inf, None, 0
    history: list[dict[str, float]] = []
    for epoch in range(1, opts.epochs + 1):
        batches = training_batches(s_train.lengths, opts.batch_size, rng)
        train_loss = run_epoch(
            model, s_train, batches, loss_fn, optimizer=optimizer, scheduler=scheduler, device=device, dtype=dtype, scaler=scaler
        )
        held = _held_loss(model, s_held, held_loss_fn, device, dtype)
        agree = agreement(t_held, score_encoded(model, s_held, device=device, dtype=dtype), cut)
        history.append({"epoch": epoch, "train_loss": train_loss, "heldout_loss": held, **agree})
        say(f"epoch {epoch}: loss {train_loss:.4f}, held-out loss {held:.4f}, agreement {agree['both']:.3f}")
        if held < best - 1e-5:
            best, stale = held, 0
            best_state = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
        else:
            stale += 1
            if stale >= opts.patience:
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    after = agreement(t_held, score_encoded(model, s_held, device=device, dtype=dtype), cut)
    model.to("cpu")
    student.meta.training = {
        "distilled_from": str(teacher.path),
        "teacher_base_model": teacher.meta.base_model,
        "texts": n,
        "heldout": held_rows.height,
        "temperature": opts.temperature,
        "epochs_run": len(history),
        "options": {"epochs": opts.epochs, "lr": opts.lr, "batch_size": opts.batch_size, "seed": opts.seed},
        "agreement_before": before,
        "agreement_after": after,
        "history": history,
    }
    save_model(student, Path(opts.output))

    all_texts = unique["text"].to_list()
    teacher_s = _timed(teacher, all_texts, opts.device)
    student_s = _timed(load_model(str(opts.output)), all_texts, opts.device)
    student.meta.training["speed"] = {
        "texts": n,
        "device": describe(device),
        "teacher_seconds": teacher_s,
        "student_seconds": student_s,
        "speedup": teacher_s / student_s if student_s else None,
    }
    (Path(opts.output) / META_FILE).write_text(student.meta.to_json(), encoding="utf-8")
    return DistillResult(student.meta, n, held_rows.height, before, after, teacher_s, student_s, history)


def _held_loss(model: Any, encoded: Any, loss_fn: Callable[[Any, Any, np.ndarray], Any], device: Any, dtype: Any) -> float:
    """The distillation loss on held-out texts (no gradients), for early stopping."""
    import torch

    from locale_guard.model.device import autocast

    model.eval()
    total, count = 0.0, 0
    with torch.inference_mode():
        for lo in range(0, len(encoded), 256):
            rows = np.arange(lo, min(lo + 256, len(encoded)))
            width = int(encoded.lengths[rows].max())
            ids = torch.from_numpy(encoded.input_ids[rows, :width]).to(device)
            mask = torch.from_numpy(encoded.attention_mask[rows, :width]).to(device)
            with autocast(device, dtype):
                off, reg = model(ids, mask)
            total += float(loss_fn(off, reg, rows)) * rows.size
            count += rows.size
    return total / max(count, 1)

