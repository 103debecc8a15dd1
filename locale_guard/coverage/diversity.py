"""Lexical diversity per intent: templated or copy-pasted examples against the pivot's.

The measure is the distinct-n ratio: distinct n-grams / all n-grams over an intent's examples
("set an alarm for 7", "set an alarm for 8" share most of their bigrams). Two corrections make
it comparable across locales:

* Sample size. The ratio falls as examples are added, so each locale is measured on a sample of
  k = min(its count, the pivot's count, ``diversity-sample``) examples, and the pivot's ratio is
  read at the same k. The pivot's ratio at every k comes from one pass: each n-gram counts as
  new at the rank of the first example that has it, and cumulative sums give distinct and total
  counts for every prefix of the (hash-shuffled) examples.
* Language. Polish has more word forms than English and Japanese is measured in characters, so
  a locale's ratios run higher or lower across the board. Each intent's ratio to the pivot is
  divided by the locale's median ratio over its intents (when it has enough intents), so only an
  intent far below the locale's own norm is reported.
"""

from __future__ import annotations

import polars as pl

from locale_guard.coverage.options import CoverageOptions
from locale_guard.coverage.text import tokens

DIVERSITY_SCHEMA: dict[str, pl.DataType] = {
    "locale": pl.String(),
    "intent": pl.String(),
    "count": pl.Int64(),
    "pivot_count": pl.Int64(),
    "sample": pl.Int64(),
    "distinct_ratio": pl.Float64(),
    "pivot_distinct_ratio": pl.Float64(),
    "relative": pl.Float64(),
    "locale_median": pl.Float64(),
    "score": pl.Float64(),
    "low": pl.Boolean(),
    "repeated": pl.List(pl.String()),
    "records": pl.List(pl.String()),
    "reference_records": pl.List(pl.String()),
}

_HASH_SEED = 20220415  # MASSIVE's release date: any fixed seed makes the samples reproducible


def _ngrams(sampled: pl.LazyFrame, n: int, locales: list[str], *, as_text: bool = False) -> pl.LazyFrame:
    """One row per n-gram occurrence: locale, intent, rank and ``gram``.

    ``gram`` is a 64-bit hash of the n token hashes (counting distinct values needs no text,
    and hashing each token once is much cheaper than building n-gram strings); ``as_text``
    gives the n-gram itself, for showing the most repeated ones.
    """
    exploded = (
        tokens(sampled.select("locale", "intent", "_rank", "_norm"), locales)
        .with_row_index("_r")
        .select("locale", "intent", "_rank", "_r", "_tok")
        .explode("_tok")
        .filter(pl.col("_tok").is_not_null() & (pl.col("_tok") != ""))
    )
    if as_text:
        gram = pl.concat_str([pl.col("_tok").shift(-i) for i in range(n)], separator=" ")
    else:
        exploded = exploded.with_columns(pl.col("_tok").hash(_HASH_SEED).alias("_tok"))
        gram = pl.struct([pl.col("_tok").shift(-i).alias(f"t{i}") for i in range(n)]).hash(_HASH_SEED)
    same_record = pl.col("_r").shift(-(n - 1)) == pl.col("_r")
    return (
        exploded.with_columns(gram.alias("gram"), same_record.fill_null(False).alias("_ok"))
        .filter(pl.col("_ok"))
        .select("locale", "intent", "_rank", "gram")
    )


def diversity(training: pl.DataFrame, pivot: str | None, opts: CoverageOptions) -> pl.DataFrame:
    """Per non-pivot locale and intent with enough examples: ratios, score and ``low``."""
    if pivot is None or training.height == 0:
        return pl.DataFrame(schema=DIVERSITY_SCHEMA)
    base = training.lazy().select("locale", "intent", "record_id", "_norm")
    counts = base.group_by("locale", "intent").agg(pl.len().cast(pl.Int64).alias("count"))
    pivot_counts = counts.filter(pl.col("locale") == pivot).select("intent", pl.col("count").alias("pivot_count"))
    targets = (
        counts.filter(pl.col("locale") != pivot)
        .join(pivot_counts, on="intent", how="inner")
        .with_columns(
            pl.min_horizontal("count", "pivot_count", pl.lit(opts.diversity_sample, dtype=pl.Int64)).alias("sample")
        )
        .filter(pl.col("sample") >= opts.diversity_min_examples)
    ).collect()
    if targets.height == 0:
        return pl.DataFrame(schema=DIVERSITY_SCHEMA)
    need = pl.concat(
        [
            targets.lazy().select("locale", "intent", "sample"),
            targets.lazy().group_by("intent").agg(pl.col("sample").max()).select(
                pl.lit(pivot).alias("locale"), "intent", "sample"
            ),
        ],
        how="vertical",
    )
    ranked = base.with_columns(
        pl.col("record_id").hash(_HASH_SEED).rank("ordinal").over("locale", "intent").cast(pl.Int64).alias("_rank")
    )
    sampled = ranked.join(need, on=["locale", "intent"], how="inner").filter(pl.col("_rank") <= pl.col("sample"))
    locales = training["locale"].unique().to_list()
    grams = _ngrams(sampled, opts.diversity_n, locales).collect()

    own = (
        grams.lazy()
        .filter(pl.col("locale") != pivot)
        .group_by("locale", "intent")
        .agg((pl.col("gram").n_unique() / pl.len()).alias("distinct_ratio"))
    )
    pivot_grams = grams.lazy().filter(pl.col("locale") == pivot)
    new_at = (
        pivot_grams.group_by("intent", "gram")
        .agg(pl.col("_rank").min())
        .group_by("intent", "_rank")
        .agg(pl.len().alias("_new"))
    )
    curve = (
        pivot_grams.group_by("intent", "_rank")
        .agg(pl.len().alias("_all"))
        .join(new_at, on=["intent", "_rank"], how="left")
        .sort("intent", "_rank")
        .with_columns(
            (pl.col("_new").fill_null(0).cum_sum().over("intent") / pl.col("_all").cum_sum().over("intent")).alias(
                "pivot_distinct_ratio"
            )
        )
        .select("intent", "_rank", "pivot_distinct_ratio")
        .collect()
    )
    rows = (
        targets.sort("sample")
        .join_asof(
            curve.sort("_rank"),
            left_on="sample",
            right_on="_rank",
            by="intent",
            strategy="backward",
            check_sortedness=False,  # sorted by rank within each intent, which is what counts
        )
        .lazy()
        .join(own, on=["locale", "intent"], how="left")
        .with_columns(
            pl.when(pl.col("pivot_distinct_ratio") > 0)
            .then(pl.col("distinct_ratio") / pl.col("pivot_distinct_ratio"))
            .alias("relative")
        )
        .with_columns(
            pl.when(pl.col("relative").count().over("locale") >= opts.diversity_median_min_intents)
            .then(pl.col("relative").median().over("locale"))
            .otherwise(pl.lit(1.0))
            .alias("locale_median")
        )
        .with_columns((pl.col("relative") / pl.col("locale_median")).alias("score"))
        .with_columns((pl.col("score") < opts.diversity_ratio).fill_null(False).alias("low"))
        .collect()
    )
    return _with_examples(rows, sampled, ranked, pivot, opts, locales).select(list(DIVERSITY_SCHEMA)).sort(
        "locale", "intent"
    ).cast(DIVERSITY_SCHEMA)


def _with_examples(
    rows: pl.DataFrame,
    sampled: pl.LazyFrame,
    ranked: pl.LazyFrame,
    pivot: str,
    opts: CoverageOptions,
    locales: list[str],
) -> pl.DataFrame:
    """For low rows: the most repeated n-grams and sample record ids of locale and pivot."""
    low = rows.lazy().filter(pl.col("low")).select("locale", "intent")
    limit = opts.report_records
    repeated = (
        _ngrams(sampled.join(low, on=["locale", "intent"], how="semi"), opts.diversity_n, locales, as_text=True)
        .group_by("locale", "intent", "gram")
        .agg(pl.len().alias("_n"))
        .sort("_n", "gram", descending=[True, False])
        .group_by("locale", "intent", maintain_order=True)
        .agg(pl.concat_str([pl.col("gram"), pl.lit(" ×"), pl.col("_n").cast(pl.String)]).head(3).alias("repeated"))
    )
    mine = (
        ranked.join(low, on=["locale", "intent"], how="semi")
        .filter(pl.col("_rank") <= limit)
        .sort("_rank")
        .group_by("locale", "intent", maintain_order=True)
        .agg(pl.col("record_id").alias("records"))
    )
    theirs = (
        ranked.filter(pl.col("locale") == pivot)
        .join(low.select("intent").unique(), on="intent", how="semi")
        .filter(pl.col("_rank") <= limit)
        .sort("_rank")
        .group_by("intent", maintain_order=True)
        .agg(pl.col("record_id").alias("reference_records"))
    )
    empty = pl.lit([], dtype=pl.List(pl.String()))
    return (
        rows.lazy()
        .join(repeated, on=["locale", "intent"], how="left")
        .join(mine, on=["locale", "intent"], how="left")
        .join(theirs, on="intent", how="left")
        .with_columns(
            pl.when(pl.col("low")).then(pl.col(c).fill_null(empty)).otherwise(empty).alias(c)
            for c in ("repeated", "records", "reference_records")
        )
        .collect()
    )
