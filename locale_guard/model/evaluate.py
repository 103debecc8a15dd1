"""``model evaluate``: per-locale quality of both heads on labelled data, and calibration.

The offensive head is judged at the thresholds saved with the model (each locale's own where it
has one), which is how ``check`` will use it; ROC-AUC, which needs no threshold, shows whether
a different threshold could do better. The register head is judged by its most probable label.
The calibration tables compare predicted probability with observed frequency: a model whose
0.8-scored strings are offensive 80 % of the time can have its scores read as probabilities.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from locale_guard.model import REGISTER_LABELS
from locale_guard.model.data import Labelled
from locale_guard.model.inference import Predictor
from locale_guard.model.metrics import binary_report, calibration, multiclass_report


def evaluate(predictor: Predictor, data: Labelled) -> dict[str, Any]:
    """Score the labelled rows and compute the report (a JSON-ready dict)."""
    scored = predictor.predict(data.frame)
    stats = predictor.stats
    report: dict[str, Any] = {
        "model": predictor.loaded.path,
        "base_model": predictor.meta.base_model,
        "data_sha256": data.sha256,
        "rows": scored.height,
        "skipped": data.dropped,
        "seconds": stats.seconds,
        "texts_per_second": stats.texts_per_second,
        "offensive": _offensive(scored.filter(pl.col("label_offensive").is_not_null())),
        "register": _register(scored.filter(pl.col("label_register").is_not_null())),
    }
    return report


def _offensive(rows: pl.DataFrame) -> dict[str, Any] | None:
    if rows.height == 0:
        return None

    def stats(part: pl.DataFrame) -> dict[str, Any]:
        out = binary_report(
            part["label_offensive"].to_numpy() == 1, part["offensive_score"].to_numpy(), part["offensive_threshold"].to_numpy()
        )
        thresholds = part["offensive_threshold"].unique()
        out["threshold"] = float(thresholds[0]) if thresholds.len() == 1 else None
        return out

    locales = {key[0]: stats(part) for key, part in rows.partition_by("locale", as_dict=True, maintain_order=True).items()}
    return {
        "overall": stats(rows),
        "locales": dict(sorted(locales.items())),
        "calibration": calibration(rows["label_offensive"].to_numpy() == 1, rows["offensive_score"].to_numpy()),
    }


def _register(rows: pl.DataFrame) -> dict[str, Any] | None:
    if rows.height == 0:
        return None
    columns = [f"p_{name}" for name in REGISTER_LABELS]
    index = {name: i for i, name in enumerate(REGISTER_LABELS)}

    def stats(part: pl.DataFrame) -> dict[str, Any]:
        y = part["label_register"].replace_strict(index, return_dtype=pl.Int64).to_numpy()
        return multiclass_report(y, part.select(columns).to_numpy(), REGISTER_LABELS)

    locales = {}
    for key, part in rows.partition_by("locale", as_dict=True, maintain_order=True).items():
        rep = stats(part)
        locales[key[0]] = {k: rep[k] for k in ("n", "accuracy", "macro_precision", "macro_recall", "macro_f1", "macro_roc_auc")}
    correct = (rows["register"] == rows["label_register"]).to_numpy()
    return {
        "overall": stats(rows),
        "locales": dict(sorted(locales.items())),
        # reliability of the top label's probability: does 0.9 confidence mean 90 % right?
        "calibration": calibration(correct, rows["register_score"].to_numpy()),
    }


def _num(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    return f"{value:.{digits}f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    fmt = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))  # noqa: E731
    return [fmt(header), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)]


def _calibration_lines(cal: dict[str, Any], what: str) -> list[str]:
    rows = [
        [f"{b['low']:.1f}-{b['high']:.1f}", str(b["count"]), _num(b["mean_score"]), _num(b["positive_rate"])]
        for b in cal["bins"]
        if b["count"]
    ]
    lines = _table(["score", "n", "mean score", what], rows)
    lines.append(f"expected calibration error {_num(cal['ece'])}, Brier score {_num(cal['brier'])}")
    return lines


def render_text(report: dict[str, Any]) -> str:
    """The report as aligned plain-text tables."""
    lines = [
        f"model: {report['model']} (base {report['base_model']})",
        f"rows: {report['rows']} labelled ({report['skipped']} skipped), scored in {report['seconds']:.2f}s "
        f"({report['texts_per_second']:.0f} texts/s)",
        "",
    ]
    off = report["offensive"]
    if off:
        lines.append("offensive (at the model's per-locale thresholds)")
        rows = []
        for name, s in [*off["locales"].items(), ("all", off["overall"])]:
            rows.append([
                name, str(s["n"]), str(s["support"]), _num(s["threshold"]) if name != "all" else "",
                _num(s["precision"]), _num(s["recall"]), _num(s["f1"]), _num(s["roc_auc"]),
            ])
        lines += _table(["locale", "n", "positive", "threshold", "precision", "recall", "f1", "roc_auc"], rows)
        lines += ["", "calibration of the offensive probability"]
        lines += _calibration_lines(off["calibration"], "offensive rate")
        lines.append("")
    reg = report["register"]
    if reg:
        lines.append("register (formal / informal / none; macro averages over the labels present)")
        rows = [
            [name, str(s["n"]), _num(s["accuracy"]), _num(s["macro_precision"]), _num(s["macro_recall"]),
             _num(s["macro_f1"]), _num(s["macro_roc_auc"])]
            for name, s in [*reg["locales"].items(), ("all", reg["overall"])]
        ]
        lines += _table(["locale", "n", "accuracy", "precision", "recall", "f1", "roc_auc"], rows)
        per = reg["overall"]["classes"]
        lines += ["", "register by label (all locales)"]
        lines += _table(
            ["label", "support", "precision", "recall", "f1", "roc_auc"],
            [[k, str(v["support"]), _num(v["precision"]), _num(v["recall"]), _num(v["f1"]), _num(v["roc_auc"])] for k, v in per.items()],
        )
        lines += ["", "calibration of the register confidence"]
        lines += _calibration_lines(reg["calibration"], "accuracy")
    if not off and not reg:
        lines.append("no labelled rows to evaluate")
    return "\n".join(lines).rstrip() + "\n"
