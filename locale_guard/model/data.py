"""Labelled data for training and evaluation, and plain text for prediction and distillation.

The labelled schema is the one ``locale-guard review export`` writes, one row per adjudicated
string, as JSON Lines, CSV/TSV or Parquet:

========================  ===================================================================
``text``                  the string (required)
``locale``                its BCP-47 tag (required; empty cells are read as ``und``)
``label_offensive``       1 / 0 (also ``true``/``false``, ``yes``/``no``), empty = not judged
``label_register``        ``formal`` / ``informal`` / ``none``, empty = not judged
others                    ``rule``, ``check``, ``decision``, ``fixed_text``, ``source_text``,
                          ``reviewer_count``, ``gold``, ``item_id``, ``fingerprint``: kept
                          out of training, allowed so an export needs no editing
========================  ===================================================================

A row may carry one label only; the loss of the other head is masked for it. Bad values are
reported with the file and the 1-based row, never guessed at.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from locale_guard.model import REGISTER_LABELS
from locale_guard.readers.base import InputError
from locale_guard.tags import LocaleTagError, normalise_tag

LABEL_COLUMNS = ("label_offensive", "label_register")

_TRUE = ("1", "true", "yes", "y", "t", "1.0")
_FALSE = ("0", "false", "no", "n", "f", "0.0")
#: a ``label_register`` of ``neutral`` is a common spelling of ``none``; anything else is refused
_REGISTER_ALIASES = {"neutral": "none"}


@dataclass(frozen=True)
class Labelled:
    """Validated labelled rows: ``text``, ``locale``, ``label_offensive`` (Int8), ``label_register``
    (String), plus ``row`` (1-based row in its file) and ``file``."""

    frame: pl.DataFrame
    #: sha256 of the input files' bytes, in the order given: identifies the training data
    sha256: str
    #: rows dropped because they had no text or neither label
    dropped: int


def read_table(path: Path) -> pl.DataFrame:
    """Read a JSONL/CSV/TSV/Parquet/JSON table with every column as polars infers it."""
    if not path.is_file():
        raise InputError(path, "no such file")
    suffix = "".join(path.suffixes[-2:]).lower() if path.suffix.lower() == ".gz" else path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"):
            return pl.read_ndjson(path, infer_schema_length=None)
        if suffix == ".json":
            return pl.read_json(path, infer_schema_length=None)
        if suffix in (".parquet", ".pq"):
            return pl.read_parquet(path)
        if suffix in (".csv", ".tsv"):
            return pl.read_csv(path, separator="\t" if suffix == ".tsv" else ",", infer_schema=False)
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(path, f"cannot read as {suffix.lstrip('.')}: {first}") from None
    raise InputError(path, "unknown table format: use .jsonl, .csv, .tsv, .parquet or .json")


def file_sha256(paths: Sequence[Path]) -> str:
    """One digest over the files' bytes, streamed, so the model can name the data it saw."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _as_text(frame: pl.DataFrame, name: str, path: Path) -> pl.Expr:
    """A label column as trimmed lower-case strings (bools as ``1``/``0``), null when absent."""
    if name not in frame.columns:
        return pl.lit(None, dtype=pl.String)
    dtype = frame.schema[name]
    if dtype.is_nested():
        raise InputError(path, f"column {name} must hold plain values, not {dtype}")
    if dtype == pl.Boolean:
        return pl.col(name).cast(pl.Int8).cast(pl.String)
    return pl.col(name).cast(pl.String).str.strip_chars().str.to_lowercase()


def _first_bad(frame: pl.DataFrame, column: str, allowed: Sequence[str]) -> tuple[int, str, int] | None:
    """(row, value, count) of the first value of ``column`` outside ``allowed`` (empty is fine)."""
    bad = frame.select("_row", column).filter(
        pl.col(column).is_not_null() & (pl.col(column) != "") & ~pl.col(column).is_in(list(allowed))
    )
    if bad.height == 0:
        return None
    return int(bad["_row"][0]), str(bad[column][0]), bad.height


def _normalise_locales(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    """Canonical tags (``de_DE`` → ``de-DE``); empty cells become ``und``; bad tags refused."""
    frame = frame.with_columns(
        pl.col("locale").cast(pl.String).str.strip_chars().replace("", None).fill_null("und")
    )
    mapping: dict[str, str] = {}
    for tag in frame["locale"].unique().to_list():
        try:
            mapping[tag] = normalise_tag(tag).tag
        except LocaleTagError as exc:
            row = frame.filter(pl.col("locale") == tag)["_row"][0]
            raise InputError(path, str(exc), line=int(row)) from None
    return frame.with_columns(pl.col("locale").replace_strict(mapping, return_dtype=pl.String))


def normalise_labelled(raw: pl.DataFrame, path: Path) -> pl.DataFrame:
    """Check one table's columns and values; return the canonical labelled columns.

    Rows keep their 1-based position in ``row`` so later messages can point at them.
    """
    missing = [c for c in ("text", "locale") if c not in raw.columns]
    if missing:
        raise InputError(
            path,
            f"missing column(s) {', '.join(missing)}; labelled data needs text, locale and "
            f"label_offensive and/or label_register (found: {', '.join(raw.columns) or 'none'})",
        )
    if not any(c in raw.columns for c in LABEL_COLUMNS):
        raise InputError(
            path,
            "no label column: add label_offensive (1/0) and/or label_register "
            "(formal/informal/none), as `locale-guard review export` writes them",
        )
    if raw.schema["text"].is_nested():
        raise InputError(path, "column text must hold strings")
    frame = raw.with_row_index("_row", offset=1).with_columns(
        _as_text(raw, "label_offensive", path).alias("_off"),
        _as_text(raw, "label_register", path).replace(_REGISTER_ALIASES).alias("_reg"),
        pl.col("text").cast(pl.String),
    )
    bad = _first_bad(frame, "_off", _TRUE + _FALSE)
    if bad:
        raise InputError(path, f"label_offensive must be 1, 0 or empty, not {bad[1]!r} ({bad[2]} such row(s))", line=bad[0])
    bad = _first_bad(frame, "_reg", REGISTER_LABELS)
    if bad:
        raise InputError(
            path, f"label_register must be formal, informal, none or empty, not {bad[1]!r} ({bad[2]} such row(s))", line=bad[0]
        )
    frame = _normalise_locales(frame, path)
    return frame.select(
        pl.col("text"),
        pl.col("locale"),
        pl.when(pl.col("_off").is_in(_TRUE)).then(pl.lit(1, dtype=pl.Int8))
        .when(pl.col("_off").is_in(_FALSE)).then(pl.lit(0, dtype=pl.Int8))
        .otherwise(pl.lit(None, dtype=pl.Int8))
        .alias("label_offensive"),
        pl.when(pl.col("_reg").is_in(REGISTER_LABELS)).then(pl.col("_reg")).otherwise(None).alias("label_register"),
        pl.col("_row").cast(pl.Int64).alias("row"),
        pl.lit(str(path)).alias("file"),
    )


def load_labelled(paths: Sequence[Path]) -> Labelled:
    """Read and validate labelled files; rows without text or without any label are dropped."""
    if not paths:
        raise InputError("-", "no labelled data given")
    frames = [normalise_labelled(read_table(Path(p)), Path(p)) for p in paths]
    frame = pl.concat(frames, how="vertical")
    usable = frame.filter(
        pl.col("text").is_not_null()
        & (pl.col("text").str.strip_chars() != "")
        & (pl.col("label_offensive").is_not_null() | pl.col("label_register").is_not_null())
    )
    if usable.height == 0:
        where = str(paths[0]) if len(paths) == 1 else f"{paths[0]} (and {len(paths) - 1} more)"
        raise InputError(where, "no labelled rows: every row lacks text or has neither label_offensive nor label_register")
    return Labelled(usable, file_sha256([Path(p) for p in paths]), frame.height - usable.height)


def split_validation(frame: pl.DataFrame, fraction: float, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A held-out split, stratified by locale and labels, with no text on both sides.

    Rows are grouped by their lower-cased text first (exports repeat strings, and a duplicate on
    both sides would make validation scores and thresholds optimistic). Within each stratum
    (locale × offensive label × register label) every k-th text is taken after a seeded shuffle,
    starting at a random phase, so each stratum gives ``fraction`` of its texts, rounded up or
    down at random, and small locales are represented too.
    """
    if not 0.0 < fraction < 1.0:
        raise ValueError("fraction must be between 0 and 1")
    keyed = frame.with_columns(pl.col("text").str.strip_chars().str.to_lowercase().alias("_unit"))
    units = (
        keyed.group_by("_unit", maintain_order=True)
        .agg(pl.col("locale").first(), pl.col("label_offensive").first(), pl.col("label_register").first())
        .sample(fraction=1.0, shuffle=True, seed=seed)
    )
    strata = ["locale", "label_offensive", "label_register"]
    phase = (pl.struct(strata).hash(seed) % 1_000_003).cast(pl.Float64) / 1_000_003.0
    pos = pl.int_range(pl.len()).over(strata).cast(pl.Float64)
    take = ((pos + 1.0) * fraction + phase).floor() > (pos * fraction + phase).floor()
    chosen = units.filter(take)["_unit"]
    valid = keyed.filter(pl.col("_unit").is_in(chosen.implode())).drop("_unit")
    train = keyed.filter(~pl.col("_unit").is_in(chosen.implode())).drop("_unit")
    return train, valid


def texts_from_inputs(paths: Sequence[Path], locale: str | None = None, config=None):
    """Records from catalogs, training data or tables of texts, read as ``check`` reads them.

    Returns ``(records, problems)``: records with text and locale (empty texts removed) and the
    inputs that could not be read, so the CLI can report them the way ``check`` does.
    """
    from locale_guard.config import Config
    from locale_guard.engine import RunOptions, read_inputs

    records, _files, errors, _warnings = read_inputs(
        RunOptions(paths=[Path(p) for p in paths], locale=locale), config or Config()
    )
    records = records.filter(pl.col("text").is_not_null() & (pl.col("text").str.strip_chars() != ""))
    return records, errors
