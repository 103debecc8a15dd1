"""Classification metrics, threshold choice and calibration, in numpy (no scikit-learn needed).

Everything takes whole arrays, so evaluating a million predictions is a few vectorised passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from locale_guard.tags import language_of

#: a locale gets a threshold of its own only with this many validation examples of each class
#: and in all; below that its F1-optimal cut-off is noise, and the global threshold is used
MIN_LOCALE_EXAMPLES = 30
MIN_LOCALE_CLASS = 5


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    support: int

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1, "support": self.support}


def prf(y: np.ndarray, predicted: np.ndarray) -> PRF:
    """Precision, recall and F1 of the positive class (0.0 where undefined, as is customary)."""
    y = np.asarray(y, dtype=bool)
    predicted = np.asarray(predicted, dtype=bool)
    tp = int(np.sum(y & predicted))
    fp = int(np.sum(~y & predicted))
    fn = int(np.sum(y & ~predicted))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, int(y.sum()))


def roc_auc(y: np.ndarray, scores: np.ndarray) -> float | None:
    """Area under the ROC curve (Mann–Whitney U with average ranks for ties); None if one class."""
    y = np.asarray(y, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    order = np.argsort(scores, kind="mergesort")
    ranked = scores[order]
    # average rank of each run of equal scores
    starts = np.r_[0, np.flatnonzero(np.diff(ranked)) + 1]
    ends = np.r_[starts[1:], ranked.size]
    avg = (starts + ends + 1) / 2.0  # 1-based ranks averaged over the run
    ranks = np.empty(scores.size, dtype=np.float64)
    ranks[order] = np.repeat(avg, ends - starts)
    u = ranks[y].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def best_f1_threshold(y: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """The score cut-off that maximises F1 (``score >= t`` is positive), and that F1.

    Every distinct score is a candidate; the cut-off returned lies halfway between the chosen
    score and the next lower one, so a new example scoring a hair under the lowest validation
    positive is not lost to rounding. Without positives the cut-off is 0.5.
    """
    y = np.asarray(y, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    if y.sum() == 0 or y.size == 0:
        return 0.5, 0.0
    order = np.argsort(-scores, kind="mergesort")
    s = scores[order]
    tp = np.cumsum(y[order])
    predicted = np.arange(1, s.size + 1)
    # only the last index of each run of equal scores is a possible cut
    last = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]
    tp_c = tp[last]
    precision = tp_c / predicted[last]
    recall = tp_c / y.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    best = int(np.argmax(f1))
    cut = s[last[best]]
    below = s[last[best] + 1] if last[best] + 1 < s.size else max(cut - 1e-3, 0.0)
    return float((cut + below) / 2.0), float(f1[best])


def choose_thresholds(
    y: np.ndarray,
    scores: np.ndarray,
    locales: Sequence[str],
    *,
    min_examples: int = MIN_LOCALE_EXAMPLES,
    min_class: int = MIN_LOCALE_CLASS,
) -> dict[str, Any]:
    """Per-locale F1-optimal thresholds of the offensive head, chosen on validation data.

    Thresholds exist for exact tags (``de-AT``) and for languages (``de``, pooling its tags)
    that have enough examples; :func:`threshold_for` falls back tag → language → global.
    """
    y = np.asarray(y, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    tags = np.asarray(locales, dtype=object)
    langs = np.asarray([language_of(t) for t in tags], dtype=object)
    global_t, global_f1 = best_f1_threshold(y, scores)
    per: dict[str, float] = {}
    for keys in (tags, langs):
        for key in sorted(set(keys.tolist())):
            sel = keys == key
            pos = int(y[sel].sum())
            if sel.sum() >= min_examples and pos >= min_class and sel.sum() - pos >= min_class:
                per.setdefault(key, round(best_f1_threshold(y[sel], scores[sel])[0], 6))
    return {"global": round(global_t, 6), "global_f1": global_f1, "locales": per}


def threshold_for(thresholds: dict[str, Any], locale: str | None) -> float:
    """The threshold for a tag: its own, else its language's, else the global one."""
    per = thresholds.get("locales", {})
    if locale:
        if locale in per:
            return float(per[locale])
        if language_of(locale) in per:
            return float(per[language_of(locale)])
    return float(thresholds.get("global", 0.5))


def calibration(y: np.ndarray, scores: np.ndarray, bins: int = 10) -> dict[str, Any]:
    """Reliability table (equal-width bins of predicted probability) and expected calibration error."""
    y = np.asarray(y, dtype=np.float64)
    scores = np.clip(np.asarray(scores, dtype=np.float64), 0.0, 1.0)
    which = np.minimum((scores * bins).astype(np.int64), bins - 1)
    count = np.bincount(which, minlength=bins)
    sum_score = np.bincount(which, weights=scores, minlength=bins)
    sum_pos = np.bincount(which, weights=y, minlength=bins)
    rows = []
    ece = 0.0
    for b in range(bins):
        n = int(count[b])
        mean_p = float(sum_score[b] / n) if n else None
        rate = float(sum_pos[b] / n) if n else None
        if n:
            ece += n / max(y.size, 1) * abs(mean_p - rate)  # type: ignore[operator]
        rows.append({"low": b / bins, "high": (b + 1) / bins, "count": n, "mean_score": mean_p, "positive_rate": rate})
    return {"bins": rows, "ece": ece, "brier": float(np.mean((scores - y) ** 2)) if y.size else None}


def multiclass_report(y: np.ndarray, probs: np.ndarray, labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-class P/R/F1 and one-vs-rest ROC-AUC, macro-averaged over present classes."""
    y = np.asarray(y, dtype=np.int64)
    predicted = np.argmax(probs, axis=1)
    per: dict[str, Any] = {}
    for k, name in enumerate(labels):
        stats = prf(y == k, predicted == k).as_dict()
        stats["roc_auc"] = roc_auc(y == k, probs[:, k])
        per[name] = stats
    present = [per[n] for k, n in enumerate(labels) if np.any(y == k)]
    aucs = [p["roc_auc"] for p in present if p["roc_auc"] is not None]
    return {
        "n": int(y.size),
        "accuracy": float(np.mean(predicted == y)) if y.size else None,
        "macro_precision": float(np.mean([p["precision"] for p in present])) if present else None,
        "macro_recall": float(np.mean([p["recall"] for p in present])) if present else None,
        "macro_f1": float(np.mean([p["f1"] for p in present])) if present else None,
        "macro_roc_auc": float(np.mean(aucs)) if aucs else None,
        "classes": per,
    }


def binary_report(y: np.ndarray, scores: np.ndarray, thresholds: np.ndarray | float) -> dict[str, Any]:
    """Precision, recall, F1 at the given (per-row) thresholds, ROC-AUC and accuracy."""
    y = np.asarray(y, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    predicted = scores >= np.asarray(thresholds, dtype=np.float64)
    stats: dict[str, Any] = prf(y, predicted).as_dict()
    stats["n"] = int(y.size)
    stats["accuracy"] = float(np.mean(predicted == y)) if y.size else None
    stats["roc_auc"] = roc_auc(y, scores)
    return stats
