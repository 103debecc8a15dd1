"""Reporters, one module per output format, discovered by name.

A reporter module defines ``REPORTER = Reporter(...)`` whose ``render`` turns a
:class:`~locale_guard.engine.RunResult` into the text of a report. Adding an output format is
adding one module here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from locale_guard.registry import discover

if TYPE_CHECKING:
    from locale_guard.engine import RunResult


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    #: show the source line with the flagged span marked (text reporter)
    show_source: bool = True


@dataclass(frozen=True)
class Reporter:
    name: str
    #: file extensions that select this reporter for ``--report FILE``
    extensions: tuple[str, ...]
    render: Callable[[RunResult, RenderOptions], str]
    description: str = ""


@lru_cache(maxsize=1)
def all_reporters() -> dict[str, Reporter]:
    return discover(__name__, __path__, "REPORTER", Reporter)


def get_reporter(name: str) -> Reporter:
    reporters = all_reporters()
    if name not in reporters:
        raise KeyError(f"unknown report format '{name}'; known: {', '.join(reporters)}")
    return reporters[name]


def reporter_for_file(filename: str) -> Reporter | None:
    """The reporter whose extension ends ``filename`` (longest extension wins)."""
    lower = filename.lower()
    best: tuple[int, Reporter] | None = None
    for reporter in all_reporters().values():
        for ext in reporter.extensions:
            if lower.endswith(ext) and (best is None or len(ext) > best[0]):
                best = (len(ext), reporter)
    return best[1] if best else None
