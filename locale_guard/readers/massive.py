"""MASSIVE JSON Lines: Amazon's 1M-utterance, 52-locale NLU training data.

Each line is one utterance::

    {"id": "0", "locale": "en-US", "partition": "test", "scenario": "alarm",
     "intent": "alarm_set", "utt": "wake me up at five am this week",
     "annot_utt": "wake me up at [time : five am] [date : this week]", "worker_id": "1"}

Records get ``record_id`` and ``key`` = ``id`` (MASSIVE ids are parallel across locales, so the
engine pairs each translation with its en-US original), the record's own ``locale`` (``sl-SL``
is left for the engine to canonicalise), ``partition``, ``scenario``, ``intent``,
``text`` = ``utt``, ``kind`` = ``utterance`` and ``slots`` parsed from ``annot_utt``: one
``{type, value, start, end}`` per ``[type : value]``, with character offsets into ``utt``.
Records without ``annot_utt`` have null slots; unmatched brackets are left as text, so a record
keeps the slots that did parse.

The whole file is parsed with vectorised polars expressions: a slot's offset is where it lands
once every bracket before it is replaced by its value, which is checked against ``utt``. Only
records where that check fails (``utt`` spelled differently from ``annot_utt``) are redone in
Python, finding each value in ``utt`` after the previous one; a value that is not there gets
null offsets, which the coverage checks report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import polars as pl

from locale_guard.readers.base import InputError, Reader, ReadRequest
from locale_guard.readers.tabular import read_jsonl_fields
from locale_guard.records import SLOT_DTYPE, conform

FIELDS = ("id", "locale", "partition", "scenario", "intent", "utt", "annot_utt")

#: ``[slot_type : value]``: a type (no brackets or colon, not blank), a colon, a value (no
#: brackets, may be empty); type and value are the stripped text either side of the colon.
#: Without capture groups, so polars matches and replaces it with its fast regex engine.
SLOT_PATTERN = r"\[\s*[^\[\]:\s][^\[\]:]*:[^\[\]]*\]"
_SLOT_RE = re.compile(SLOT_PATTERN)

#: stands in for each slot while offsets are computed; rows containing it take the slow path
_MARK = "\x1e"

#: record flag for an ``annot_utt`` with brackets that are not ``[type : value]`` slots
MALFORMED_FLAG = "malformed-annotation"

_KEY_RE = re.compile(rb'"(utt|annot_utt|intent)"\s*:')


# ----------------------------------------------------------------------------------- sniffing


def sniff(path: Path, head: bytes) -> bool:
    """A first JSON object with ``utt`` and ``annot_utt`` or ``intent`` keys."""
    line = next((ln for ln in head.lstrip(b"\xef\xbb\xbf").split(b"\n") if ln.strip()), b"")
    try:
        first = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        # a first line longer than the sniffed bytes: look at its keys instead
        keys = {m.group(1) for m in _KEY_RE.finditer(line)}
        return b"utt" in keys and bool(keys & {b"annot_utt", b"intent"})
    return isinstance(first, dict) and "utt" in first and ("annot_utt" in first or "intent" in first)


# ------------------------------------------------------------------------------ slot parsing


def _type_and_value(match: str) -> tuple[str, str]:
    slot_type, _, value = match[1:-1].partition(":")
    return slot_type.strip(), value.strip()


def slots_of(utt: str | None, annot: str | None) -> list[dict[str, Any]] | None:
    """Slots of one record, in Python: the reference for, and fallback of, :func:`slot_column`."""
    if annot is None:
        return None
    text = utt or ""
    out: list[dict[str, Any]] = []
    removed = 0  # characters the brackets before this slot add to annot_utt
    search_from = 0
    for m in _SLOT_RE.finditer(annot):
        slot_type, value = _type_and_value(m.group(0))
        start: int | None = m.start() - removed
        removed += len(m.group(0)) - len(value)
        if text[start : start + len(value)] != value:
            found = text.find(value, search_from)
            start = found if found >= 0 else None
        end = None if start is None else start + len(value)
        if end is not None:
            search_from = end
        out.append({"type": slot_type, "value": value, "start": start, "end": end})
    return out


def _slot_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per ``[type : value]`` of ``frame``'s ``annot_utt``: ``_row, _k, type, value, start, end``.

    Slot ``k`` starts after the plain text before it and the values of slots ``0..k-1``. The
    plain text lengths come from splitting ``annot_utt`` at its slots; the value lengths from
    the slots, exploded to one row each, summed within their record.
    """
    annot = pl.col("annot_utt")
    text_before = (
        annot.str.replace_all(SLOT_PATTERN, _MARK)
        .str.split(_MARK)
        .list.eval(pl.element().str.len_chars().cum_sum())
    )
    matches = annot.str.extract_all(SLOT_PATTERN)
    parts = pl.col("_match").str.slice(1, pl.col("_match").str.len_chars() - 2).str.splitn(":", 2)
    return (
        frame.lazy()
        .select(
            "_row",
            matches.alias("_match"),
            text_before.list.head(matches.list.len()).alias("_text"),
            pl.int_ranges(matches.list.len(), dtype=pl.Int32).alias("_k"),
        )
        .explode(["_match", "_text", "_k"])
        .filter(pl.col("_match").is_not_null())
        .with_columns(
            parts.struct.field("field_0").str.strip_chars().alias("type"),
            parts.struct.field("field_1").str.strip_chars().alias("value"),
        )
        .with_columns(pl.col("value").str.len_chars().cast(pl.Int32).alias("_len"))
        .with_columns((pl.col("_len").cum_sum() - pl.col("_len")).alias("_values"))
        .with_columns(
            (
                pl.col("_text").cast(pl.Int32)
                + pl.col("_values")
                - pl.when(pl.col("_k") == 0).then(pl.col("_values")).forward_fill()
            ).alias("start")
        )
        .select("_row", "_k", "type", "value", "start", (pl.col("start") + pl.col("_len")).alias("end"))
        .collect()
    )


def slot_column(utt: pl.Series, annot: pl.Series) -> pl.Series:
    """The ``slots`` column for parallel ``utt`` / ``annot_utt`` columns, vectorised."""
    base = pl.DataFrame({"utt": utt, "annot_utt": annot}).with_row_index("_row")
    annotated = base.filter(pl.col("annot_utt").str.contains("[", literal=True))
    fast = annotated.filter(~pl.col("annot_utt").str.contains(_MARK, literal=True))
    slots = _slot_rows(fast.select("_row", "annot_utt"))
    located = base["utt"].gather(slots["_row"]).str.slice(slots["start"], slots["end"] - slots["start"])
    wrong = slots.filter((located != slots["value"]).fill_null(True))["_row"].unique()
    slow = annotated.filter(
        ~pl.col("_row").is_in(fast["_row"].implode()) | pl.col("_row").is_in(wrong.implode())
    )
    if slow.height:
        redone = [
            {"_row": row, "_k": k, **slot}
            for row, u, a in slow.select("_row", "utt", "annot_utt").iter_rows()
            for k, slot in enumerate(slots_of(u, a) or [])
        ]
        schema = {"_row": pl.UInt32, "_k": pl.Int32, **SLOT_DTYPE.to_schema()}
        slots = pl.concat(
            [
                slots.filter(~pl.col("_row").is_in(slow["_row"].implode())).cast(schema),
                pl.DataFrame(redone, schema=schema),
            ]
        )
    per_row = slots.group_by("_row").agg(
        pl.struct(
            "type", "value", pl.col("start").cast(pl.Int32), pl.col("end").cast(pl.Int32)
        ).sort_by(pl.col("_k")).alias("slots")
    )
    empty = pl.lit([], dtype=pl.List(SLOT_DTYPE))
    aligned = (
        base.select("_row", pl.col("annot_utt").is_null().alias("_none"))
        .join(per_row, on="_row", how="left", maintain_order="left")
        .select(
            pl.when(pl.col("_none"))
            .then(pl.lit(None, dtype=pl.List(SLOT_DTYPE)))
            .otherwise(pl.col("slots").fill_null(empty))
            .alias("slots")
        )
    )
    return aligned["slots"]


# ------------------------------------------------------------------------------------ reading


def read(request: ReadRequest) -> pl.DataFrame:
    path = request.path
    frame = read_jsonl_fields(path, FIELDS)
    missing = frame.filter(pl.col("utt").is_null())
    if missing.height:
        raise InputError(path, "record has no 'utt' (the utterance text)", line=missing["line"][0])
    # brackets left over once every [type : value] is taken out, beyond those utt itself has
    residue = pl.col("annot_utt").str.replace_all(SLOT_PATTERN, "")
    malformed = pl.col("annot_utt").is_not_null() & (
        residue.str.count_matches(r"[\[\]]") != pl.col("utt").str.count_matches(r"[\[\]]")
    )
    records = frame.select(
        # ids are parallel across locales; the locale prefix keeps record ids unique in a run
        pl.concat_str([pl.col("locale").str.strip_chars(), pl.lit(":"), pl.col("id")]).alias("record_id"),
        pl.col("locale").str.strip_chars(),
        pl.lit("utterance").alias("kind"),
        pl.col("utt").alias("text"),
        pl.col("id").alias("key"),
        "intent",
        "scenario",
        slot_column(frame["utt"], frame["annot_utt"]).alias("slots"),
        pl.lit(str(path)).alias("path"),
        "line",
        "partition",
        pl.when(malformed)
        .then(pl.lit([MALFORMED_FLAG], dtype=pl.List(pl.String)))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
        .alias("flags"),
    )
    return conform(records)


READER = Reader(
    name="massive",
    extensions=(".jsonl", ".ndjson"),
    read=read,
    sniff=sniff,
    priority=10,
    description="MASSIVE NLU training data (JSON Lines with utt and annot_utt)",
)
