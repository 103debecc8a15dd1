"""Regular expressions of ``pattern`` rules, run only by RE2.

RE2 guarantees time linear in the input: no backtracking, so ``(a+)+$`` against a long run of
``a`` finishes at once instead of hanging a CI job for hours. The price is the features that
need backtracking (backreferences, lookahead and lookbehind), which RE2 refuses to compile;
the error is turned into a message that says so and how to rewrite the rule.

Two RE2 properties matter for authors of non-English packs and are documented in
rules/README.md: ``\\b`` and ``\\w`` are ASCII-only (use ``\\pL`` classes), and a pattern is
case-insensitive unless the rule says ``case-sensitive: true``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import re2

#: memory RE2 may use for one compiled pattern; beyond it RE2 refuses the pattern
MAX_PATTERN_MEMORY = 64 << 20


class PatternError(ValueError):
    """A pattern RE2 cannot compile, with a hint on how to fix it."""


def _options(case_sensitive: bool) -> Any:
    opts = re2.Options()
    opts.log_errors = False  # RE2 would print every rejected pattern on stderr
    opts.case_sensitive = case_sensitive
    opts.max_mem = MAX_PATTERN_MEMORY
    return opts


def _hint(reason: str, pattern: str) -> str:
    if "(?=" in reason or "(?!" in reason or "(?<=" in reason or "(?<!" in reason:
        return "lookahead and lookbehind are not supported by RE2 (linear-time matching); match the context instead or split the rule"
    if "invalid escape sequence: \\" in reason and any(f"\\{d}" in pattern for d in "123456789"):
        return "backreferences (\\1) are not supported by RE2 (linear-time matching); list the alternatives instead"
    if "(?P=" in pattern or "\\k<" in pattern:
        return "named backreferences are not supported by RE2 (linear-time matching)"
    if "(?>" in pattern or "*+" in pattern or "++" in pattern:
        return "atomic groups and possessive quantifiers are not supported by RE2"
    if "pattern too large" in reason:
        return "the pattern needs more memory than allowed; use a lexicon rule for long word lists"
    return ""


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str, case_sensitive: bool = False) -> Any:
    """The compiled RE2 regex, or :class:`PatternError` with RE2's reason and a hint."""
    try:
        compiled = re2.compile(pattern, _options(case_sensitive))
    except re2.error as exc:
        raw = exc.args[0] if exc.args else str(exc)
        reason = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        hint = _hint(reason, pattern)
        raise PatternError(f"RE2 cannot compile the pattern: {reason}" + (f" ({hint})" if hint else "")) from None
    if compiled.fullmatch("") is not None or compiled.search("") is not None:
        raise PatternError("the pattern matches the empty string, so it would flag every text")
    return compiled


class PatternSet:
    """Several patterns: an RE2 set finds which can match a text, then only those are run.

    Most texts match no pattern at all, and one RE2 set pass over a text costs about as much
    as one single pattern, so a pack with dozens of patterns costs little more than one.
    """

    def __init__(self, patterns: Sequence[tuple[str, bool]]) -> None:
        self.compiled = [compile_pattern(p, cs) for p, cs in patterns]
        self._set = re2.Set.SearchSet(_options(True))
        for pattern, case_sensitive in patterns:
            self._set.Add(pattern if case_sensitive else f"(?i:{pattern})")
        self._set.Compile()

    def spans(self, texts: Sequence[str]) -> tuple[list[int], list[int], list[int], list[int]]:
        """(text index, pattern index, start, end) of every non-empty match, as four lists."""
        rows: list[int] = []
        which: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        for row, text in enumerate(texts):
            if not text:
                continue
            hits = self._set.Match(text)
            if not hits:
                continue
            for index in hits:
                for m in self.compiled[index].finditer(text):
                    start, end = m.span()
                    if end > start:
                        rows.append(row)
                        which.append(index)
                        starts.append(start)
                        ends.append(end)
        return rows, which, starts, ends
