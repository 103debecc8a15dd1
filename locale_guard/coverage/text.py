"""Text keys for comparing utterances: normalised forms and n-gram tokens, as polars expressions.

Two utterances that differ only in case, punctuation or spacing ("Wake me up at 7!" and
"wake me up at 7") teach a model nothing new and, in train and test, inflate its scores, so
duplicates, conflicts and leaks compare the normalised form. Normalisation is NFKC first so
full-width and compatibility characters (common in CJK data) compare equal too.
"""

from __future__ import annotations

import polars as pl

#: languages written without spaces between words: n-grams are taken over characters
UNSEGMENTED_LANGUAGES = frozenset({"ja", "zh", "th", "lo", "km", "my", "bo", "yue", "wuu"})

#: punctuation, symbols and spaces: one pass replaces them all with a single space
_SEPARATORS = r"[\p{P}\p{S}\s]+"


def normalised(text: pl.Expr, *, ascii_only: bool = False) -> pl.Expr:
    """``text`` in NFKC, lower case, punctuation and symbols dropped, spaces collapsed.

    ``ascii_only`` skips NFKC, which changes no ASCII text and is the costliest step.
    """
    if not ascii_only:
        text = text.str.normalize("NFKC")
    return text.str.to_lowercase().str.replace_all(_SEPARATORS, " ").str.strip_chars()


def with_normalised(frame: pl.LazyFrame, text: str = "text", out: str = "_norm") -> pl.LazyFrame:
    """``frame`` with column ``out`` = :func:`normalised` ``text``; ASCII-only rows (a byte per
    character) take the path without NFKC. Row order changes: sort afterwards if it matters."""
    ascii_row = pl.col(text).str.len_bytes() == pl.col(text).str.len_chars()
    return pl.concat(
        [
            frame.filter(ascii_row).with_columns(normalised(pl.col(text), ascii_only=True).alias(out)),
            frame.filter(~ascii_row).with_columns(normalised(pl.col(text)).alias(out)),
        ],
        how="vertical",
    )


def unsegmented(locales: list[str]) -> list[str]:
    """Those of ``locales`` whose language does not separate words with spaces."""
    return [loc for loc in locales if loc.split("-", 1)[0].lower() in UNSEGMENTED_LANGUAGES]


def tokens(frame: pl.LazyFrame, locales: list[str], norm: str = "_norm") -> pl.LazyFrame:
    """``frame`` with ``_tok``: the words of its normalised text, or its characters for
    languages written without spaces. The two kinds of rows are tokenised apart, so each row
    pays only for its own kind; empty tokens are dropped later, after exploding."""
    chars = unsegmented(locales)
    spaced = frame.filter(~pl.col("locale").is_in(chars)).with_columns(pl.col(norm).str.split(" ").alias("_tok"))
    if not chars:
        return spaced
    unspaced = frame.filter(pl.col("locale").is_in(chars)).with_columns(
        pl.col(norm).str.replace_all(" ", "", literal=True).str.split("").alias("_tok")
    )
    return pl.concat([spaced, unspaced], how="vertical")
