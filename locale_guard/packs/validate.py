"""``locale-guard rules validate``: schema, semantics, and every rule's examples run as tests.

Like Vale's and LanguageTool's rule examples, each rule carries texts it must flag and texts it
must leave alone. Validation runs them through the real matcher (same segmenter, lemmas,
allowlist and compound logic as a check run), so a pack that validates behaves as its examples
say. Failures read like failing tests: file, line, rule, the example, and what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from locale_guard.packs.loader import (
    PACK_SUFFIXES,
    PackSet,
    canonical_tag,
    load_pack,
    pack_files,
    pack_roots,
)
from locale_guard.packs.matching import CompiledRules
from locale_guard.packs.model import Pack, PackProblem, PackRule
from locale_guard.text.segmenters import segmenter_for


@dataclass
class ValidationReport:
    packs: int = 0
    rules: int = 0
    examples: int = 0
    problems: list[PackProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _short(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def example_problems(rule: PackRule) -> tuple[int, list[PackProblem]]:
    """Run one rule's examples; returns (examples run, failures)."""
    texts = [*rule.examples_match, *rule.examples_no_match]
    if not texts:
        return 0, []
    segmenter = segmenter_for(rule.pack_tag.split("-", 1)[0])
    compiled = CompiledRules([rule], segmenter)
    hits = compiled.match(texts, compiled.tokens_for(texts)["tokens"])
    matched: dict[int, str] = {}
    for row, start, end in zip(hits["_row"].to_list(), hits["start"].to_list(), hits["end"].to_list(), strict=True):
        matched.setdefault(row, texts[row][start:end])
    problems: list[PackProblem] = []
    label = rule.name
    for i, text in enumerate(rule.examples_match):
        if i not in matched:
            problems.append(
                PackProblem(rule.source, f"example should match but does not: {_short(text)}", rule=label, line=rule.line)
            )
    offset = len(rule.examples_match)
    for i, text in enumerate(rule.examples_no_match):
        if offset + i in matched:
            problems.append(
                PackProblem(
                    rule.source,
                    f"example should not match but does: {_short(text)} (matched {_short(matched[offset + i], 30)})",
                    rule=label,
                    line=rule.line,
                )
            )
    return len(texts), problems


def _targets(paths: Sequence[Path]) -> tuple[list[tuple[Path, str | None, Path | None]], list[PackProblem], list[Path]]:
    """Pack files named by ``paths`` (files, tag folders or roots), and the roots among them."""
    files: list[tuple[Path, str | None, Path | None]] = []
    problems: list[PackProblem] = []
    roots: list[Path] = []
    for path in paths:
        if path.is_file():
            files.append((path, canonical_tag(path.parent.name), None))
        elif path.is_dir():
            direct = [p for p in sorted(path.iterdir()) if p.is_file() and p.suffix in PACK_SUFFIXES]
            tag = canonical_tag(path.name)
            if direct and tag is not None:
                files.extend((p, tag, path.parent) for p in direct)
            else:
                roots.append(path)
                found = pack_files(path)
                if not found and not direct:
                    problems.append(PackProblem(path, "no rule packs here (expected <folder>/<tag>/<check>.yaml)"))
                files.extend((p, t, path) for t, p in found)
                if direct and tag is None:
                    problems.extend(
                        PackProblem(p, f"pack is not in a locale folder ('{path.name}' is not a locale tag)") for p in direct
                    )
        else:
            problems.append(PackProblem(path, "no such file or folder"))
    return files, problems, roots


def validate(paths: Sequence[Path] = (), config: Any = None, *, run_examples: bool = True) -> ValidationReport:
    """Validate the packs in ``paths`` (default: every pack folder of the configuration)."""
    report = ValidationReport()
    explicit = bool(paths)
    if not explicit:
        paths = list(pack_roots(config))
    files, problems, roots = _targets(list(paths))
    # an empty default folder is no mistake; an empty folder the user named probably is
    report.problems.extend(p for p in problems if explicit or "no rule packs here" not in p.message)
    packs: list[Pack] = []
    for path, tag, root in files:
        pack, pack_problems = load_pack(path, tag, root)
        report.problems.extend(pack_problems)
        if pack is None:
            continue
        packs.append(pack)
        report.packs += 1
        report.rules += len(pack.rules)
        if run_examples:
            for rule in pack.rules:
                count, failures = example_problems(rule)
                report.examples += count
                report.problems.extend(failures)
    if packs:
        # typos in 'disable' can only be seen with the packs they inherit from
        context = PackSet.load(tuple(dict.fromkeys([*pack_roots(config), *roots])))
        validated = {p.path for p in packs}
        context.packs.extend(p for p in packs if p.path not in {q.path for q in context.packs})
        report.problems.extend(p for p in context.disable_problems() if p.path in validated)
    return report
