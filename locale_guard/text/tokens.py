"""Tokens of every record, computed once per run and shared by all checks.

:func:`tokenize` returns one row per record with a list of token structs (:data:`TOKEN_DTYPE`).
Work is done once per *distinct text and segmenter*, not per record: training data repeats
utterances across files and locales of one language share a segmenter, and the results are
kept in ``CheckContext.cache`` so the second check that asks for tokens pays nothing.

Everything after segmentation is vectorised with polars: token texts are slices of the record
text, normal forms and scripts are computed once per distinct token string, and lemmas come
from a join with spaCy's lookup tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from locale_guard.text.lemmas import lookup_lemmas
from locale_guard.text.normalise import casefold
from locale_guard.text.scripts import script_of
from locale_guard.text.segmenters import Segmenter, segmenter_for

if TYPE_CHECKING:
    from locale_guard.checks import CheckContext

#: One token. ``norm`` is NFKC + casefold of ``text``; ``lemma`` is the normalised dictionary
#: form (``norm`` where no lemma is known); ``start``/``end`` are character offsets into the
#: record text; ``script`` is an ISO 15924 code; ``pos`` is the segmenter's part of speech and
#: inflection (Japanese and Korean only, else null).
TOKEN_DTYPE = pl.Struct(
    {
        "text": pl.String,
        "norm": pl.String,
        "lemma": pl.String,
        "start": pl.Int32,
        "end": pl.Int32,
        "script": pl.String,
        "pos": pl.String,
    }
)
TOKENS_SCHEMA: dict[str, pl.DataType] = {"record_id": pl.String(), "tokens": pl.List(TOKEN_DTYPE)}

CACHE_KEY = "text.tokens"
SEGMENTER_CACHE_KEY = "text.segmenters"


def _map_unique(column: pl.Series, fn) -> pl.Series:
    """Apply a Python function once per distinct value (tokens repeat: ``the`` is one call)."""
    uniq = column.unique()
    mapping = pl.DataFrame(
        {"_k": uniq, "_v": [fn(v) if v is not None else None for v in uniq.to_list()]},
        schema={"_k": column.dtype, "_v": pl.String},
    )
    return (
        pl.DataFrame({"_k": column}).join(mapping, on="_k", how="left", maintain_order="left")["_v"]
    )


def segment_texts(texts: Sequence[str], segmenter: Segmenter) -> pl.DataFrame:
    """Tokens of each text: a frame with columns ``text`` and ``tokens``, one row per input."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    raw = segmenter.segment(texts)
    n = len(raw["i"])
    frame = pl.DataFrame(
        {
            "i": pl.Series(raw["i"], dtype=pl.Int64),
            "start": pl.Series(raw["start"], dtype=pl.Int32),
            "end": pl.Series(raw["end"], dtype=pl.Int32),
            "lemma_raw": pl.Series(raw["lemma"] if raw["lemma"] is not None else [None] * n, dtype=pl.String),
            "pos": pl.Series(raw["pos"] if raw["pos"] is not None else [None] * n, dtype=pl.String),
        }
    )
    frame = frame.filter(pl.col("end") > pl.col("start"))
    source = pl.DataFrame({"i": pl.Series(range(len(texts)), dtype=pl.Int64), "src": texts})
    frame = frame.join(source, on="i", how="left", maintain_order="left").with_columns(
        pl.col("src").str.slice(pl.col("start"), pl.col("end") - pl.col("start")).alias("text")
    )
    norm = _map_unique(frame["text"], casefold)
    script = _map_unique(frame["text"], script_of)
    if segmenter.gives_lemmas:
        lemma_src = frame["lemma_raw"]
    else:
        lemma_src = lookup_lemmas(frame["text"], segmenter.language)
    lemma = _map_unique(lemma_src, casefold)
    frame = frame.with_columns(
        norm.alias("norm"),
        script.alias("script"),
        pl.coalesce(lemma, norm).alias("lemma"),
    )
    per_text = (
        frame.sort(["i", "start", "end"])
        .group_by("i", maintain_order=True)
        .agg(
            pl.struct(
                pl.col("text"),
                pl.col("norm"),
                pl.col("lemma"),
                pl.col("start"),
                pl.col("end"),
                pl.col("script"),
                pl.col("pos"),
            ).alias("tokens")
        )
    )
    out = source.join(per_text, on="i", how="left", maintain_order="left").select(
        pl.col("src").alias("text"),
        pl.col("tokens").cast(pl.List(TOKEN_DTYPE)).fill_null(pl.lit([], dtype=pl.List(TOKEN_DTYPE))),
    )
    return out


def tokenize_texts(texts: Sequence[str], language: str, preferred: str | None = None) -> pl.DataFrame:
    """Tokens of loose texts in one language (rule terms, examples, ``rules test``)."""
    return segment_texts(texts, segmenter_for(language, preferred))


def segmenter_for_locale(locale: str | None, ctx: CheckContext | None = None) -> Segmenter:
    """The segmenter for a record locale: the profile's ``tokenizer`` if set, else its language."""
    if not locale or locale == "und":
        return segmenter_for("und")
    cache = ctx.cache.setdefault(SEGMENTER_CACHE_KEY, {}) if ctx is not None else {}
    if locale in cache:
        return cache[locale]
    language = locale.split("-", 1)[0].lower()
    preferred = None
    if ctx is not None:
        try:
            profile = ctx.profile(locale)
        except Exception:  # an unknown tag still gets tokens, by its language subtag
            profile = None
        if profile is not None:
            # the profile may name the code to hand the segmenter (spaCy's tl for CLDR's fil)
            language = getattr(profile, "tokenizer_lang", None) or getattr(profile, "language", None) or language
            preferred = getattr(profile, "tokenizer", None)
    segmenter = segmenter_for(language, preferred if isinstance(preferred, str) else None)
    cache[locale] = segmenter
    return segmenter


def tokenize(records: pl.DataFrame, ctx: CheckContext | None = None) -> pl.DataFrame:
    """``record_id`` and ``tokens`` for every row of ``records`` (same order), cached in ``ctx``.

    Needs the columns ``record_id``, ``locale`` and ``text``. Records without a locale are cut
    with the language-independent fallback segmenter.
    """
    if records.height == 0:
        return pl.DataFrame(schema=TOKENS_SCHEMA)
    memo: dict[str, pl.DataFrame] = ctx.cache.setdefault(CACHE_KEY, {}) if ctx is not None else {}
    locales = [loc for loc in records["locale"].unique().to_list() if loc]
    seg_of = {loc: segmenter_for_locale(loc, ctx) for loc in locales}
    seg_of[""] = segmenter_for("und")
    keys = {loc: seg.key for loc, seg in seg_of.items()}
    frame = records.select(
        "record_id",
        pl.col("text").fill_null(""),
        pl.col("locale").fill_null("").replace_strict(keys, return_dtype=pl.String).alias("_seg"),
    )
    for key, group in frame.group_by("_seg"):
        seg_key = str(key[0])
        segmenter = next(s for s in seg_of.values() if s.key == seg_key)
        known = memo.get(seg_key)
        wanted = group.select("text").unique()
        if known is not None:
            wanted = wanted.join(known.select("text"), on="text", how="anti")
        if wanted.height:
            fresh = segment_texts(wanted["text"].to_list(), segmenter)
            memo[seg_key] = fresh if known is None else pl.concat([known, fresh], how="vertical")
    parts = [
        memo[key].with_columns(pl.lit(key).alias("_seg")) for key in frame["_seg"].unique().to_list()
    ]
    table = pl.concat(parts, how="vertical")
    return frame.join(table, on=["_seg", "text"], how="left", maintain_order="left").select(
        "record_id",
        pl.col("tokens").fill_null(pl.lit([], dtype=pl.List(TOKEN_DTYPE))),
    )
