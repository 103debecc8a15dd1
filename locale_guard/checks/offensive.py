"""The offensive check: slurs, profanity and sexual words from the language's rule pack.

The words are data, ``rules/<lang>/offensive.yaml`` (see docs/OFFENSIVE.md for the categories,
the severity policy and how the packs were curated). One pack per language, applied only to
records of that language's locales, so a word that is innocent here and rude elsewhere (Spanish
*negro*, Portuguese *rapariga* in Portugal) is judged by the right pack.

Two passes, both through the rule-pack engine (:func:`locale_guard.packs.match_records`), so
allowlists, lemmas, compounds, stem patterns and scopes work the same as in ``rules validate``:

1. **as written**: every record's tokens against the packs (Aho-Corasick over normal forms);
2. **evasions**: the words people write to slip past a filter (``sh1t``, ``shiiiit``,
   ``s h i t``, ``f.u.c.k``, ``fück``) are rewritten with the shared helpers of
   :mod:`locale_guard.text.normalise` and matched again. Only words that *look* evasive are
   rewritten (digits or symbols inside letters, inner punctuation, a letter three times, an
   accent the language does not use, single letters spaced out), once per distinct word, so
   clean text costs one polars pass. A hit is reported on the word as written.

Accents are only stripped from letters outside the language's alphabet: ``fück`` is English
``fuck``, but Turkish ``şık`` (chic) must never become ``sik``.

Options (``[checks.offensive]``):

``evasion = true``
    Also match evasive spellings (pass 2).
``utterance-severity = "warning"``
    The highest severity for training utterances (what users say to the assistant): users do
    swear, and a curator wants to know, but it is not a release blocker like a response that
    swears. ``error`` keeps pack severities; ``info`` reports them all as info.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import polars as pl
import regex

from locale_guard.checks import Check, CheckContext, Rule
from locale_guard.config import ConfigError
from locale_guard.findings import (
    SEVERITY_RANK,
    SPAN_DTYPE,
    empty_findings,
    findings_from_records,
    representatives,
)
from locale_guard.packs import effective_rules, match_records
from locale_guard.packs.runner import MATCHES_SCHEMA
from locale_guard.readers.base import InputError
from locale_guard.text.normalise import (
    LEET,
    casefold,
    collapse_repeats,
    leet_variants,
    repeat_variants,
    strip_diacritics,
    strip_inner_punctuation,
)
from locale_guard.text.tokens import segmenter_for_locale, tokenize

CHECK_NAME = "offensive"

RULES = (
    Rule("offensive/slur", "error", "A slur: a word that demeans people for who they are",
         "Ethnic, religious, sexual-orientation, gender-identity and disability slurs. Never acceptable in "
         "what an assistant says."),
    Rule("offensive/profanity", "error", "Strong profanity",
         "Swear words that a brand does not ship (fuck, Scheiße, kurwa, блядь)."),
    Rule("offensive/sexual", "error", "An explicit sexual word",
         "Vulgar words for sex and genitals, pornographic terms. Clinical words (penis, vagina) are not listed."),
    Rule("offensive/violence", "error", "Violent abuse: telling someone to die or to kill themselves, rape",
         "Single words such as 'kill' are innocent (kill a process); the packs list phrases and unambiguous words."),
    Rule("offensive/religious", "warning", "A religious insult or blasphemous oath",
         "Oaths that offend believers (Italian bestemmie, Québec sacres, 'goddamn')."),
    Rule("offensive/taboo", "warning", "A word taboo in this market",
         "Innocent in other markets of the language but rude here (Mexican Spanish 'coger', Brazilian "
         "Portuguese 'rapariga', British 'fanny')."),
    Rule("offensive/mild", "info", "Mild profanity or an insult",
         "Damn, crap, idiot: worth a look in a brand voice, rarely a defect."),
)

_SEVERITIES = ("error", "warning", "info")
_DEFAULT_UTTERANCE_SEVERITY = "warning"

# ----------------------------------------------------------------------------------- options


def _options(ctx: CheckContext) -> tuple[bool, str]:
    evasion = ctx.option(CHECK_NAME, "evasion", True)
    if not isinstance(evasion, bool):
        raise ConfigError("[checks.offensive] evasion must be true or false")
    cap = ctx.option(CHECK_NAME, "utterance-severity", _DEFAULT_UTTERANCE_SEVERITY)
    if cap not in _SEVERITIES:
        raise ConfigError(f"[checks.offensive] utterance-severity must be one of {', '.join(_SEVERITIES)}")
    return evasion, cap


# ------------------------------------------------------------------------ evasive spellings

#: punctuation that ends or opens a word in a sentence, not part of an evasion (``shit!``)
_EDGE_START_CLASS = r"[\"'«»“”‘’(\[{¿¡<]"
_EDGE_END_CLASS = r"[\"'«»“”‘’)\]}.,;:!?…>]"
_EDGE_START = regex.compile(f"^{_EDGE_START_CLASS}+")
_EDGE_END = regex.compile(f"{_EDGE_END_CLASS}+$")
_LETTER = regex.compile(r"\p{L}")
_LEET_INSIDE = regex.compile(rf"[{''.join(regex.escape(c) for c in LEET)}]")
#: numbers with a unit or ordinal (24h, 3rd, 5G, mp3, co2) are not leetspeak
_NUMBER_WORD = regex.compile(r"^(?:\d+\p{L}{1,2}|\p{L}{1,2}\d+)$")
_INNER_PUNCT = regex.compile(r"[\p{L}\p{M}][.\-_*·•'’`´~^\"|]+\p{L}")
_REPEAT = regex.compile(r"(\p{L})\1{2,}")
#: at most this many spellings are tried per word
_MAX_FORMS = 8
#: longer "words" are never rewritten: no offensive word is this long, and reading every leet
#: variant of a megabyte of digits would take quadratic time
_MAX_WORD = 48
#: characters of the sentence kept on each side of a rewritten word (allowlisted phrases and
#: multi-word terms are shorter than this)
_CONTEXT = 100


@lru_cache(maxsize=256)
def _alphabet(language: str) -> frozenset[str] | None:
    """Letters the language writes (from the language-ID profiles); None where unknown."""
    from locale_guard.langid import alphabet

    try:
        return alphabet(language)
    except Exception:  # an exotic code: no alphabet, so no accent is stripped
        return None


@lru_cache(maxsize=256)
def _native_marks(language: str) -> frozenset[str] | None:
    """The accents the language writes: every combining mark found in a letter of its alphabet.

    Vietnamese has a few dozen accented letters, and the alphabet lists only the common ones;
    its marks (the hook above of ể) still say that ủ is Vietnamese, not an evasion.
    """
    letters = _alphabet(language)
    if letters is None:
        return None
    return frozenset(
        m for ch in letters for m in unicodedata.normalize("NFD", ch) if unicodedata.combining(m)
    )


_STRIPPABLE = regex.compile(r"[\p{Latin}\p{Greek}\p{Cyrillic}]")


def _strip_foreign_marks(word: str, language: str) -> str:
    """Remove only the accents the language does not write (``fück`` in English, not ``ngủ``)."""
    letters, marks = _alphabet(language), _native_marks(language)
    if letters is None or marks is None:
        return word
    out = []
    for ch in unicodedata.normalize("NFC", word):
        if ch in letters or not ch.isalpha() or not _STRIPPABLE.match(ch):
            out.append(ch)
            continue
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) == 1:  # a letter with no decomposition (ł, ø) that the language lacks
            out.append(strip_diacritics(ch))
            continue
        kept = parts[0] + "".join(m for m in parts[1:] if m in marks)
        out.append(unicodedata.normalize("NFC", kept))
    return "".join(out)


#: Latin letters, digits and symbols that look like Cyrillic letters. Unicode TR39 lists most
#: letter pairs as confusables (a/а, c/с, e/е, o/о, p/р, x/х, y/у, and B/В, H/Н, K/К, M/М, T/Т
#: in capitals); u/и, n/п and r/г look alike in italics and handwriting, and 3 → з, 6 → б,
#: 4 → ч are the digits Russian leetspeak uses. Writing "сyка" with a Latin y, or "6лядь",
#: gets a Cyrillic word past a plain filter.
_TO_CYRILLIC = str.maketrans(
    {
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о", "p": "р",
        "t": "т", "x": "х", "y": "у", "u": "и", "n": "п", "r": "г",
        "3": "з", "6": "б", "4": "ч", "0": "о", "@": "а",
    }
)
_CYRILLIC = regex.compile(r"\p{Cyrillic}")
_CYRILLIC_LOOKALIKE = regex.compile(r"^[abcehkmoptxyunr3640@\p{Cyrillic}]+$")


@lru_cache(maxsize=256)
def _writes_cyrillic(language: str) -> bool:
    from locale_guard.scripts import cldr_script

    try:
        return cldr_script(language) == "Cyrl"
    except Exception:  # an unknown code: no Cyrillic folding
        return False


def _cyrillic_form(core: str) -> str | None:
    """A casefolded word that mixes Cyrillic with look-alikes, spelled in Cyrillic only."""
    if not _CYRILLIC_LOOKALIKE.match(core):
        return None
    # a whole word of look-alikes ("cyka") is read as Cyrillic only in upper case, where
    # the letters really are identical; in lower case it is usually a Latin word
    if not _CYRILLIC.search(core):
        return None
    form = core.translate(_TO_CYRILLIC)
    return form if form != core else None


def evasion_forms(word: str, language: str) -> tuple[str, ...]:
    """The plain spellings an evasive ``word`` may stand for; empty when it does not look evasive.

    Cheap tests come first: most words have no digit, symbol, inner punctuation, tripled
    letter or foreign accent, and are answered with ``()`` at once.
    """
    if len(word) > _MAX_WORD:
        return ()
    core = original = _EDGE_END.sub("", _EDGE_START.sub("", casefold(word)))
    if _writes_cyrillic(language):
        upper = _EDGE_END.sub("", _EDGE_START.sub("", word))
        if upper.isupper() and _CYRILLIC_LOOKALIKE.match(upper.lower()):
            core = upper.lower().translate(_TO_CYRILLIC)  # "CYKA" is СУКА
        folded = _cyrillic_form(core)
        if folded is not None:
            core = folded
    if len(core) < 2 or not _LETTER.search(core):
        return ()
    forms: list[str] = []
    joined = strip_inner_punctuation(core) if _INNER_PUNCT.search(core) else core
    plain = _strip_foreign_marks(joined, language)
    if _LEET_INSIDE.search(plain) and not _NUMBER_WORD.match(plain):
        forms.extend(leet_variants(plain, _MAX_FORMS))
    else:
        forms.append(plain)
    if _REPEAT.search(core):
        forms = [v for f in forms for v in repeat_variants(f)]
    found = tuple(dict.fromkeys(f for f in forms if f != original and _LETTER.search(f)))
    return found[:_MAX_FORMS]


def _spaced_forms(letters: str) -> tuple[str, ...]:
    """Spellings of letters written one by one; a one-letter word may have joined the run
    (``provide a a s s h o l e``, ``il y b i c o t a``), so the run without its first or last
    letter, or both, is tried too."""
    if len(letters) > _MAX_WORD:
        return ()
    joined = collapse_repeats(casefold(letters), 2)
    forms = [joined]
    if len(joined) >= 4:
        forms += [joined[1:], joined[:-1]]
    if len(joined) >= 5:
        forms.append(joined[1:-1])
    return tuple(dict.fromkeys(forms))


def _words(work: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """The whitespace-separated words of each record, with spans, and spaced-out letter runs.

    Built from the cached tokens: adjacent tokens (no gap) form one word, so ``sh1t``, which
    spaCy cuts as ``sh1`` + ``t``, is one word again. Runs of three or more one-letter words
    (``s h i t``) become one word made of their letters.
    """
    tokens = tokenize(work, ctx).select(pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"), "tokens")
    exploded = (
        tokens.explode("tokens")
        .drop_nulls("tokens")
        .unnest("tokens")
        .select("_row", pl.col("start").cast(pl.Int64), pl.col("end").cast(pl.Int64))
    )
    if exploded.height == 0:
        return pl.DataFrame(schema={"_row": pl.Int64, "start": pl.Int64, "end": pl.Int64, "word": pl.String, "spaced": pl.Boolean})
    texts = work.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"), pl.col("text"))
    words = (
        exploded.sort("_row", "start")
        .with_columns((pl.col("start") != pl.col("end").shift(1).over("_row")).fill_null(True).alias("_new"))
        .with_columns(pl.col("_new").cum_sum().over("_row").alias("_word"))
        .group_by("_row", "_word", maintain_order=True)
        .agg(pl.col("start").min(), pl.col("end").max())
        .join(texts, on="_row", how="left")
        .with_columns(pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")).alias("word"))
    )
    # one code point: "का" (a consonant and its vowel sign) is a syllable, not a spelled-out letter
    single = pl.col("word").str.contains(r"^\p{L}$")
    gap = pl.col("start") - pl.col("end").shift(1).over("_row")
    gap_text = pl.col("text").str.slice(pl.col("end").shift(1).over("_row").fill_null(0), gap.fill_null(0).clip(0, 3))
    joins_previous = single & single.shift(1).over("_row").fill_null(False) & gap.is_between(1, 3) & gap_text.str.contains(r"^[ \t]+$")
    runs = (
        words.with_columns(joins_previous.fill_null(False).alias("_joins"), single.alias("_single"))
        .with_columns((~pl.col("_joins")).cum_sum().over("_row").alias("_run"))
        .filter(pl.col("_single"))
        .group_by("_row", "_run", maintain_order=True)
        .agg(pl.col("start").min(), pl.col("end").max(), pl.col("word").str.join(""), pl.len().alias("_n"))
        .filter(pl.col("_n") >= 3)
        .select("_row", "start", "end", "word", pl.lit(True).alias("spaced"))
    )
    plain = words.select("_row", "start", "end", "word", pl.lit(False).alias("spaced"))
    return pl.concat([plain, runs], how="vertical")


def _evasion_matches(work: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """Matches on the records with one evasive word at a time rewritten in plain spelling.

    The whole record is matched again with the word replaced (``f u c k you`` is read as
    ``fuck you``), so multi-word terms, allowlisted phrases and context rules see the word in
    its sentence. Only hits that touch the rewritten word count; their spans are mapped back
    to the text as written.
    """
    languages = {
        loc: segmenter_for_locale(loc, ctx) for loc in work["locale"].drop_nulls().unique().to_list()
    }
    # scripts without spaces have no words to rewrite, and no leetspeak to speak of
    spaced = [loc for loc, seg in languages.items() if not seg.continuous]
    work = work.filter(pl.col("locale").is_in(spaced))
    if work.height == 0:
        return pl.DataFrame(schema=_EVASION_SCHEMA)
    words = _words(work, ctx)
    rows = work.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"), "record_id", "locale", "kind", "text")
    words = words.join(rows, on="_row", how="left").with_columns(
        pl.col("locale").replace_strict({loc: seg.language for loc, seg in languages.items()}, default=None).alias("_lang")
    )
    distinct = words.select("word", "_lang", "spaced").unique()
    forms = [
        _spaced_forms(w) if sp else evasion_forms(w, lang or "und")
        for w, lang, sp in distinct.iter_rows()
    ]
    distinct = distinct.with_columns(pl.Series("form", forms, dtype=pl.List(pl.String))).explode("form").drop_nulls("form")
    if distinct.height == 0:
        return pl.DataFrame(schema=_EVASION_SCHEMA)
    # the rewritten part is the word without the punctuation around it ("sh1t." → "shit" + ".")
    lead = pl.col("word").str.extract(f"^({_EDGE_START_CLASS}*)", 1).str.len_chars().cast(pl.Int64)
    trail = pl.col("word").str.extract(f"({_EDGE_END_CLASS}*)$", 1).str.len_chars().cast(pl.Int64)
    candidates = (
        words.join(distinct, on=["word", "_lang", "spaced"], how="inner")
        .with_columns(
            pl.when(pl.col("spaced")).then(0).otherwise(lead).alias("_lead"),
            pl.when(pl.col("spaced")).then(0).otherwise(trail).alias("_trail"),
        )
        .with_columns((pl.col("start") + pl.col("_lead")).alias("ws"), (pl.col("end") - pl.col("_trail")).alias("we"))
        .filter(pl.col("we") > pl.col("ws"))
        .with_row_index("_cand")
        .with_columns(
            pl.concat_str([pl.col("record_id"), pl.lit("\x1f"), pl.col("_cand").cast(pl.String)]).alias("_pseudo"),
            # the sentence around the word, not the whole record: a record of 100,000 disguised
            # words must not become 100,000 copies of itself
            (pl.col("ws") - _CONTEXT).clip(0).alias("w0"),
        )
        .with_columns(
            (pl.col("ws") - pl.col("w0")).alias("ls"),
            (pl.col("ws") - pl.col("w0") + pl.col("form").str.len_chars()).alias("le"),
        )
    )
    pseudo = candidates.select(
        pl.col("_pseudo").alias("record_id"),
        "locale",
        "kind",
        pl.concat_str(
            [
                pl.col("text").str.slice(pl.col("w0"), pl.col("ls")),
                pl.col("form"),
                pl.col("text").str.slice(pl.col("we"), _CONTEXT),
            ]
        ).alias("text"),
    )
    hits = match_records(pseudo, ctx, CHECK_NAME)
    if hits.height == 0:
        return pl.DataFrame(schema=_EVASION_SCHEMA)
    back = candidates.select("_pseudo", "record_id", "ws", "we", "w0", "ls", "le")
    hs, he = pl.col("_s").cast(pl.Int64), pl.col("_e").cast(pl.Int64)
    after = pl.col("we") - pl.col("le")  # a position after the word, pseudo → original
    return (
        hits.rename({"record_id": "_pseudo", "start": "_s", "end": "_e", "match": "form"})
        .join(back, on="_pseudo", how="inner")
        .filter((hs < pl.col("le")) & (he > pl.col("ls")))  # hits elsewhere are found as written
        .select(
            "record_id",
            "rule",
            "severity",
            pl.when(hs >= pl.col("ls")).then(pl.col("ws")).otherwise(pl.col("w0") + hs).cast(pl.Int32).alias("start"),
            pl.when(he > pl.col("le")).then(he + after).otherwise(pl.col("we")).cast(pl.Int32).alias("end"),
            pl.col("form").alias("match"),
            "suggestion",
            "category",
            "message",
            pl.col("form").map_batches(_casefold_series).alias("form"),
        )
    )


_EVASION_SCHEMA: dict[str, pl.DataType] = {**MATCHES_SCHEMA, "form": pl.String()}


# ------------------------------------------------------------------------------------ tidying


def _trim(matches: pl.DataFrame) -> pl.DataFrame:
    """Cut the non-letters a pattern needed for its word boundary (``(?:^|[^\\pL])kurw``) off spans."""
    lead = pl.col("match").str.extract(r"^([^\p{L}\p{M}\p{N}]*)", 1).str.len_chars().cast(pl.Int32)
    trail = pl.col("match").str.extract(r"([^\p{L}\p{M}\p{N}]*)$", 1).str.len_chars().cast(pl.Int32)
    width = pl.col("end") - pl.col("start")
    marked = matches.with_columns(lead.alias("_lead"), trail.alias("_trail")).with_columns(
        ((pl.col("_lead") + pl.col("_trail") > 0) & (pl.col("_lead") + pl.col("_trail") < width)).alias("_cut")
    )
    if not marked["_cut"].any():
        return matches
    cut = marked.filter(pl.col("_cut")).with_columns(
        (pl.col("start") + pl.col("_lead")).alias("start"),
        (pl.col("end") - pl.col("_trail")).alias("end"),
        pl.col("match").str.slice(pl.col("_lead"), width - pl.col("_lead") - pl.col("_trail")).alias("_short"),
    )
    # the message was filled with the untrimmed match; only pattern hits get here, a handful
    messages = [
        m.replace(old, new, 1) if m is not None else m
        for m, old, new in cut.select("message", "match", "_short").iter_rows()
    ]
    cut = cut.with_columns(pl.Series("message", messages, dtype=pl.String), pl.col("_short").alias("match"))
    kept = marked.filter(~pl.col("_cut"))
    return pl.concat([kept.select(matches.columns), cut.select(matches.columns)], how="vertical")


def _strongest(matches: pl.DataFrame) -> pl.DataFrame:
    """One finding per word: the most severe hit, and none inside a longer hit.

    A word can be listed by a lexicon rule and caught by a stem pattern, or found as written
    and again as an evasion; ``motherfucker`` should not also report its ``fuck``.
    """
    rank = pl.col("severity").replace_strict(SEVERITY_RANK, default=0, return_dtype=pl.Int32)
    ordered = matches.with_columns(rank.alias("_rank")).sort(
        ["record_id", "start", "end", "_rank", "rule"], descending=[False, False, True, True, False]
    )
    ordered = ordered.unique(["record_id", "start", "end"], keep="first", maintain_order=True)
    # drop hits that lie inside an earlier-starting or equally-starting longer hit
    reach = pl.col("end").cum_max().shift(1).over("record_id")
    return ordered.filter(reach.is_null() | (pl.col("end") > reach)).drop("_rank")


# ---------------------------------------------------------------------------------------- run


def _packed(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """The records whose locale has offensive rules, after making sure its text can be cut.

    A segmenter that cannot be built (a tokenizer missing or broken for the language) would
    otherwise end the run with a traceback; it is reported as one line naming the locale.
    """
    keep: list[str] = []
    for locale in records["locale"].unique(maintain_order=True).to_list():
        if not effective_rules(locale or "und", CHECK_NAME, ctx):
            continue
        try:
            segmenter_for_locale(locale, ctx)
        except InputError:
            raise
        except Exception as exc:  # a third-party tokenizer failing for this language
            first = records.filter(pl.col("locale") == locale)["path"].drop_nulls()
            where = first[0] if first.len() else "<input>"
            raise InputError(
                where, f"offensive: cannot split {locale} text into words ({type(exc).__name__}: {exc})"
            ) from None
        if locale is not None:
            keep.append(locale)
    return records.filter(pl.col("locale").is_in(keep))


def run(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    evasion, cap = _options(ctx)
    work = records.filter(pl.col("text").is_not_null() & (pl.col("text").str.strip_chars() != "")).select(
        "record_id", "locale", "kind", "text", "path"
    ).unique("record_id", keep="first", maintain_order=True)
    work = _packed(work, ctx).drop("path")
    if work.height == 0:
        return empty_findings()
    # what a text says does not depend on which record holds it: match one representative
    # per (locale, kind, text) and hand its hits to the others at the end
    work, sharing = representatives(work)
    direct = match_records(work, ctx, CHECK_NAME).with_columns(pl.lit(None, dtype=pl.String).alias("form"))
    parts = [direct]
    if evasion:
        evasive = _evasion_matches(work, ctx)
        if evasive.height and direct.height:
            # a word already found as written is not reported again as an evasion
            evasive = evasive.join(
                direct.select("record_id", pl.col("start").alias("_ds"), pl.col("end").alias("_de")),
                on="record_id",
                how="left",
            ).with_columns(
                ((pl.col("_ds") < pl.col("end")) & (pl.col("start") < pl.col("_de"))).fill_null(False).alias("_overlap")
            ).group_by(list(_EVASION_SCHEMA), maintain_order=True).agg(pl.col("_overlap").any()).filter(
                ~pl.col("_overlap")
            ).drop("_overlap")
        parts.append(evasive.select(list(_EVASION_SCHEMA)))
    matches = pl.concat([p.select(list(_EVASION_SCHEMA)) for p in parts], how="vertical")
    if matches.height == 0:
        return empty_findings()
    matches = _strongest(_trim(matches))
    if sharing.height > work.height:
        matches = matches.rename({"record_id": "_rep"}).join(sharing, on="_rep", how="inner").drop("_rep")
    flagged = matches.join(
        records.select("record_id", "locale", "kind", "path", "line", "key", "text").unique("record_id", keep="first"),
        on="record_id",
        how="left",
    )
    severity = pl.col("severity")
    if cap != "error":
        capped = pl.when(
            (pl.col("kind") == "utterance")
            & (severity.replace_strict(SEVERITY_RANK, default=0, return_dtype=pl.Int32) > SEVERITY_RANK[cap])
        )
        severity = capped.then(pl.lit(cap)).otherwise(severity)
    category = pl.col("category").fill_null(pl.col("rule").str.split("/").list.last())
    flagged = flagged.with_columns(pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")).alias("match"))
    written = pl.concat_str([pl.lit(" Written '"), pl.col("match"), pl.lit("' to get past filters.")])
    message = pl.when(pl.col("form").is_not_null()).then(pl.concat_str([pl.col("message"), written])).otherwise(
        pl.col("message")
    )
    evidence = pl.concat_list(category, pl.coalesce(pl.col("form"), pl.col("match").map_batches(_casefold_series)))
    flagged = flagged.with_columns(severity.alias("severity"), message.alias("message"), evidence.alias("_evidence"))
    findings = findings_from_records(
        flagged,
        rule=f"{CHECK_NAME}/pack",
        severity="info",
        message=pl.col("message"),
        span=pl.struct(pl.col("start"), pl.col("end")).cast(SPAN_DTYPE),
        suggestion=pl.col("suggestion"),
        evidence=pl.col("_evidence"),
    )
    # findings_from_records takes one rule and severity; the packs give one per match
    return findings.with_columns(flagged["rule"].alias("rule"), flagged["severity"].alias("severity"))


def _casefold_series(s: pl.Series) -> pl.Series:
    """Casefold distinct values once (NFKC + casefold is not a polars expression)."""
    uniq = s.unique()
    mapping = dict(zip(uniq.to_list(), [casefold(v) if v is not None else None for v in uniq.to_list()], strict=True))
    return s.replace_strict(mapping, return_dtype=pl.String)


CHECK = Check(
    name=CHECK_NAME,
    rules=RULES,
    run=run,
    description="Slurs, profanity, sexual and violent words from rules/<lang>/offensive.yaml, evasive spellings included",
)
