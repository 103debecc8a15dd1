"""Batch scoring engineered for throughput.

What makes :class:`Predictor` fast, compared with calling a ``transformers`` pipeline per text:

* texts are cut into chunks of similar length (longest first) and each chunk is tokenized in
  one call to the Rust tokenizer on a background thread while the model scores the previous
  chunk, so tokenization overlaps the forward passes;
* inside a chunk, texts are sorted by token count and batched by a token budget
  (:mod:`.batching`), so there is almost no padding and batch sizes adapt to text length;
  batches of texts of one length run with no attention mask at all;
* ``torch.inference_mode`` (no autograd bookkeeping), SDPA attention (chosen when the encoder
  is loaded), and on CUDA bf16 (fp16 on older GPUs) weights and autocast, TF32 for leftover fp32
  matmuls, one pinned host-to-device copy per chunk and no synchronisation until the end;
* results are scattered into preallocated output tensors on the device by index: the loop
  does per-batch work only, never per-text Python.

Duplicate texts (catalogs repeat strings across keys) are scored once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from locale_guard.model import REGISTER_LABELS
from locale_guard.model.batching import (
    DEFAULT_BATCH_TOKENS,
    MAX_BATCH_ROWS,
    WIDTH_MULTIPLE,
    Encoded,
    Encoder,
    length_order,
    plan_batches,
)
from locale_guard.model.device import autocast, autocast_dtype, configure_cuda, resolve_device
from locale_guard.model.metrics import threshold_for
from locale_guard.model.network import LoadedModel

#: texts per tokenizer call: the first chunk is small so the device starts early, later ones
#: large enough that per-call overhead vanishes; on CUDA two chunks are tokenized ahead
CHUNKS = {"cuda": (2048, 16384, 2), "cpu": (256, 2048, 1)}


@dataclass
class Scores:
    """Raw head outputs, in the order of the input texts."""

    offensive: np.ndarray  # [N] probability of offensive
    register: np.ndarray  # [N, 3] probabilities of formal, informal, none


@dataclass
class RunStats:
    """What the last scoring run did, for benchmarks and the CLI's summary line."""

    texts: int = 0
    tokens: int = 0
    padded_tokens: int = 0
    batches: int = 0
    #: batches of one length, run without padding or attention mask
    uniform_batches: int = 0
    seconds: float = 0.0

    @property
    def texts_per_second(self) -> float:
        return self.texts / self.seconds if self.seconds else 0.0

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0


def _chunks(
    texts: Sequence[str], encoder: Encoder, first: int, chunk: int, ahead: int = 1
) -> Iterator[tuple[np.ndarray, Encoded]]:
    """(positions, encoded) for length-ordered chunks; the next ``ahead`` chunks tokenize in the
    background while the caller runs the model on the current one."""
    order = length_order(texts)
    bounds: list[tuple[int, int]] = []
    start = 0
    size = min(first, chunk)
    while start < len(order):
        bounds.append((start, min(start + size, len(order))))
        start += size
        size = chunk
    if not bounds:
        return

    def job(lo: int, hi: int) -> Encoded:
        return encoder([texts[i] for i in order[lo:hi]])

    with ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="lg-tokenize") as pool:
        pending = [pool.submit(job, *b) for b in bounds[:ahead]]
        for k, (lo, hi) in enumerate(bounds):
            encoded = pending.pop(0).result()
            if k + ahead < len(bounds):
                pending.append(pool.submit(job, *bounds[k + ahead]))
            yield order[lo:hi], encoded


def score_chunks(
    model: Any,
    chunks: Iterator[tuple[np.ndarray, Encoded]],
    n: int,
    *,
    device: Any,
    dtype: Any,
    batch_tokens: int,
    max_rows: int,
    stats: RunStats | None = None,
) -> Scores:
    """Run the model over pre-tokenized chunks; results land at each text's position."""
    import torch

    kind = device.type
    multiple = WIDTH_MULTIPLE.get(kind, 1)
    out_off = torch.empty(n, dtype=torch.float32, device=device)
    out_reg = torch.empty((n, len(REGISTER_LABELS)), dtype=torch.float32, device=device)
    with torch.inference_mode():
        for positions, enc in chunks:
            order = np.argsort(-enc.lengths, kind="stable")
            lengths = enc.lengths[order]
            ids = torch.from_numpy(enc.input_ids[order])
            mask = torch.from_numpy(enc.attention_mask[order])
            dest = torch.from_numpy(np.ascontiguousarray(positions[order], dtype=np.int64))
            if kind == "cuda":
                ids, mask, dest = (t.pin_memory().to(device, non_blocking=True) for t in (ids, mask, dest))
            plan = plan_batches(lengths, batch_tokens, max_rows, multiple)
            for lo, hi, width, uniform in plan:
                with autocast(device, dtype):
                    off, reg = model(ids[lo:hi, :width], None if uniform else mask[lo:hi, :width])
                out_off[dest[lo:hi]] = torch.sigmoid(off.float())
                out_reg[dest[lo:hi]] = torch.softmax(reg.float(), dim=-1)
            if stats is not None:
                stats.tokens += int(lengths.sum())
                stats.padded_tokens += sum((hi - lo) * width for lo, hi, width, _ in plan)
                stats.batches += len(plan)
                stats.uniform_batches += sum(1 for *_, uniform in plan if uniform)
    return Scores(out_off.cpu().numpy(), out_reg.cpu().numpy())


class Predictor:
    """Scores texts with a loaded model on a device; moves (and on CUDA, casts) the model there."""

    def __init__(
        self,
        loaded: LoadedModel,
        *,
        device: str | None = "auto",
        precision: str = "auto",
        batch_tokens: int | None = None,
        max_rows: int | None = None,
    ) -> None:
        self.loaded = loaded
        self.device = resolve_device(device)
        self.dtype = autocast_dtype(self.device, precision)
        kind = self.device.type
        self.batch_tokens = int(batch_tokens or DEFAULT_BATCH_TOKENS.get(kind, DEFAULT_BATCH_TOKENS["cpu"]))
        self.max_rows = int(max_rows or MAX_BATCH_ROWS.get(kind, MAX_BATCH_ROWS["cpu"]))
        self.model = loaded.model.eval().to(self.device)
        if kind == "cuda":
            configure_cuda()
            if self.dtype is not None:
                # weights cast once: autocast then has nothing to re-cast on every forward pass
                self.model.encoder.to(self.dtype)
        self.encoder = Encoder(loaded.tokenizer, loaded.meta.max_length)
        self.chunking = CHUNKS.get(kind, CHUNKS["cpu"])
        self.stats = RunStats()

    @property
    def meta(self):
        return self.loaded.meta

    def scores(self, texts: Sequence[str]) -> Scores:
        """Probabilities for each text, in input order."""
        texts = texts if isinstance(texts, list) else list(texts)
        stats = RunStats(texts=len(texts))
        started = time.perf_counter()
        result = score_chunks(
            self.model,
            _chunks(texts, self.encoder, *self.chunking),
            len(texts),
            device=self.device,
            dtype=self.dtype,
            batch_tokens=self.batch_tokens,
            max_rows=self.max_rows,
            stats=stats,
        )
        stats.seconds = time.perf_counter() - started
        self.stats = stats
        return result

    def predict(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Add prediction columns to a frame with ``text`` and ``locale`` (duplicates scored once).

        Added: ``offensive_score``, ``offensive_threshold`` (the locale's), ``offensive``
        (score ≥ threshold), ``register`` (argmax label), ``register_score``, and
        ``p_formal``/``p_informal``/``p_none``.
        """
        unique = frame.select(pl.col("text").fill_null("")).unique(maintain_order=True)
        got = self.scores(unique["text"].to_list())
        labels = list(self.meta.register_labels)
        best = np.argmax(got.register, axis=1) if got.register.size else np.zeros(0, dtype=np.int64)
        scored = unique.with_columns(
            pl.Series("offensive_score", got.offensive.astype(np.float64)),
            pl.Series("register", np.asarray(labels, dtype=object)[best].tolist(), dtype=pl.String),
            pl.Series("register_score", got.register.max(axis=1, initial=0.0).astype(np.float64)),
            *[pl.Series(f"p_{name}", got.register[:, k].astype(np.float64)) for k, name in enumerate(labels)],
        )
        out = frame.with_columns(pl.col("text").fill_null("").alias("_key")).join(
            scored.rename({"text": "_key"}), on="_key", how="left", maintain_order="left"
        ).drop("_key")
        return out.with_columns(
            self.threshold_expr(frame["locale"]).alias("offensive_threshold")
        ).with_columns((pl.col("offensive_score") >= pl.col("offensive_threshold")).alias("offensive"))

    def threshold_expr(self, locales: pl.Series) -> pl.Expr:
        """The offensive threshold of each row's locale (tag, else language, else global)."""
        return locale_thresholds(self.meta.thresholds, locales)


def locale_thresholds(thresholds: dict[str, Any], locales: pl.Series) -> pl.Expr:
    """An expression mapping ``locale`` to its threshold, computed once per distinct tag."""
    mapping = {loc: threshold_for(thresholds, loc) for loc in locales.drop_nulls().unique().to_list()}
    fallback = threshold_for(thresholds, None)
    return (
        pl.col("locale")
        .replace_strict(mapping, default=fallback, return_dtype=pl.Float64)
        .fill_null(fallback)
    )
