"""Agreement coefficients against published worked examples."""

from __future__ import annotations

import pytest

from locale_guard.review.agreement import (
    cohen_kappa,
    fleiss_kappa,
    fleiss_kappa_counts,
    krippendorff_alpha,
    percent_agreement,
    summarise,
)


def _cohen_example() -> list[tuple[int, str, str]]:
    """Wikipedia's Cohen's κ example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no (κ = 0.4)."""
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    ratings = []
    for unit, (a, b) in enumerate(pairs):
        ratings += [(unit, "A", a), (unit, "B", b)]
    return ratings


def test_cohen_kappa_worked_example() -> None:
    ratings = _cohen_example()
    assert cohen_kappa(ratings) == pytest.approx(0.4)
    assert percent_agreement(ratings) == pytest.approx(0.7)


def test_fleiss_kappa_worked_example() -> None:
    """Fleiss (1971) as reproduced on Wikipedia: 10 subjects, 14 raters, 5 categories, κ ≈ 0.210."""
    table = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]
    counts = [{c: n for c, n in enumerate(row) if n} for row in table]
    assert fleiss_kappa_counts(counts) == pytest.approx(0.20993, abs=1e-4)


def test_krippendorff_alpha_worked_example_with_missing_values() -> None:
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": nominal α = 0.743."""
    data = {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    }
    ratings = [(unit, rater, value) for rater, values in data.items() for unit, value in enumerate(values) if value is not None]
    assert krippendorff_alpha(ratings) == pytest.approx(0.743, abs=5e-4)
    assert cohen_kappa(ratings) is None  # four raters: Cohen's κ does not apply
    assert fleiss_kappa(ratings) is None  # unequal ratings per unit: Fleiss' κ does not apply


def test_undefined_coefficients_are_none_not_misleading_numbers() -> None:
    everyone_agrees = [(u, r, "accept") for u in range(5) for r in ("A", "B")]
    assert percent_agreement(everyone_agrees) == 1.0
    assert cohen_kappa(everyone_agrees) is None
    assert krippendorff_alpha(everyone_agrees) is None
    single = [(1, "A", "accept")]
    assert percent_agreement(single) is None and krippendorff_alpha(single) is None


def test_summary_picks_the_coefficients_that_apply() -> None:
    summary = summarise(_cohen_example())
    assert summary["items"] == 50 and summary["reviewers"] == 2
    assert summary["cohen_kappa"] == pytest.approx(0.4)
    # with two raters and no missing values Fleiss' κ and α are close to Cohen's κ
    assert summary["fleiss_kappa"] == pytest.approx(0.3939, abs=1e-3)
    assert summary["krippendorff_alpha"] == pytest.approx(0.4, abs=0.02)
