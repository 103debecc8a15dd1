"""Running a set of pack rules over texts: one compiled matcher per locale, all kinds at once.

:class:`CompiledRules` turns the effective rules of a locale into one lexicon (lexicon terms
and substitution keys together), one RE2 set (pattern rules), one spaCy Matcher (token-pattern
rules) and one allowlist lexicon, and returns hits as a polars frame: which record, which rule,
which characters. Allowlists, de-duplication and the suggestion of substitution rules are
applied here so that ``run_pack``, ``rules test`` and the examples run by ``rules validate`` all
go through exactly the same code.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from locale_guard.packs.lexicon import Lexicon
from locale_guard.packs.model import PackRule, Term
from locale_guard.packs.regexes import PatternSet
from locale_guard.packs.tokenpatterns import TokenMatcher
from locale_guard.text.segmenters import Segmenter, spacy_blank
from locale_guard.text.tokens import segment_texts

#: one row per match: record row, rule index, span, and per-term overrides
MATCH_SCHEMA: dict[str, pl.DataType] = {
    "_row": pl.Int64(),
    "rule": pl.Int64(),
    "start": pl.Int32(),
    "end": pl.Int32(),
    "severity": pl.String(),
    "suggestion": pl.String(),
    "category": pl.String(),
}


def _token_vocab(segmenter: Segmenter):
    """The vocabulary the Matcher's Docs use: the language's own where spaCy segments it
    (lexical attributes such as IS_STOP and LIKE_NUM are per language), else multi-language."""
    nlp = spacy_blank(segmenter.language) if segmenter.name == "spacy" else None
    return (nlp or spacy_blank("xx")).vocab


class CompiledRules:
    """The rules that apply to one locale, compiled for matching."""

    def __init__(self, rules: Sequence[PackRule], segmenter: Segmenter) -> None:
        self.rules = list(rules)
        self.segmenter = segmenter
        terms: list[Term] = []
        entry_rule: list[int] = []
        for index, rule in enumerate(self.rules):
            if rule.kind in ("lexicon", "substitution"):
                terms.extend(rule.terms)
                entry_rule.extend([index] * len(rule.terms))
        self.lexicon = Lexicon(terms, segmenter)
        self.entries = pl.DataFrame(
            {
                "entry": list(range(len(terms))),
                "rule": entry_rule,
                "severity": [t.severity for t in terms],
                "suggestion": [t.suggestion for t in terms],
                "category": [t.category for t in terms],
            },
            schema={"entry": pl.Int64, "rule": pl.Int64, "severity": pl.String, "suggestion": pl.String, "category": pl.String},
        )
        self.pattern_rules = [i for i, r in enumerate(self.rules) if r.kind == "pattern" and r.pattern]
        self.patterns = (
            PatternSet([(self.rules[i].pattern or "", self.rules[i].case_sensitive) for i in self.pattern_rules])
            if self.pattern_rules
            else None
        )
        token_rules = [(i, r.patterns) for i, r in enumerate(self.rules) if r.kind == "token-pattern" and r.patterns]
        self.token_matcher = TokenMatcher(_token_vocab(segmenter), token_rules) if token_rules else None
        allow_terms = sorted({a for r in self.rules for a in r.allow})
        allow_index = {a: i for i, a in enumerate(allow_terms)}
        self.allow = Lexicon([Term(a, lemma=False, compound=False) for a in allow_terms], segmenter)
        self.allow_rules = pl.DataFrame(
            {
                "entry": [allow_index[a] for r in self.rules for a in r.allow],
                "rule": [i for i, r in enumerate(self.rules) for _ in r.allow],
            },
            schema={"entry": pl.Int64, "rule": pl.Int64},
        )

    def tokens_for(self, texts: Sequence[str]) -> pl.DataFrame:
        """Tokens of loose texts (examples, ``rules test``) with this locale's segmenter."""
        return segment_texts(texts, self.segmenter)

    def match(self, texts: Sequence[str], tokens: pl.Series) -> pl.DataFrame:
        """Every hit in ``texts`` (row = position in ``texts``); ``tokens`` aligned with texts."""
        if not self.rules or not texts:
            return pl.DataFrame(schema=MATCH_SCHEMA)
        token_frame = pl.DataFrame({"_row": pl.Series(range(len(texts)), dtype=pl.Int64), "tokens": tokens})
        parts: list[pl.DataFrame] = []
        found = self.lexicon.find(token_frame)
        if found.height:
            parts.append(
                found.join(self.entries, on="entry", how="inner").select(list(MATCH_SCHEMA))
            )
        if self.patterns is not None:
            rows, which, starts, ends = self.patterns.spans(texts)
            if rows:
                parts.append(
                    self._hits(rows, [self.pattern_rules[w] for w in which], starts, ends)
                )
        if self.token_matcher is not None:
            token_lists = tokens.to_list()
            rows, rules, starts, ends = self.token_matcher.spans(token_lists)
            if rows:
                parts.append(self._hits(rows, rules, starts, ends))
        if not parts:
            return pl.DataFrame(schema=MATCH_SCHEMA)
        hits = pl.concat(parts, how="vertical")
        hits = self._drop_allowed(hits, token_frame)
        return self._tidy(hits)

    @staticmethod
    def _hits(rows: list[int], rules: list[int], starts: list[int], ends: list[int]) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "_row": rows,
                "rule": rules,
                "start": starts,
                "end": ends,
                "severity": [None] * len(rows),
                "suggestion": [None] * len(rows),
                "category": [None] * len(rows),
            },
            schema=MATCH_SCHEMA,
        )

    def _drop_allowed(self, hits: pl.DataFrame, token_frame: pl.DataFrame) -> pl.DataFrame:
        """Remove hits lying inside an allowlisted word or phrase of the same rule."""
        if hits.height == 0 or self.allow_rules.height == 0:
            return hits
        rows_with_hits = token_frame.join(hits.select("_row").unique(), on="_row", how="semi")
        allowed = self.allow.find(rows_with_hits)
        if allowed.height == 0:
            return hits
        spans = allowed.join(self.allow_rules, on="entry", how="inner").select(
            "_row", "rule", pl.col("start").alias("a_start"), pl.col("end").alias("a_end")
        )
        inside = (
            hits.with_row_index("_hit")
            .join(spans, on=["_row", "rule"], how="inner")
            .filter((pl.col("a_start") <= pl.col("start")) & (pl.col("end") <= pl.col("a_end")))
            .select("_hit")
            .unique()
        )
        return hits.with_row_index("_hit").join(inside, on="_hit", how="anti").drop("_hit")

    @staticmethod
    def _tidy(hits: pl.DataFrame) -> pl.DataFrame:
        """One hit per rule and span, and none inside a longer hit of the same rule."""
        hits = hits.sort(["_row", "rule", "start", "end", "severity", "suggestion"], descending=[False, False, False, True, False, False], nulls_last=True)
        hits = hits.unique(["_row", "rule", "start", "end"], keep="first", maintain_order=True)
        reach = pl.col("end").cum_max().shift(1).over(["_row", "rule"])
        return hits.filter(reach.is_null() | (pl.col("end") > reach)).select(list(MATCH_SCHEMA))
