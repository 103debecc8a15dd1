"""Lemma lookup tables from spacy-lookups-data, as polars frames for a vectorised join.

spaCy's lookup lemmatizer maps a word form to its lemma with a plain table (``Häuser`` →
``Haus``). Running it token by token through a pipeline costs a Python call per token; reading
the same table once and joining it against all tokens of a run does the same work in one pass.

Some languages ship one table per part of speech (Italian, Polish, Irish). Without a tagger the
part of speech is unknown, so those tables are merged, nouns first: a form that is both a noun
and a verb form gets its noun lemma, the commoner reading in assistant content.
"""

from __future__ import annotations

import gzip
import json
import os
from functools import lru_cache
from pathlib import Path

import polars as pl

#: merge order for per-part-of-speech tables (the first table that has a form wins)
_POS_ORDER = ("noun", "propn", "verb", "aux", "adj", "adv", "pron", "det", "adp", "num", "part", "other")

#: spaCy data uses some language codes that differ from CLDR's
SPACY_LANGUAGE = {"no": "nb", "fil": "tl"}


def _data_dir() -> Path | None:
    try:
        import spacy_lookups_data
    except ImportError:
        return None
    return Path(spacy_lookups_data.__file__).parent / "data"


def _read_json(path: Path) -> dict[str, str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def _cache_file(lang: str) -> Path | None:
    """Where a converted table is kept: reading JSON costs seconds, Parquet milliseconds."""
    try:
        from spacy_lookups_data import __version__ as version
    except ImportError:
        return None
    from locale_guard.cache import cache_dir

    return cache_dir() / "lemmas" / f"{lang}-{version}.parquet"


@lru_cache(maxsize=64)
def lemma_table(language: str) -> pl.DataFrame | None:
    """``form → lemma`` for ``language`` (columns ``form``, ``lemma``), or None without data."""
    folder = _data_dir()
    if folder is None:
        return None
    lang = SPACY_LANGUAGE.get(language, language)
    cached = _cache_file(lang)
    if cached is not None and cached.is_file():
        try:
            return pl.read_parquet(cached)
        except Exception:  # a damaged cache file is rebuilt below
            pass
    table = _build_table(folder, lang)
    if table is not None and cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            table.write_parquet(tmp)
            tmp.replace(cached)
        except OSError:  # read-only home: keep working, just slower next time
            pass
    return table


def _build_table(folder: Path, lang: str) -> pl.DataFrame | None:
    files = sorted(folder.glob(f"{lang}_lemma_lookup.json*"))
    if not files:
        by_pos = {p.name.split("_lemma_lookup_")[1].split(".")[0]: p for p in folder.glob(f"{lang}_lemma_lookup_*.json*")}
        files = [by_pos[pos] for pos in _POS_ORDER if pos in by_pos]
        files += [p for pos, p in sorted(by_pos.items()) if pos not in _POS_ORDER]
    if not files:
        return None
    merged: dict[str, str] = {}
    for path in files:
        for form, lemma in _read_json(path).items():
            merged.setdefault(form, lemma)
    return pl.DataFrame(
        {"form": list(merged), "lemma": list(merged.values())},
        schema={"form": pl.String, "lemma": pl.String},
    )


def has_lemmas(language: str) -> bool:
    return lemma_table(language) is not None


def lookup_lemmas(forms: pl.Series, language: str) -> pl.Series:
    """The lemma of each form, or null where the table has none (or there is no table).

    Like spaCy's lookup lemmatizer the exact form is tried first (German nouns are
    capitalised in the table); a sentence-initial capital is then retried in lower case.
    """
    table = lemma_table(language)
    if table is None or forms.len() == 0:
        return pl.Series(forms.name, [None] * forms.len(), dtype=pl.String)
    frame = pl.DataFrame({"form": forms.cast(pl.String)}).with_row_index("_i")
    # cut the table (millions of forms for Polish) down to the forms present before joining
    wanted = pl.concat([frame["form"], frame["form"].str.to_lowercase()]).unique()
    table = table.join(pl.DataFrame({"form": wanted}), on="form", how="semi")
    exact = frame.join(table, on="form", how="left")
    lower = (
        frame.with_columns(pl.col("form").str.to_lowercase())
        .join(table, on="form", how="left")
        .rename({"lemma": "_lower"})
    )
    out = (
        exact.join(lower.select("_i", "_lower"), on="_i", how="left")
        .sort("_i")
        .select(pl.coalesce("lemma", "_lower").alias(forms.name))
    )
    return out.to_series()
