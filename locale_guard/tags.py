"""BCP-47 locale tags: parse, normalise and explain bad ones.

Catalog folders spell locales in many ways (``de_DE``, ``de-de``, ``values-de-rDE``, MASSIVE's
``sl-SL``). Everything downstream uses one canonical spelling, so tags are normalised here with
CLDR's alias tables (through Babel), never with a hand-written list of languages.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.core import get_global
from babel.languages import get_official_languages

#: Tags that datasets spell wrongly but unambiguously; CLDR has no alias for these because
#: ``SL`` is a real region (Sierra Leone). MASSIVE writes Slovenian in Slovenia as ``sl-SL``.
DATASET_ALIASES = {"sl-SL": "sl-SI"}

_TAG_SHAPE = re.compile(
    r"^(?P<lang>[A-Za-z]{2,3})"
    r"(?:[-_](?P<script>[A-Za-z]{4}))?"
    r"(?:[-_](?P<region>[A-Za-z]{2}|\d{3}))?"
    # variants (5-8 characters or digit + 3) and u-/t-/x- extensions only, so that file names
    # such as "do-i-need-an-umbrella" are not taken for tags
    r"(?:[-_](?P<rest>(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}|[uUtTxX][-_][A-Za-z0-9]{1,8})(?:[-_][A-Za-z0-9]{1,8})*))?$"
)


class LocaleTagError(ValueError):
    """A string that cannot be a locale tag; ``suggestion`` is a likely intended tag or None."""

    def __init__(self, tag: str, reason: str, suggestion: str | None = None) -> None:
        self.tag = tag
        self.reason = reason
        self.suggestion = suggestion
        hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
        super().__init__(f"'{tag}' is not a locale tag: {reason}{hint}")


@dataclass(frozen=True)
class NormalisedTag:
    """A canonical tag and, when the input was spelled differently, why it changed."""

    tag: str
    original: str
    changed_because: str | None = None


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    from babel import Locale
    from babel.localedata import locale_identifiers

    names = Locale.parse("en").languages
    # CLDR has locales (skr, lld, apc, mhn) that English display names do not cover yet
    return frozenset(code for code in names if "_" not in code) | {
        ident.split("_")[0] for ident in locale_identifiers()
    }


@lru_cache(maxsize=1)
def _territories() -> frozenset[str]:
    from babel import Locale

    return frozenset(Locale.parse("en").territories)


@lru_cache(maxsize=1)
def _scripts() -> frozenset[str]:
    from babel import Locale

    return frozenset(Locale.parse("en").scripts)


def looks_like_tag(text: str) -> bool:
    """True if ``text`` has the shape of a locale tag (used to pick locale-bearing path parts)."""
    return bool(_TAG_SHAPE.match(text))


def _suggest(lang: str) -> str | None:
    lang_lower = lang.lower()
    upper = lang.upper()
    if upper in _territories():  # a country code used as a language code: jp, cn, gr, dk, se
        official = get_official_languages(upper)
        if official:
            return official[0]
    close = difflib.get_close_matches(lang_lower, sorted(_languages()), n=1, cutoff=0.6)
    return close[0] if close else None


@lru_cache(maxsize=4096)
def normalise_tag(tag: str) -> NormalisedTag:
    """Return the canonical BCP-47 spelling of ``tag`` or raise :class:`LocaleTagError`.

    Canonical means ``ll``/``lll`` language in lower case, ``Ssss`` script in title case, ``RR``
    region in upper case, joined by ``-``; deprecated codes are replaced through CLDR's alias
    tables (``iw`` → ``he``, ``in`` → ``id``) and known dataset misspellings are fixed.
    """
    original = tag
    text = tag.strip()
    if text.lower() in ("root", "und"):
        return NormalisedTag("und", original, None if text == "und" else "root is written 'und'")
    m = _TAG_SHAPE.match(text)
    if not m:
        raise LocaleTagError(original, "not shaped like language[-Script][-REGION]")
    lang = m.group("lang").lower()
    script = m.group("script")
    region = m.group("region")
    rest = m.group("rest")
    reasons: list[str] = []

    aliases = get_global("language_aliases")
    if lang in aliases and isinstance(aliases[lang], str) and "_" not in aliases[lang]:
        reasons.append(f"'{lang}' is the deprecated code for '{aliases[lang]}'")
        lang = aliases[lang]
    if lang not in _languages():
        raise LocaleTagError(original, f"unknown language '{lang}'", _suggest(lang))
    if script is not None:
        script = script.title()
        if script not in _scripts():
            raise LocaleTagError(original, f"unknown script '{script}'")
    if region is not None:
        region = region.upper()
        if region not in _territories():
            raise LocaleTagError(original, f"unknown region '{region}'")
    parts = [lang] + ([script] if script else []) + ([region] if region else [])
    canonical = "-".join(parts)
    if canonical in DATASET_ALIASES:
        reasons.append(f"'{canonical}' is a dataset spelling of '{DATASET_ALIASES[canonical]}'")
        canonical = DATASET_ALIASES[canonical]
    if rest:
        canonical = f"{canonical}-{rest.replace('_', '-')}"
    if not reasons and canonical != text:
        reasons.append("case and separators normalised")
    return NormalisedTag(canonical, original, "; ".join(reasons) or None)


def babel_identifier(tag: str) -> str:
    """Babel's spelling of a canonical tag (``de-AT`` → ``de_AT``), extensions dropped."""
    m = _TAG_SHAPE.match(tag)
    if not m:
        return tag.replace("-", "_")
    parts = [m.group("lang")] + [p for p in (m.group("script"), m.group("region")) if p]
    return "_".join(parts)


def language_of(tag: str) -> str:
    """The language subtag of a canonical tag (``pt-BR`` → ``pt``)."""
    return tag.split("-", 1)[0]
