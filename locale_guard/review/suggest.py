"""``review suggest-rules``: what reviewers taught us, as a patch a rule-pack author applies.

* A term that reviewers rejected as a false positive (at least ``min_rejections`` times, and
  never accepted or fixed under the same check and language) becomes an ``allow`` entry of the
  pack ``rules/<language>/<check>.yaml``.
* A rule whose reviewed findings were mostly rejected (at least ``min_reviewed`` of them, a
  rejection share of at least ``reject_share``) gets its severity lowered one step
  (error → warning → info); one already at info is proposed for ``disable``.
* Accepted and fixed items are training examples: the caller writes them with the training
  schema of :mod:`locale_guard.review.export` (``--training FILE``).

Only findings from rules (``source: rule``) feed the allowlist: a classifier's false positive
is fixed by training, not by an allow entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import polars as pl
import yaml

LOWER = {"error": "warning", "warning": "info"}


@dataclass(frozen=True)
class SuggestOptions:
    min_rejections: int = 2
    min_reviewed: int = 5
    reject_share: float = 0.6
    rules_dir: str = "rules"


def _language(locale: pl.Expr) -> pl.Expr:
    return locale.fill_null("und").str.split("-").list.first()


def suggestions(settled: pl.DataFrame, options: SuggestOptions) -> list[dict[str, Any]]:
    """One entry per pack file with ``allow``, ``severity`` and ``disable`` proposals and why."""
    if settled.height == 0:
        return []
    frame = settled.with_columns(
        _language(pl.col("locale")).alias("language"),
        pl.col("span_text").fill_null("").str.strip_chars().alias("term"),
        (pl.col("decision") == "reject").alias("rejected"),
    )
    terms = (
        frame.filter((pl.col("finding_source").fill_null("rule") == "rule") & (pl.col("term") != ""))
        .with_columns(pl.col("term").str.to_lowercase().alias("_key"))
        .group_by("language", "check", "_key")
        .agg(
            pl.col("term").filter(pl.col("rejected")).mode().sort().first().alias("term"),
            pl.col("rejected").sum().alias("rejections"),
            (~pl.col("rejected")).sum().alias("acceptances"),
        )
        .filter((pl.col("rejections") >= options.min_rejections) & (pl.col("acceptances") == 0))
        .sort("language", "check", "term")
    )
    rules = (
        frame.group_by("language", "check", "rule")
        .agg(
            pl.len().alias("reviewed"),
            pl.col("rejected").sum().alias("rejections"),
            pl.col("severity").drop_nulls().mode().sort().first().alias("severity"),
        )
        .filter(
            (pl.col("reviewed") >= options.min_reviewed)
            & (pl.col("rejections") / pl.col("reviewed") >= options.reject_share)
        )
        .sort("language", "check", "rule")
    )
    packs: dict[tuple[str, str], dict[str, Any]] = {}

    def pack(language: str, check: str) -> dict[str, Any]:
        key = (language, check)
        if key not in packs:
            packs[key] = {
                "file": f"{options.rules_dir}/{language}/{check}.yaml",
                "language": language,
                "check": check,
                "allow": [],
                "severity": {},
                "disable": [],
                "why": {},
            }
        return packs[key]

    for row in terms.iter_rows(named=True):
        entry = pack(row["language"], row["check"])
        entry["allow"].append(row["term"])
        entry["why"][f"allow {row['term']}"] = f"rejected as a false positive {row['rejections']} time(s), never accepted"
    for row in rules.iter_rows(named=True):
        entry = pack(row["language"], row["check"])
        share = f"{row['rejections']} of {row['reviewed']} reviewed findings rejected"
        lowered = LOWER.get(row["severity"] or "")
        if lowered:
            entry["severity"][row["rule"]] = lowered
            entry["why"][f"severity {row['rule']}"] = f"{row['severity']} -> {lowered}: {share}"
        else:
            entry["disable"].append(row["rule"])
            entry["why"][f"disable {row['rule']}"] = f"already info: {share}"
    out = []
    for key in sorted(packs):
        entry = {k: v for k, v in packs[key].items() if v or k in ("file", "language", "check")}
        out.append(entry)
    return out


def render_patch(entries: list[dict[str, Any]], *, training_rows: int = 0) -> str:
    header = (
        "# Rule-pack changes proposed by `locale-guard review suggest-rules` from reviewed findings.\n"
        "# Nothing is applied automatically: merge `allow` and `disable` into the top-level lists of\n"
        "# the pack file named, set each rule's `severity`, then run `locale-guard rules validate`.\n"
    )
    body = {
        "version": 1,
        "generated": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "training_examples": training_rows,
        "packs": entries,
    }
    return header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)
