"""Placeholders: a translation must carry the placeholders of its source, and valid ICU.

A lost ``{name}`` renders as a gap, an invented ``%s`` crashes a formatter, and an ICU plural
without the ``few`` case a Polish number needs reads wrongly for 2–4 and 22–24 items. Every
target record is compared with its own ``source_text`` (filled by the reader for PO/XLIFF, by
the engine's pairing otherwise), as multisets of (syntax kind, key), so reordering, which word
order often demands, is fine. Tokenising is in :mod:`locale_guard.placeholders_syntax`.

Template logic (``{% if %}``, ``{% set %}``, ``{# … #}``) is not compared: languages add
branches of their own (Hungarian articles, Polish plural forms). Training utterances are not
compared either: each language's sentences are written on their own, not translated.
ICU syntax and plural categories are checked in every record, the source's included.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

import polars as pl

from locale_guard.checks import Check, CheckContext, Rule
from locale_guard.findings import SPAN_DTYPE, empty_findings, findings_from_records
from locale_guard.placeholders_syntax import LOGIC_KINDS, Tokenized, token_span, tokenize
from locale_guard.tags import babel_identifier, language_of

RULES = (
    Rule(
        "placeholders/missing",
        "error",
        "a placeholder of the source is missing from the translation",
        "The app fills placeholders at run time; a translation without one drops the value "
        "(a name, a number) from what the assistant says.",
    ),
    Rule(
        "placeholders/extra",
        "error",
        "the translation has a placeholder its source does not have",
        "The formatter has no value for it: it is shown verbatim or the formatting fails.",
    ),
    Rule(
        "placeholders/renamed",
        "error",
        "a placeholder was renamed in the translation ({name} → {nom})",
        "Placeholder names are code, not text; translate the words around them only.",
    ),
    Rule(
        "placeholders/plural-categories",
        "error",
        "an ICU plural lacks a CLDR plural category the locale needs, or has one it never uses",
        "Errors name the categories the locale requires (Polish: one, few, many, other); "
        "warnings (same rule, severity warning) name cases the locale never selects. "
        "Exact cases such as =0 are always allowed.",
    ),
    Rule(
        "placeholders/icu-syntax",
        "error",
        "unbalanced braces or a message ICU MessageFormat cannot parse",
        "A literal brace in an ICU message is written '{' or '}' (apostrophe-quoted).",
    ),
)

_RECORD_COLS = ("record_id", "locale", "path", "line", "key", "text", "source_text", "flags")
_EXTRA_COLS = ("catalog", "variant", "kind")
_ORDER = ("zero", "one", "two", "few", "many", "other")
#: decimals that tell whether a plural category also covers fractions (then =N cannot cover it)
_DECIMALS = tuple(Decimal(x) for x in ("0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.5", "10.5", "100.5"))
_INTEGERS = (*range(0, 2001), 10**6, 10**7, 10**9)


def _span(start: str = "start", end: str = "end") -> pl.Expr:
    return (
        pl.when(pl.col(start).is_not_null())
        .then(pl.struct(pl.col(start).cast(pl.Int32).alias("start"), pl.col(end).cast(pl.Int32).alias("end")))
        .otherwise(pl.lit(None, dtype=SPAN_DTYPE))
    )


def _with_record(frame: pl.DataFrame, recs: pl.DataFrame) -> pl.DataFrame:
    return frame.join(recs.select("_row", *_RECORD_COLS[:-2], "source_text"), on="_row", how="left")


# ------------------------------------------------------------------------------ icu-syntax


def _syntax_findings(recs: pl.DataFrame, tok: Tokenized) -> pl.DataFrame:
    if tok.errors.height == 0:
        return empty_findings()
    hits = recs.join(tok.errors, left_on="text", right_on="string", how="inner")
    message = pl.col("message")
    suggestion = (
        pl.when(message.str.contains("never closed"))
        .then(pl.lit("close it with '}', or write a literal brace quoted as '{'"))
        .when(message.str.contains("unexpected '}'"))
        .then(pl.lit("remove it, or write a literal brace quoted as '}'"))
        .when(message.str.contains("no 'other' case"))
        .then(pl.lit("add an 'other {…}' case"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return findings_from_records(
        hits,
        rule="placeholders/icu-syntax",
        severity="error",
        message=pl.concat_str([pl.lit("invalid ICU message: "), message]),
        span=_span(),
        suggestion=suggestion,
    )


# ------------------------------------------------------------------------ plural-categories


@lru_cache(maxsize=1024)
def _cldr_rule(locale: str, ordinal: bool) -> Any:
    """Babel's plural rule for a locale (its language when the region is unknown), or None."""
    from babel import Locale, UnknownLocaleError

    for ident in dict.fromkeys((babel_identifier(locale), language_of(locale))):
        try:
            loc = Locale.parse(ident)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        return loc.ordinal_form if ordinal else loc.plural_form
    return None


def _required(rule: Any) -> tuple[str, ...]:
    return tuple(c for c in _ORDER if c in (set(rule.tags) | {"other"}))


@lru_cache(maxsize=4096)
def _covered_by_exact(locale: str, ordinal: bool, category: str, exact: frozenset[Decimal]) -> bool:
    """True when ``=N`` cases list every number of ``category`` (English ``one`` by ``=1``).

    Only categories made of a few integers qualify: French ``one`` also covers 1.5, so ``=1``
    does not replace it.
    """
    if not exact:
        return False
    rule = _cldr_rule(locale, ordinal)
    members = [n for n in _INTEGERS if rule(n) == category]
    if not members or len(members) > len(exact):
        return False
    if not ordinal and any(rule(d) == category for d in _DECIMALS):
        return False
    return all(Decimal(n) in exact for n in members)


def _judge_plural(locale: str, arg_type: str, selectors: list[str]) -> dict[str, Any] | None:
    ordinal = arg_type == "selectordinal"
    rule = _cldr_rule(locale, ordinal)
    if rule is None:
        return None
    required = _required(rule)
    exact = frozenset(Decimal(s[1:]) for s in selectors if s.startswith("="))
    missing = [c for c in required if c not in selectors and not _covered_by_exact(locale, ordinal, c, exact)]
    unused = [s for s in selectors if not s.startswith("=") and s not in required]
    kind = "ordinal" if ordinal else "plural"
    cldr = ", ".join(required)
    return {
        "missing_msg": (
            f" lacks {', '.join(missing)}: {locale} needs the {kind} categories {cldr} (CLDR)"
            if missing
            else None
        ),
        "missing_fix": " ".join(f"{c} {{…}}" for c in missing) if missing else None,
        "unused_msg": (
            f" has {', '.join(unused)}, which {locale} never selects (its {kind} categories: {cldr})"
            if unused
            else None
        ),
        "unused_fix": f"remove the case(s) {', '.join(unused)}" if unused else None,
    }


def _plural_findings(recs: pl.DataFrame, tok: Tokenized) -> pl.DataFrame:
    if tok.plurals.height == 0:
        return empty_findings()
    plurals = tok.plurals.with_columns(pl.col("selectors").list.join(" ").alias("_sel"))
    hits = recs.filter(pl.col("locale").is_not_null()).join(
        plurals, left_on="text", right_on="string", how="inner"
    )
    if hits.height == 0:
        return empty_findings()
    verdicts = []
    for locale, arg_type, sel in hits.select("locale", "type", "_sel").unique().iter_rows():
        verdict = _judge_plural(locale, arg_type, sel.split(" "))
        if verdict is not None:
            verdicts.append({"locale": locale, "type": arg_type, "_sel": sel, **verdict})
    if not verdicts:
        return empty_findings()
    judged = hits.join(pl.DataFrame(verdicts), on=["locale", "type", "_sel"], how="inner")
    head = pl.concat_str([pl.col("type"), pl.lit(" '"), pl.col("name"), pl.lit("'")])
    missing = judged.filter(pl.col("missing_msg").is_not_null())
    unused = judged.filter(pl.col("unused_msg").is_not_null())
    return pl.concat(
        [
            findings_from_records(
                missing,
                rule="placeholders/plural-categories",
                severity="error",
                message=pl.concat_str([head, pl.col("missing_msg")]),
                span=_span(),
                suggestion=pl.concat_str([pl.lit("add "), pl.col("missing_fix")]),
            ),
            findings_from_records(
                unused,
                rule="placeholders/plural-categories",
                severity="warning",
                message=pl.concat_str([head, pl.col("unused_msg")]),
                span=_span(),
                suggestion=pl.col("unused_fix"),
            ),
        ]
    )


# ---------------------------------------------------------------- missing / extra / renamed


def _fill_spans(frame: pl.DataFrame) -> pl.DataFrame:
    """Character spans of flat tokens, found again in the few strings that have a finding."""
    todo = frame.filter(pl.col("start").is_null())
    if todo.height == 0:
        return frame
    starts, ends = [], []
    for text, ordinal, raw in todo.select("text", "ordinal", "raw").iter_rows():
        found = token_span(text, ordinal, raw) if text is not None and raw is not None else None
        starts.append(found[0] if found else None)
        ends.append(found[1] if found else None)
    filled = todo.with_columns(
        pl.Series("start", starts, dtype=pl.Int32), pl.Series("end", ends, dtype=pl.Int32)
    )
    return pl.concat([frame.filter(pl.col("start").is_not_null()), filled], how="vertical")


def _ranked(frame: pl.DataFrame, order: str) -> pl.DataFrame:
    """One row per surplus occurrence, numbered within (record, kind) in string order."""
    return (
        frame.explode("j")
        .sort("_row", "kind", order, "j")
        .with_columns(pl.int_range(pl.len(), dtype=pl.Int32).over("_row", "kind").alias("rank"))
    )


def _comparable(tok: Tokenized) -> pl.DataFrame:
    """Tokens that must survive translation, in string order, numbered per (string, kind, key).

    The token's key is renamed ``tkey`` so it never collides with the record's ``key``.
    """
    return (
        tok.tokens.filter(~pl.col("kind").is_in(LOGIC_KINDS))
        .rename({"key": "tkey"})
        .sort("string", "ordinal")
        .with_columns(pl.int_range(pl.len(), dtype=pl.Int32).over("string", "kind", "tkey").alias("occ"))
    )


def _counts(tokens: pl.DataFrame) -> pl.DataFrame:
    """Per string and (kind, key): how many, where first, and how it is written there."""
    return tokens.group_by("string", "kind", "tkey").agg(
        pl.len().cast(pl.Int32).alias("n"),
        pl.col("ordinal").min().alias("first"),
        pl.col("label").sort_by("ordinal").first().alias("label"),
    )


def _differences(pairs: pl.DataFrame, counts: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Surplus occurrences on each side of every (target, source) pair, one row each."""

    def side(text: str, suffix: str) -> pl.DataFrame:
        return (
            pairs.select("_row", text)
            .join(counts, left_on=text, right_on="string", how="inner")
            .select(
                "_row",
                "kind",
                "tkey",
                pl.col("n").alias(f"n_{suffix}"),
                pl.col("first").alias(f"ord_{suffix}"),
                pl.col("label").alias(f"label_{suffix}"),
            )
        )

    both = (
        side("source_text", "src")
        .join(side("text", "tgt"), on=["_row", "kind", "tkey"], how="full", coalesce=True)
        .with_columns(pl.col("n_src").fill_null(0), pl.col("n_tgt").fill_null(0))
    )
    missing = both.filter(pl.col("n_tgt") < pl.col("n_src")).with_columns(
        pl.int_ranges(pl.col("n_src") - pl.col("n_tgt"), dtype=pl.Int32).alias("j")
    )
    # an extra occurrence is the target's (n_src + j)-th of its key: its ``occ`` is ``j``
    extra = both.filter(pl.col("n_tgt") > pl.col("n_src")).with_columns(
        pl.int_ranges(pl.col("n_src"), pl.col("n_tgt"), dtype=pl.Int32).alias("j")
    )
    return _ranked(missing, "ord_src"), _ranked(extra, "ord_tgt")


def _split_renamed(
    missing: pl.DataFrame, extra: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Pair the n-th missing with the n-th extra placeholder of the same kind in a string."""
    on = ["_row", "kind", "rank"]
    renamed = missing.select(*on, "label_src").join(
        extra.select(*on, "tkey", "j", "label_tgt"), on=on, how="inner"
    )
    missing = missing.join(renamed, on=on, how="anti")
    extra = extra.join(renamed, on=on, how="anti")
    # a renamed plural argument also renames its '#'; the head's finding says it once
    renamed = renamed.filter(~((pl.col("label_src") == "#") & (pl.col("label_tgt") == "#")))
    return missing, extra, renamed


def _compare_findings(pairs: pl.DataFrame, recs: pl.DataFrame, tok: Tokenized) -> pl.DataFrame:
    broken = tok.errors["string"].implode()
    pairs = pairs.filter(
        ~pl.col("text").is_in(broken)
        & ~pl.col("source_text").is_in(broken)
        & (pl.col("text") != pl.col("source_text"))
    )
    tokens = _comparable(tok)
    if pairs.height == 0 or tokens.height == 0:
        return empty_findings()
    missing, extra = _differences(pairs, _counts(tokens))
    if missing.height == 0 and extra.height == 0:
        return empty_findings()
    missing, extra, renamed = _split_renamed(missing, extra)
    locate = tokens.select(
        pl.col("string").alias("text"),
        "kind",
        "tkey",
        pl.col("occ").alias("j"),
        "ordinal",
        "raw",
        "label",
        "start",
        "end",
    )

    def located(frame: pl.DataFrame) -> pl.DataFrame:
        frame = _with_record(frame, recs).join(locate, on=["text", "kind", "tkey", "j"], how="left")
        return _fill_spans(frame)

    def placeholder(col: str, then: str) -> pl.Expr:
        return pl.concat_str([pl.lit("placeholder "), pl.col(col), pl.lit(then)])

    parts = []
    if missing.height:
        gone = _with_record(
            missing.group_by("_row", "kind", "tkey").agg(
                pl.len().alias("times"), pl.col("label_src").first()
            ),
            recs,
        )
        times = (
            pl.when(pl.col("times") > 1)
            .then(pl.concat_str([pl.lit(" ("), pl.col("times").cast(pl.String), pl.lit(" times)")]))
            .otherwise(pl.lit(""))
        )
        parts.append(
            findings_from_records(
                gone,
                rule="placeholders/missing",
                severity="error",
                message=pl.concat_str([placeholder("label_src", " of the source is missing"), times]),
                suggestion=pl.concat_str([pl.lit("add "), pl.col("label_src")]),
                evidence=pl.concat_list([pl.col("label_src")]),
            )
        )
    if extra.height:
        parts.append(
            findings_from_records(
                located(extra),
                rule="placeholders/extra",
                severity="error",
                message=placeholder("label", " is not in the source"),
                span=_span(),
                suggestion=pl.concat_str([pl.lit("remove "), pl.col("label")]),
                evidence=pl.concat_list([pl.col("label")]),
            )
        )
    if renamed.height:
        parts.append(
            findings_from_records(
                located(renamed),
                rule="placeholders/renamed",
                severity="error",
                message=pl.concat_str(
                    [placeholder("label", " should be "), pl.col("label_src"), pl.lit(" as in the source")]
                ),
                span=_span(),
                suggestion=pl.col("label_src"),
                evidence=pl.concat_list([pl.col("label"), pl.col("label_src")]),
            )
        )
    return pl.concat(parts, how="vertical") if parts else empty_findings()


# ------------------------------------------------------------------- which source variant


def _nearest_source(
    pairs: pl.DataFrame, recs: pl.DataFrame, tok: Tokenized, source_locale: str | None
) -> pl.DataFrame:
    """Compare each translation with the source variant whose placeholders are closest.

    A key may have several variants (``.dialog`` alternatives, arrays of responses) that the
    assistant picks from at random; translators reorder, merge or split them, so variant 2 of
    the Czech file need not translate variant 2 of the English one. When a key has several
    source variants, the target is compared with the one that differs least in placeholders
    (its own index first on ties), so only a translation that fits *no* source variant is
    reported, against the variant it most resembles.
    """
    if source_locale is None or pairs.height == 0:
        return pairs
    candidates = (
        recs.filter(
            (pl.col("locale") == source_locale)
            & pl.col("key").is_not_null()
            & pl.col("catalog").is_not_null()
            & pl.col("text").is_not_null()
        )
        .select(
            "catalog", "key", pl.col("variant").fill_null(0).alias("cvariant"), pl.col("text").alias("cand")
        )
        .unique(["catalog", "key", "cand"], keep="first", maintain_order=True)
    )
    several = candidates.group_by("catalog", "key").len().filter(pl.col("len") > 1).select("catalog", "key")
    if several.height == 0:
        return pairs
    todo = pairs.join(several, on=["catalog", "key"], how="semi")
    if todo.height == 0:
        return pairs
    options = todo.select("_row", "catalog", "key", "text", pl.col("variant").fill_null(0)).join(
        candidates, on=["catalog", "key"], how="inner"
    )
    counts = _comparable(tok).group_by("string", "kind", "tkey").agg(pl.len().cast(pl.Int32).alias("n"))
    mine = options.select("_row", "cand", "text").join(counts, left_on="text", right_on="string", how="inner")
    theirs = options.select("_row", "cand").join(counts, left_on="cand", right_on="string", how="inner")
    distance = (
        mine.select("_row", "cand", "kind", "tkey", pl.col("n").alias("n_t"))
        .join(
            theirs.select("_row", "cand", "kind", "tkey", pl.col("n").alias("n_c")),
            on=["_row", "cand", "kind", "tkey"],
            how="full",
            coalesce=True,
        )
        .group_by("_row", "cand")
        .agg((pl.col("n_t").fill_null(0) - pl.col("n_c").fill_null(0)).abs().sum().alias("distance"))
    )
    best = (
        options.join(distance, on=["_row", "cand"], how="left")
        .with_columns(pl.col("distance").fill_null(0))
        .sort("_row", "distance", pl.col("cvariant") != pl.col("variant"), "cvariant")
        .unique("_row", keep="first", maintain_order=True)
        .select("_row", "cand")
    )
    return (
        pairs.join(best, on="_row", how="left")
        .with_columns(pl.coalesce("cand", "source_text").alias("source_text"))
        .drop("cand")
    )


# ------------------------------------------------------------------------------------ run


def run(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    if records.height == 0:
        return empty_findings()
    extra = [
        pl.col(c)
        if c in records.columns
        else pl.lit(None, dtype=pl.Int32 if c == "variant" else pl.String).alias(c)
        for c in _EXTRA_COLS
    ]
    recs = records.select(*_RECORD_COLS, *extra).with_row_index("_row")
    is_target = pl.col("source_text").is_not_null() & pl.col("text").is_not_null()
    if ctx.source_locale is not None:
        # never compare a source record with itself (a bilingual reader may fill both sides)
        is_target &= pl.col("locale").ne_missing(pl.lit(ctx.source_locale))
    is_target &= (pl.col("text").str.strip_chars() != "") & ~pl.col("flags").list.contains(
        "untranslated"
    ).fill_null(False)
    # training sentences of two languages are written apart, not translated one from another
    is_target &= pl.col("kind").ne_missing(pl.lit("utterance"))
    pairs = recs.filter(is_target)
    strings = pl.concat([recs["text"], pairs["source_text"]])
    tok = tokenize(strings)
    pairs = _nearest_source(pairs, recs, tok, ctx.source_locale)
    parts = [
        _syntax_findings(recs, tok),
        _plural_findings(recs, tok),
        _compare_findings(pairs, recs, tok),
    ]
    return (
        pl.concat([p for p in parts if p.height], how="vertical")
        if any(p.height for p in parts)
        else empty_findings()
    )


CHECK = Check(
    name="placeholders",
    rules=RULES,
    run=run,
    description="placeholders, tags and ICU plurals of each translation match its source",
)
