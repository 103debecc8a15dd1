"""Where in its sentence a match stands: first word, last word, inside a question.

Rule packs cannot say "only at the start of a sentence" (spaCy's Matcher has no sentence
anchors over our tokens), and for register that position is often the whole difference:
``Versuche es später`` addresses the user, ``ich versuche es`` does not; Japanese ``した`` ends
a plain-form sentence only when nothing but particles and punctuation follows it. This module
answers those questions from the tokens the text package already made, vectorised with polars
over every token of the records that have a position-constrained match.

A sentence ends at a token made only of sentence-ending punctuation (or one of the locale's
extra ``boundaries``), or at a line break. Opening punctuation (``¿``, ``«``, ``„``) and the
pack's ``openers`` do not count as the first word; closing punctuation and ``closers`` do not
count as the last. ``inside`` means "not the very first word" (openers included): it is for
capitals that only mean something where the sentence start cannot explain them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

#: characters that end a sentence (or a clause an imperative can start after: ``Hinweis: Tippe…``)
SENTENCE_END = ".!?;:…։।॥؟۔。！？；：\u037e"
#: characters that make the sentence they end a question (Greek writes ``;`` for ``?``)
QUESTION_END = "?？؟\u037e"

_BOUNDARY = "^[" + re.escape(SENTENCE_END) + "]+$"
_QUESTION = "[" + re.escape(QUESTION_END) + "]"
_WORD = r"[\p{L}\p{N}]"


def _flags(words: Mapping[str | None, frozenset[str]], name: str) -> pl.DataFrame:
    """``locale``, ``norm`` pairs for the per-locale word lists (openers, closers, boundaries)."""
    rows = [(loc, w) for loc, found in words.items() for w in found]
    return pl.DataFrame(rows, schema={"locale": pl.String, "norm": pl.String}, orient="row").with_columns(
        pl.lit(True).alias(name)
    )


def place(
    matches: pl.DataFrame,
    records: pl.DataFrame,
    tokens: pl.DataFrame,
    *,
    openers: Mapping[str | None, frozenset[str]],
    closers: Mapping[str | None, frozenset[str]],
    boundaries: Mapping[str | None, frozenset[str]],
) -> pl.Series:
    """For each row of ``matches`` (``record_id``, ``start``, ``end``, ``position``, ``question``,
    ``whole``), whether it stands where its rule wants it. ``records`` has ``record_id``, ``text`` and
    ``locale``; ``tokens`` has ``record_id`` and the token list of each record."""
    toks = (
        tokens.join(records.select("record_id", "text", "locale"), on="record_id", how="left")
        .with_columns(pl.int_ranges(pl.col("tokens").list.len()).alias("i"))
        .explode(["tokens", "i"])
        .drop_nulls("i")
        .with_columns(
            pl.col("tokens").struct.field("text").alias("tok"),
            pl.col("tokens").struct.field("norm").alias("norm"),
            pl.col("tokens").struct.field("start").cast(pl.Int64).alias("t_start"),
            pl.col("tokens").struct.field("end").cast(pl.Int64).alias("t_end"),
        )
        .drop("tokens")
    )
    toks = (
        toks.join(_flags(openers, "_opener"), on=["locale", "norm"], how="left")
        .join(_flags(closers, "_closer"), on=["locale", "norm"], how="left")
        .join(_flags(boundaries, "_extra"), on=["locale", "norm"], how="left")
    )
    by = "record_id"
    prev_end = pl.col("t_end").shift(1).over(by).fill_null(0)
    gap = pl.col("text").str.slice(prev_end, (pl.col("t_start") - prev_end).clip(0))
    boundary = pl.col("tok").str.contains(_BOUNDARY) | pl.col("_extra").fill_null(False)
    toks = toks.with_columns(
        pl.col("tok").str.contains(_WORD).alias("_word"),
        boundary.alias("_boundary"),
        gap.str.contains("\n").fill_null(False).alias("_break"),
    )
    # a boundary token belongs to the sentence it ends; a line break starts a new one before it
    starts_new = pl.col("_boundary").shift(1).over(by).fill_null(False) | pl.col("_break")
    toks = toks.with_columns(starts_new.cast(pl.Int32).cum_sum().over(by).alias("_sent"))
    sent = [by, "_sent"]
    lead = (pl.col("_word") & ~pl.col("_opener").fill_null(False)).cast(pl.Int32)
    tail = (pl.col("_word") & ~pl.col("_closer").fill_null(False)).cast(pl.Int32)
    is_question = (
        (pl.col("_boundary") & pl.col("tok").str.contains(_QUESTION))
        | (pl.col("_boundary") & (pl.col("tok") == ";") & pl.col("locale").str.starts_with("el"))
        | pl.col("tok").str.contains("¿", literal=True)
    )
    any_word = pl.col("_word").cast(pl.Int32)
    toks = toks.with_columns(
        (pl.col("_word") & ((lead.cum_sum() - lead).over(sent) == 0)).alias("_first"),
        (pl.col("_word") & ((any_word.cum_sum() - any_word).over(sent) == 0)).alias("_initial"),
        (pl.col("_word") & ((tail.cum_sum(reverse=True) - tail).over(sent) == 0)).alias("_last"),
        is_question.any().over(sent).alias("_question"),
    ).select(by, "i", "t_start", "t_end", "_first", "_initial", "_last", "_question")

    wanted = matches.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
        by,
        pl.col("start").cast(pl.Int64),
        pl.col("end").cast(pl.Int64),
        "position",
        "question",
        "whole",
    )
    # the first token that starts at or after the match, the last that ends at or before it
    first_tok = (
        wanted.sort(by, "start")
        .join_asof(
            toks.sort(by, "t_start").select(by, "t_start", "_first", "_initial", "_question"),
            left_on="start",
            right_on="t_start",
            by=by,
            strategy="forward",
            check_sortedness=False,
        )
        .select("_row", "_first", "_initial", "_question")
    )
    last_tok = (
        wanted.sort(by, "end")
        .join_asof(
            toks.sort(by, "t_end").select(by, "t_end", pl.col("_last")),
            left_on="end",
            right_on="t_end",
            by=by,
            strategy="backward",
            check_sortedness=False,
        )
        .select("_row", "_last")
    )
    placed = wanted.join(first_tok, on="_row", how="left").join(last_tok, on="_row", how="left").sort("_row")
    ok = (
        pl.when(pl.col("position") == "sentence-start")
        .then(pl.col("_first"))
        .when(pl.col("position") == "sentence-end")
        .then(pl.col("_last"))
        .when(pl.col("position") == "inside")
        .then(~pl.col("_initial"))
        .otherwise(pl.lit(True))
        .fill_null(False)
    )
    ok = ok & (~pl.col("question") | pl.col("_question").fill_null(False))
    alone = pl.col("_first").fill_null(False) & pl.col("_last").fill_null(False)
    ok = ok & (pl.col("whole") | ~alone)
    return placed.select(ok.alias("ok"))["ok"]
