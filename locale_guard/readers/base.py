"""What every reader shares: the request it gets, the error it raises, and safe text decoding.

A reader is one module in :mod:`locale_guard.readers` defining ``READER = Reader(...)``. It gets
a :class:`ReadRequest` and returns a record frame (see :mod:`locale_guard.records`), or raises
:class:`InputError` with a message a content writer can act on. Readers never print and never
exit: the engine reports the error, marks the run as exit 2 and goes on with other files.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

#: Files above this size are refused with a message rather than read into memory. Formats that
#: stream (JSONL, CSV, Parquet) are not limited by it.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


#: characters that would break "one error line per file" when a message quotes file content
#: (a header cell with a line break, a NUL): shown escaped instead
_LINE_BREAKING = {c: repr(chr(c))[1:-1] for c in (*range(0x20), 0x7F, 0x85, 0x2028, 0x2029)}


def one_line(text: str) -> str:
    """``text`` with control characters and line separators escaped, so it prints as one line."""
    return text.translate(_LINE_BREAKING)


class InputError(Exception):
    """An input that cannot be read; ``line``/``offset`` say where when the reader knows.

    The message is kept to one line whatever content it quotes from the file.
    """

    def __init__(
        self, path: str | Path, message: str, *, line: int | None = None, offset: int | None = None
    ) -> None:
        self.path = str(path)
        self.message = one_line(message)
        self.line = line
        self.offset = offset
        super().__init__(self.describe())

    def describe(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        elif self.offset is not None:
            where += f" (byte {self.offset})"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ReadRequest:
    """One file to read and what is already known about it."""

    path: Path
    #: locale inferred from the path or given by ``--locale``; None when unknown
    locale: str | None = None
    #: the source locale of the run, for bilingual formats that only carry the target
    source_locale: str | None = None
    #: reader options from the config (``[readers.csv] columns = {...}`` and the like)
    options: Mapping[str, Any] = field(default_factory=dict)
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Reader:
    """A format: how to recognise it and how to read it."""

    name: str
    extensions: tuple[str, ...]
    read: Callable[[ReadRequest], pl.DataFrame]
    #: content test for files whose extension is ambiguous (``.json`` may be ARB, Alexa, i18next)
    sniff: Callable[[Path, bytes], bool] | None = None
    #: higher wins when several readers claim a file
    priority: int = 0
    description: str = ""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def check_size(path: Path, max_bytes: int) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise InputError(
            path,
            f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit for this "
            "format; split it or use a streaming format (JSONL, CSV, Parquet)",
        )
    return size


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    check_size(path, max_bytes)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def _guess_utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def decode_text(path: Path, data: bytes) -> str:
    """Decode file bytes as UTF-8/16/32, honouring a BOM, or say exactly where it breaks."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    path, f"invalid {encoding} after its byte-order mark", offset=exc.start
                ) from None
    guessed = _guess_utf16_without_bom(data)
    if guessed:
        try:
            return data.decode(guessed)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise InputError(path, "looks like a binary file (NUL bytes), not a text catalog")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path,
            f"not valid UTF-8 at byte {exc.start} (line {line}): "
            f"{data[exc.start:exc.start + 1]!r}; re-save the file as UTF-8",
            line=line,
        ) from None


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a whole text file safely: size limit, BOMs, UTF-16, clear errors."""
    text = decode_text(path, read_bytes(path, max_bytes))
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(path, "contains a NUL character", line=line)
    return text


def line_of_offset(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1
