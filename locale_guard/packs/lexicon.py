"""Lexicon matching in time linear in the text, whatever the size of the lexicon.

All terms of all rules that apply to a locale go into Aho-Corasick automata (pyahocorasick),
built once; each record is scanned once per automaton, never once per term. Three scans:

* **words**: the record's token normal forms joined by a separator that cannot occur in a
  token, against terms cut by the same segmenter and joined the same way, so a hit always
  covers whole tokens (``ass`` never matches inside ``class``) and multi-word terms work;
* **lemmas**: the same over lemmas, with each term in its lemma form and its surface form,
  which is how ``Häuser`` matches the term ``Haus`` (inflection-aware);
* **compounds**: single-word terms marked ``compound`` against the inside of tokens, kept only
  where the rest of the token is a plausible word part (at least :data:`MIN_COMPOUND_PART`
  letters), so ``wetter`` is found in ``Regenwetter`` and ``Wetterbericht``.

In languages written without spaces (Japanese, Chinese, Thai, ...) tokens are joined with no
separator and a hit counts only if it starts and ends on token boundaries. That makes matching
independent of how the segmenter happened to cut a term that spans several tokens.

Turning hits into character spans is done with polars joins on token offsets, not per hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick
import polars as pl

from locale_guard.packs.model import Term
from locale_guard.text.lemmas import has_lemmas
from locale_guard.text.normalise import casefold
from locale_guard.text.segmenters import Segmenter
from locale_guard.text.tokens import segment_texts

#: joins tokens in the strings the automata scan; a control character no token contains
SEP = "\x1f"
#: in a compound hit, the rest of the word on either side must be this long (or empty)
MIN_COMPOUND_PART = 3

HITS_SCHEMA = {"_row": pl.Int64, "entry": pl.Int64, "start": pl.Int32, "end": pl.Int32}


@dataclass(frozen=True)
class _Channel:
    name: str  # "norm" or "lemma": which token field the scanned string is made of
    automaton: ahocorasick.Automaton
    #: pattern id → pattern length
    lengths: pl.DataFrame
    #: pattern id → entry ids (one pattern may serve several entries)
    entries: pl.DataFrame
    compound: bool = False


class Lexicon:
    """Terms to find, each tied to an entry id the caller chose (rule and term index)."""

    def __init__(self, terms: Sequence[Term], segmenter: Segmenter) -> None:
        self.terms = list(terms)
        self.segmenter = segmenter
        self.continuous = segmenter.continuous
        self.channels: list[_Channel] = []
        if not self.terms:
            return
        texts = list(dict.fromkeys(t.term for t in self.terms))
        cut = segment_texts(texts, segmenter).select(
            "text",
            self._joined("norm").alias("surface"),
            self._joined("lemma").alias("lemmas"),
            pl.col("tokens").list.len().alias("ntok"),
            pl.col("tokens").list.first().struct.field("norm").alias("first"),
        )
        frame = pl.DataFrame(
            {
                "entry": range(len(self.terms)),
                "text": [t.term for t in self.terms],
                "lemma": [t.lemma for t in self.terms],
                "compound": [t.compound for t in self.terms],
            },
            schema={"entry": pl.Int64, "text": pl.String, "lemma": pl.Boolean, "compound": pl.Boolean},
        ).join(cut, on="text", how="inner").filter(pl.col("ntok") > 0)
        if frame.height == 0:
            return  # only whitespace terms: nothing to find
        words = frame.select("entry", pl.col("surface").alias("pattern"))
        self.channels.append(self._channel("norm", words, compound=False))
        if segmenter.gives_lemmas or has_lemmas(segmenter.language):
            inflected = frame.filter(pl.col("lemma"))
            lemmas = pl.concat(
                [
                    inflected.select("entry", pl.col("lemmas").alias("pattern")),
                    inflected.select("entry", pl.col("surface").alias("pattern")),
                ]
            ).unique()
            if lemmas.height:
                self.channels.append(self._channel("lemma", lemmas, compound=False))
        parts = frame.filter(
            pl.col("compound") & (pl.col("ntok") == 1) & (pl.col("first").str.len_chars() >= 2)
        ).select("entry", pl.col("first").alias("pattern"))
        if parts.height:
            self.channels.append(self._channel("norm", parts, compound=True))

    def _joined(self, field: str) -> pl.Expr:
        """A token field joined the way record strings are (see :meth:`_strings`)."""
        joined = pl.col("tokens").list.eval(pl.element().struct.field(field)).list.join(
            "" if self.continuous else SEP
        )
        if self.continuous:
            return joined
        return pl.concat_str([pl.lit(SEP), joined, pl.lit(SEP)])

    @staticmethod
    def _channel(name: str, frame: pl.DataFrame, compound: bool) -> _Channel:
        """An automaton over ``frame``'s distinct patterns, and which entries each serves."""
        patterns = (
            frame.select("pattern")
            .unique(maintain_order=True)
            .with_row_index("pid")
            .with_columns(pl.col("pid").cast(pl.Int64))
        )
        entries = frame.join(patterns, on="pattern", how="inner").select("pid", "entry")
        lengths = patterns.select("pid", pl.col("pattern").str.len_chars().cast(pl.Int64).alias("plen"))
        auto = ahocorasick.Automaton()
        for pattern, pid in zip(patterns["pattern"].to_list(), patterns["pid"].to_list(), strict=True):
            auto.add_word(pattern, pid)
        auto.make_automaton()
        return _Channel(name, auto, lengths, entries, compound)

    # ----------------------------------------------------------------------------- matching

    def find(self, tokens: pl.DataFrame) -> pl.DataFrame:
        """Hits in records: ``tokens`` has ``_row`` and ``tokens``; returns :data:`HITS_SCHEMA`."""
        if not self.channels or tokens.height == 0:
            return pl.DataFrame(schema=HITS_SCHEMA)
        exploded = self._explode(tokens)
        strings = {name: self._strings(tokens, name) for name in {c.name for c in self.channels}}
        rows = tokens["_row"].to_list()
        parts = [self._scan(channel, rows, strings[channel.name], exploded) for channel in self.channels]
        parts = [p for p in parts if p.height]
        if not parts:
            return pl.DataFrame(schema=HITS_SCHEMA)
        return pl.concat(parts, how="vertical").unique(maintain_order=True)

    def _explode(self, tokens: pl.DataFrame) -> pl.DataFrame:
        """One row per token with its offsets in the scanned strings of both channels."""
        lead = 0 if self.continuous else 1
        sep = 0 if self.continuous else 1
        frame = (
            tokens.select("_row", "tokens")
            .with_columns(pl.int_ranges(pl.col("tokens").list.len()).alias("tok"))
            .explode(["tokens", "tok"])
            .drop_nulls("tok")
            .unnest("tokens")
            .select("_row", "tok", "text", "norm", "lemma", "start", "end")
        )
        for field in ("norm", "lemma"):
            width = pl.col(field).str.len_chars().cast(pl.Int64)
            frame = frame.with_columns(
                ((width + sep).cum_sum().over("_row") - (width + sep) + lead).alias(f"{field}_s"),
            ).with_columns((pl.col(f"{field}_s") + width).alias(f"{field}_e"))
        return frame

    def _strings(self, tokens: pl.DataFrame, field: str) -> list[str]:
        return tokens.select(self._joined(field).alias("s"))["s"].to_list()

    def _scan(self, channel: _Channel, rows: list[int], strings: list[str], exploded: pl.DataFrame) -> pl.DataFrame:
        """Run one automaton over the records' strings; hits become token-aligned spans."""
        hit_rows: list[int] = []
        hit_pids: list[int] = []
        hit_ends: list[int] = []
        auto = channel.automaton
        for row, text in zip(rows, strings, strict=True):
            for end, pid in auto.iter(text):
                hit_rows.append(row)
                hit_pids.append(pid)
                hit_ends.append(end)
        if not hit_rows:
            return pl.DataFrame(schema=HITS_SCHEMA)
        hits = pl.DataFrame(
            {"_row": hit_rows, "pid": hit_pids, "last": hit_ends},
            schema={"_row": pl.Int64, "pid": pl.Int64, "last": pl.Int64},
        ).join(channel.lengths, on="pid", how="left")
        trim = 0 if (self.continuous or channel.compound) else 1
        hits = hits.select(
            "_row",
            "pid",
            (pl.col("last") - pl.col("plen") + 1 + trim).alias("s"),
            (pl.col("last") + 1 - trim).alias("e"),
        )
        s_col, e_col = f"{channel.name}_s", f"{channel.name}_e"
        if channel.compound:
            spans = self._compound_spans(hits, exploded, s_col, e_col)
        else:
            first = exploded.select("_row", pl.col(s_col).alias("s"), pl.col("start"))
            last = exploded.select("_row", pl.col(e_col).alias("e"), pl.col("end"))
            spans = (
                hits.join(first, on=["_row", "s"], how="inner")
                .join(last, on=["_row", "e"], how="inner")
                .select("_row", "pid", "start", "end")
            )
        return (
            spans.join(channel.entries, on="pid", how="inner")
            .select(
                pl.col("_row").cast(pl.Int64),
                pl.col("entry").cast(pl.Int64),
                pl.col("start").cast(pl.Int32),
                pl.col("end").cast(pl.Int32),
            )
        )

    def _compound_spans(self, hits: pl.DataFrame, exploded: pl.DataFrame, s_col: str, e_col: str) -> pl.DataFrame:
        """Hits inside one token whose remainders are plausible word parts."""
        toks = exploded.select(
            "_row", pl.col(s_col).alias("ts"), pl.col(e_col).alias("te"), "start", "end", "text", "norm"
        ).sort("_row", "ts")
        joined = hits.sort("_row", "s").join_asof(
            toks, left_on="s", right_on="ts", by="_row", strategy="backward", check_sortedness=False
        )
        before = pl.col("s") - pl.col("ts")
        after = pl.col("te") - pl.col("e")
        # a hyphen is a visible boundary (E-Mail-Adresse), whatever the length of the rest
        hyphen_before = pl.col("norm").str.slice((before - 1).clip(0), 1).is_in(_HYPHENS)
        hyphen_after = pl.col("norm").str.slice(pl.col("e") - pl.col("ts"), 1).is_in(_HYPHENS)
        minimum = 1 if self.continuous else MIN_COMPOUND_PART
        kept = joined.filter(
            pl.col("ts").is_not_null()
            & (pl.col("e") <= pl.col("te"))
            & ((before > 0) | (after > 0))
            & ((before == 0) | (before >= minimum) | hyphen_before)
            & ((after == 0) | (after >= minimum) | hyphen_after)
        )
        if kept.height == 0:
            return pl.DataFrame(schema={"_row": pl.Int64, "pid": pl.Int64, "start": pl.Int32, "end": pl.Int32})
        # where folding changed the length (ß → ss), map offsets character by character
        kept = kept.with_columns(before.alias("_b"), (pl.col("e") - pl.col("ts")).alias("_a"))
        same = pl.col("text").str.len_chars() == pl.col("norm").str.len_chars()
        plain = kept.filter(same).select(
            "_row", "pid", (pl.col("start") + pl.col("_b")).alias("start"), (pl.col("start") + pl.col("_a")).alias("end")
        )
        folded = kept.filter(~same)
        if folded.height == 0:
            return plain
        starts = [
            s + _text_offset(t, b) for s, t, b in zip(folded["start"], folded["text"], folded["_b"], strict=True)
        ]
        ends = [s + _text_offset(t, a) for s, t, a in zip(folded["start"], folded["text"], folded["_a"], strict=True)]
        remapped = folded.select("_row", "pid").with_columns(
            pl.Series("start", starts, dtype=plain.schema["start"]), pl.Series("end", ends, dtype=plain.schema["end"])
        )
        return pl.concat([plain, remapped], how="vertical")


_HYPHENS = ["-", "\u2010", "\u2011", "\u2012", "\u2013"]


def _text_offset(text: str, norm_offset: int) -> int:
    """The offset in ``text`` of the character at ``norm_offset`` in its casefolded form."""
    folded = 0
    for i, ch in enumerate(text):
        if folded >= norm_offset:
            return i
        folded += len(casefold(ch))
    return len(text)
