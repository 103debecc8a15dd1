"""Coverage: is every source string translated, in every file, in every target locale?

A key added to ``en-US.json`` and forgotten in ``pl-PL.json`` makes the assistant fall back to
English (or say nothing) mid-conversation; a whole missing ``de/dialog/weather.json`` hides
behind a passing build. Everything here is joins and anti-joins over (catalog, key) and
(root, locale), so a catalog of a million strings in forty locales costs a few joins.

Each rule is a function ``(records, ctx) -> findings`` registered with :func:`rule_function`;
:func:`run` calls them all. Rules about training-data coverage are added the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from locale_guard.checks import Check, CheckContext, Rule
from locale_guard.config import ConfigError
from locale_guard.coverage.rules import TRAINING_RULE_FUNCTIONS
from locale_guard.coverage.ruleset import TRAINING_RULES
from locale_guard.findings import empty_findings, findings_from_records
from locale_guard.placeholders_syntax import PLACEHOLDER_PATTERN

RULES = (
    Rule(
        "coverage/missing-key",
        "error",
        "a key of the source catalog is missing from a target locale's file",
        "The assistant falls back to the source language or to nothing for this string.",
    ),
    Rule(
        "coverage/missing-file",
        "error",
        "a catalog file of the source locale has no counterpart in a target locale",
        "Reported for target locales that have other files under the same root, at the path "
        "the file would have.",
    ),
    Rule(
        "coverage/extra-key",
        "warning",
        "a target file has a key the source catalog lacks",
        "Usually a key renamed or removed in the source and left behind in translations.",
    ),
    Rule(
        "coverage/untranslated",
        "warning",
        "the translation is the source text unchanged, or empty in a PO/XLIFF file",
        "Strings that are only placeholders, numbers, punctuation, URLs, acronyms or names from "
        "[checks.coverage] brand-names are not reported.",
    ),
    Rule(
        "coverage/empty",
        "warning",
        "an empty or whitespace-only string, or a file with no strings",
    ),
    # training data (intents, slots, duplicates, leaks...) and response variants
    *TRAINING_RULES,
)

RuleFunction = Callable[[pl.DataFrame, CheckContext], pl.DataFrame]

#: the rule functions :func:`run` calls, in order; add one with :func:`rule_function`
RULE_FUNCTIONS: list[RuleFunction] = []

_FILE_COLUMNS: dict[str, pl.DataType] = {
    "path": pl.String(),
    "locale": pl.String(),
    "catalog": pl.String(),
    "root": pl.String(),
    "format": pl.String(),
    "records": pl.Int64(),
}
_PLURAL_SUFFIX = r"^(.+?)(_ordinal)?_(zero|one|two|few|many|other)$"
_URL = r"(?i)(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+"
_MESSAGE_TEXT_CHARS = 80


def rule_function(fn: RuleFunction) -> RuleFunction:
    """Register a coverage rule function (decorator); it runs on every ``run``."""
    RULE_FUNCTIONS.append(fn)
    return fn


# --------------------------------------------------------------------------------- helpers


def _files(ctx: CheckContext) -> pl.DataFrame:
    """``ctx.files`` with every expected column, so rules need no special cases for tests."""
    files = ctx.files
    missing = [pl.lit(None, dtype=t).alias(n) for n, t in _FILE_COLUMNS.items() if n not in files.columns]
    if missing:
        files = files.with_columns(missing) if files.width else pl.DataFrame(schema=_FILE_COLUMNS)
    return files.select([pl.col(n).cast(t) for n, t in _FILE_COLUMNS.items()])


def _with_catalog(records: pl.DataFrame) -> pl.DataFrame:
    if "catalog" in records.columns:
        return records
    return records.with_columns(pl.col("path").alias("catalog"))


def _catalog_records(records: pl.DataFrame) -> pl.DataFrame:
    """Keyed catalog strings (not training data), with ``_ckey``, the key coverage compares.

    i18next spells plural forms as keys (``items_one``, ``items_few``, ``items_other``) and
    each language has its own set, so suffixed keys whose group has an ``_other`` compare by
    their base: Japanese ``items_other`` covers English ``items_one``, Polish ``items_few``
    is not an extra key. Per-locale plural forms are the placeholders check's business.
    """
    frame = _with_catalog(records).filter(
        pl.col("key").is_not_null()
        & pl.col("partition").is_null()
        & pl.col("locale").is_not_null()
        # utterances are written per language, not translated key by key (OVOS .intent files)
        & (pl.col("kind") != "utterance")
    )
    groups = pl.col("key").str.extract_groups(_PLURAL_SUFFIX)
    frame = frame.with_columns(
        pl.concat_str([groups.struct.field("1"), groups.struct.field("2").fill_null("")]).alias("_base"),
        groups.struct.field("3").alias("_form"),
    )
    has_other = (pl.col("_form") == "other").any().over("catalog", "locale", "_base")
    return frame.with_columns(
        pl.when(pl.col("_form").is_not_null() & has_other.fill_null(False))
        .then(pl.col("_base"))
        .otherwise(pl.col("key"))
        .alias("_ckey")
    ).drop("_base", "_form")


def _is_target(ctx: CheckContext) -> pl.Expr:
    return pl.col("locale").is_not_null() & (pl.col("locale") != pl.lit(ctx.source_locale))


def _short(expr: pl.Expr) -> pl.Expr:
    """A string cut to a readable length for messages."""
    return (
        pl.when(expr.str.len_chars() > _MESSAGE_TEXT_CHARS)
        .then(pl.concat_str([expr.str.slice(0, _MESSAGE_TEXT_CHARS - 1), pl.lit("…")]))
        .otherwise(expr)
    )


def _untranslated_flag() -> pl.Expr:
    return pl.col("flags").list.contains("untranslated").fill_null(False)


def _regex_escape(text: str) -> str:
    """Escape for both Rust regex (polars) and Python: ASCII punctuation but ``<`` and ``>``
    (``\\<`` is a word-start assertion in Rust's regex, and neither is special unescaped)."""
    return "".join(
        "\\" + ch if (ch.isascii() and not ch.isalnum() and not ch.isspace() and ch not in "<>") else ch
        for ch in text
    )


def brand_names(ctx: CheckContext) -> list[str]:
    """``[checks.coverage] brand-names``: names that stay the same in every language."""
    value = ctx.option("coverage", "brand-names", [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ConfigError("[checks.coverage] brand-names must be a list of strings")
    return sorted({v.strip() for v in value if v.strip()}, key=len, reverse=True)


def _brand_pattern(names: list[str]) -> str | None:
    parts = []
    for name in names:
        left = r"\b" if (name[0].isalnum() or name[0] == "_") else ""
        right = r"\b" if (name[-1].isalnum() or name[-1] == "_") else ""
        parts.append(f"{left}{_regex_escape(name)}{right}")
    return "(?i)(?:" + "|".join(parts) + ")" if parts else None


def _translatable(text: pl.Expr, brands: list[str]) -> pl.Expr:
    """True when a string has something to translate besides placeholders, numbers,
    punctuation, URLs, a single acronym, or brand names."""
    rest = text.str.replace_all(PLACEHOLDER_PATTERN, " ").str.replace_all(_URL, " ")
    pattern = _brand_pattern(brands)
    if pattern:
        rest = rest.str.replace_all(pattern, " ")
    rest = rest.str.strip_chars()
    has_letters = rest.str.contains(r"\p{L}")
    single_acronym = (
        rest.str.contains(r"^\S+$") & (rest == rest.str.to_uppercase()) & (rest != rest.str.to_lowercase())
    )
    return has_letters & ~single_acronym


# ------------------------------------------------------------------------------ the rules


@rule_function
def missing_keys(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """Keys of a source file absent from the same catalog's file in a target locale."""
    if ctx.source_locale is None:
        return empty_findings()
    cat = _catalog_records(records)
    source = (
        cat.filter(pl.col("locale") == ctx.source_locale)
        .sort(
            pl.col("plural").is_not_null() & (pl.col("plural") != "other"),
            pl.col("variant").fill_null(0),
            pl.col("line"),
            nulls_last=True,
        )
        .unique(["catalog", "_ckey"], keep="first", maintain_order=True)
        .select("catalog", "_ckey", "key", pl.col("text").alias("source"))
    )
    if source.height == 0:
        return empty_findings()
    files = _files(ctx)
    targets = (
        pl.concat(
            [
                files.filter(_is_target(ctx)).select("catalog", "locale", "path"),
                cat.filter(_is_target(ctx)).select("catalog", "locale", "path").unique(),
            ],
            how="vertical",
        )
        .sort("catalog", "locale", "path")
        .unique(["catalog", "locale"], keep="first", maintain_order=True)
    )
    present = cat.filter(_is_target(ctx)).select("catalog", "locale", "_ckey").unique()
    missing = (
        targets.join(source, on="catalog", how="inner")
        .join(present, on=["catalog", "locale", "_ckey"], how="anti")
        .with_columns(
            pl.lit(None, dtype=pl.Int32).alias("line"),
            pl.lit(None, dtype=pl.String).alias("record_id"),
            pl.col("source").alias("text"),
        )
        .sort("path", "key")
    )
    return findings_from_records(
        missing,
        rule="coverage/missing-key",
        severity="error",
        message=pl.concat_str(
            [
                pl.lit("missing translation of key '"),
                pl.col("key"),
                pl.lit("' (source: '"),
                _short(pl.col("source").fill_null("")),
                pl.lit("')"),
            ]
        ),
        suggestion=pl.concat_str([pl.lit("add '"), pl.col("key"), pl.lit("' to "), pl.col("path")]),
    )


@rule_function
def missing_files(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """Source catalog files with no counterpart in a target locale that has files nearby."""
    if ctx.source_locale is None:
        return empty_findings()
    files = _files(ctx).filter(
        pl.col("locale").is_not_null() & pl.col("catalog").str.contains("{locale}", literal=True)
    )
    source = (
        files.filter(pl.col("locale") == ctx.source_locale)
        .select("root", "catalog", pl.col("path").alias("source_path"))
        .unique(["root", "catalog"], keep="first", maintain_order=True)
    )
    pieces = pl.col("catalog").str.split("{locale}")
    prefix = pieces.list.first()
    suffix = pieces.list.slice(1).list.join("{locale}")
    # how this locale's folder or file name is spelled under this root (de_DE, de-rDE, de)
    spelled = (
        files.filter(_is_target(ctx))
        .sort("root", "locale", "path")
        .with_columns(prefix.alias("_pre"), suffix.alias("_suf"))
        .filter(
            pl.col("path").str.starts_with(pl.col("_pre"))
            & pl.col("path").str.ends_with(pl.col("_suf"))
            & (
                pl.col("path").str.len_chars()
                > pl.col("_pre").str.len_chars() + pl.col("_suf").str.len_chars()
            )
        )
        .with_columns(
            pl.col("path")
            .str.slice(
                pl.col("_pre").str.len_chars(),
                pl.col("path").str.len_chars()
                - pl.col("_pre").str.len_chars()
                - pl.col("_suf").str.len_chars(),
            )
            .alias("spelled")
        )
        .unique(["root", "locale"], keep="first", maintain_order=True)
        .select("root", "locale", "spelled")
    )
    existing = files.select("catalog", "locale").unique()
    missing = (
        spelled.join(source, on="root", how="inner")
        .join(existing, on=["catalog", "locale"], how="anti")
        .with_columns(
            pl.col("catalog").str.replace("{locale}", pl.col("spelled"), literal=True).alias("path"),
            pl.lit(None, dtype=pl.Int32).alias("line"),
            pl.lit(None, dtype=pl.String).alias("key"),
            pl.lit(None, dtype=pl.String).alias("record_id"),
            pl.lit(None, dtype=pl.String).alias("text"),
        )
        .sort("path")
    )
    if missing.height:
        # a file that exists but could not be read is already reported as an input error
        on_disk = [Path(p).exists() for p in missing["path"].to_list()]
        missing = missing.filter(~pl.Series(on_disk, dtype=pl.Boolean))
    return findings_from_records(
        missing,
        rule="coverage/missing-file",
        severity="error",
        message=pl.concat_str(
            [
                pl.lit("missing file: "),
                pl.col("path"),
                pl.lit(" ("),
                pl.col("locale"),
                pl.lit(" has no counterpart of "),
                pl.col("source_path"),
                pl.lit(")"),
            ]
        ),
        suggestion=pl.concat_str(
            [pl.lit("create "), pl.col("path"), pl.lit(" from "), pl.col("source_path")]
        ),
    )


@rule_function
def extra_keys(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """Keys of a target file that the source file of the same catalog does not have."""
    if ctx.source_locale is None:
        return empty_findings()
    cat = _catalog_records(records)
    is_source = pl.col("locale") == ctx.source_locale
    source_catalogs = (
        pl.concat([_files(ctx).filter(is_source)["catalog"], cat.filter(is_source)["catalog"]])
        .drop_nulls()
        .unique()
    )
    source_keys = cat.filter(is_source).select("catalog", "_ckey").unique()
    extra = (
        cat.filter(_is_target(ctx) & pl.col("catalog").is_in(source_catalogs.implode()))
        .join(source_keys, on=["catalog", "_ckey"], how="anti")
        .sort("path", "line", pl.col("variant").fill_null(0), nulls_last=True)
        .unique(["catalog", "locale", "key"], keep="first", maintain_order=True)
    )
    return findings_from_records(
        extra,
        rule="coverage/extra-key",
        severity="warning",
        message=pl.concat_str(
            [pl.lit("key '"), pl.col("key"), pl.lit(f"' is not in the source ({ctx.source_locale}) catalog")]
        ),
        suggestion=pl.lit("remove it, or add it to the source catalog"),
    )


@rule_function
def untranslated(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """Target strings identical to their source, and PO/XLIFF entries left untranslated."""
    flagged = records.filter(_untranslated_flag())
    if ctx.source_locale is not None:
        flagged = flagged.filter(pl.col("locale").ne_missing(pl.lit(ctx.source_locale)))
    target = pl.col("source_text").is_not_null() & pl.col("text").is_not_null() & ~_untranslated_flag()
    if ctx.source_locale is not None:
        # en-GB keeps most en-US strings as they are; only other languages must differ
        source_language = ctx.source_locale.split("-", 1)[0]
        target &= pl.col("locale").is_not_null() & (
            pl.col("locale").str.split("-").list.first() != pl.lit(source_language)
        )
    brands = brand_names(ctx)
    same = (
        records.filter(target)
        .filter(pl.col("text").str.strip_chars() == pl.col("source_text").str.strip_chars())
        .filter(_translatable(pl.col("text"), brands))
    )
    return pl.concat(
        [
            findings_from_records(
                same,
                rule="coverage/untranslated",
                severity="warning",
                message=pl.concat_str(
                    [
                        pl.lit("not translated: same text as the source ('"),
                        _short(pl.col("text")),
                        pl.lit("')"),
                    ]
                ),
                suggestion=pl.lit("translate it, or add the name to [checks.coverage] brand-names"),
            ),
            findings_from_records(
                flagged,
                rule="coverage/untranslated",
                severity="warning",
                message=pl.concat_str(
                    [
                        pl.lit("not translated (no translation in the file; source: '"),
                        _short(pl.col("source_text").fill_null("")),
                        pl.lit("')"),
                    ]
                ),
                suggestion=pl.lit("translate it"),
            ),
        ],
        how="vertical",
    )


@rule_function
def empty_strings(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """Empty or whitespace-only strings (entries a PO/XLIFF file marks untranslated aside)."""
    empty = records.filter(
        (pl.col("text").is_null() | (pl.col("text").str.strip_chars() == "")) & ~_untranslated_flag()
    )
    return findings_from_records(
        empty,
        rule="coverage/empty",
        severity="warning",
        message=pl.when(pl.col("text").fill_null("") == "")
        .then(pl.lit("empty string"))
        .otherwise(pl.lit("string is only whitespace")),
        suggestion=pl.when(pl.col("source_text").is_not_null())
        .then(pl.concat_str([pl.lit("translate '"), _short(pl.col("source_text")), pl.lit("'")]))
        .otherwise(pl.lit("write the text, or remove the entry")),
    )


@rule_function
def empty_files(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """Input files that were read and hold no string at all."""
    empty = (
        _files(ctx)
        .filter(pl.col("records") == 0)
        .with_columns(
            pl.lit(None, dtype=pl.Int32).alias("line"),
            pl.lit(None, dtype=pl.String).alias("key"),
            pl.lit(None, dtype=pl.String).alias("record_id"),
            pl.lit(None, dtype=pl.String).alias("text"),
        )
    )
    return findings_from_records(
        empty,
        rule="coverage/empty",
        severity="warning",
        message="file is empty",
        suggestion="add its strings, or delete the file",
    )


# training-data rules: locale_guard/coverage/rules.py (one shared analysis per run)
RULE_FUNCTIONS.extend(TRAINING_RULE_FUNCTIONS)


def run(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """Every registered coverage rule function, findings concatenated."""
    parts = [found for fn in RULE_FUNCTIONS if (found := fn(records, ctx)).height]
    return pl.concat(parts, how="vertical") if parts else empty_findings()


CHECK = Check(
    name="coverage",
    rules=RULES,
    run=run,
    description="every source key and file is translated in every target locale; training data "
    "covers every intent and slot type of the pivot locale, without duplicates, conflicts or leaks",
)
