"""CLDR conventions a locale writes numbers, dates, times, money, units and quotes in.

Everything the formatting and holidays checks know about how a locale writes things comes from
CLDR: through Babel (number symbols, date and time patterns, month names, currency patterns and
symbols, unit patterns, ordinal plural rules) and, for the three pieces of CLDR that Babel does
not ship, from tables generated out of the CLDR JSON release (``cldr-misc-full`` and
``cldr-core``, CLDR 48.2, Unicode licence) at the bottom of this module:

* :data:`CLDR_DELIMITERS`: ``main/<locale>/delimiters.json``, the quotation marks of a locale
  (primary start/end, alternate start/end, as one four-character string);
* :data:`CLDR_TIME_ALLOWED`: ``supplemental/timeData.json``, the hour cycles a region allows
  (``H`` = 0-23, ``h`` = 1-12 with AM/PM, ``hb``/``hB`` = 1-12 with day periods, ``K`` = 0-11);
* :data:`CLDR_UNIT_PREFERENCES`: ``supplemental/unitPreferenceData.json``, the units a region
  prefers per quantity and usage (``length/road/GB`` → mile yard).

Regenerate them with ``python -m locale_guard.formatting_cldr DIR_MISC DIR_CORE`` where the
folders are unpacked ``npm pack cldr-misc-full cldr-core`` tarballs (``package/``); nothing in
them is typed by hand.

Helpers here are pure functions of a locale tag, cached, so checks call them once per locale and
then match or parse only the few strings a vectorised pre-filter selected.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from babel import Locale

#: spaces CLDR uses as grouping separators or between number and symbol (space, no-break space,
#: narrow no-break space); writers type any of them, so they are interchangeable when reading
SPACES = " \u00a0\u202f"
_SPACE_CLASS = "[ \u00a0\u202f]"
#: bidi marks CLDR puts into Arabic and Hebrew patterns; ignored when reading
_BIDI = "\u200e\u200f\u061c"

CLDR_VERSION = "48.2.0"

#: letters of alphabets written with spaces between words (Latin, Greek, Cyrillic): a number
#: glued to one of them is part of a word or code ("v1.5", "mp3"); next to Han, kana, Hangul or
#: Arabic letters a number is simply written without a space ("気温は75°Fです")
_WORD_LETTERS = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f"
#: "not inside a word" on the left of a number, and on the right of a number or unit
NUMBER_START = rf"(?<![\d{_WORD_LETTERS}])"
WORD_END = rf"(?![\d{_WORD_LETTERS}])"


# ---------------------------------------------------------------------------------- locales


@lru_cache(maxsize=512)
def babel_locale(tag: str) -> Locale:
    """The Babel locale of a BCP-47 tag, falling back to its language (``de-XX`` → ``de``)."""
    from babel import UnknownLocaleError

    ident = tag.replace("-", "_")
    for candidate in (ident, ident.split("_", 1)[0]):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def _babel_id(tag: str) -> str:
    return str(babel_locale(tag))


def region_of(tag: str) -> str | None:
    """The region of a tag, or CLDR's likely region of its language (``de`` → ``DE``)."""
    loc = babel_locale(tag)
    if loc.territory:
        return loc.territory
    from babel.core import get_global

    likely = get_global("likely_subtags").get(loc.language, "")
    parts = [p for p in likely.split("_")[1:] if len(p) == 2 and p.isupper()]
    return parts[0] if parts else None


# ---------------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class NumberStyle:
    """Decimal and grouping separators of a locale (Latin digits: what text actually uses)."""

    decimal: str
    group: str

    @property
    def group_chars(self) -> str:
        """Grouping characters accepted when reading: any space stands for a space separator."""
        return SPACES if self.group in SPACES else self.group


@lru_cache(maxsize=512)
def number_style(tag: str) -> NumberStyle:
    import babel.numbers

    ident = _babel_id(tag)
    return NumberStyle(
        decimal=babel.numbers.get_decimal_symbol(ident, numbering_system="latn"),
        group=babel.numbers.get_group_symbol(ident, numbering_system="latn"),
    )


@lru_cache(maxsize=1)
def cldr_number_styles() -> tuple[NumberStyle, ...]:
    """Every (decimal, group) pair some CLDR locale uses: the conventions a string may follow.

    Reading them loads all ~1,000 Babel locales (3 s), so the answer is kept in the user cache
    per Babel version.
    """
    import babel

    from locale_guard.cache import cached_json

    pairs = cached_json(f"cldr-number-styles-babel-{babel.__version__}", _all_number_styles)
    return tuple(NumberStyle(d, g) for d, g in pairs)


def _all_number_styles() -> list[tuple[str, str]]:
    from babel.localedata import locale_identifiers

    seen: dict[tuple[str, str], None] = {}
    for ident in locale_identifiers():
        style = number_style(ident.replace("_", "-"))
        group = " " if style.group in SPACES else style.group
        if style.decimal.isascii() and style.decimal in ".,":
            seen.setdefault((style.decimal, group), None)
    return [list(pair) for pair in seen]


def _number_regex(style: NumberStyle) -> re.Pattern[str]:
    group = "[" + re.escape(style.group_chars) + "]"
    dec = re.escape(style.decimal)
    return re.compile(rf"(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{dec}\d+)?")


@lru_cache(maxsize=64)
def _compiled_number_regex(decimal: str, group: str) -> re.Pattern[str]:
    return _number_regex(NumberStyle(decimal, group))


def number_valid(text: str, style: NumberStyle) -> bool:
    """True when ``text`` (digits and separators only) is a number written in ``style``."""
    return _compiled_number_regex(style.decimal, style.group).fullmatch(text) is not None


def parse_number(text: str, style: NumberStyle) -> Decimal | None:
    """The value of ``text`` read in ``style``, or None when it is not written that way."""
    if not number_valid(text, style):
        return None
    plain = "".join(ch for ch in text if ch not in style.group_chars)
    plain = plain.replace(style.decimal, ".")
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


def foreign_readings(text: str, tag: str) -> list[tuple[NumberStyle, Decimal]]:
    """The CLDR conventions other than the locale's under which ``text`` is a number."""
    own = number_style(tag)
    out = []
    for style in cldr_number_styles():
        same_decimal = style.decimal == own.decimal
        same_group = (style.group in SPACES and own.group in SPACES) or style.group == own.group
        if same_decimal and same_group:
            continue
        value = parse_number(text, style)
        if value is not None:
            out.append((style, value))
    return out


def fraction_digits(text: str, style: NumberStyle) -> int:
    """How many digits follow the decimal separator in ``text`` (0 without one)."""
    if style.decimal not in text:
        return 0
    return len(text.rsplit(style.decimal, 1)[1])


def format_number(value: Decimal, tag: str, digits: int | None = None) -> str:
    """``value`` as the locale writes it, keeping ``digits`` fraction digits when given."""
    import babel.numbers

    if digits is not None:
        value = value.quantize(Decimal(1).scaleb(-digits)) if digits else value.quantize(Decimal(1))
    return babel.numbers.format_decimal(
        value, locale=_babel_id(tag), decimal_quantization=False, numbering_system="latn"
    )


# ---------------------------------------------------------------------------------- dates


def _pattern_fields(pattern: str) -> list[tuple[str, str]]:
    """A CLDR date pattern as (kind, text) pieces: ``field`` letters or ``literal`` text."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            end = pattern.find("'", i + 1)
            end = len(pattern) if end == -1 else end
            literal = pattern[i + 1 : end] or "'"
            out.append(("literal", literal))
            i = end + 1
        elif ch.isascii() and ch.isalpha():
            j = i
            while j < len(pattern) and pattern[j] == ch:
                j += 1
            out.append(("field", pattern[i:j]))
            i = j
        else:
            out.append(("literal", ch))
            i += 1
    return out


def date_order(pattern: str) -> str:
    """``DMY``, ``MDY``, ``YMD``… : the order of day, month and year fields in a pattern."""
    order = ""
    for kind, text in _pattern_fields(pattern):
        if kind == "field":
            letter = {"d": "D", "M": "M", "L": "M", "y": "Y"}.get(text[0])
            if letter and letter not in order:
                order += letter
    return order


@lru_cache(maxsize=256)
def numeric_date_orders(tag: str) -> tuple[str, str]:
    """(order with year, order without year) of numeric dates: ``('DMY', 'DM')`` for en-GB."""
    loc = babel_locale(tag)
    with_year = date_order(loc.date_formats["short"].pattern)
    skeleton = loc.datetime_skeletons.get("Md")
    without = date_order(skeleton.pattern if skeleton is not None else loc.date_formats["short"].pattern)
    return with_year, without.replace("Y", "")


def format_numeric_date(day: date, tag: str, *, with_year: bool) -> str:
    """A date in the locale's numeric form (``yMd`` or ``Md`` skeleton: 4-digit years)."""
    from babel.dates import format_skeleton

    return format_skeleton("yMd" if with_year else "Md", day, locale=_babel_id(tag))


def format_long_date(day: date, tag: str, *, with_year: bool) -> str:
    """A date the way the locale writes it in prose: ``10. Mai 2026``, ``May 10``."""
    from babel.dates import format_date, format_skeleton

    if with_year:
        return format_date(day, "long", locale=_babel_id(tag))
    return format_skeleton("MMMMd", day, locale=_babel_id(tag))


@lru_cache(maxsize=256)
def month_names(tag: str) -> dict[str, int]:
    """Casefolded month names (wide and abbreviated, format and stand-alone) → month number.

    Names that are digits plus a suffix (``5월``, ``5月``) are left out: they are read as
    numeric months by :func:`date_regex`.
    """
    loc = babel_locale(tag)
    out: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in loc.months[context][width].items():
                if any(ch.isdigit() for ch in name):
                    continue
                for variant in {name, name.rstrip(".")}:
                    if variant:
                        out.setdefault(variant.casefold(), number)
    return out


@lru_cache(maxsize=256)
def _numeric_month_suffix(tag: str) -> str | None:
    """``월`` for Korean, ``月`` for Japanese and Chinese: months written as digits + suffix."""
    loc = babel_locale(tag)
    wide = loc.months["format"]["wide"]
    suffixes = {name[len(str(n)):] for n, name in wide.items() if name.startswith(str(n))}
    if len(suffixes) == 1 and len(wide) == 12 and all(name.startswith(str(n)) for n, name in wide.items()):
        return suffixes.pop()
    return None


#: marks a day number may carry in prose (``May 11th``, ``1er mai``, ``1º de mayo``)
_DAY_MARK = r"(?:st|nd|rd|th|er|e|º|ª|\.)?"
_DAY_SUFFIX = r"(?:st|nd|rd|th|er|e|º|ª)?"


def _pattern_to_regex(pattern: str, months: str, month_suffix: str | None) -> str | None:
    parts: list[str] = []
    has_day = has_month = False
    pieces = _pattern_fields(pattern)
    last_field = max(i for i, (kind, _) in enumerate(pieces) if kind == "field") if pieces else -1
    for index, (kind, text) in enumerate(pieces):
        if kind == "literal":
            bare = text.strip(SPACES + _BIDI + " \t")
            if not bare:
                parts.append(r"[\s\u00a0\u202f\u200e\u200f]*")
            elif bare in ".,":
                parts.append(re.escape(bare) + "?")
            else:
                parts.append(r"\s*" + r"\s*".join(re.escape(w) for w in bare.split()) + r"\s*")
            continue
        letter = text[0]
        if letter == "d":
            # a dot after a final day ends the sentence ("on November 26."), it is no ordinal
            parts.append(r"(?P<d>\d{1,2})(?!\d)" + (_DAY_MARK if index < last_field else _DAY_SUFFIX))
            has_day = True
        elif letter in "ML":
            if len(text) >= 3 and month_suffix is None:
                parts.append(rf"(?<!\w)(?P<mon>{months})(?!\w)")
            elif len(text) >= 3:
                parts.append(r"(?P<mn>\d{1,2})(?!\d)" + re.escape(month_suffix))
            else:
                parts.append(r"(?P<mn>\d{1,2})(?!\d)")
            has_month = True
        elif letter == "y":
            parts.append(r"(?P<y>\d{4})(?!\d)")
        elif letter in "Ec":
            parts.append(r"(?:\w+\.?,?)?")
        else:
            return None
    if not (has_day and has_month):
        return None
    return "".join(parts)


def _is_numeric_date(pattern: str) -> bool:
    """``M/d``, ``dd.MM.y``: numeric months and only separators between the fields."""
    pieces = _pattern_fields(pattern)
    numeric_month = any(k == "field" and t[0] in "ML" and len(t) < 3 for k, t in pieces)
    separators = all(k == "field" or not t.strip("/.-, " + SPACES + _BIDI) for k, t in pieces)
    return numeric_month and separators


@lru_cache(maxsize=256)
def date_regex(tag: str) -> re.Pattern[str]:
    """Dates written in prose in the locale, from its CLDR patterns; groups d, mon|mn, y.

    Built from the ``MMMMd``/``MMMd`` skeletons and the long/medium date patterns, plus the
    same fields in the other day-month order (``11 May`` in en-US prose is still a date worth
    reading). Month names come from CLDR, so ``11. Mai``, ``11 de mayo``, ``11 мая``,
    ``5月11日`` and ``5월 11일`` are all found.
    """
    loc = babel_locale(tag)
    names = sorted(month_names(tag), key=len, reverse=True)
    months = "|".join(re.escape(n) for n in names) or r"(?!x)x"
    suffix = _numeric_month_suffix(tag)
    patterns: list[str] = []
    for skeleton in ("yMMMMd", "yMMMd", "MMMMd", "MMMd", "Md"):
        found = loc.datetime_skeletons.get(skeleton)
        if found is not None:
            patterns.append(found.pattern)
    for width in ("long", "medium"):
        patterns.append(loc.date_formats[width].pattern)
    if suffix is None:
        patterns += ["d MMMM y", "MMMM d, y", "d MMMM", "MMMM d"]
    alternatives: list[str] = []
    for pattern in patterns:
        if _is_numeric_date(pattern):
            continue  # 12/25 and 25.12. are the formatting check's business, not prose dates
        rx = _pattern_to_regex(pattern, months, suffix)
        if rx and rx not in alternatives:
            alternatives.append(rx)
    alternatives.sort(key=lambda rx: ("(?P<y>" not in rx, -len(rx)))
    # Python needs distinct group names per alternative: number them, read them back by prefix
    numbered = []
    for i, rx in enumerate(alternatives):
        numbered.append(re.sub(r"\(\?P<(d|mon|mn|y)>", lambda m, i=i: f"(?P<{m.group(1)}_{i}>", rx))
    return re.compile(r"(?<![\d.,])(?:" + "|".join(f"(?:{rx})" for rx in numbered) + ")", re.IGNORECASE)


@dataclass(frozen=True)
class ProseDate:
    start: int
    end: int
    month: int
    day: int
    year: int | None


def find_prose_dates(text: str, tag: str) -> list[ProseDate]:
    """Dates written with a month name (or ``5月11日``) in ``text``, with their spans."""
    names = month_names(tag)
    out: list[ProseDate] = []
    for m in date_regex(tag).finditer(text):
        got = {k.split("_")[0]: v for k, v in m.groupdict().items() if v is not None}
        month = names.get(got["mon"].casefold()) if "mon" in got else int(got["mn"])
        if not month or not 1 <= month <= 12:
            continue
        day = int(got["d"])
        year = int(got["y"]) if "y" in got else None
        if not 1 <= day <= 31:
            continue
        out.append(ProseDate(m.start(), m.end(), month, day, year))
    return out


#: a numeric date: two or three numbers joined by one of / . - (the same one twice), with the
#: German-style trailing dot of ``25.12.``; not part of a longer number, time or version string
NUMERIC_DATE = re.compile(
    NUMBER_START + r"(?<![.,/:\-])(?P<a>\d{1,4})(?P<sep>[./\-])(?P<b>\d{1,2})(?:(?P=sep)(?P<c>\d{4}|\d{2}))?"
    r"(?P<dot>\.(?!\d))?" + WORD_END + r"(?![/:\-]|[.,]\d)"
)


@dataclass(frozen=True)
class NumericDate:
    start: int
    end: int
    parts: tuple[int, ...]
    widths: tuple[int, ...]
    separator: str

    @property
    def has_year(self) -> bool:
        return len(self.parts) == 3

    def read(self, order: str, default_year: int) -> date | None:
        """The date under a field order (``DMY``, ``MD``…), or None when it is impossible."""
        if self.widths[0] == 4:
            order = "YMD"  # 2026-12-25 and 2026/12/25 are ISO order everywhere
        elif not self.has_year:
            order = order.replace("Y", "")
        if len(order) != len(self.parts):
            return None
        fields = dict(zip(order, self.parts, strict=True))
        year = fields.get("Y", default_year)
        if "Y" in fields and self.widths[order.index("Y")] == 2:
            year += 2000
        try:
            return date(year, fields["M"], fields["D"])
        except (ValueError, KeyError):
            return None


def find_numeric_dates(text: str) -> list[NumericDate]:
    """Candidates for numeric dates; two-part ones only with ``/`` or a trailing dot (``25.12.``),
    since ``1.5`` and ``3-4`` are numbers and ranges far more often than dates."""
    out: list[NumericDate] = []
    for m in NUMERIC_DATE.finditer(text):
        parts = [m.group("a"), m.group("b")] + ([m.group("c")] if m.group("c") else [])
        if len(parts) == 2 and not (m.group("sep") == "/" or (m.group("sep") == "." and m.group("dot"))):
            continue
        if len(parts) == 3 and len(parts[0]) == 3:
            continue
        end = m.end()
        if m.group("dot") and not (len(parts) == 2 and m.group("sep") == "."):
            end -= 1  # the full stop of the sentence, not the dot of "25.12."
        out.append(NumericDate(m.start(), end, tuple(int(p) for p in parts), tuple(len(p) for p in parts), m.group("sep")))
    return out


@lru_cache(maxsize=256)
def month_only_regex(tag: str) -> re.Pattern[str]:
    """A month name alone (``im November``, ``en novembre``), for month-level statements."""
    names = sorted(month_names(tag), key=len, reverse=True)
    suffix = _numeric_month_suffix(tag)
    alternatives = []
    if names:
        alternatives.append(r"(?<!\w)(?P<mon>" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    if suffix:
        alternatives.append(r"(?<!\d)(?P<mn>\d{1,2})" + re.escape(suffix))
    return re.compile("|".join(alternatives) or r"(?!x)x", re.IGNORECASE)


def month_of(match: re.Match[str], tag: str) -> int | None:
    if match.groupdict().get("mon"):
        return month_names(tag).get(match.group("mon").casefold())
    if match.groupdict().get("mn"):
        value = int(match.group("mn"))
        return value if 1 <= value <= 12 else None
    return None


# ---------------------------------------------------------------------------------- times


def time_allowed(tag: str) -> tuple[str, ...]:
    """Hour cycles CLDR timeData allows for the locale's region (``H``, ``h``, ``hB``…)."""
    lang = babel_locale(tag).language
    region = region_of(tag) or "001"
    for key in (f"{lang}-{region}", region, "001"):
        if key in CLDR_TIME_ALLOWED:
            return tuple(CLDR_TIME_ALLOWED[key].split())
    return ("H", "h")


def allows_am_pm(tag: str) -> bool:
    """Whether a 12-hour clock with an AM/PM marker is an accepted way to write the time."""
    return bool({"h", "hb", "K"} & set(time_allowed(tag)))


def format_short_time(value: time, tag: str) -> str:
    from babel.dates import format_time

    return format_time(value, "short", locale=_babel_id(tag))


# ---------------------------------------------------------------------------------- currency

#: ISO codes whose symbols are recognised in text (the world's most traded currencies and those
#: of the markets locale-guard ships profiles for); which *symbol* each has comes from CLDR
CURRENCY_CODES = (
    "USD", "EUR", "GBP", "JPY", "CNY", "INR", "KRW", "RUB", "TRY", "BRL", "CHF", "CAD",
    "AUD", "MXN", "SAR", "PLN", "SEK", "ILS", "NGN", "PHP", "THB", "VND", "UAH", "ZAR",
)


@dataclass(frozen=True)
class CurrencyStyle:
    code: str | None
    symbol_first: bool
    symbols: dict[str, str]  # symbol as written → ISO code


def _symbol_first(pattern: str) -> bool:
    body = pattern.split(";", 1)[0].strip(_BIDI)
    return body.find("¤") < body.find("#") if "#" in body else body.find("¤") < body.find("0")


@lru_cache(maxsize=256)
def currency_style(tag: str, own_code: str | None) -> CurrencyStyle:
    """Where the locale puts the currency symbol, and which symbols it reads as which code.

    ``$`` is the locale's own currency where CLDR gives it that symbol there (CAD in en-CA, MXN in
    es-MX) and USD elsewhere; the same for ``¥`` (CNY in zh-CN, JPY elsewhere).
    """
    import babel.numbers

    loc = babel_locale(tag)
    ident = str(loc)
    pattern = loc.currency_formats["standard"].pattern
    symbols: dict[str, str] = {}
    codes = ([own_code] if own_code else []) + [c for c in CURRENCY_CODES if c != own_code]
    for code in codes:
        for where in (ident, "en", "en_US"):
            symbol = babel.numbers.get_currency_symbol(code, locale=where).strip(_BIDI)
            # letters-only ASCII symbols (kr, CHF, Rs) read as words and codes, not as symbols
            if symbol and symbol != code and (not symbol.isascii() or not symbol.isalpha()):
                symbols.setdefault(symbol, code)
        if code == "JPY":
            symbols.setdefault("¥", code)
            symbols.setdefault("￥", code)
    return CurrencyStyle(own_code, _symbol_first(pattern), symbols)


def format_money(value: Decimal, code: str, tag: str, digits: int | None) -> str:
    """An amount in the locale's currency pattern; ``digits`` 0 drops the fraction (``5 €``)."""
    import babel.numbers

    loc = babel_locale(tag)
    if digits == 0:
        pattern = loc.currency_formats["standard"].pattern.split(";", 1)[0]
        pattern = re.sub(r"\.0+", "", pattern)
        return babel.numbers.format_currency(
            value, code, format=pattern, locale=str(loc), currency_digits=False, numbering_system="latn"
        )
    return babel.numbers.format_currency(value, code, locale=str(loc), numbering_system="latn")


# ---------------------------------------------------------------------------------- units

#: imperial/US customary units checked in metric locales, and the metric unit a suggestion
#: converts to (CLDR unit ids). Inches are left out: screens and wheels are sized in inches
#: everywhere, and no CLDR usage covers them.
IMPERIAL_UNITS: dict[str, str] = {
    "temperature-fahrenheit": "temperature-celsius",
    "length-mile": "length-kilometer",
    "speed-mile-per-hour": "speed-kilometer-per-hour",
    "length-foot": "length-meter",
    "length-yard": "length-meter",
    "mass-pound": "mass-kilogram",
    "mass-ounce": "mass-gram",
    "volume-gallon": "volume-liter",
    "volume-fluid-ounce": "volume-milliliter",
}
#: metric units checked where CLDR prefers US customary units (measurement system "US"):
#: temperature, road distance, speed and body weight, the quantities an assistant talks about
METRIC_UNITS: dict[str, str] = {
    "temperature-celsius": "temperature-fahrenheit",
    "length-kilometer": "length-mile",
    "speed-kilometer-per-hour": "speed-mile-per-hour",
    "mass-kilogram": "mass-pound",
}
#: units whose long names are also everyday metric words outside English (Pfund, pond and pund
#: are half a kilo in German, Dutch and Scandinavian use): matched by symbol only there
SYMBOL_ONLY_OUTSIDE_ENGLISH = frozenset({"mass-pound", "mass-ounce"})

_LINEAR = {
    "length-mile": Decimal("1.609344"),
    "length-kilometer": Decimal(1) / Decimal("1.609344"),
    "speed-mile-per-hour": Decimal("1.609344"),
    "speed-kilometer-per-hour": Decimal(1) / Decimal("1.609344"),
    "length-foot": Decimal("0.3048"),
    "length-yard": Decimal("0.9144"),
    "mass-pound": Decimal("0.45359237"),
    "mass-kilogram": Decimal(1) / Decimal("0.45359237"),
    "mass-ounce": Decimal("28.349523125"),
    "volume-gallon": Decimal("3.785411784"),
    "volume-fluid-ounce": Decimal("29.5735295625"),
}


def convert(value: Decimal, unit: str) -> Decimal:
    """``value`` in ``unit`` converted to the unit :data:`IMPERIAL_UNITS`/:data:`METRIC_UNITS` name."""
    if unit == "temperature-fahrenheit":
        return (value - 32) * 5 / 9
    if unit == "temperature-celsius":
        return value * 9 / 5 + 32
    return value * _LINEAR[unit]


def region_accepts_unit(region: str | None, unit: str, measurement: str) -> bool:
    """Whether CLDR's unit preferences for ``region`` include ``unit`` for any usage.

    In the UK system, the world's (``001``) preferences count too: British English uses miles
    and pints *and* kilograms and litres, while °F is foreign there.
    """
    category, name = unit.split("-", 1)
    usages: dict[str, dict[str, list[str]]] = {}
    for key, units in CLDR_UNIT_PREFERENCES.items():
        cat, usage, where = key.split("/")
        if cat == category:
            usages.setdefault(usage, {})[where] = units.split()
    for by_region in usages.values():
        chosen = by_region.get(region or "", by_region.get("001", []))
        if name in chosen:
            return True
        if measurement == "UK" and name in by_region.get("001", []):
            return True
    return False


@lru_cache(maxsize=256)
def unit_regexes(tag: str, units: tuple[str, ...]) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(unit id, length, regex with group ``n``) for every CLDR pattern of ``units`` in the locale,
    plus the English short and narrow symbols, which are used in every language.

    Patterns whose unit text is empty or a bare ``°`` (English narrow Fahrenheit) are skipped:
    they say nothing about the unit.
    """
    loc = babel_locale(tag)
    english = loc.language == "en"
    table = loc._data["unit_patterns"]
    # English symbols (mph, °F, lb) are written the world over: read them in every language
    symbols_en = babel_locale("en")._data["unit_patterns"]
    number = r"(?P<n>\d+(?:[.,\u00a0\u202f ]\d+)*)"
    out: list[tuple[str, str, re.Pattern[str]]] = []
    for unit in units:
        forms = table.get(unit, {})
        for length in ("long", "short", "narrow"):
            if length == "long" and unit in SYMBOL_ONLY_OUTSIDE_ENGLISH and not english:
                continue
            seen: set[str] = set()
            patterns = list(forms.get(length, {}).values())
            if length != "long":
                patterns += list(symbols_en.get(unit, {}).get(length, {}).values())
            for pattern in patterns:
                if "{0}" not in pattern or pattern in seen:
                    continue
                seen.add(pattern)
                before, after = pattern.split("{0}", 1)
                text = (before + after).strip(SPACES + _BIDI)
                if not text or text == "°":
                    continue
                rx = ""
                if before.strip(SPACES + _BIDI):
                    rx += r"\s*".join(re.escape(w) for w in before.strip(SPACES + _BIDI).split()) + _SPACE_CLASS + "?"
                rx += number
                if after.strip(SPACES + _BIDI):
                    rx += _SPACE_CLASS + "?" + r"\s*".join(re.escape(w) for w in after.strip(SPACES + _BIDI).split())
                # "km/h" is a speed, not kilometres: a unit followed by "/" is a compound unit
                rx = NUMBER_START + r"(?<![.,])" + rx + WORD_END + r"(?!/)"
                # symbols keep their case (Hungarian "39 Ft" is forints, not feet); names do not
                flags = re.IGNORECASE if length == "long" else 0
                out.append((unit, length, re.compile(rx, flags)))
    # longest unit texts first, so "mi/h" and "km/h" are read before "mi" and "km"
    return tuple(sorted(out, key=lambda item: -len(item[2].pattern)))


@lru_cache(maxsize=256)
def unit_words(tag: str) -> re.Pattern[str]:
    """Any unit text of the locale (every CLDR unit, short and narrow forms) after a number.

    The number check uses it to know that ``1.5 km`` is a quantity, not a date or a version.
    """
    loc = babel_locale(tag)
    words: set[str] = {"%", "‰", "°"}
    for forms in loc._data["unit_patterns"].values():
        for length in ("short", "narrow", "long"):
            for pattern in forms.get(length, {}).values():
                if "{0}" not in pattern:
                    continue
                after = pattern.split("{0}", 1)[1].strip(SPACES + _BIDI)
                if after:
                    words.add(after.split()[0])
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"{_SPACE_CLASS}?(?:{alternatives}){WORD_END}", re.IGNORECASE)


def format_unit_value(value: Decimal, unit: str, tag: str, length: str) -> str:
    """``value`` of ``unit`` in the locale's CLDR unit pattern, rounded sensibly.

    Temperatures round to whole degrees; other values keep one decimal below 10 and none above.
    """
    from babel.units import format_unit

    if unit.startswith("temperature") or abs(value) >= 10:
        rounded = value.quantize(Decimal(1))
    else:
        rounded = value.quantize(Decimal("0.1")).normalize()
    return format_unit(rounded, unit, length=length, locale=_babel_id(tag))


# ---------------------------------------------------------------------------------- quotes

#: characters that open or close a first- or second-level quotation in some CLDR locale, minus
#: the apostrophes (``'`` and ``’`` mostly mark elisions and possessives, not quotations)
QUOTE_CHARS = "\"“”„‟«»「」『』‹›＂〝〞"


@lru_cache(maxsize=256)
def quotes(tag: str) -> tuple[str, str, str, str]:
    """(start, end, alternate start, alternate end) quotation marks of the locale (CLDR)."""
    loc = babel_locale(tag)
    parts = [loc.language]
    if loc.script:
        parts.append(loc.script)
    candidates = []
    if loc.territory:
        candidates.append("-".join([*parts, loc.territory]))
        candidates.append(f"{loc.language}-{loc.territory}")
    candidates += ["-".join(parts), loc.language]
    for key in candidates:
        if key in CLDR_DELIMITERS:
            value = CLDR_DELIMITERS[key]
            return value[0], value[1], value[2], value[3]
    return "“", "”", "‘", "’"


@lru_cache(maxsize=64)
def language_quote_pairs(language: str) -> frozenset[tuple[str, str]]:
    """Every quote pair (primary and alternate) CLDR gives any locale of ``language``."""
    pairs: set[tuple[str, str]] = set()
    for key, value in CLDR_DELIMITERS.items():
        if key.split("-", 1)[0] == language:
            pairs.add((value[0], value[1]))
            pairs.add((value[2], value[3]))
    return frozenset(pairs)


@lru_cache(maxsize=1)
def _all_quote_pairs() -> frozenset[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for value in CLDR_DELIMITERS.values():
        pairs.add((value[0], value[1]))
        pairs.add((value[2], value[3]))
    return frozenset(pairs)


def quote_pair_fits(open_mark: str, close_mark: str, tag: str) -> bool:
    """Whether a pair of marks is one the locale's language uses (or its mirror image:
    ``»…«`` where ``«…»`` is used, as German and Danish books do)."""
    pairs = language_quote_pairs(babel_locale(tag).language) or {quotes(tag)[:2], quotes(tag)[2:]}
    return (open_mark, close_mark) in pairs or (close_mark, open_mark) in pairs


def is_cldr_quote_pair(open_mark: str, close_mark: str) -> bool:
    """Whether some CLDR locale quotes with this pair (so the text is quoting, not stray marks)."""
    return (open_mark, close_mark) in _all_quote_pairs() or (close_mark, open_mark) in _all_quote_pairs()


# ---------------------------------------------------------------------------------- ordinals

#: English ordinal suffixes by CLDR ordinal plural category (en: one → 1st, two → 2nd, few → 3rd)
ENGLISH_ORDINAL_SUFFIX = {"one": "st", "two": "nd", "few": "rd", "other": "th"}


def english_ordinal(number: int) -> str:
    """``21st``: the suffix from Babel's English ordinal plural rule."""
    category = babel_locale("en").ordinal_form(number)
    return f"{number}{ENGLISH_ORDINAL_SUFFIX.get(category, 'th')}"


# ---------------------------------------------------------------------------------- masking

_CODE_SPAN = re.compile(r"`[^`\n]+`|```.*?```", re.DOTALL)


def masked(text: str, mask: str = "\ue000") -> str:
    """``text`` with placeholders and code spans replaced character for character by ``mask``.

    Offsets stay those of the original, so spans found in the masked text point into it; the
    private-use character is neither a digit, a letter, a space nor a quote, so nothing a check
    looks for can start, end or continue inside a placeholder.
    """
    from locale_guard.placeholders_syntax import placeholder_spans

    spans = list(placeholder_spans(text)) + [(m.start(), m.end()) for m in _CODE_SPAN.finditer(text)]
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = mask
    return "".join(chars)


# ---------------------------------------------------------------------------------- generator


def generate_tables(misc_dir: str, core_dir: str) -> str:
    """Python source of the three CLDR tables, from unpacked cldr-misc-full and cldr-core."""
    import json
    import os

    def load(*parts: str) -> Any:
        with open(os.path.join(*parts), encoding="utf-8") as handle:
            return json.load(handle)

    rows: dict[str, str] = {}
    base = os.path.join(misc_dir, "main")
    for loc in sorted(os.listdir(base)):
        path = os.path.join(base, loc, "delimiters.json")
        if os.path.exists(path):
            d = load(path)["main"][loc]["delimiters"]
            rows[loc] = (
                d["quotationStart"] + d["quotationEnd"] + d["alternateQuotationStart"] + d["alternateQuotationEnd"]
            )
    delimiters = {k: v for k, v in rows.items() if "-" not in k or rows.get(k.split("-")[0]) != v}
    time_data = load(core_dir, "supplemental", "timeData.json")["supplemental"]["timeData"]
    times = {k.replace("_", "-"): v["_allowed"] for k, v in sorted(time_data.items())}
    prefs = load(core_dir, "supplemental", "unitPreferenceData.json")["supplemental"]["unitPreferenceData"]
    units: dict[str, str] = {}
    for category in ("length", "mass", "speed", "temperature", "volume"):
        for usage, regions in prefs[category].items():
            for region, wanted in regions.items():
                names: list[str] = []
                for item in wanted:
                    for part in item["unit"].split("-and-"):
                        if part not in names:
                            names.append(part)
                units[f"{category}/{usage}/{region}"] = " ".join(names)

    def dump(name: str, table: dict[str, str], per: int) -> str:
        items = [f"{k!r}: {v!r}" for k, v in table.items()]
        lines = ["    " + ", ".join(items[i : i + per]) + "," for i in range(0, len(items), per)]
        return f"{name}: dict[str, str] = {{\n" + "\n".join(lines) + "\n}\n"

    return "\n".join(
        (dump("CLDR_DELIMITERS", delimiters, 4), dump("CLDR_TIME_ALLOWED", times, 5), dump("CLDR_UNIT_PREFERENCES", units, 2))
    )


def _main(argv: Iterable[str]) -> int:
    args = list(argv)
    if len(args) != 2:
        print("usage: python -m locale_guard.formatting_cldr CLDR_MISC_DIR CLDR_CORE_DIR", file=sys.stderr)
        return 2
    print(generate_tables(args[0], args[1]))
    return 0


# ---------------------------------------------------------------------------------- tables
# Generated by generate_tables() from CLDR 48.2.0 (cldr-misc-full, cldr-core); do not edit.

CLDR_DELIMITERS: dict[str, str] = {
    'aa': '“”‘’', 'ab': '“”‘’', 'af': '“”‘’', 'agq': '„”‚’',
    'ak': '“”‘’', 'am': '«»‹›', 'an': '“”‘’', 'ann': '“”‘’',
    'apc': '“”‘’', 'ar': '”“’‘', 'arn': '“”‘’', 'as': '“”‘’',
    'asa': '“”‘’', 'ast': '«»“”', 'az': '“”‘’', 'az-Arab': '«»‹›',
    'az-Arab-IQ': '«»‹›', 'az-Arab-TR': '«»‹›', 'az-Cyrl': '«»‹›', 'ba': '“”‘’',
    'bal': '“”‘’', 'bas': '«»„“', 'be': '«»„“', 'bem': '“”‘’',
    'bew': '“”‘’', 'bez': '“”‘’', 'bg': '„“„“', 'bgc': '“”‘’',
    'bgn': '“”‘’', 'bho': '“”‘’', 'blo': '«»“”', 'blt': '“”‘’',
    'bm': '«»“”', 'bm-Nkoo': '“”‘’', 'bn': '“”‘’', 'bo': '“”‘’',
    'bqi': '“”‘’', 'br': '«»“”', 'brx': '“”‘’', 'bs': '„”‘’',
    'bs-Cyrl': '„“‚‘', 'bss': '“”‘’', 'bua': '«»„“', 'byn': '“”‘’',
    'ca': '«»“”', 'cad': '“”‘’', 'cch': '“”‘’', 'ccp': '“”‘’',
    'ce': '“”‘’', 'ceb': '“”‘’', 'cgg': '“”‘’', 'cho': '“”‘’',
    'chr': '“”‘’', 'cic': '“”‘’', 'ckb': '“”‘’', 'co': '“”‘’',
    'cop': '“”‘’', 'cs': '„“‚‘', 'csw': '“”‘’', 'cu': '“”‘’',
    'cv': '«»“”', 'cy': '“”‘’', 'da': '“”‘’', 'dav': '“”‘’',
    'de': '„“‚‘', 'dje': '“”‘’', 'doi': '“”‘’', 'dsb': '„“‚‘',
    'dua': '«»‘’', 'dv': '“”‘’', 'dyo': '«»“”', 'dz': '“”‘’',
    'ebu': '“”‘’', 'ee': '“”‘’', 'el': '«»“”', 'el-polyton': '«»‘’',
    'en': '“”‘’', 'eo': '“”«»', 'es': '“”‘’', 'es-US': '«»“”',
    'et': '„“‚‘', 'eu': '«»“”', 'ewo': '«»“”', 'fa': '«»‹›',
    'ff': '„”‚’', 'ff-Adlm': '“”‘’', 'ff-Adlm-BF': '“”‘’', 'ff-Adlm-CM': '“”‘’',
    'ff-Adlm-GH': '“”‘’', 'ff-Adlm-GM': '“”‘’', 'ff-Adlm-GW': '“”‘’', 'ff-Adlm-LR': '“”‘’',
    'ff-Adlm-MR': '“”‘’', 'ff-Adlm-NE': '“”‘’', 'ff-Adlm-NG': '“”‘’', 'ff-Adlm-SL': '“”‘’',
    'ff-Adlm-SN': '“”‘’', 'fi': '””’’', 'fil': '“”‘’', 'fo': '“”‘’',
    'fr': '«»«»', 'fr-CA': '«»”“', 'fr-CH': '«»‹›', 'frr': '“”‘’',
    'fur': '‘’“”', 'fy': '“”‘’', 'ga': '“”‘’', 'gaa': '“”‘’',
    'gd': '“”‘’', 'gez': '“”‘’', 'gl': '“”‘’', 'gn': '“”‘’',
    'gsw': '«»‹›', 'gu': '“”‘’', 'guz': '“”‘’', 'gv': '“”‘’',
    'ha': '“”‘’', 'haw': '“”‘’', 'he': '””’’', 'hi': '“”‘’',
    'hnj': '“”‘’', 'hr': '„“‚‘', 'hsb': '„“‚‘', 'ht': '«»«»',
    'hu': '„”»«', 'hy': '«»«»', 'ia': '‘’“”', 'id': '“”‘’',
    'ie': '«»“”', 'ig': '“”‘’', 'ii': '“”‘’', 'io': '“”‘’',
    'is': '„“‚‘', 'it': '«»“”', 'iu': '“”‘’', 'ja': '「」『』',
    'jbo': '“”‘’', 'jgo': '«»‹›', 'jmc': '“”‘’', 'jv': '“”‘’',
    'ka': '„“«»', 'kaa': '“”‘’', 'kab': '«»“”', 'kaj': '“”‘’',
    'kam': '“”‘’', 'kcg': '“”‘’', 'kde': '“”‘’', 'kea': '“”‘’',
    'kek': '“”‘’', 'ken': '“”‘’', 'kgp': '“”‘’', 'khq': '“”‘’',
    'ki': '“”‘’', 'kk': '«»“”', 'kk-Arab': '»«›‹', 'kkj': '«»‹›',
    'kl': '“”‘’', 'kln': '“”‘’', 'km': '“”‘’', 'kn': '“”‘’',
    'ko': '“”‘’', 'kok': '“”‘’', 'kpe': '“”‘’', 'ks': '“”‘’',
    'ksb': '“”‘’', 'ksf': '«»‘’', 'ksh': '„“‚‘', 'ku': '“”‘’',
    'kw': '“”‘’', 'kxv': '“”‘’', 'ky': '«»„“', 'la': '“”‘’',
    'lag': '””’’', 'lb': '„“‚‘', 'lg': '“”‘’', 'lij': '«»“”',
    'lkt': '“”‘’', 'lld': '”“’‘', 'lmo': '“”‘’', 'ln': '“”‘’',
    'lo': '“”‘’', 'lrc': '“”‘’', 'lt': '„“„“', 'ltg': '“”‘’',
    'lu': '“”‘’', 'luo': '“”‘’', 'luy': '„“‚‘', 'lv': '“”‘’',
    'lzz': '“”‘’', 'mai': '“”‘’', 'mas': '“”‘’', 'mdf': '“”‘’',
    'mer': '“”‘’', 'mfe': '“”‘’', 'mg': '«»“”', 'mgh': '“”‘’',
    'mgo': '“”‘’', 'mhn': '“”‘’', 'mi': '“”‘’', 'mic': '“”‘’',
    'mk': '„“‚‘', 'ml': '“”‘’', 'mn': '“”‘’', 'mni': '“”‘’',
    'moh': '“”‘’', 'mr': '“”‘’', 'ms': '“”‘’', 'ms-Arab': '”“’‘',
    'ms-Arab-BN': '”“’‘', 'mt': '“”‘’', 'mua': '«»“”', 'mus': '“”‘’',
    'mww': '“”‘’', 'my': '“”‘’', 'myv': '“”‘’', 'mzn': '«»‹›',
    'naq': '“”‘’', 'nb': '«»‘’', 'nd': '“”‘’', 'nds': '„“‚‘',
    'ne': '“”‘’', 'nl': '‘’‘’', 'nmg': '„”«»', 'nn': '«»‘’',
    'nnh': '«»“”', 'no': '«»‘’', 'nqo': '“”‘’', 'nr': '“”‘’',
    'nso': '“”‘’', 'nus': '“”‘’', 'nv': '“”‘’', 'ny': '“”‘’',
    'nyn': '“”‘’', 'oc': '«»«»', 'oka': '“”‘’', 'om': '“”‘’',
    'or': '“”‘’', 'os': '«»„“', 'osa': '“”‘’', 'pa': '“”‘’',
    'pap': '“”‘’', 'pcm': '“”‘’', 'pi': '“”‘’', 'pis': '“”‘’',
    'pl': '„”«»', 'pms': '«»“”', 'prg': '„“„“', 'ps': '“”‘’',
    'pt': '“”‘’', 'pt-AO': '«»“”', 'pt-CH': '«»“”', 'pt-CV': '«»“”',
    'pt-GQ': '«»“”', 'pt-GW': '«»“”', 'pt-LU': '«»“”', 'pt-MO': '«»“”',
    'pt-MZ': '«»“”', 'pt-PT': '«»“”', 'pt-ST': '«»“”', 'pt-TL': '«»“”',
    'qu': '“”‘’', 'quc': '“”‘’', 'raj': '“”‘’', 'rhg': '“”‘’',
    'rif': '“”‘’', 'rm': '«»‹›', 'rn': '””’’', 'ro': '„”«»',
    'rof': '“”‘’', 'ru': '«»„“', 'rw': '«»‘’', 'rwk': '“”‘’',
    'sa': '“”‘’', 'sah': '«»„“', 'saq': '“”‘’', 'sat': '“”‘’',
    'sbp': '“”‘’', 'sc': '«»“”', 'scn': '“”‘’', 'sd': '“”‘’',
    'sdh': '«»‹›', 'se': '””’’', 'seh': '“”‘’', 'ses': '“”‘’',
    'sg': '«»“”', 'sgs': '„“„“', 'shi': '«»„”', 'shn': '“”‘’',
    'si': '“”‘’', 'sid': '“”‘’', 'sk': '„“‚‘', 'skr': '“”‘’',
    'sl': '„“‚‘', 'sma': '“”‘’', 'smj': '“”‘’', 'smn': '“”‘’',
    'sms': '“”‘’', 'sn': '””’’', 'so': '“”‘’', 'sq': '“”‘’',
    'sr': '„”’’', 'ss': '“”‘’', 'ssy': '“”‘’', 'st': '“’“”',
    'su': '“”‘’', 'suz': '“”‘’', 'sv': '””’’', 'sw': '“”‘’',
    'syr': '”“’‘', 'szl': '„”»«', 'ta': '“”‘’', 'te': '“”‘’',
    'teo': '“”‘’', 'tg': '“”‘’', 'th': '“”‘’', 'ti': '«»“”',
    'ti-ER': '‘’“”', 'tig': '“”‘’', 'tk': '“”“”', 'tn': '‘’“”',
    'to': '“”‘’', 'tok': '“”‘’', 'tpi': '“”‘’', 'tr': '“”‘’',
    'trv': '“”‘’', 'trw': '“”‘’', 'ts': '“”‘’', 'tt': '“”‘’',
    'twq': '“”‘’', 'tyv': '«»„“', 'tzm': '“”‘’', 'ug': '»«›‹',
    'uk': '«»„“', 'und': '“”‘’', 'ur': '”“’‘', 'uz': '“”’‘',
    'uz-Arab': '“”‘’', 'uz-Cyrl': '“”‘’', 'vai': '“”‘’', 've': '“”‘’',
    'vec': '“”‘’', 'vi': '“”‘’', 'vmw': '“”‘’', 'vo': '“”‘’',
    'vun': '“”‘’', 'wa': '“”‘’', 'wae': '«»‹›', 'wal': '“”‘’',
    'wbp': '“”‘’', 'wo': '“”‘’', 'xh': '“”‘’', 'xnr': '“”‘’',
    'xog': '“”‘’', 'yav': '«»«»', 'yi': '””’’', 'yo': '“”‘’',
    'yrl': '“”‘’', 'yue': '「」『』', 'za': '“”‘’', 'zgh': '«»„”',
    'zh': '“”‘’', 'zh-Hant': '「」『』', 'zh-Hant-HK': '「」『』', 'zh-Hant-MO': '「」『』',
    'zh-Hant-MY': '「」『』', 'zu': '“”‘’',
}

CLDR_TIME_ALLOWED: dict[str, str] = {
    '001': 'H h', '419': 'h H hB hb', 'AC': 'H h hb hB', 'AD': 'H hB', 'AE': 'h hB hb H',
    'AF': 'H hb hB h', 'AG': 'h hb H hB', 'AI': 'H h hb hB', 'AL': 'h H hB', 'AM': 'H hB',
    'AO': 'H hB', 'AR': 'h H hB hb', 'AS': 'h H', 'AT': 'H hB', 'AU': 'h hb H hB',
    'AW': 'H hB', 'AX': 'H', 'AZ': 'H hB h', 'BA': 'H hB h', 'BB': 'h hb H hB',
    'BD': 'h hB H', 'BE': 'H hB', 'BF': 'H hB', 'BG': 'H hB h', 'BH': 'h hB hb H',
    'BI': 'H h', 'BJ': 'H hB', 'BL': 'H hB', 'BM': 'h hb H hB', 'BN': 'hb hB h H',
    'BO': 'h H hB hb', 'BQ': 'H', 'BR': 'H hB', 'BS': 'h hb H hB', 'BT': 'h H',
    'BW': 'H h hb hB', 'BY': 'H h', 'BZ': 'H h hb hB', 'CA': 'h hb H hB', 'CC': 'H h hb hB',
    'CD': 'hB H', 'CF': 'H h hB', 'CG': 'H hB', 'CH': 'H hB h', 'CI': 'H hB',
    'CK': 'H h hb hB', 'CL': 'h H hB hb', 'CM': 'H h hB', 'CN': 'H hB hb h', 'CO': 'h H hB hb',
    'CP': 'H', 'CR': 'h H hB hb', 'CU': 'h H hB hb', 'CV': 'H hB', 'CW': 'H hB',
    'CX': 'H h hb hB', 'CY': 'h H hb hB', 'CZ': 'H', 'DE': 'H hB', 'DG': 'H h hb hB',
    'DJ': 'h H', 'DK': 'H', 'DM': 'h hb H hB', 'DO': 'h H hB hb', 'DZ': 'h hB hb H',
    'EA': 'H h hB hb', 'EC': 'h H hB hb', 'EE': 'H hB', 'EG': 'h hB hb H', 'EH': 'h hB hb H',
    'ER': 'h H', 'ES': 'H hB h hb', 'ET': 'hB hb h H', 'FI': 'H', 'FJ': 'h hb H hB',
    'FK': 'H h hb hB', 'FM': 'h hb H hB', 'FO': 'H h', 'FR': 'H hB', 'GA': 'H hB',
    'GB': 'H h hb hB', 'GD': 'h hb H hB', 'GE': 'H hB h', 'GF': 'H hB', 'GG': 'H h hb hB',
    'GH': 'h H', 'GI': 'H h hb hB', 'GL': 'H h', 'GM': 'h hb H hB', 'GN': 'H hB',
    'GP': 'H hB', 'GQ': 'H hB h hb', 'GR': 'h H hb hB', 'GS': 'H h hb hB', 'GT': 'h H hB hb',
    'GU': 'h hb H hB', 'GW': 'H hB', 'GY': 'h hb H hB', 'HK': 'h hB hb H', 'HN': 'h H hB hb',
    'HR': 'H hB', 'HU': 'H h', 'IC': 'H h hB hb', 'ID': 'H', 'IE': 'H h hb hB',
    'IL': 'H hB', 'IM': 'H h hb hB', 'IN': 'h H', 'IO': 'H h hb hB', 'IQ': 'h hB hb H',
    'IR': 'hB H', 'IS': 'H', 'IT': 'H hB', 'JE': 'H h hb hB', 'JM': 'h hb H hB',
    'JO': 'h hB hb H', 'JP': 'H K h', 'KE': 'hB hb H h', 'KG': 'H h hB hb', 'KH': 'hB h H hb',
    'KI': 'h hb H hB', 'KM': 'H h hB hb', 'KN': 'h hb H hB', 'KP': 'h H hB hb', 'KR': 'h H hB hb',
    'KW': 'h hB hb H', 'KY': 'h hb H hB', 'KZ': 'H hB', 'LA': 'H hb hB h', 'LB': 'h hB hb H',
    'LC': 'h hb H hB', 'LI': 'H hB h', 'LK': 'H h hB hb', 'LR': 'h hb H hB', 'LS': 'h H',
    'LT': 'H h hb hB', 'LU': 'H h hB', 'LV': 'H hB hb h', 'LY': 'h hB hb H', 'MA': 'H h hB hb',
    'MC': 'H hB', 'MD': 'H hB', 'ME': 'H hB h', 'MF': 'H hB', 'MG': 'H h',
    'MH': 'h hb H hB', 'MK': 'H h hb hB', 'ML': 'H', 'MM': 'hB hb H h', 'MN': 'H h hb hB',
    'MO': 'h hB hb H', 'MP': 'h hb H hB', 'MQ': 'H hB', 'MR': 'h hB hb H', 'MS': 'H h hb hB',
    'MT': 'H h', 'MU': 'H h', 'MV': 'H h', 'MW': 'h hb H hB', 'MX': 'h H hB hb',
    'MY': 'hb hB h H', 'MZ': 'H hB', 'NA': 'h H hB hb', 'NC': 'H hB', 'NE': 'H',
    'NF': 'H h hb hB', 'NG': 'H h hb hB', 'NI': 'h H hB hb', 'NL': 'H hB', 'NO': 'H h',
    'NP': 'H h hB', 'NR': 'H h hb hB', 'NU': 'H h hb hB', 'NZ': 'h hb H hB', 'OM': 'h hB hb H',
    'PA': 'h H hB hb', 'PE': 'h H hB hb', 'PF': 'H h hB', 'PG': 'h H', 'PH': 'h hB hb H',
    'PK': 'h hB H', 'PL': 'H h', 'PM': 'H hB', 'PN': 'H h hb hB', 'PR': 'h H hB hb',
    'PS': 'h hB hb H', 'PT': 'H hB', 'PW': 'h H', 'PY': 'h H hB hb', 'QA': 'h hB hb H',
    'RE': 'H hB', 'RO': 'H hB', 'RS': 'H hB h', 'RU': 'H', 'RW': 'H h',
    'SA': 'h hB hb H', 'SB': 'h hb H hB', 'SC': 'H h hB', 'SD': 'h hB hb H', 'SE': 'H',
    'SG': 'h hb H hB', 'SH': 'H h hb hB', 'SI': 'H hB', 'SJ': 'H', 'SK': 'H',
    'SL': 'h hb H hB', 'SM': 'H h hB', 'SN': 'H h hB', 'SO': 'h H', 'SR': 'H hB',
    'SS': 'h hb H hB', 'ST': 'H hB', 'SV': 'h H hB hb', 'SX': 'H h hb hB', 'SY': 'h hB hb H',
    'SZ': 'h hb H hB', 'TA': 'H h hb hB', 'TC': 'h hb H hB', 'TD': 'h H hB', 'TF': 'H h hB',
    'TG': 'H hB', 'TH': 'H h', 'TJ': 'H h', 'TL': 'H hB hb h', 'TM': 'H h',
    'TN': 'h hB hb H', 'TO': 'h H', 'TR': 'H hB', 'TT': 'h hb H hB', 'TW': 'hB hb h H',
    'TZ': 'hB hb H h', 'UA': 'H hB h', 'UG': 'hB hb H h', 'UM': 'h hb H hB', 'US': 'h hb H hB',
    'UY': 'h H hB hb', 'UZ': 'H hB h', 'VA': 'H h hB', 'VC': 'h hb H hB', 'VE': 'h H hB hb',
    'VG': 'h hb H hB', 'VI': 'h hb H hB', 'VN': 'H h', 'VU': 'h H', 'WF': 'H hB',
    'WS': 'h H', 'XK': 'H hB h', 'YE': 'h hB hb H', 'YT': 'H hB', 'ZA': 'H h hb hB',
    'ZM': 'h hb H hB', 'ZW': 'H h', 'af-ZA': 'H h hB hb', 'ar-001': 'h hB hb H', 'ca-ES': 'H h hB',
    'en-001': 'h hb H hB', 'en-HK': 'h hb H hB', 'en-IL': 'H h hb hB', 'en-MY': 'h hb H hB', 'es-BR': 'H h hB hb',
    'es-ES': 'H h hB hb', 'es-GQ': 'H h hB hb', 'fr-CA': 'H h hB', 'gl-ES': 'H h hB', 'gu-IN': 'hB hb h H',
    'hi-IN': 'hB h H', 'it-CH': 'H h hB', 'it-IT': 'H h hB', 'kn-IN': 'hB h H', 'ku-SY': 'H hB',
    'ml-IN': 'hB h H', 'mr-IN': 'hB hb h H', 'pa-IN': 'hB hb h H', 'ta-IN': 'hB h hb H', 'te-IN': 'hB h H',
    'zu-ZA': 'H hB hb h',
}

CLDR_UNIT_PREFERENCES: dict[str, str] = {
    'length/default/001': 'kilometer meter centimeter', 'length/default/GB': 'mile foot inch',
    'length/default/US': 'mile foot inch', 'length/focal-length/001': 'millimeter',
    'length/person/001': 'centimeter', 'length/person/CA': 'inch',
    'length/person/GB': 'inch', 'length/person/IN': 'inch',
    'length/person/US': 'inch', 'length/person-height/001': 'centimeter',
    'length/person-height/AT': 'meter centimeter', 'length/person-height/BE': 'meter centimeter',
    'length/person-height/CA': 'foot inch', 'length/person-height/DZ': 'meter centimeter',
    'length/person-height/EG': 'meter centimeter', 'length/person-height/ES': 'meter centimeter',
    'length/person-height/FR': 'meter centimeter', 'length/person-height/GB': 'foot inch',
    'length/person-height/HK': 'meter centimeter', 'length/person-height/ID': 'meter centimeter',
    'length/person-height/IL': 'meter centimeter', 'length/person-height/IN': 'foot inch',
    'length/person-height/IT': 'meter centimeter', 'length/person-height/JO': 'meter centimeter',
    'length/person-height/MY': 'meter centimeter', 'length/person-height/SA': 'meter centimeter',
    'length/person-height/SE': 'meter centimeter', 'length/person-height/TR': 'meter centimeter',
    'length/person-height/US': 'foot inch', 'length/person-height/VN': 'meter centimeter',
    'length/rainfall/001': 'millimeter', 'length/rainfall/BR': 'centimeter',
    'length/rainfall/US': 'inch', 'length/road/001': 'kilometer meter',
    'length/road/GB': 'mile yard', 'length/road/SE': 'mile-scandinavian kilometer meter',
    'length/road/US': 'mile foot', 'length/snowfall/001': 'centimeter',
    'length/snowfall/US': 'inch', 'length/vehicle/001': 'meter',
    'length/vehicle/GB': 'foot inch', 'length/vehicle/US': 'foot inch',
    'length/visiblty/001': 'kilometer meter', 'length/visiblty/DE': 'meter',
    'length/visiblty/GB': 'mile foot', 'length/visiblty/NL': 'meter',
    'length/visiblty/US': 'mile foot', 'mass/default/001': 'tonne kilogram gram milligram microgram',
    'mass/default/GB': 'ton pound ounce', 'mass/default/US': 'ton pound ounce',
    'mass/person/001': 'kilogram gram', 'mass/person/GB': 'stone pound ounce',
    'mass/person/HK': 'pound ounce', 'mass/person/US': 'pound ounce',
    'speed/default/001': 'kilometer-per-hour', 'speed/default/GB': 'mile-per-hour',
    'speed/default/US': 'mile-per-hour', 'speed/rainfall/001': 'millimeter-per-hour',
    'speed/rainfall/BR': 'centimeter-per-hour', 'speed/rainfall/US': 'inch-per-hour',
    'speed/snowfall/001': 'centimeter-per-hour', 'speed/snowfall/US': 'inch-per-hour',
    'speed/wind/001': 'kilometer-per-hour', 'speed/wind/CN': 'meter-per-second',
    'speed/wind/DK': 'meter-per-second', 'speed/wind/FI': 'meter-per-second',
    'speed/wind/GB': 'mile-per-hour', 'speed/wind/JP': 'meter-per-second',
    'speed/wind/KR': 'meter-per-second', 'speed/wind/NO': 'meter-per-second',
    'speed/wind/PL': 'meter-per-second', 'speed/wind/RU': 'meter-per-second',
    'speed/wind/SE': 'meter-per-second', 'speed/wind/US': 'mile-per-hour',
    'temperature/default/001': 'celsius', 'temperature/default/US': 'fahrenheit',
    'temperature/weather/001': 'celsius', 'temperature/weather/BS': 'fahrenheit',
    'temperature/weather/BZ': 'fahrenheit', 'temperature/weather/KY': 'fahrenheit',
    'temperature/weather/PR': 'fahrenheit', 'temperature/weather/PW': 'fahrenheit',
    'temperature/weather/US': 'fahrenheit', 'volume/default/001': 'cubic-meter cubic-centimeter',
    'volume/default/GB': 'cubic-foot cubic-inch', 'volume/default/US': 'cubic-foot cubic-inch',
    'volume/fluid/001': 'liter milliliter', 'volume/fluid/GB': 'gallon-imperial fluid-ounce-imperial',
    'volume/fluid/US': 'gallon quart pint cup fluid-ounce tablespoon teaspoon', 'volume/oil/001': 'barrel',
    'volume/vehicle/001': 'liter', 'volume/vehicle/US': 'gallon',
}


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
