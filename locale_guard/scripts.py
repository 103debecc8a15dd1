"""Unicode scripts of whole strings and of locales, as ISO 15924 codes.

Which script a locale writes comes from CLDR (likely subtags through Babel: ``ru`` → ``Cyrl``,
``ja`` → ``Jpan``), not from a hand-written table. ISO 15924 also has *compound* codes that name a
writing system made of several Unicode scripts (Japanese is Han + Hiragana + Katakana); only
those few are spelled out here, because Unicode's script property knows nothing about them.

Matching is done with polars' Rust regex engine, whose ``\\p{Xxxx}`` classes accept the ISO 15924
short names of Unicode scripts, so a script test over a whole record column is one vectorised
pass with no Python loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import polars as pl

#: ISO 15924 codes for writing systems that combine (or are variants of) Unicode scripts.
COMPOUND_SCRIPTS: dict[str, tuple[str, ...]] = {
    "Jpan": ("Hani", "Hira", "Kana"),
    "Kore": ("Hang", "Hani"),
    "Hans": ("Hani",),
    "Hant": ("Hani",),
    "Hanb": ("Hani", "Bopo"),
    "Jamo": ("Hang",),
    "Latf": ("Latn",),
    "Latg": ("Latn",),
    "Aran": ("Arab",),
    "Syre": ("Syrc",),
    "Syrj": ("Syrc",),
    "Syrn": ("Syrc",),
    "Geok": ("Geor",),
}

#: Scripts that are never "foreign": punctuation, digits, symbols, combining marks.
NEUTRAL_SCRIPTS = ("Zyyy", "Zinh")

#: Scripts written without spaces between words, where counting words says nothing.
UNSPACED_SCRIPTS = ("Hani", "Hira", "Kana", "Thai", "Laoo", "Khmr", "Mymr", "Tibt")

#: one letter, and one word (a letter run with its combining marks: Devanagari vowel signs)
LETTER = r"\p{L}"
WORD = r"\p{L}[\p{L}\p{M}]*"


@lru_cache(maxsize=512)
def is_unicode_script(code: str) -> bool:
    """True if ``code`` is a Unicode script the regex engine knows (``Latn`` yes, ``Zsye`` no)."""
    if len(code) != 4 or not code.isalpha():
        return False
    try:
        pl.Series([""]).str.contains(rf"\p{{{code}}}")
    except pl.exceptions.ComputeError:
        return False
    return True


def expand(codes: Iterable[str]) -> tuple[str, ...]:
    """Unicode scripts behind ISO 15924 codes, compound codes expanded, order kept."""
    out: list[str] = []
    for code in codes:
        for part in COMPOUND_SCRIPTS.get(code, (code,)):
            if part not in out and is_unicode_script(part):
                out.append(part)
    return tuple(out)


@lru_cache(maxsize=1024)
def cldr_script(tag: str) -> str | None:
    """The ISO 15924 code CLDR expects for ``tag`` (``sr-Latn`` → ``Latn``, ``zh-TW`` → ``Hant``).

    An explicit script subtag wins; otherwise the likely-subtags table is tried from the most
    specific key (language_REGION) to the language alone.
    """
    from babel.core import get_global

    parts = tag.replace("_", "-").split("-")
    explicit = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if explicit:
        return explicit
    lang = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 or (len(p) == 3 and p.isdigit())), None)
    likely = get_global("likely_subtags")
    for key in ([f"{lang}_{region}"] if region else []) + [lang]:
        value = likely.get(key)
        if value:
            found = [p for p in value.split("_")[1:] if len(p) == 4]
            if found:
                return found[0]
    return None


def locale_scripts(tag: str, declared: Iterable[str] | None = None) -> tuple[str, ...]:
    """Unicode scripts a locale writes in: ``declared`` (a profile's ``scripts``) or CLDR's."""
    if declared:
        return expand(declared)
    code = cldr_script(tag)
    return expand([code]) if code else ()


def script_name(code: str) -> str:
    """English name of a script for messages (``Cyrl`` → ``Cyrillic``)."""
    from babel import Locale

    return Locale.parse("en").scripts.get(code, code)


def class_of(scripts: Iterable[str]) -> str:
    """A regex class body matching any letter of ``scripts`` (``\\p{Latn}\\p{Cyrl}``)."""
    return "".join(rf"\p{{{s}}}" for s in scripts)


def foreign_letter_pattern(allowed: Iterable[str]) -> str:
    """Regex for one letter outside ``allowed`` scripts (neutral scripts always allowed)."""
    keep = class_of((*allowed, *NEUTRAL_SCRIPTS))
    return rf"[\p{{L}}--[{keep}]]"


def script_counts(expr: pl.Expr, scripts: Iterable[str]) -> list[pl.Expr]:
    """One ``_sc_<code>`` column per script: how many letters of the string are in it."""
    return [expr.str.count_matches(rf"\p{{{s}}}").alias(f"_sc_{s}") for s in scripts]


@lru_cache(maxsize=1)
def known_scripts() -> tuple[str, ...]:
    """Every Unicode script CLDR associates with some language, Latin first."""
    from babel.core import get_global

    codes: set[str] = set()
    for value in get_global("likely_subtags").values():
        codes.update(p for p in value.split("_")[1:] if len(p) == 4)
    scripts = set(expand(sorted(codes)))
    return ("Latn", *sorted(scripts - {"Latn"}))


def scripts_of(texts: pl.Series, candidates: Iterable[str] | None = None) -> pl.Series:
    """For each string, the scripts its letters are written in, most letters first.

    ``candidates`` limits the scripts tested (default: all :func:`known_scripts`); letters in
    none of them are ignored. Returns a list-of-strings series aligned with ``texts``.
    """
    codes = tuple(candidates) if candidates is not None else known_scripts()
    frame = pl.DataFrame({"t": texts.cast(pl.String)}).with_columns(script_counts(pl.col("t"), codes))
    if not codes:
        return pl.Series(texts.name, [[] for _ in range(frame.height)], dtype=pl.List(pl.String))
    counts = frame.select(
        pl.concat_list(
            [pl.struct(pl.lit(c).alias("s"), pl.col(f"_sc_{c}").alias("n")) for c in codes]
        ).alias("c")
    )
    by_count = pl.element().sort_by(pl.element().struct.field("n"), descending=True, maintain_order=True)
    ordered = counts.select(
        pl.col("c")
        .list.eval(by_count)
        .list.eval(pl.element().filter(pl.element().struct.field("n") > 0).struct.field("s"))
        .alias(texts.name or "scripts")
    )
    return ordered.to_series()


def dominant_script(text: str) -> str | None:
    """The script most letters of ``text`` are written in, or None for a string without letters."""
    found = scripts_of(pl.Series([text])).item()
    return found[0] if len(found) else None
