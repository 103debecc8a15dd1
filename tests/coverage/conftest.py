"""The analysis of the coverage fixtures, shared by the tests of one module."""

from __future__ import annotations

import pytest
from _coverage_helpers import MASSIVE, analysis_of

from locale_guard.coverage import CoverageAnalysis


@pytest.fixture(scope="module")
def massive() -> CoverageAnalysis:
    """The analysis of the three MASSIVE fixture files with default options."""
    return analysis_of(MASSIVE)
