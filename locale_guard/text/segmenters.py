"""Word segmenters, one per kind of writing: which one a language gets, and how each runs.

* spaCy's blank pipelines (rule-based tokenizers with each language's exceptions) for the ~70
  languages spaCy has, run with ``nlp.tokenizer.pipe`` in batches and read back with
  ``Doc.to_array`` so no Python object is made per token;
* real segmenters where words are not separated by spaces: SudachiPy for Japanese, jieba for
  Chinese, PyThaiNLP for Thai, and Kiwi for Korean (whose spaces separate phrases made of
  several morphemes); the Japanese and Korean ones also give part of speech and inflection,
  which the formality check reads;
* for the rest (Welsh, Javanese, Georgian, Mongolian, Swahili, ...): a Unicode-aware regular
  expression over letters, marks and digits, with Han characters one per token; Burmese and
  Khmer, written without spaces and unknown to all of the above, are cut into orthographic
  syllables so that words can still be matched on syllable boundaries.

Every segmenter returns the same columns: text index, start and end character offsets, and,
where it knows them, lemma and part of speech. Segmenters whose packages are missing fall
back to the regular expression, so a minimal install still works, only less precisely.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import regex

#: Languages written without spaces between words. Matching on them joins tokens with no
#: separator and requires a hit to start and end on token boundaries (see locale_guard.packs).
CONTINUOUS_LANGUAGES = frozenset({"ja", "zh", "yue", "wuu", "th", "lo", "km", "my", "bo", "dz"})

#: Languages whose spaCy support needs packages we replace with our own segmenters.
_OWN_SEGMENTER = {"ja": "sudachi", "zh": "jieba", "yue": "jieba", "th": "pythainlp", "ko": "kiwi"}
_SYLLABLE_LANGUAGES = frozenset({"my", "km"})
#: spaCy names for CLDR codes it spells differently
_SPACY_CODE = {"no": "nb", "fil": "tl"}

#: columns every segmenter returns (lemma and pos may be all null)
SegmentColumns = dict[str, Any]


@dataclass(frozen=True)
class Segmenter:
    """A way to cut text into tokens; ``key`` (``spacy:de``, ``sudachi:ja``) names it in caches."""

    name: str
    language: str
    segment: Callable[[Sequence[str]], SegmentColumns]
    #: True where words are written without spaces (tokens are joined without a separator)
    continuous: bool = False
    #: True where the segmenter gives lemmas itself (otherwise lookup tables are used)
    gives_lemmas: bool = False

    @property
    def key(self) -> str:
        return f"{self.name}:{self.language}"


def _columns(
    i: list[int] | np.ndarray,
    start: list[int] | np.ndarray,
    end: list[int] | np.ndarray,
    lemma: list[str | None] | None = None,
    pos: list[str | None] | None = None,
) -> SegmentColumns:
    return {"i": i, "start": start, "end": end, "lemma": lemma, "pos": pos}


# ------------------------------------------------------------------------------ regex fallback

#: Han characters are one token each (as spaCy's default Chinese tokenizer does); kana runs stay
#: together; other letters, marks and digits form words, with inner apostrophes kept
#: (``don't``, ``l'eau``, Welsh ``i'r``); any other visible character is a token of its own.
_WORD = regex.compile(
    r"(?V1)\p{Han}"
    r"|[\p{Hiragana}\u30FC]+"
    r"|[\p{Katakana}\u30FC]+"
    r"|[[\p{L}\p{M}\p{N}]--[\p{Han}\p{Hiragana}\p{Katakana}]]+(?:['’][[\p{L}\p{M}\p{N}]--[\p{Han}\p{Hiragana}\p{Katakana}]]+)*"
    r"|[^\s\p{L}\p{N}]\p{M}*"
)


def _regex_segment(texts: Sequence[str]) -> SegmentColumns:
    idx: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, text in enumerate(texts):
        for m in _WORD.finditer(text):
            idx.append(i)
            starts.append(m.start())
            ends.append(m.end())
    return _columns(idx, starts, ends)


# Syllable onsets. Burmese: a consonant or independent vowel starts a syllable unless it is
# stacked under the previous one (preceded by VIRAMA U+1039) or killed into a final by ASAT
# (U+103A, possibly after DOT BELOW U+1037). Khmer: a consonant or independent vowel starts one
# unless it is a subscript (after COENG U+17D2) or silenced by TOANDAKHIAT (U+17CD).
_SYLLABLE_ONSET = {
    "Mymr": regex.compile(r"(?<!\u1039)[\u1000-\u102A\u103F\u104C-\u104F\u1040-\u1049](?!\u1037?[\u103A\u1039])"),
    "Khmr": regex.compile(r"(?<!\u17D2)[\u1780-\u17B3](?![\u17CC\u17CD])"),
}
_SCRIPT_RUN = regex.compile(r"[\p{Myanmar}]+|[\p{Khmer}]+")


def _syllable_segment(texts: Sequence[str]) -> SegmentColumns:
    """Regex words, with Burmese and Khmer runs further cut at syllable onsets."""
    idx: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, text in enumerate(texts):
        for m in _WORD.finditer(text):
            word_start, word_end = m.span()
            cuts = {word_start, word_end}
            for run in _SCRIPT_RUN.finditer(m.group()):
                script = "Mymr" if "\u1000" <= run.group()[0] <= "\u109F" else "Khmr"
                for onset in _SYLLABLE_ONSET[script].finditer(run.group()):
                    cuts.add(word_start + run.start() + onset.start())
            points = sorted(cuts)
            for a, b in itertools.pairwise(points):
                idx.append(i)
                starts.append(a)
                ends.append(b)
    return _columns(idx, starts, ends)


# ------------------------------------------------------------------------------------- spaCy


#: tokenizer exceptions of the pipelines built by :func:`spacy_blank`, keyed by language, for
#: the tokenizers whose exceptions are added only when a text needs them
_EXCEPTIONS: dict[str, dict[str, Any]] = {}
_LAZY_TOKENIZER = "locale_guard.lazy_exceptions.v1"


def _register_lazy_tokenizer(spacy: Any) -> None:
    """spaCy's own tokenizer factory, minus its exceptions (added on demand by the segmenter).

    Building a tokenizer with all exceptions costs 0.3 ms each: 4.6 s for Indonesian's 16,000,
    2.5 s for Malay's, and a run over 40 languages paid ~15 s before cutting a single word.
    A text's tokens depend only on the exceptions whose key occurs in it, so adding those
    before cutting gives the same tokens.
    """
    if _LAZY_TOKENIZER in spacy.registry.tokenizers:
        return
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    def create() -> Callable[[Any], Any]:
        def factory(nlp: Any) -> Any:
            d = nlp.Defaults
            return Tokenizer(
                nlp.vocab,
                rules={},
                prefix_search=compile_prefix_regex(d.prefixes).search if d.prefixes else None,
                suffix_search=compile_suffix_regex(d.suffixes).search if d.suffixes else None,
                infix_finditer=compile_infix_regex(d.infixes).finditer if d.infixes else None,
                token_match=d.token_match,
                url_match=d.url_match,
            )

        return factory

    spacy.registry.tokenizers.register(_LAZY_TOKENIZER, func=create)


@lru_cache(maxsize=32)
def spacy_blank(language: str) -> Any | None:
    """``spacy.blank(language)`` or None where spaCy lacks the language (or its extra package).

    Where the language uses spaCy's standard tokenizer, the pipeline's tokenizer starts without
    exceptions; :func:`spacy_exceptions` has them and the spaCy segmenter adds what texts need.
    """
    try:
        from locale_guard.text.spacy_import import import_spacy
        import_spacy()
        import spacy
        from spacy.util import get_lang_class
    except ImportError:
        return None
    code = _SPACY_CODE.get(language, language)
    try:
        cls = get_lang_class(code)
    except Exception:  # spaCy raises ImportError or its own error for unknown languages
        return None
    try:
        if code == "vi":  # spaCy's Vietnamese tokenizer needs pyvi unless told otherwise
            return spacy.blank(code, config={"nlp": {"tokenizer": {"use_pyvi": False}}})
        if cls.default_config["nlp"]["tokenizer"].get("@tokenizers") != "spacy.Tokenizer.v1":
            return spacy.blank(code)
        _register_lazy_tokenizer(spacy)
        nlp = spacy.blank(code, config={"nlp": {"tokenizer": {"@tokenizers": _LAZY_TOKENIZER}}})
        _EXCEPTIONS[language] = dict(cls.Defaults.tokenizer_exceptions or {})
        return nlp
    except Exception:  # e.g. a language whose tokenizer needs an uninstalled package
        return None


def spacy_exceptions(language: str) -> dict[str, Any] | None:
    """The exceptions not yet loaded into ``spacy_blank(language)``'s tokenizer (None: all are)."""
    return _EXCEPTIONS.get(language) if spacy_blank(language) is not None else None


#: a text that is one plain word: spaCy's prefix, suffix and infix rules never split these
_PLAIN_WORD = regex.compile(r"[\p{L}\p{M}]+")


#: a run of non-space characters with the spaces before it; spaCy's tokenizer cuts each
#: non-space run on its own (Python's ``str.isspace`` decides, hence the separators \x1c-\x1f)
_CHUNK_PATTERN = r"[\s\x1c-\x1f]*[^\s\x1c-\x1f]+"


def _spacy_segmenter(language: str, nlp: Any) -> Segmenter:
    from locale_guard.text.spacy_import import import_spacy
    import_spacy()
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    pending = spacy_exceptions(language)
    special = frozenset(pending if pending is not None else (getattr(nlp.tokenizer, "rules", None) or ()))
    pending_keys = sorted(pending) if pending else []
    longest = max((len(k) for k in pending_keys), default=0)
    loaded: set[str] = set()

    def occurring(texts: list[str]) -> set[str]:
        """The exception keys that occur in ``texts`` as substrings."""
        if sum(len(t) for t in texts) * longest < 200_000:
            # a few texts (rule examples, ``rules test``): look up every substring up to the
            # longest key, instead of building an automaton over 16,000 keys for one string
            return {
                t[i : i + n]
                for t in texts
                for i in range(len(t))
                for n in range(1, min(longest, len(t) - i) + 1)
                if t[i : i + n] in pending
            }
        import polars as pl

        found = pl.Series(texts, dtype=pl.String).str.extract_many(pending_keys, overlapping=True).explode()
        return set(found.drop_nulls().unique().to_list())

    def load_exceptions(texts: list[str]) -> None:
        """Give the tokenizer the exceptions occurring in ``texts`` that it does not have yet."""
        if not pending_keys or not texts:
            return
        for key in sorted(occurring(texts) - loaded):
            nlp.tokenizer.add_special_case(key, pending[key])
            loaded.add(key)
    # spaCy cuts every run of non-space characters independently unless a special case is a
    # phrase with a space inside; then whole texts must go through it (keys that are all
    # space, " " and "\n" in every language, only make whitespace tokens, which are dropped)
    phrases = sorted(key for key in special if not key.isspace() and any(ch.isspace() for ch in key))

    def tokenize_each(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # Plain words that are not tokenizer exceptions ("cannot" is one) are single tokens;
        # answering them here keeps a 100k-term lexicon from filling spaCy's vocabulary with
        # lexemes at ~0.2 ms each.
        plain = [n for n, t in enumerate(texts) if t not in special and _PLAIN_WORD.fullmatch(t)]
        plain_set = set(plain)
        others = [n for n in range(len(texts)) if n not in plain_set and texts[n]]
        i_parts: list[np.ndarray] = [np.asarray(plain, dtype=np.int64)]
        s_parts: list[np.ndarray] = [np.zeros(len(plain), dtype=np.int64)]
        e_parts: list[np.ndarray] = [np.asarray([len(texts[n]) for n in plain], dtype=np.int64)]
        load_exceptions([texts[n] for n in others])
        for n, doc in zip(others, nlp.tokenizer.pipe((texts[n] for n in others), batch_size=2000), strict=True):
            if len(doc) == 0:
                continue
            arr = doc.to_array([IDX, LENGTH, IS_SPACE])
            keep = arr[:, 2] == 0
            start = arr[keep, 0].astype(np.int64)
            i_parts.append(np.full(start.shape[0], n, dtype=np.int64))
            s_parts.append(start)
            e_parts.append(start + arr[keep, 1].astype(np.int64))
        return np.concatenate(i_parts), np.concatenate(s_parts), np.concatenate(e_parts)

    def segment(texts: Sequence[str]) -> SegmentColumns:
        if len(texts) < 64:
            return _columns(*tokenize_each(texts))
        # Tokenize each distinct word-with-punctuation once ("you", "you?", "5pm"): a catalog
        # of 100k sentences has a few thousand of them, most of them plain words that need no
        # spaCy call at all; spaCy's cost is per call and per new word.
        import polars as pl

        frame = pl.DataFrame({"t": pl.Series(texts, dtype=pl.String)}).with_row_index("i")
        whole_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        if phrases:  # texts holding a phrase exception ("EE. UU.") go to spaCy whole
            whole = frame.filter(pl.col("t").str.contains_any(phrases))
            if whole.height:
                wi, ws, we = tokenize_each(whole["t"].to_list())
                whole_parts.append((whole["i"].cast(pl.Int64).to_numpy()[wi], ws, we))
                frame = frame.filter(~pl.col("t").str.contains_any(phrases))
        chunks = (
            frame.select(pl.col("i").cast(pl.Int64), pl.col("t").str.extract_all(_CHUNK_PATTERN).alias("c"))
            .explode("c")
            .drop_nulls("c")
            .with_columns(pl.col("c").str.len_chars().cum_sum().over("i").alias("_end"))
            .with_columns(pl.col("c").str.strip_chars_start().alias("c"))
            .with_columns((pl.col("_end") - pl.col("c").str.len_chars()).alias("_start"))
        )
        distinct = chunks.select("c").unique(maintain_order=True)
        ci, cs, ce = tokenize_each(distinct["c"].to_list())
        pieces = pl.DataFrame({"_k": ci, "_s": cs, "_e": ce}, schema={"_k": pl.UInt32, "_s": pl.Int64, "_e": pl.Int64})
        out = (
            chunks.join(distinct.with_row_index("_k"), on="c", how="left")
            .with_row_index("_order")
            .join(pieces, on="_k", how="inner")
            .sort("_order", "_s")
            .select("i", (pl.col("_start") + pl.col("_s")).alias("start"), (pl.col("_start") + pl.col("_e")).alias("end"))
        )
        parts = [(out["i"].to_numpy(), out["start"].to_numpy(), out["end"].to_numpy()), *whole_parts]
        return _columns(*(np.concatenate([p[k] for p in parts]) for k in range(3)))

    return Segmenter("spacy", language, segment)


# -------------------------------------------------------------------------- own segmenters


#: SudachiPy refuses inputs over 49,149 bytes; a Japanese character is up to 4 bytes in UTF-8
_SUDACHI_MAX_CHARS = 12_000
_BREAK_AFTER = regex.compile(r"[。！？!?\n]|\s")


def _chunks(text: str, size: int) -> list[tuple[int, str]]:
    """``text`` in pieces of at most ``size`` characters, cut after a sentence end if possible."""
    if len(text) <= size:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            window = text[start + size // 2 : end]
            breaks = [m.end() for m in _BREAK_AFTER.finditer(window)]
            if breaks:
                end = start + size // 2 + breaks[-1]
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _sudachi_segmenter(language: str) -> Segmenter | None:
    try:
        from sudachipy import Dictionary, SplitMode
    except ImportError:
        return None
    try:
        tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.A)
    except Exception:  # sudachidict-core missing or broken
        return None

    def segment(texts: Sequence[str]) -> SegmentColumns:
        idx: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        lemmas: list[str | None] = []
        pos: list[str | None] = []
        for i, text in enumerate(texts):
            if not text:
                continue
            for offset, chunk in _chunks(text, _SUDACHI_MAX_CHARS):
                for m in tokenizer.tokenize(chunk):
                    tags = m.part_of_speech()
                    if tags[0] == "空白":  # whitespace
                        continue
                    idx.append(i)
                    starts.append(offset + m.begin())
                    ends.append(offset + m.end())
                    lemmas.append(m.dictionary_form())
                    # e.g. "動詞,一般,*,*,下一段-バ行,連用形-一般": POS levels, conjugation type and form
                    pos.append(",".join(tags))
        return _columns(idx, starts, ends, lemmas, pos)

    return Segmenter("sudachi", language, segment, continuous=True, gives_lemmas=True)


def _jieba_segmenter(language: str) -> Segmenter | None:
    try:
        import jieba
    except ImportError:
        return None
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()

    def segment(texts: Sequence[str]) -> SegmentColumns:
        idx: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        for i, text in enumerate(texts):
            if not text:
                continue
            for word, start, end in tokenizer.tokenize(text):
                if word.isspace():
                    continue
                idx.append(i)
                starts.append(start)
                ends.append(end)
        return _columns(idx, starts, ends)

    return Segmenter("jieba", language, segment, continuous=True)


def _thai_segmenter(language: str) -> Segmenter | None:
    try:
        from pythainlp.tokenize import word_tokenize
    except ImportError:
        return None

    def segment(texts: Sequence[str]) -> SegmentColumns:
        idx: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        for i, text in enumerate(texts):
            if not text:
                continue
            cursor = 0
            for word in word_tokenize(text, engine="newmm", keep_whitespace=False):
                start = text.find(word, cursor)
                if start < 0:  # the segmenter changed the text; skip rather than misplace
                    continue
                cursor = start + len(word)
                if word.isspace():
                    continue
                idx.append(i)
                starts.append(start)
                ends.append(cursor)
        return _columns(idx, starts, ends)

    return Segmenter("pythainlp", language, segment, continuous=True)


def _kiwi_segmenter(language: str) -> Segmenter | None:
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        return None
    try:
        # the compact model without typo and multi-word dictionaries: same tags on assistant
        # text, 165 MB and 1.9 s to load instead of 360 MB and 4.8 s
        try:
            kiwi = Kiwi(model_type="cong", load_typo_dict=False, load_multi_dict=False)
        except Exception:  # an older kiwipiepy without the cong model
            kiwi = Kiwi()
    except Exception:  # model files missing
        return None

    def segment(texts: Sequence[str]) -> SegmentColumns:
        idx: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        lemmas: list[str | None] = []
        pos: list[str | None] = []
        todo = [(i, t) for i, t in enumerate(texts) if t and not t.isspace()]
        analysed = kiwi.tokenize([t for _, t in todo]) if todo else []
        for (i, _), tokens in zip(todo, analysed, strict=True):
            for tok in tokens:
                idx.append(i)
                starts.append(tok.start)
                ends.append(tok.start + tok.len)
                # a morpheme's dictionary form: verb and adjective stems get their 다 (오 → 오다)
                lemmas.append(getattr(tok, "lemma", None) or tok.form)
                pos.append(str(tok.tag))  # Sejong tags: NNG noun, VV verb, EF final ending, ...
        return _columns(idx, starts, ends, lemmas, pos)

    return Segmenter("kiwi", language, segment, gives_lemmas=True)


_OWN_FACTORIES: dict[str, Callable[[str], Segmenter | None]] = {
    "sudachi": _sudachi_segmenter,
    "jieba": _jieba_segmenter,
    "pythainlp": _thai_segmenter,
    "kiwi": _kiwi_segmenter,
}

#: every segmenter name accepted in a profile's ``tokenizer`` setting
SEGMENTER_NAMES = ("spacy", *_OWN_FACTORIES, "syllable", "regex")


def _fallback(language: str) -> Segmenter:
    if language in _SYLLABLE_LANGUAGES:
        return Segmenter("syllable", language, _syllable_segment, continuous=True)
    return Segmenter("regex", language, _regex_segment, continuous=language in CONTINUOUS_LANGUAGES)


@lru_cache(maxsize=128)
def segmenter_for(language: str, preferred: str | None = None) -> Segmenter:
    """The segmenter for ``language``; ``preferred`` (a name from SEGMENTER_NAMES) wins if usable."""
    language = (language or "und").lower()
    order: list[str] = []
    if preferred:
        order.append(preferred)
    if language in _OWN_SEGMENTER:
        order.append(_OWN_SEGMENTER[language])
    if language in _SYLLABLE_LANGUAGES:
        order.append("syllable")
    order.append("spacy")
    for name in order:
        if name in _OWN_FACTORIES:
            made = _OWN_FACTORIES[name](language)
            if made is not None:
                return made
        elif name == "spacy" and language not in _OWN_SEGMENTER and language != "und":
            nlp = spacy_blank(language)
            if nlp is not None:
                return _spacy_segmenter(language, nlp)
        elif name == "syllable":
            return Segmenter("syllable", language, _syllable_segment, continuous=True)
        elif name == "regex":
            return Segmenter("regex", language, _regex_segment, continuous=language in CONTINUOUS_LANGUAGES)
    return _fallback(language)
