"""Tables of strings: CSV, TSV, JSON Lines and Parquet, read with polars so big files stream.

Training data and translation exports are often tables with one string per row. Column names
differ between teams, so the columns that hold the record fields are found by common names
(``text``/``utterance``/``utt``/``sentence``/``message``, ``locale``/``lang``/``language``,
``key``/``id``/``string_id``, ``intent``/``label``, ``scenario``/``domain``, ``kind``,
``partition``/``split``) or set in the config::

    [readers.csv]
    columns = { text = "utterance", locale = "lang", intent = "label" }
    separator = ";"        # CSV only; TSV is always tab-separated
    quote = "'"            # quoting character; "" turns quoting off (the TSV default)

The reader is named ``csv`` so that ``[readers.csv]`` configures every table format.

Semantics worth knowing:

* A row's own locale column wins; rows without one (or an empty cell) get the locale of the
  path or ``--locale`` from the engine.
* ``kind`` comes from a ``kind`` column when there is one (``response`` or ``utterance``);
  otherwise every row is an ``utterance`` when the table has an intent column (it is training
  data) and a ``response`` when it has not (it is a catalog of things the assistant says).
* ``line`` is the physical line a row starts on: CSV/TSV count the header and any line breaks
  inside quoted cells; JSON Lines count blank lines; Parquet has no lines, so ``line`` is the
  1-based row number.
* Rows repeating a key are variants of it (``variant`` counts them from 0 per locale and key).
* CSV/TSV files up to the text-format size limit are validated row by row first (ragged rows,
  bad quoting, invalid UTF-8 give an error with the line). Larger files stream through polars
  without that pass: polars still rejects long rows, broken quoting and bad UTF-8, and the line
  is then found by a streaming scan, but a row with too *few* cells is read with empty cells.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from locale_guard.readers.base import InputError, Reader, ReadRequest
from locale_guard.records import KINDS, conform, empty_records

#: record field → column names that mean it, matched case-insensitively, first found wins
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "utterance", "utt", "sentence", "message"),
    "locale": ("locale", "lang", "language"),
    "key": ("key", "id", "string_id"),
    "intent": ("intent", "label"),
    "scenario": ("scenario", "domain"),
    "kind": ("kind",),
    "partition": ("partition", "split"),
}

#: fields a ``columns`` option may map (the record columns a table can sensibly carry)
MAPPABLE = (*DEFAULT_COLUMNS, "record_id", "source_text", "plural")

#: how many JSON Lines are parsed up front to learn the field names
_JSONL_SAMPLE_LINES = 1000

_UTF16_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

#: a separator JSON text can never contain unescaped, so a line is one CSV field
_NO_SEPARATOR = "\x1f"


# ------------------------------------------------------------------------------ shared helpers


def _first_error_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unreadable"


def check_streamable(path: Path) -> None:
    """Fail early, clearly, on files a streaming UTF-8 reader cannot take."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if head.startswith(_UTF16_BOMS):
        raise InputError(path, "is UTF-16/32; line-based formats must be UTF-8: re-save the file as UTF-8")
    if b"\x00" in head:
        # binary or UTF-16 without a BOM: refused before a streaming parse spends time on it
        raise InputError(path, "looks like a binary file (NUL bytes), not a text table")


def _iter_binary_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as fh:
        yield from enumerate(fh, start=1)


def _decode_line(path: Path, number: int, raw: bytes) -> str:
    """One line without its line break, or an error saying where it is not UTF-8."""
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"not valid UTF-8 at byte {exc.start} of the line: {raw[exc.start:exc.start + 1]!r}; "
            "re-save the file as UTF-8",
            line=number,
        ) from None


def json_line_problem(value: Any, fields: Sequence[str]) -> str | None:
    """What makes one decoded JSON Lines value unusable as a record, or None."""
    if not isinstance(value, dict):
        return f"each line must be a JSON object, this one is {type(value).__name__}"
    for name in fields:
        if isinstance(value.get(name), dict | list):
            return f"field '{name}' holds a JSON {type(value[name]).__name__}, expected text"
    return None


def locate_jsonl_error(path: Path, fields: Sequence[str], fallback: str) -> InputError:
    """Find the first line polars refused, by a streaming scan (runs only after an error)."""
    for number, raw in _iter_binary_lines(path):
        text = _decode_line(path, number, raw)
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            return InputError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", line=number)
        problem = json_line_problem(value, fields)
        if problem:
            return InputError(path, problem, line=number)
    return InputError(path, f"cannot read as JSON Lines: {_first_error_line(fallback)}")


def read_jsonl_fields(path: Path, fields: Sequence[str]) -> pl.DataFrame:
    """JSON Lines → frame of ``line`` (Int32, 1-based) plus ``fields`` as strings.

    Each physical line is read as one string (so blank lines keep their place and line numbers
    stay exact) and decoded by polars into a struct of just the wanted fields; other keys are
    skipped without being materialised. Numbers and booleans become strings; absent keys null.
    """
    check_streamable(path)
    dtype = pl.Struct({name: pl.String for name in fields})
    lines = pl.scan_csv(
        path,
        has_header=False,
        separator=_NO_SEPARATOR,
        quote_char=None,
        schema={"raw": pl.String},
        raise_if_empty=False,
    ).with_row_index("line", offset=1)
    query = (
        lines.filter(pl.col("raw").str.strip_chars().str.len_bytes() > 0)
        .select(pl.col("line").cast(pl.Int32), pl.col("raw").str.json_decode(dtype).alias("_obj"))
    )
    try:
        frame = query.collect(engine="streaming")
    except pl.exceptions.PolarsError as exc:
        raise locate_jsonl_error(path, fields, str(exc)) from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    nulls = frame.filter(pl.col("_obj").is_null())
    if nulls.height:
        raise InputError(path, "each line must be a JSON object, this one is null", line=nulls["line"][0])
    return frame.unnest("_obj") if fields else frame.drop("_obj")


def sample_jsonl_keys(path: Path, limit: int = _JSONL_SAMPLE_LINES) -> list[str]:
    """Field names of the first ``limit`` objects, in first-seen order."""
    check_streamable(path)
    seen: dict[str, None] = {}
    try:
        lines = _iter_binary_lines(path)
        for number, raw in itertools.islice(lines, limit):
            text = _decode_line(path, number, raw)
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", line=number) from None
            if not isinstance(value, dict):
                raise InputError(
                    path, f"each line must be a JSON object, this one is {type(value).__name__}", line=number
                )
            seen.update(dict.fromkeys(value))
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    return list(seen)


# ------------------------------------------------------------------------------ column mapping


def resolve_columns(path: Path, available: Sequence[str], options: Mapping[str, Any]) -> dict[str, str]:
    """Record field → column of this table, from the ``columns`` option and then default names."""
    configured = options.get("columns") or {}
    if not isinstance(configured, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in configured.items()
    ):
        raise InputError(path, 'reader option "columns" must map record fields to column names')
    unknown = sorted(set(configured) - set(MAPPABLE))
    if unknown:
        raise InputError(
            path, f"reader option columns: unknown field(s) {', '.join(unknown)}; known: {', '.join(MAPPABLE)}"
        )
    shown = ", ".join(available) if available else "(none)"
    mapping: dict[str, str] = {}
    for field, column in configured.items():
        if column not in available:
            raise InputError(path, f"column '{column}' (configured for {field}) is not in the file; columns: {shown}")
        mapping[field] = column
    by_lower = {c.strip().lower(): c for c in reversed(available)}
    taken = set(mapping.values())
    for field, names in DEFAULT_COLUMNS.items():
        if field in mapping:
            continue
        for name in names:
            column = by_lower.get(name)
            if column is not None and column not in taken:
                mapping[field] = column
                taken.add(column)
                break
    if "text" not in mapping:
        raise InputError(
            path,
            f"no text column: name one {', '.join(DEFAULT_COLUMNS['text'])} or set "
            f'[readers.csv] columns = {{text = "..."}}; columns here: {shown}',
        )
    return mapping


def to_records(path: Path, frame: pl.DataFrame, mapping: Mapping[str, str]) -> pl.DataFrame:
    """Rename mapped columns to record fields, apply kind/variant defaults, validate kinds.

    ``frame`` holds ``line`` plus the mapped source columns (as strings).
    """
    if frame.height == 0:
        return empty_records()
    selected = [pl.col("line").cast(pl.Int32)]
    for field, column in mapping.items():
        expr = pl.col(column).cast(pl.String)
        if field == "text":
            expr = expr.fill_null("")
        elif field != "source_text":
            # an empty cell says nothing: the engine fills the locale, the kind gets its default
            expr = pl.when(expr.str.strip_chars() == "").then(None).otherwise(expr.str.strip_chars())
        selected.append(expr.alias(field))
    out = frame.select(selected)
    default_kind = "utterance" if "intent" in mapping else "response"
    if "kind" in out.columns:
        out = out.with_columns(pl.col("kind").str.to_lowercase().fill_null(default_kind))
        bad = out.filter(~pl.col("kind").is_in(KINDS))
        if bad.height:
            raise InputError(
                path,
                f"kind '{bad['kind'][0]}' in column '{mapping['kind']}' is not one of {', '.join(KINDS)}",
                line=bad["line"][0],
            )
    else:
        out = out.with_columns(pl.lit(default_kind).alias("kind"))
    if "key" in out.columns:
        group = ["locale", "key"] if "locale" in out.columns else ["key"]
        out = out.with_columns(
            pl.when(pl.col("key").is_not_null())
            .then(pl.col("key").cum_count().over(group) - 1)
            .cast(pl.Int32)
            .alias("variant")
        )
    return conform(out.with_columns(pl.lit(str(path)).alias("path")))


# ----------------------------------------------------------------------------------- CSV / TSV


def _csv_dialect(path: Path, options: Mapping[str, Any]) -> tuple[str, str | None]:
    tsv = path.name.lower().endswith(".tsv")
    separator = "\t" if tsv else options.get("separator", ",")
    quote = options.get("quote", None if tsv else '"')
    if not isinstance(separator, str) or len(separator) != 1:
        raise InputError(path, 'reader option "separator" must be one character')
    if quote == "":
        quote = None
    if quote is not None and (not isinstance(quote, str) or len(quote) != 1):
        raise InputError(path, 'reader option "quote" must be one character, or "" for none')
    return separator, quote


def validate_csv(path: Path, separator: str, quote: str | None) -> None:
    """Stream the file through Python's strict csv parser; raise at the first bad row."""
    for number, raw in _iter_binary_lines(path):
        _decode_line(path, number, raw)
    options: dict[str, Any] = {"delimiter": separator, "strict": True}
    if quote is None:
        options["quoting"] = csv.QUOTE_NONE
    else:
        options["quotechar"] = quote
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, **options)
        width: int | None = None
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(path, f"bad CSV quoting: {exc}", line=start) from None
            if not row:
                continue
            if width is None:
                width = len(row)
            elif len(row) != width:
                raise InputError(
                    path, f"row has {len(row)} cells, the header has {width}", line=start
                )


def _read_csv(request: ReadRequest) -> pl.DataFrame:
    path = request.path
    check_streamable(path)
    separator, quote = _csv_dialect(path, request.options)
    size = path.stat().st_size
    if size == 0:
        return empty_records()
    validated = size <= request.max_bytes
    if validated:
        validate_csv(path, separator, quote)
    scan_options: dict[str, Any] = {
        "separator": separator,
        "quote_char": quote,
        "infer_schema": False,
        "raise_if_empty": False,
    }
    try:
        available = pl.scan_csv(path, **scan_options).collect_schema().names()
    except pl.exceptions.PolarsError as exc:
        if not validated:
            validate_csv(path, separator, quote)
        raise InputError(path, f"cannot read as CSV: {_first_error_line(str(exc))}") from None
    if not available:
        return empty_records()
    mapping = resolve_columns(path, available, request.options)
    # a row starts after the header and every line break inside earlier quoted cells
    breaks = pl.sum_horizontal(
        [pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in available]
    )
    blank = pl.all_horizontal([pl.col(c).is_null() for c in available])
    query = (
        pl.scan_csv(path, **scan_options)
        .with_row_index("_row")
        .with_columns(breaks.cast(pl.Int64).alias("_breaks"), blank.alias("_blank"))
        .with_columns((pl.col("_row") + 2 + pl.col("_breaks").cum_sum() - pl.col("_breaks")).alias("line"))
        .filter(~pl.col("_blank"))
        .select("line", *sorted(set(mapping.values())))
    )
    try:
        frame = query.collect(engine="streaming")
    except pl.exceptions.PolarsError as exc:
        if not validated:
            validate_csv(path, separator, quote)
        raise InputError(path, f"cannot read as CSV: {_first_error_line(str(exc))}") from None
    has_nul = pl.any_horizontal(
        [pl.col(c).str.contains("\x00", literal=True).fill_null(False) for c in set(mapping.values())]
    )
    with_nul = frame.filter(has_nul)
    if with_nul.height:
        raise InputError(path, "contains a NUL character", line=int(with_nul["line"][0]))
    return to_records(path, frame, mapping)


# ------------------------------------------------------------------------------- JSONL, Parquet


def _read_jsonl(request: ReadRequest) -> pl.DataFrame:
    path = request.path
    available = sample_jsonl_keys(path)
    if not available:
        return empty_records()
    mapping = resolve_columns(path, available, request.options)
    frame = read_jsonl_fields(path, sorted(set(mapping.values())))
    return to_records(path, frame, mapping)


def _read_parquet(request: ReadRequest) -> pl.DataFrame:
    path = request.path
    try:
        scan = pl.scan_parquet(path)
        schema = scan.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(path, f"not a readable Parquet file: {_first_error_line(str(exc))}") from None
    available = schema.names()
    mapping = resolve_columns(path, available, request.options)
    for column in set(mapping.values()):
        if isinstance(schema[column], pl.List | pl.Array | pl.Struct | pl.Binary):
            raise InputError(path, f"column '{column}' holds {schema[column]}, expected text")
    query = scan.with_row_index("line", offset=1).select(
        "line", *[pl.col(c).cast(pl.String) for c in sorted(set(mapping.values()))]
    )
    try:
        frame = query.collect(engine="streaming")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(path, f"cannot read Parquet: {_first_error_line(str(exc))}") from None
    return to_records(path, frame, mapping)


def read(request: ReadRequest) -> pl.DataFrame:
    name = request.path.name.lower()
    if name.endswith(".parquet"):
        return _read_parquet(request)
    if name.endswith((".jsonl", ".ndjson")):
        return _read_jsonl(request)
    return _read_csv(request)


READER = Reader(
    name="csv",
    extensions=(".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"),
    read=read,
    priority=0,
    description="tables (CSV, TSV, JSON Lines, Parquet) with configurable columns",
)

__all__ = [
    "DEFAULT_COLUMNS",
    "READER",
    "check_streamable",
    "locate_jsonl_error",
    "read_jsonl_fields",
    "resolve_columns",
    "sample_jsonl_keys",
    "to_records",
    "validate_csv",
]
