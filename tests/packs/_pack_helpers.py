"""Helpers shared by the pack tests: write packs, build contexts and record frames."""

from __future__ import annotations

import textwrap
from pathlib import Path

import polars as pl

from locale_guard.checks import CheckContext
from locale_guard.config import Config

#: the engine test packs: und → de → de-AT with overrides, disables and every rule kind
DATA = Path(__file__).resolve().parent.parent / "data" / "packs" / "rules"


def write_pack(root: Path, tag: str, check: str, body: str, name: str | None = None) -> Path:
    """Write ``root/<tag>/<check>.yaml`` from an indented YAML snippet."""
    folder = root / tag
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{check}.yaml")
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


def context(*roots: Path) -> CheckContext:
    return CheckContext(config=Config(rule_paths=tuple(roots)), source_locale=None, files=pl.DataFrame())


def records(rows: list[dict]) -> pl.DataFrame:
    from locale_guard.records import records_from_rows

    return records_from_rows([{"key": f"k{i}", **row} for i, row in enumerate(rows)], path="strings.json")


def lexicon_pack(language: str, terms: str, extra: str = "", examples: str = "{match: ['x']}") -> str:
    """A one-rule lexicon pack; ``terms`` is a YAML flow list."""
    return f"""
        version: "1"
        language: {language}
        check: offensive
        {extra}
        rules:
          - id: words
            kind: lexicon
            severity: warning
            message: "found {{match}}"
            terms: {terms}
            examples: {examples}
    """
