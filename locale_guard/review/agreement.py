"""Inter-reviewer agreement: percent agreement, Cohen's κ, Fleiss' κ and Krippendorff's α.

Inputs are ratings ``(unit, rater, label)``: one unit per item, one label per reviewer (the
store collapses fix into accept first; both say the finding is right). Which coefficient fits:

* percent agreement — always; the share of agreeing reviewer pairs, averaged over items;
* Cohen's κ — exactly two reviewers rated the items (computed on the items both rated);
* Fleiss' κ — every item has the same number (≥ 2) of ratings, by any reviewers;
* Krippendorff's α (nominal) — any number of reviewers, missing ratings allowed.

Each function returns None when the coefficient is undefined (fewer than two ratings per unit,
or only one label in use so that chance agreement is 1): a dashboard should show "n/a" there,
not a misleading 0 or 1.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from itertools import combinations

Rating = tuple[Hashable, Hashable, Hashable]  # unit, rater, label


def _units(ratings: Iterable[Rating]) -> dict[Hashable, dict[Hashable, Hashable]]:
    units: dict[Hashable, dict[Hashable, Hashable]] = defaultdict(dict)
    for unit, rater, label in ratings:
        units[unit][rater] = label
    return units


def percent_agreement(ratings: Iterable[Rating]) -> float | None:
    values = []
    for by_rater in _units(ratings).values():
        labels = list(by_rater.values())
        if len(labels) < 2:
            continue
        pairs = list(combinations(labels, 2))
        values.append(sum(a == b for a, b in pairs) / len(pairs))
    return sum(values) / len(values) if values else None


def cohen_kappa(ratings: Iterable[Rating]) -> float | None:
    units = _units(ratings)
    raters = sorted({r for by_rater in units.values() for r in by_rater}, key=str)
    if len(raters) != 2:
        return None
    first, second = raters
    pairs = [(u[first], u[second]) for u in units.values() if first in u and second in u]
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[c] * right[c] for c in set(left) | set(right)) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def fleiss_kappa_counts(table: Iterable[Mapping[Hashable, int]]) -> float | None:
    """Fleiss' κ from per-unit category counts; every unit must have the same total n ≥ 2."""
    rows = [dict(r) for r in table]
    if not rows:
        return None
    totals = {sum(r.values()) for r in rows}
    if len(totals) != 1:
        return None
    n = totals.pop()
    if n < 2:
        return None
    units = len(rows)
    p_bar = sum((sum(c * c for c in r.values()) - n) / (n * (n - 1)) for r in rows) / units
    category_totals: Counter[Hashable] = Counter()
    for r in rows:
        category_totals.update(r)
    p_e = sum((t / (units * n)) ** 2 for t in category_totals.values())
    if p_e >= 1.0:
        return None
    return (p_bar - p_e) / (1.0 - p_e)


def fleiss_kappa(ratings: Iterable[Rating]) -> float | None:
    units = _units(ratings)
    return fleiss_kappa_counts(Counter(by_rater.values()) for by_rater in units.values())


def krippendorff_alpha_counts(table: Iterable[Mapping[Hashable, int]]) -> float | None:
    """Nominal α from per-unit category counts (units with fewer than two values are ignored)."""
    coincidence: Counter[tuple[Hashable, Hashable]] = Counter()
    for row in table:
        m = sum(row.values())
        if m < 2:
            continue
        for c, nc in row.items():
            for k, nk in row.items():
                pairs = nc * (nc - 1) if c == k else nc * nk
                if pairs:
                    coincidence[(c, k)] += pairs / (m - 1)
    marginals: Counter[Hashable] = Counter()
    for (c, _k), value in coincidence.items():
        marginals[c] += value
    n = sum(marginals.values())
    if n <= 1:
        return None
    disagree_observed = sum(v for (c, k), v in coincidence.items() if c != k)
    disagree_expected = sum(marginals[c] * marginals[k] for c in marginals for k in marginals if c != k)
    if disagree_expected == 0:
        return None
    return 1.0 - (n - 1) * disagree_observed / disagree_expected


def krippendorff_alpha(ratings: Iterable[Rating]) -> float | None:
    units = _units(ratings)
    return krippendorff_alpha_counts(Counter(by_rater.values()) for by_rater in units.values())


def summarise(ratings: list[Rating]) -> dict[str, float | int | None]:
    """Every coefficient for one group of ratings, plus how many items and reviewers it rests on."""
    units = _units(ratings)
    multi = [u for u in units.values() if len(u) >= 2]
    raters = {r for u in multi for r in u}
    return {
        "items": len(multi),
        "reviewers": len(raters),
        "percent_agreement": percent_agreement(ratings),
        "cohen_kappa": cohen_kappa(ratings),
        "fleiss_kappa": fleiss_kappa([r for r in ratings if len(units[r[0]]) >= 2]),
        "krippendorff_alpha": krippendorff_alpha(ratings),
    }
