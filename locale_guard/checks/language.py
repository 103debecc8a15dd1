"""The language check: strings in the wrong language, letters in the wrong script, homoglyphs.

``language/wrong-language``
    The string reads as another language than its locale's: English left in a German catalog,
    a French answer pasted into the Spanish one. Only strings long enough to judge are judged
    (``min-chars`` letters and ``min-words`` words once placeholders, markup, numbers, URLs and
    brand names are stripped), and only when the detector is confident (``min-confidence``).
    A string is weighed against its locale's language, English and the source language
    (``candidates`` adds more): the mistake worth an error is a string left in the source
    language, and detectors asked to choose among close neighbours on five words are wrong
    too often. Strings whose letters are mostly in a script only one candidate writes (Hangul,
    Greek, Kana…) are decided without a detector; the rest are screened by a fast detector and
    only the doubtful ones scored by the accurate one. A detection is dropped when the text
    has letters the detected language does not use (Swiss German "Stubä" is not English).
    Macrolanguages and near-identical standards are one language here (``nb``/``nn``,
    ``sr``/``hr``/``bs``, ``ms``/``id``, ``fil``/``tl``, ``pt-BR``/``pt-PT``, the ``zh`` variants).
``language/wrong-script``
    Letters in a script the locale does not write: a Latin word in a ru-RU answer, Cyrillic in
    an sr-Latn one. In locales that do not write Latin, Latin brand names, acronyms, units and
    words with digits are allowed (``allowed-latin``: ``names``, ``acronyms`` or ``none``), and
    training utterances may hold Latin words at all (``latin-in-utterances``, default true),
    since that is how people talk to assistants ("暂停客厅music").
``language/mixed-script``
    One word mixing Latin, Cyrillic, Greek or Armenian letters, the classic homoglyph trick
    (a Cyrillic ``о`` inside a Latin word) that fools filters and text-to-speech alike.

Locales whose language no installed backend knows keep the script rules; the run's notices
(``ctx.artifacts["notices"]``) say once which ones. Options (``[checks.language]``): ``backend``,
``backend-options``, ``fallback-backends``, ``min-confidence``, ``min-chars``, ``min-words``,
``brand-names``, ``allowed-latin``, ``latin-in-utterances``, ``candidates``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl

from locale_guard import langid
from locale_guard import scripts as sc
from locale_guard.checks import Check, CheckContext, Rule
from locale_guard.config import ConfigError
from locale_guard.findings import (
    SPAN_DTYPE,
    empty_findings,
    findings_from_records,
    representatives,
    share_findings,
)
from locale_guard.readers.base import InputError
from locale_guard.records import KINDS

RULES = (
    Rule(
        "language/wrong-language",
        "error",
        "The string is written in another language than its locale's",
        "Typical causes: a source string left untranslated, or a translation pasted into the wrong "
        "catalog. Short strings, placeholders, numbers and brand names are not judged.",
    ),
    Rule(
        "language/wrong-script",
        "warning",
        "Letters in a script the locale does not write",
        "A Latin word in a Cyrillic locale, Cyrillic in sr-Latn. Brand names, acronyms and units "
        "in Latin letters are allowed in non-Latin locales (option allowed-latin).",
    ),
    Rule(
        "language/mixed-script",
        "warning",
        "A word mixes letters of different alphabets (homoglyphs)",
        "Latin, Cyrillic, Greek and Armenian have look-alike letters; a word mixing them reads "
        "normally but is misspelled for search, filters and text-to-speech.",
    ),
)

#: Alphabets with look-alike letters (Unicode TR39 confusables are mostly among these).
CONFUSABLE_SCRIPTS = ("Latn", "Cyrl", "Grek", "Armn")

ALLOWED_LATIN_MODES = ("names", "acronyms", "none")

#: Alphabets larger than this (Han, kana) are too incomplete in profiles to veto a detection.
_MAX_ALPHABET = 200

#: Unit categories whose CLDR symbols are written in Latin letters across locales ("km", "kWh").
_UNIT_CATEGORIES = (
    "length", "mass", "volume", "area", "speed", "temperature", "digital", "frequency", "power",
    "energy", "pressure", "electric", "consumption", "acceleration",
)

#: What is stripped before judging: none of it is evidence of the string's language.
_STRIP_PATTERNS = (
    r"(?s)\{#.*?#\}",  # Jinja comment
    r"(?s)\{%.*?%\}",  # Jinja statement
    r"(?s)\{\{.*?\}\}",  # Jinja/Mustache expression
    r"\{\s*[\w.]+\s*,\s*(?:plural|select|selectordinal)\s*,",  # ICU plural/select head
    r"(?:=\d+|\b(?:zero|one|two|few|many|other))\s*\{",  # ICU case selector
    r"\{[^{}\s]*\}",  # {name}, {0}, {count,number}
    r"\$\{[^{}]*\}",  # ${name}
    r"%(?:\d+\$)?(?:\([^)]*\))?[-+#0]*\d*(?:\.\d+)?[sdifuxXeEgGcpo@]",  # printf
    r"</?[A-Za-z][^<>]*>",  # HTML/SSML/XML tags
    r"(?i)\b(?:https?://|www\.)\S+",  # URLs
    r"[\w.+-]+@[\w-]+\.[\w.-]+",  # e-mail addresses
    r"[\p{L}\p{M}]*\p{N}[\p{L}\p{M}\p{N}]*",  # numbers and tokens with digits ("mp3", "4K")
)


@dataclass(frozen=True)
class Settings:
    backend: str
    backend_options: dict[str, Any]
    fallback_backends: tuple[str, ...]
    #: None: each backend's own default (its confidence scale is its own)
    min_confidence: float | None
    min_chars: int
    min_words: int
    brand_names: tuple[str, ...]
    allowed_latin: str
    latin_in_utterances: bool
    extra_candidates: tuple[str, ...]

    @classmethod
    def from_context(cls, ctx: CheckContext) -> Settings:
        def number(name: str, default: float, low: float, high: float) -> float:
            value = ctx.option("language", name, default)
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                raise ConfigError(f"[checks.language] {name} must be a number from {low} to {high}, not {value!r}")
            return value

        def flag(name: str, default: bool) -> bool:
            value = ctx.option("language", name, default)
            if not isinstance(value, bool):
                raise ConfigError(f"[checks.language] {name} must be true or false, not {value!r}")
            return value

        def strings(name: str) -> tuple[str, ...]:
            value = ctx.option("language", name, [])
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"[checks.language] {name} must be a list of strings")
            return tuple(v for v in value if v.strip())

        backend = ctx.option("language", "backend", langid.DEFAULT_BACKEND)
        if backend not in langid.all_backends():
            raise ConfigError(
                f"[checks.language] backend '{backend}' is unknown; known: {', '.join(langid.all_backends())}"
            )
        options = ctx.option("language", "backend-options", {})
        if not isinstance(options, dict):
            raise ConfigError("[checks.language] backend-options must be a table")
        fallback = ctx.option("language", "fallback-backends", None)
        if fallback is None:
            fallback_names = tuple(n for n in langid.available_backends() if n != backend)
        else:
            fallback_names = strings("fallback-backends")
            unknown = [n for n in fallback_names if n not in langid.all_backends()]
            if unknown:
                raise ConfigError(f"[checks.language] fallback-backends: unknown backend(s) {', '.join(unknown)}")
        allowed_latin = ctx.option("language", "allowed-latin", "names")
        if allowed_latin not in ALLOWED_LATIN_MODES:
            raise ConfigError(
                f"[checks.language] allowed-latin must be one of {', '.join(ALLOWED_LATIN_MODES)}, not {allowed_latin!r}"
            )
        return cls(
            backend=backend,
            backend_options=dict(options),
            fallback_backends=fallback_names,
            min_confidence=(
                None
                if ctx.option("language", "min-confidence", None) is None
                else float(number("min-confidence", 0.0, 0.0, 1.0))
            ),
            min_chars=int(number("min-chars", 20, 1, 10_000)),
            min_words=int(number("min-words", 3, 1, 1_000)),
            brand_names=strings("brand-names"),
            allowed_latin=allowed_latin,
            latin_in_utterances=flag("latin-in-utterances", True),
            extra_candidates=strings("candidates"),
        )


# ------------------------------------------------------------------------------------ cleaning


def clean_expr(text: pl.Expr, brand_names: Iterable[str] = ()) -> pl.Expr:
    """``text`` without placeholders, markup, URLs, numbers and brand names, spaces collapsed.

    Removed pieces become a space, so two words around a placeholder never merge into one.
    """
    out = text
    for pattern in _STRIP_PATTERNS:
        out = out.str.replace_all(pattern, " ")
    brands = sorted({b.strip() for b in brand_names if b.strip()}, key=len, reverse=True)
    if brands:
        alternation = "|".join(re.escape(b) for b in brands)
        out = out.str.replace_all(rf"(?i)(?:^|\b|\s)(?:{alternation})(?:\b|\s|$)", " ")
    return out.str.replace_all(r"\s+", " ").str.strip_chars()


# ------------------------------------------------------------------------------------- locales


@dataclass(frozen=True)
class LocaleInfo:
    locale: str
    language: str
    scripts: tuple[str, ...]


def _locale_info(ctx: CheckContext, locale: str) -> LocaleInfo:
    declared = None
    try:
        declared = getattr(ctx.profile(locale), "scripts", None)
    except (ValueError, LookupError, InputError):  # unknown tag or broken curated profile:
        declared = None  # CLDR's answer for the tag's language still applies
    return LocaleInfo(locale, langid.canonical_language(locale), sc.locale_scripts(locale, declared))


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse("en").languages)


def language_name(code: str) -> str:
    return _language_names().get(code, code)


@lru_cache(maxsize=256)
def language_scripts(code: str) -> tuple[str, ...]:
    """Unicode scripts a language is normally written in (all CLDR variants: sr → Cyrl, Latn)."""
    from babel.core import get_global

    found: list[str] = []
    likely = get_global("likely_subtags")
    for lang in sorted(langid.group_of(code)):
        for key in (lang, *(k for k in likely if k.startswith(f"{lang}_") and len(k.split("_")[1]) == 4)):
            value = likely.get(key)
            if value:
                found.extend(p for p in value.split("_")[1:] if len(p) == 4)
    return sc.expand(dict.fromkeys(found))


@lru_cache(maxsize=256)
def unit_symbols(locale: str) -> frozenset[str]:
    """Latin-letter unit symbols CLDR writes for ``locale`` and for English (``km``, ``kWh``)."""
    from babel import Locale
    from babel.core import UnknownLocaleError

    symbols: set[str] = set()
    for ident in ("en", locale.replace("-", "_")):
        try:
            # Babel has no public listing of unit patterns; format_unit invents names for gaps
            data = Locale.parse(ident)._data["unit_patterns"]
        except (UnknownLocaleError, ValueError, KeyError):
            continue
        for unit in data:
            if not unit.startswith(_UNIT_CATEGORIES):
                continue
            for width in ("short", "narrow"):
                try:
                    patterns = data[unit][width]
                except (KeyError, TypeError):
                    continue
                for form in patterns:
                    value = patterns[form]
                    if isinstance(value, str):
                        symbols.update(t for t in re.findall(r"[A-Za-z]+", value.replace("{0}", "")) if len(t) <= 4)
    return frozenset(symbols)


# ----------------------------------------------------------------------------- wrong-language


def _backend_for(languages: set[str], settings: Settings) -> dict[str, str]:
    """Which backend judges each language: the configured one, else the first fallback knowing it."""
    chosen: dict[str, str] = {}
    order = [settings.backend, *settings.fallback_backends]
    for name in order:
        if name not in langid.available_backends():
            if name == settings.backend:
                langid.get_backend(name)  # raises BackendError naming the missing package
            continue
        supported = _backend(name, settings).supported_languages()
        for lang in languages:
            if lang not in chosen and langid.supported_as(lang, supported):
                chosen[lang] = name
    return chosen


def _candidates(language: str, run_languages: set[str], supported: set[str], settings: Settings, ctx: CheckContext) -> set[str]:
    """The languages a string of ``language``'s locale is weighed against.

    By default its own language (with its group), English and the source language: the
    mistakes worth an error are strings left in the source language, and a detector asked to
    choose among close neighbours (Danish for Bokmål, Czech for Slovak, Russian for Bulgarian)
    on a five-word string is confidently wrong too often (bench/LANGID.md). ``candidates``
    adds languages, or ``"run"`` adds every language of the run.
    """
    wanted = {language, "en"}
    if ctx.source_locale:
        wanted.add(langid.canonical_language(ctx.source_locale))
    if settings.extra_candidates == ("run",):
        wanted |= run_languages
    else:
        wanted |= {langid.canonical_language(c) for c in settings.extra_candidates}
    expanded: set[str] = set()
    for lang in wanted:
        expanded |= langid.supported_as(lang, supported)
    return expanded


def _distinctive_scripts(candidates: set[str]) -> dict[str, str]:
    """Scripts that only one candidate language (group) writes: Hangul → ko, Kana → ja, Greek → el."""
    writers: dict[str, set[frozenset[str]]] = {}
    for lang in candidates:
        for script in language_scripts(lang):
            writers.setdefault(script, set()).add(langid.group_of(lang))
    return {
        script: min(next(iter(groups)) & candidates)
        for script, groups in sorted(writers.items())
        if len(groups) == 1
    }


def _script_decision(candidates: set[str]) -> pl.Expr | None:
    """The language a string is in when most of its letters are in a script only it writes.

    Such strings (a Korean answer, a Japanese one with kana, a Greek one) need no detector;
    the rest, Latin, Cyrillic, Arabic or Han-only text, go to the detector.
    """
    by_language: dict[str, list[str]] = {}
    for script, lang in _distinctive_scripts(candidates).items():
        by_language.setdefault(lang, []).append(script)
    decision: pl.Expr | None = None
    for lang, scripts in sorted(by_language.items()):
        share = pl.col("_clean").str.count_matches(f"[{sc.class_of(scripts)}]") * 2 > pl.col("_letters")
        decision = (pl.when(share).then(pl.lit(lang)) if decision is None else decision.when(share).then(pl.lit(lang)))
    return None if decision is None else decision.otherwise(pl.lit(None, dtype=pl.String))


def _backend(name: str, settings: Settings) -> langid.LanguageBackend:
    return langid.get_backend(name, **(settings.backend_options if name == settings.backend else {}))


def _detect(
    frame: pl.DataFrame, backend_name: str, language: str, candidates: set[str], ctx: CheckContext, settings: Settings
) -> pl.DataFrame:
    """Detected language and confidence for the unique cleaned texts of ``frame`` (one language).

    Answers are memoised per run by text, backend and candidates in ``ctx.cache``, so a string
    repeated across catalogs, variants or checks is detected once.
    """
    backend = _backend(backend_name, settings)
    memo: dict[tuple, langid.Detection] = ctx.cache.setdefault("language.detections", {})
    key = (backend_name, tuple(sorted(settings.backend_options.items())), frozenset(candidates), language)
    texts = frame["_clean"].unique(maintain_order=True).to_list()
    todo = [t for t in texts if (*key, t) not in memo]
    if todo:
        found = langid.screen_and_confirm(backend, todo, candidates, language)
        found = _head_to_head(backend, todo, found, candidates, language)
        for text, detection in zip(todo, found, strict=True):
            memo[(*key, text)] = detection
    detections = [memo[(*key, t)] for t in texts]
    threshold = settings.min_confidence
    if threshold is None:
        threshold = langid.default_min_confidence(backend)
    return pl.DataFrame(
        {
            "_clean": texts,
            "_detected": [d[0] for d in detections],
            "_confidence": [d[1] for d in detections],
            "_threshold": [threshold] * len(texts),
        },
        schema={"_clean": pl.String, "_detected": pl.String, "_confidence": pl.Float64, "_threshold": pl.Float64},
    )


def _release(backend_name: str, languages: set[str], settings: Settings) -> None:
    """Free the models of languages that no later locale of the run weighs (memory, not time:
    a 52-locale run otherwise holds every language's models at once)."""
    release = getattr(_backend(backend_name, settings), "release", None)
    if languages and callable(release):
        release(languages)


def _head_to_head(
    backend: langid.LanguageBackend,
    texts: list[str],
    found: list[langid.Detection],
    candidates: set[str],
    language: str,
) -> list[langid.Detection]:
    """Re-score texts detected as another language against each variant of the locale's one.

    Close variants among the candidates (Bokmål and Nynorsk, Malay and Indonesian, Serbian and
    Croatian) split the locale's share of the confidence between them, so plain English in an
    nb catalog comes out only 60 % English. A foreign language has to beat every variant head
    to head; its confidence is the weakest of those duels.
    """
    variants = sorted(langid.group_of(language) & candidates)
    if len(variants) < 2:
        return found
    suspects: dict[str, list[int]] = {}
    for i, (lang, _) in enumerate(found):
        if lang is not None and not langid.same_language(language, lang):
            suspects.setdefault(lang, []).append(i)
    out = list(found)
    for foreign, rows in suspects.items():
        subset = [texts[i] for i in rows]
        weakest = [1.0] * len(rows)
        for variant in variants:
            duel = langid.screen_and_confirm(backend, subset, {foreign, variant}, variant)
            weakest = [min(w, c if lang == foreign else 0.0) for w, (lang, c) in zip(weakest, duel, strict=True)]
        for i, conf in zip(rows, weakest, strict=True):
            out[i] = (foreign, conf) if conf > 0.0 else (language, 1.0 - out[i][1])
    return out


def _wrong_language(work: pl.DataFrame, infos: dict[str, LocaleInfo], settings: Settings, ctx: CheckContext) -> pl.DataFrame:
    languages = {info.language for info in infos.values()}
    backend_of = _backend_for(languages, settings)
    unsupported = sorted(loc for loc, info in infos.items() if info.language not in backend_of)
    if unsupported:
        notices: list[str] = ctx.artifacts.setdefault("notices", [])
        notice = (
            "language: no language-identification backend knows the language of "
            f"{', '.join(unsupported)}; only their scripts were checked"
        )
        if notice not in notices:
            notices.append(notice)
    judged = work.filter(
        pl.col("_lang").is_in(list(backend_of))
        & (pl.col("_letters") >= settings.min_chars)
        & ((pl.col("_words") >= settings.min_words) | pl.col("_unspaced"))
    )
    if judged.height == 0:
        return empty_findings()
    judged = judged.with_columns(pl.col("_lang").replace_strict(backend_of, return_dtype=pl.String).alias("_backend"))
    decided: list[pl.DataFrame] = []
    groups = [
        (str(language), str(backend_name), part)
        for (language, backend_name), part in judged.group_by("_lang", "_backend", maintain_order=True)
    ]
    candidates_of = [
        _candidates(language, languages, _backend(backend_name, settings).supported_languages(), settings, ctx)
        for language, backend_name, _ in groups
    ]
    for n, (language, backend_name, part) in enumerate(groups):
        candidates = candidates_of[n]
        decision = _script_decision(candidates)
        part = part.with_columns(
            (decision if decision is not None else pl.lit(None, dtype=pl.String)).alias("_by_script")
        )
        need = part.filter(pl.col("_by_script").is_null())
        if need.height:
            found = _detect(need, backend_name, language, candidates, ctx, settings)
            part = part.join(found, on="_clean", how="left")
            _release(backend_name, candidates - set().union(*candidates_of[n + 1 :]), settings)
        else:
            part = part.with_columns(
                pl.lit(None, dtype=pl.String).alias("_detected"),
                pl.lit(None, dtype=pl.Float64).alias("_confidence"),
                pl.lit(None, dtype=pl.Float64).alias("_threshold"),
            )
        part = part.with_columns(
            pl.coalesce("_by_script", "_detected").alias("_detected"),
            pl.when(pl.col("_by_script").is_not_null()).then(1.0).otherwise(pl.col("_confidence")).alias("_confidence"),
        )
        decided.append(part)
    frame = pl.concat(decided, how="diagonal_relaxed")
    flagged = frame.filter(
        pl.col("_detected").is_not_null() & (pl.col("_confidence") >= pl.col("_threshold").fill_null(1.0))
    )
    pairs = flagged.select("_lang", "_detected").unique()
    verdicts = pairs.with_columns(
        pl.Series("_same", [langid.same_language(a, b) for a, b in pairs.iter_rows()], dtype=pl.Boolean)
    )
    flagged = flagged.join(verdicts, on=["_lang", "_detected"], how="left").filter(~pl.col("_same"))
    flagged = _writable_in_detected(flagged)
    if flagged.height == 0:
        return empty_findings()
    names = {code: language_name(code) for code in set(flagged["_detected"]) | set(flagged["_lang"])}
    detected_name = pl.col("_detected").replace_strict(names, return_dtype=pl.String)
    expected_name = pl.col("_lang").replace_strict(names, return_dtype=pl.String)
    message = pl.concat_str(
        [
            pl.lit("reads as "),
            detected_name,
            pl.lit(" ("),
            (pl.col("_confidence") * 100).floor().cast(pl.Int32).cast(pl.String),
            pl.lit("% sure), not "),
            expected_name,
            pl.lit(" as "),
            pl.col("locale"),
            pl.lit(" expects"),
            pl.when(pl.col("source_text").is_not_null() & (pl.col("source_text") == pl.col("text")))
            .then(pl.lit("; it is the untranslated source string"))
            .otherwise(pl.lit("")),
        ]
    )
    return findings_from_records(
        flagged,
        rule="language/wrong-language",
        severity="error",
        message=message,
        suggestion=pl.concat_str([pl.lit("translate it into "), expected_name]),
        evidence=pl.concat_list([pl.col("_detected"), pl.col("_backend")]),
        score=pl.col("_confidence"),
        source="model",
    )


def _writable_in_detected(flagged: pl.DataFrame) -> pl.DataFrame:
    """Drop detections the text cannot be in: letters outside the detected language's alphabet.

    N-gram models weigh what they know and ignore what they do not, so Swiss German
    ("Schaut Lampä ide Stubä") or Urdu with English device names can come out as confident
    English. A text with a letter foreign to the detected language's alphabet
    (:func:`langid.alphabet`) is not in that language. Languages written with thousands of
    characters (zh, ja) have no usable alphabet and are not vetoed.
    """
    if flagged.height == 0:
        return flagged
    outside: pl.Expr = pl.lit(0)
    for code in flagged["_detected"].unique().to_list():
        letters = langid.alphabet(code)
        if letters is None or len(letters) > _MAX_ALPHABET:
            continue
        both = "".join(sorted({c for ch in letters for c in (ch, ch.upper()) if len(c) == 1}))
        pattern = rf"[\p{{L}}--[{re.escape(both)}]]"
        outside = pl.when(pl.col("_detected") == code).then(pl.col("_clean").str.count_matches(pattern)).otherwise(outside)
    return flagged.filter(outside == 0)


# -------------------------------------------------------------------------------- wrong-script


def _char_offset(text: pl.Expr, needle: pl.Expr) -> pl.Expr:
    """Character offset of the first ``needle`` in ``text`` (null if absent), vectorised."""
    parts = text.str.splitn(needle, 2)
    return (
        pl.when(parts.struct.field("field_1").is_not_null())
        .then(parts.struct.field("field_0").str.len_chars())
        .cast(pl.Int32)
    )


def _wrong_script(work: pl.DataFrame, infos: dict[str, LocaleInfo], settings: Settings) -> pl.DataFrame:
    parts: list[pl.DataFrame] = []
    for (locale,), part in work.group_by("locale", maintain_order=True):
        info = infos[str(locale)]
        if not info.scripts:
            continue
        foreign = sc.foreign_letter_pattern(info.scripts)
        hits = part.filter(pl.col("_clean").str.contains(foreign))
        if hits.height == 0:
            continue
        # a foreign word is a run of foreign letters (with marks, inner hyphens and apostrophes):
        # split at script changes, so "Spotifyで" yields "Spotify" in unspaced Japanese
        run = rf"{foreign}(?:{foreign}|\p{{M}}|['’.\-]{foreign})*"
        tokens = (
            hits.select("record_id", pl.col("_clean").str.extract_all(run).alias("_token"))
            .explode("_token")
            .filter(pl.col("_token").is_not_null())
        )
        latin_ok = "Latn" not in info.scripts and settings.allowed_latin != "none"
        if latin_ok:
            only_latin = ~pl.col("_token").str.contains(sc.foreign_letter_pattern(("Latn",)))
            allowed = pl.col("_token").is_in(list(unit_symbols(info.locale)))
            if settings.allowed_latin == "names":
                allowed = allowed | pl.col("_token").str.contains(r"\p{Lu}")
            else:  # acronyms: no lower-case letter at all
                allowed = allowed | ~pl.col("_token").str.contains(r"\p{Ll}")
            if settings.latin_in_utterances:
                # users say device names and English words as they are: "暂停客厅music"
                utterance = pl.col("record_id").is_in(hits.filter(pl.col("kind") == "utterance")["record_id"].implode())
                allowed = allowed | utterance
            tokens = tokens.filter(~(only_latin & allowed))
        if tokens.height == 0:
            continue
        bad = tokens.group_by("record_id", maintain_order=True).agg(pl.col("_token").unique(maintain_order=True))
        found = hits.join(bad, on="record_id", how="inner").with_columns(
            pl.col("_token").list.first().str.extract(f"({foreign})").alias("_first_letter"),
            pl.lit(" and ".join(sc.script_name(s) for s in info.scripts)).alias("_expected"),
        )
        parts.append(found)
    if not parts:
        return empty_findings()
    frame = pl.concat(parts, how="diagonal_relaxed")
    letters = frame["_first_letter"].unique().drop_nulls()
    first_scripts = sc.scripts_of(letters)
    names = {
        ch: sc.script_name(found[0]) if len(found) else "foreign"
        for ch, found in zip(letters.to_list(), first_scripts.to_list(), strict=True)
    }
    script = pl.col("_first_letter").replace_strict(names, default="foreign", return_dtype=pl.String)
    start = _char_offset(pl.col("text"), pl.col("_token").list.first())
    span = pl.when(start.is_not_null()).then(
        pl.struct(start.alias("start"), (start + pl.col("_token").list.first().str.len_chars()).cast(pl.Int32).alias("end"))
    )
    quoted = pl.col("_token").list.eval(pl.concat_str([pl.lit("'"), pl.element(), pl.lit("'")])).list.join(", ")
    message = pl.concat_str(
        [script, pl.lit(" letters in "), quoted, pl.lit("; "), pl.col("locale"), pl.lit(" writes "), pl.col("_expected")]
    )
    return findings_from_records(
        frame,
        rule="language/wrong-script",
        severity="warning",
        message=message,
        span=span.cast(SPAN_DTYPE),
        evidence=pl.col("_token"),
    )


# -------------------------------------------------------------------------------- mixed-script


@lru_cache(maxsize=1)
def _mixed_pattern() -> str:
    word = r"[\p{L}\p{M}]"
    pairs = [
        rf"\p{{{a}}}{word}*?\p{{{b}}}" for a in CONFUSABLE_SCRIPTS for b in CONFUSABLE_SCRIPTS if a != b
    ]
    return rf"{word}*(?:{'|'.join(pairs)}){word}*"


def _mixed_script(work: pl.DataFrame) -> pl.DataFrame:
    pattern = _mixed_pattern()
    hits = work.filter(pl.col("text").str.contains(pattern)).with_columns(
        pl.col("text").str.extract_all(pattern).alias("_words")
    )
    if hits.height == 0:
        return empty_findings()
    first = pl.col("_words").list.first()
    start = _char_offset(pl.col("text"), first)
    span = pl.struct(start.alias("start"), (start + first.str.len_chars()).cast(pl.Int32).alias("end"))
    quoted = pl.col("_words").list.eval(pl.concat_str([pl.lit("'"), pl.element(), pl.lit("'")])).list.join(", ")
    return findings_from_records(
        hits,
        rule="language/mixed-script",
        severity="warning",
        message=pl.concat_str([quoted, pl.lit(" mixes letters of different alphabets (look-alike characters)")]),
        span=span.cast(SPAN_DTYPE),
        evidence=pl.col("_words"),
    )


def _without_homoglyphs(wrong_script: pl.DataFrame, mixed: pl.DataFrame) -> pl.DataFrame:
    """Drop wrong-script findings whose every foreign word lies inside a mixed-script word.

    A Cyrillic "е" in "bеdroom" is one homoglyph, reported once, as mixed-script.
    """
    words = mixed.select("record_id", pl.col("evidence").list.join("\x1f").alias("_mixed"))
    tokens = (
        wrong_script.select("record_id", pl.col("evidence").alias("_token"))
        .with_row_index("_finding")
        .explode("_token")
        .join(words, on="record_id", how="left")
        .with_columns(pl.col("_mixed").fill_null("").str.contains(pl.col("_token"), literal=True).alias("_inside"))
        .group_by("_finding")
        .agg(pl.col("_inside").all())
        .sort("_finding")
    )
    return wrong_script.with_row_index("_finding").join(tokens, on="_finding").filter(~pl.col("_inside")).drop(
        "_finding", "_inside"
    )


# ------------------------------------------------------------------------------------------ run


def run(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    try:
        return _run(records, ctx)
    except langid.BackendError as exc:  # unknown option, package not installed: a config problem
        raise ConfigError(f"[checks.language] {exc}") from None


def _run(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    settings = Settings.from_context(ctx)
    work = records.filter(
        pl.col("kind").is_in(list(KINDS))
        & pl.col("text").is_not_null()
        & pl.col("locale").is_not_null()
        & (pl.col("text").str.strip_chars() != "")
    )
    if work.height == 0:
        return empty_findings()
    # a string's language and scripts depend on nothing but the string and its locale
    work, sharing = representatives(work)
    infos = {loc: _locale_info(ctx, loc) for loc in work["locale"].unique().to_list()}
    lang_of = {loc: info.language for loc, info in infos.items()}
    unspaced = "[" + sc.class_of(sc.UNSPACED_SCRIPTS) + "]"
    work = work.with_columns(clean_expr(pl.col("text"), settings.brand_names).alias("_clean")).with_columns(
        pl.col("locale").replace_strict(lang_of, return_dtype=pl.String).alias("_lang"),
        pl.col("_clean").str.count_matches(sc.LETTER).alias("_letters"),
        pl.col("_clean").str.count_matches(sc.WORD).alias("_words"),
        pl.col("_clean").str.contains(unspaced).alias("_unspaced"),
    )
    wrong_language = _wrong_language(work, infos, settings, ctx)
    wrong_script = _wrong_script(work, infos, settings)
    if wrong_language.height and wrong_script.height:
        # a string that is wholly in another language says more than its foreign letters do
        wrong_script = wrong_script.filter(~pl.col("record_id").is_in(wrong_language["record_id"].implode()))
    mixed = _mixed_script(work)
    if mixed.height and wrong_script.height:
        wrong_script = _without_homoglyphs(wrong_script, mixed)
    found = [f for f in (wrong_language, wrong_script, mixed) if f.height]
    if not found:
        return empty_findings()
    return share_findings(pl.concat(found, how="vertical"), sharing, records)


CHECK = Check(
    name="language",
    rules=RULES,
    run=run,
    description="Strings in another language than their locale's, foreign scripts, homoglyph words",
)
