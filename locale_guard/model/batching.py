"""Texts → token arrays → batches that hold a token budget with little padding.

Throughput on both CPU and GPU depends mostly on not computing padding: a batch of 64 short
commands padded to the length of one long answer does several times the work it needs. So
texts are sorted by length and cut into batches whose *padded* size (rows × longest row) stays
under a token budget: many short texts per batch, few long ones, and nearly no padding.

All of it is array work: the tokenizer's batch call (Rust, parallel) gives a padded matrix,
lengths come from the attention mask, sorting and slicing are numpy. The only per-text Python
is turning the tokenizer's id lists into one array, and that runs on the tokenizing thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: default padded tokens per batch and rows per batch. On CUDA, big batches keep the GPU busy
#: (launch overhead is per batch, not per row). On the CPU, big batches buy nothing (a 32-row
#: matmul already runs at full speed) but cost padding: rows share the width of their longest.
DEFAULT_BATCH_TOKENS = {"cuda": 65536, "cpu": 4096}
MAX_BATCH_ROWS = {"cuda": 4096, "cpu": 32}
#: pad widths to a multiple of this on CUDA (tensor-core tiles); 1 = exact widths on the CPU
WIDTH_MULTIPLE = {"cuda": 8, "cpu": 1}


@dataclass(frozen=True)
class Encoded:
    """Right-padded token ids and masks of a run of texts, with each text's token count."""

    input_ids: np.ndarray  # [N, W] int64
    attention_mask: np.ndarray  # [N, W] int64
    lengths: np.ndarray  # [N] int64

    def __len__(self) -> int:
        return int(self.lengths.size)


class Encoder:
    """Tokenizes batches of texts into right-padded numpy arrays.

    Uses a private copy of the fast tokenizer's Rust backend, configured once for truncation
    and padding, and calls ``encode_batch_fast`` (no offsets) directly: the transformers wrapper
    would add a Python dict per text on top. Tokenizers without a Rust backend go through the
    ordinary ``tokenizer(...)`` call.
    """

    def __init__(self, tokenizer, max_length: int) -> None:
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.backend = None
        backend = getattr(tokenizer, "backend_tokenizer", None)
        if backend is not None and tokenizer.pad_token_id is not None and getattr(tokenizer, "padding_side", "right") == "right":
            from tokenizers import Tokenizer

            copy = Tokenizer.from_str(backend.to_str())
            copy.enable_truncation(max_length)
            copy.enable_padding(pad_id=tokenizer.pad_token_id, pad_token=tokenizer.pad_token)
            self.backend = copy

    def __call__(self, texts: Sequence[str]) -> Encoded:
        if len(texts) == 0:
            empty = np.zeros((0, 1), dtype=np.int64)
            return Encoded(empty, empty, np.zeros(0, dtype=np.int64))
        if self.backend is None:
            return _encode_slow(self.tokenizer, texts, self.max_length)
        encodings = self.backend.encode_batch_fast(list(texts), add_special_tokens=True)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        return Encoded(ids, mask, mask.sum(axis=1))


def encode(tokenizer, texts: Sequence[str], max_length: int) -> Encoded:
    """Tokenize texts in one batch call, truncated to ``max_length`` tokens, padded to the longest."""
    return Encoder(tokenizer, max_length)(texts)


def _encode_slow(tokenizer, texts: Sequence[str], max_length: int) -> Encoded:
    enc = tokenizer(
        list(texts),
        truncation=True,
        max_length=max_length,
        padding="longest",
        return_attention_mask=True,
        return_token_type_ids=False,
        return_tensors="np",
    )
    ids = np.ascontiguousarray(enc["input_ids"], dtype=np.int64)
    mask = np.ascontiguousarray(enc["attention_mask"], dtype=np.int64)
    return Encoded(ids, mask, mask.sum(axis=1))


def plan_batches(
    sorted_lengths: np.ndarray, budget: int, max_rows: int, multiple: int = 1, min_uniform: float = 0.5
) -> list[tuple[int, int, int, bool]]:
    """``(start, stop, width, uniform)`` slices over texts sorted by length, longest first.

    A batch takes as many consecutive texts as fit ``rows × width <= budget``, where width is
    its first (longest) text rounded up to ``multiple``; one text always fits, so a text longer
    than the budget is a batch of its own. When the texts of exactly that length can fill at
    least ``min_uniform`` of such a batch, the batch is cut at the end of their run instead:
    then it has no padding at all (``uniform``), and the encoder runs without an attention mask,
    which lets SDPA pick its fastest kernels (flash attention on CUDA). Short assistant strings
    come in few distinct lengths, so most batches of a large input are uniform. The loop runs
    once per batch.
    """
    n = int(sorted_lengths.size)
    ascending = -np.asarray(sorted_lengths, dtype=np.int64)
    batches: list[tuple[int, int, int, bool]] = []
    start = 0
    while start < n:
        longest = int(sorted_lengths[start])
        width = -(-max(longest, 1) // multiple) * multiple
        rows = max(1, min(max_rows, budget // width, n - start))
        run = int(np.searchsorted(ascending, -longest, side="right")) - start if longest > 0 else 0
        exact = min(max_rows, max(1, budget // max(longest, 1)), run)
        if exact >= max(1.0, rows * min_uniform):
            batches.append((start, start + exact, longest, True))
            start += exact
            continue
        stop = start + rows
        batches.append((start, stop, width, width == longest and int(sorted_lengths[stop - 1]) == longest))
        start = stop
    return batches


def length_order(texts: Sequence[str]) -> np.ndarray:
    """Indices of texts from longest to shortest by UTF-8 length (a cheap proxy for tokens).

    Used to cut a large input into chunks of similar lengths before tokenizing, so that each
    chunk's padded matrix is narrow; exact token lengths then order each chunk.
    """
    import polars as pl

    lengths = pl.Series(values=list(texts), dtype=pl.String).str.len_bytes().fill_null(0).to_numpy()
    return np.argsort(-lengths, kind="stable")
