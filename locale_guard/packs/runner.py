"""What checks call: the effective pack rules of every record's locale, run over the records.

``run_pack(records, ctx, "offensive")`` is the whole integration a check needs. Per locale of
the run it resolves the effective rules (inheritance along the fallback chain), compiles them
once (cached in ``ctx.cache``), takes the tokens the text package computed (also cached) and
returns findings. :func:`match_records` returns the raw matches instead, with the category of
the matched term, for checks that want to post-process before reporting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from locale_guard.findings import SPAN_DTYPE, empty_findings, findings_from_records
from locale_guard.packs.loader import PackError, PackSet, pack_roots
from locale_guard.packs.matching import CompiledRules
from locale_guard.packs.model import EffectiveRule, PackRule
from locale_guard.text.tokens import segmenter_for_locale, tokenize

if TYPE_CHECKING:
    from locale_guard.checks import CheckContext

PACKSET_KEY = "packs.set"
COMPILED_KEY = "packs.compiled"

#: columns of :func:`match_records`
MATCHES_SCHEMA: dict[str, pl.DataType] = {
    "record_id": pl.String(),
    "rule": pl.String(),
    "severity": pl.String(),
    "start": pl.Int32(),
    "end": pl.Int32(),
    "match": pl.String(),
    "suggestion": pl.String(),
    "category": pl.String(),
    "message": pl.String(),
}


def pack_set(ctx: CheckContext | None = None, config: Any = None) -> PackSet:
    """The packs of this run's roots, loaded once per run; invalid packs raise PackError."""
    config = config if config is not None else getattr(ctx, "config", None)
    roots = pack_roots(config)
    cache = ctx.cache if ctx is not None else {}
    found = cache.get(PACKSET_KEY)
    if not isinstance(found, PackSet) or found.roots != roots:
        found = PackSet.load(roots)
        # a missing user folder is a config mistake worth stopping for, like a broken pack
        if found.problems:
            raise PackError(found.problems)
        cache[PACKSET_KEY] = found
    return found


def effective_rules(locale: str, check: str, ctx: CheckContext | None = None, config: Any = None) -> list[EffectiveRule]:
    """The rules of ``check`` that apply to ``locale`` (after inheritance and ``locales:``)."""
    return [e for e in pack_set(ctx, config).effective(locale, check) if e.rule.applies_to_locale(locale)]


def compiled_rules(locale: str, rules: Sequence[PackRule], ctx: CheckContext | None) -> CompiledRules:
    """Compiled matchers, shared by locales with the same segmenter and rules (en-US, en-GB)."""
    segmenter = segmenter_for_locale(locale, ctx)
    key = (segmenter.key, tuple((r.id, r.source, r.allow) for r in rules))
    cache: dict[Any, CompiledRules] = ctx.cache.setdefault(COMPILED_KEY, {}) if ctx is not None else {}
    if key not in cache:
        cache[key] = CompiledRules(rules, segmenter)
    return cache[key]


def _rule_table(rules: Sequence[PackRule]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "rule": list(range(len(rules))),
            "rule_id": [r.id for r in rules],
            "rule_severity": [r.severity for r in rules],
            "template": [r.message for r in rules],
            "scope": [r.scope for r in rules],
            "rule_category": [r.category for r in rules],
        },
        schema={
            "rule": pl.Int64,
            "rule_id": pl.String,
            "rule_severity": pl.String,
            "template": pl.String,
            "scope": pl.String,
            "rule_category": pl.String,
        },
    )


def match_records(records: pl.DataFrame, ctx: CheckContext | None, check: str, config: Any = None) -> pl.DataFrame:
    """Every pack match of ``check`` in ``records`` (:data:`MATCHES_SCHEMA`), scope applied.

    ``records`` needs ``record_id``, ``locale``, ``kind`` and ``text``. Records without a locale
    get the language-independent (``und``) rules.
    """
    if records.height == 0:
        return pl.DataFrame(schema=MATCHES_SCHEMA)
    packs = pack_set(ctx, config)
    frame = records.select(
        "record_id", "locale", "kind", pl.col("text").fill_null("")
    ).with_row_index("_pos")
    parts: list[pl.DataFrame] = []
    for locale in frame["locale"].unique(maintain_order=True).to_list():
        tag = locale or "und"
        rules = [e.rule for e in packs.effective(tag, check) if e.rule.applies_to_locale(locale)]
        if not rules:
            continue
        subset = frame.filter(pl.col("locale").is_null() if locale is None else pl.col("locale") == locale)
        compiled = compiled_rules(tag, rules, ctx)
        # matches depend on the text alone: each distinct text is matched once (training data
        # repeats utterances), and its hits go to every record that has it
        distinct = subset.select("text").unique(maintain_order=True).with_row_index("_row")
        tokens = tokenize(
            distinct.select(
                pl.col("_row").cast(pl.String).alias("record_id"), pl.lit(tag).alias("locale"), "text"
            ),
            ctx,
        )
        hits = compiled.match(distinct["text"].to_list(), tokens["tokens"])
        if hits.height == 0:
            continue
        rows = subset.join(distinct.with_columns(pl.col("_row").cast(pl.Int64)), on="text", how="inner").select(
            "_row", "record_id", "kind", "text"
        )
        matched = (
            hits.join(rows, on="_row", how="left")
            .join(_rule_table(rules), on="rule", how="left")
            .filter(
                (pl.col("scope") == "both")
                | pl.col("kind").is_null()
                | (pl.col("scope") == pl.col("kind"))
            )
        )
        parts.append(matched)
    if not parts:
        return pl.DataFrame(schema=MATCHES_SCHEMA)
    matched = pl.concat(parts, how="vertical")
    text_match = pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start"))
    matched = matched.with_columns(text_match.alias("match"))
    suggestion = _cased_suggestion(pl.col("suggestion"), pl.col("match"))
    return matched.select(
        "record_id",
        pl.col("rule_id").alias("rule"),
        pl.coalesce("severity", "rule_severity").alias("severity"),
        "start",
        "end",
        "match",
        suggestion.alias("suggestion"),
        pl.coalesce("category", "rule_category").alias("category"),
        pl.col("template")
        .str.replace_all("{match}", pl.col("match"), literal=True)
        .str.replace_all("{suggestion}", suggestion.fill_null(""), literal=True)
        .alias("message"),
    )


def _cased_suggestion(suggestion: pl.Expr, match: pl.Expr) -> pl.Expr:
    """Give a suggestion the case of the text it replaces (``Email`` → ``E-mail``, ``EMAIL`` → ``E-MAIL``).

    A suggestion that has capitals of its own (``E-Mail``) is a spelling and is kept as written.
    """
    own_caps = suggestion != suggestion.str.to_lowercase()
    all_caps = (match == match.str.to_uppercase()) & (match != match.str.to_lowercase()) & (match.str.len_chars() > 1)
    title = match.str.slice(0, 1) != match.str.slice(0, 1).str.to_lowercase()
    return (
        pl.when(suggestion.is_null() | own_caps)
        .then(suggestion)
        .when(all_caps)
        .then(suggestion.str.to_uppercase())
        .when(title)
        .then(pl.concat_str([suggestion.str.slice(0, 1).str.to_uppercase(), suggestion.str.slice(1)]))
        .otherwise(suggestion)
    )


def run_pack(records: pl.DataFrame, ctx: CheckContext, check: str) -> pl.DataFrame:
    """Findings of every pack rule of ``check`` over ``records`` (all locales at once)."""
    matches = match_records(records, ctx, check)
    if matches.height == 0:
        return empty_findings()
    flagged = matches.join(
        records.select("record_id", "locale", "path", "line", "key", "text").unique("record_id", keep="first"),
        on="record_id",
        how="left",
    )
    findings = findings_from_records(
        flagged,
        rule=f"{check}/pack",
        severity="info",
        message=pl.col("message"),
        span=pl.struct(pl.col("start"), pl.col("end")).cast(SPAN_DTYPE),
        suggestion=pl.col("suggestion"),
        evidence=pl.concat_list(pl.col("match")),
    )
    # findings_from_records takes one rule and severity; packs give one per match
    return findings.with_columns(flagged["rule"].alias("rule"), flagged["severity"].alias("severity"))


__all__ = ["PackError", "effective_rules", "match_records", "pack_set", "run_pack"]
