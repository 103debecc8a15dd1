"""Readers, one module per input format, discovered by name.

Adding a format means adding one module here that defines ``READER = Reader(...)``; nothing
else needs to change. :func:`detect` picks a reader by extension and, where an extension is
shared by several formats (``.json``), by sniffing the first kilobytes of content.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from locale_guard.readers.base import InputError, Reader, ReadRequest
from locale_guard.registry import discover

__all__ = ["InputError", "ReadRequest", "Reader", "all_readers", "detect", "get_reader"]

_SNIFF_BYTES = 8192


@lru_cache(maxsize=1)
def all_readers() -> dict[str, Reader]:
    """Every reader module's ``READER``, keyed by format name."""
    return discover(__name__, __path__, "READER", Reader, skip=("base",))


def get_reader(name: str) -> Reader:
    readers = all_readers()
    if name not in readers:
        raise KeyError(f"unknown input format '{name}'; known: {', '.join(readers)}")
    return readers[name]


def _extension_matches(path: Path, ext: str) -> bool:
    name = path.name.lower()
    return name.endswith(ext) if ext.startswith(".") else name == ext


def candidates(path: Path) -> list[Reader]:
    """Readers whose extensions match ``path``, best first."""
    matched = [
        r for r in all_readers().values() if any(_extension_matches(path, e) for e in r.extensions)
    ]
    return sorted(matched, key=lambda r: -r.priority)


def detect(path: Path) -> Reader | None:
    """The reader for ``path``, or None when no format claims it (the file is skipped).

    Among readers claiming the extension, the first whose ``sniff`` accepts the content wins;
    readers without ``sniff`` accept anything with their extension.
    """
    matched = candidates(path)
    if not matched:
        return None
    head = b""
    if any(r.sniff for r in matched):
        try:
            with path.open("rb") as fh:
                head = fh.read(_SNIFF_BYTES)
        except OSError:
            return matched[-1]
    for reader in matched:
        if reader.sniff is None or reader.sniff(path, head):
            return reader
    # every claimant sniffed and none recognised the content: not ours (pom.xml, layouts)
    fallback = [r for r in matched if r.sniff is None]
    return fallback[-1] if fallback else None
