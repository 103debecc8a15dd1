"""Helpers for the coverage tests: the MASSIVE-format files of tests/data/coverage and ways to
analyse them.

tests/data/coverage/README.md says what each file holds and which gap it is there to cause.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from locale_guard.checks import CheckContext
from locale_guard.config import Config
from locale_guard.coverage import CoverageAnalysis, analyse, coverage_options
from locale_guard.engine import RunOptions, read_inputs

DATA = Path(__file__).parent.parent / "data" / "coverage"
MASSIVE = DATA / "massive"
CATALOG = DATA / "catalog"


def read(*paths: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    records, files, errors, _ = read_inputs(RunOptions(paths=list(paths)), Config())
    assert not errors, errors
    return records, files


def analysis_of(*paths: Path, **options: Any) -> CoverageAnalysis:
    records, files = read(*paths)
    config = Config(checks={"coverage": options})
    return analyse(records, coverage_options(config, "en-US"), files=files, source_locale="en-US")


def context(files: pl.DataFrame, **options: Any) -> CheckContext:
    return CheckContext(config=Config(checks={"coverage": options}), source_locale="en-US", files=files)
