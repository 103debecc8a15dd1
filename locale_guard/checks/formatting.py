"""Formatting: numbers, dates, times, money, units, quotes and ordinals written the locale's way.

An assistant response translated from en-US easily keeps ``$5.00``, ``12/25``, ``3:30 PM``,
``75 °F`` or ``"quotes"`` that read as foreign or wrong in de-DE or fr-FR. Every expectation here
comes from CLDR (see :mod:`locale_guard.formatting_cldr`): separators, date field order, the hour
cycles a region allows, currency patterns and symbols, the units a region prefers, quotation
marks and ordinal rules. Each finding suggests the CLDR-formatted form for the locale.

The check is deliberately conservative, because a linter that cries wolf gets switched off:

* a number is only judged when the locale's separators make it impossible *and* it is clearly
  a quantity (a unit, ``%`` or currency follows) or has several separators (``1,234.56``);
  ``1.000`` in English may be a German thousand, ``1.5`` in German may be the 1st of May;
* a numeric date only when it is impossible in the locale's day/month order and valid in
  another (``12/25`` in en-GB); ``05/06/2026`` is ambiguous and left alone, ISO ``2026-12-25`` is
  fine everywhere, ``24/7`` is an idiom;
* a 12-hour time only when CLDR's timeData allows no AM/PM clock in the region (``3:30 PM`` in
  Germany, not in Britain, where CLDR prefers 24 hours but allows 12); a 24-hour time is never
  flagged, since every region of CLDR allows it;
* units by CLDR's unit preferences per region and usage; metric units in the US are checked for
  temperature, road distance, speed and body weight only.

Placeholders (``{temp}``, ``{{ state }}``, ``%s``) and code spans are masked before anything is
read. Only responses are checked: users' utterances are what they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

import polars as pl

from locale_guard import formatting_cldr as cldr
from locale_guard.checks import Check, CheckContext, Rule
from locale_guard.config import ConfigError
from locale_guard.findings import SPAN_DTYPE, empty_findings, findings_from_records

if TYPE_CHECKING:
    from locale_guard.profiles import LocaleProfile

RULES = (
    Rule(
        "formatting/date-format",
        "warning",
        "a numeric date that is impossible in the locale's day/month order (12/25 in en-GB)",
        "Read in the locale's CLDR order the date does not exist, read in another it does; the "
        "suggestion is the same date in the locale's numeric form.",
    ),
    Rule(
        "formatting/12-hour-clock",
        "warning",
        "a time with AM/PM where CLDR allows only the 24-hour clock (3:30 PM in de-DE)",
        "From CLDR timeData: the hour cycles each region allows. 24-hour times are never flagged.",
    ),
    Rule(
        "formatting/number-format",
        "warning",
        "decimal or grouping separators of another locale (1.5 km in de-DE, 1,5 % in en-US)",
        "Only numbers the locale's CLDR separators make impossible and that are clearly quantities.",
    ),
    Rule(
        "formatting/currency-format",
        "warning",
        "a currency symbol on the wrong side or an amount with foreign separators ($5.00 in de-DE)",
        "The suggestion keeps amount and currency and applies the locale's CLDR currency pattern; "
        "the message also says when the currency is not the region's.",
    ),
    Rule(
        "formatting/foreign-currency",
        "info",
        "an amount, correctly written, in a currency other than the region's (5,00 $ in de-DE)",
        "For reviewers: fine when the text really is about that currency, a leftover otherwise.",
    ),
    Rule(
        "formatting/units",
        "warning",
        "imperial units where CLDR prefers metric (75 °F in fr-FR), or the reverse in the US",
        "From CLDR unit preferences by region and usage; the suggestion converts the value.",
    ),
    Rule(
        "formatting/quotes",
        "info",
        "quotation marks of another language («…» or „…“ in English)",
        "Pairs no CLDR locale of the response's language uses; the suggestion uses the locale's.",
    ),
    Rule(
        "formatting/straight-quotes",
        "info",
        'typewriter quotes ("…") where the locale quotes with other marks („…“, «…», 「…」)',
        "Not reported where CLDR's quotes are “…” (English, Chinese, Spanish...): there a straight "
        "quote is the same mark typed on a keyboard.",
    ),
    Rule(
        "formatting/ordinal",
        "warning",
        "an English ordinal suffix outside English (3rd in de-DE) or a wrong one in English (21th)",
    ),
)
RULE_SEVERITY = {r.id: r.severity for r in RULES}

#: quotation marks whose typewriter form is the straight ``"``: where CLDR quotes with these, a
#: straight quote is the same mark typed on a keyboard, not another convention, and is left alone
STRAIGHT_EQUIVALENT = frozenset({("“", "”"), ('"', '"')})

#: idioms that look like impossible dates: 24/7 is "all the time", not the 24th of July
DATE_IDIOMS = frozenset({"24/7", "24/7/365"})

_NUMBER = r"\d{1,3}(?:[.,\u00a0\u202f ’']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_CANDIDATE_NUMBER = re.compile(cldr.NUMBER_START + r"(?<![.,/:\-])\d[\d.,]*\d" + cldr.WORD_END + r"(?![.,]\d)")
_AM_PM = re.compile(
    cldr.NUMBER_START + r"(?<![:.])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s?(?P<ap>[AaPp])(?:\.\s?[Mm]\.?|\s?[Mm])" + cldr.WORD_END
)
_ORDINAL = re.compile(cldr.NUMBER_START + r"(?<![.,])(?P<n>\d+)(?P<suf>st|nd|rd|th)" + cldr.WORD_END)
_STRAIGHT = re.compile(r'"([^"\n\ue000]{1,200})"')
_OPENERS = "“„«»「『‹›〝＂”‟"
_CLOSERS = "”“»«」』›‹〞＂‟"
_TYPOGRAPHIC = re.compile(
    f"([{_OPENERS}])([^{re.escape(cldr.QUOTE_CHARS)}\\n\\ue000]{{1,200}})([{_CLOSERS}])"
)


@dataclass
class Hit:
    rule: str
    start: int
    end: int
    message: str
    suggestion: str | None
    severity: str | None = None


@dataclass
class LocaleFormats:
    """What one locale expects, computed once per locale of the run."""

    tag: str
    profile: LocaleProfile | None
    region: str | None = field(init=False)
    measurement: str = field(init=False)
    currency: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.region = (self.profile.region if self.profile else None) or cldr.region_of(self.tag)
        self.measurement = self.profile.measurement if self.profile else "metric"
        self.currency = self.profile.currency if self.profile else None

    @cached_property
    def language(self) -> str:
        return cldr.babel_locale(self.tag).language

    @cached_property
    def numbers(self) -> cldr.NumberStyle:
        return cldr.number_style(self.tag)

    @cached_property
    def money(self) -> cldr.CurrencyStyle:
        return cldr.currency_style(self.tag, self.currency)

    @cached_property
    def money_regex(self) -> re.Pattern[str]:
        symbols = "|".join(re.escape(s) for s in sorted(self.money.symbols, key=len, reverse=True))
        before = rf"(?<![\w$])(?P<sym1>{symbols})[\u00a0\u202f ]?(?P<num1>{_NUMBER})(?![\d]|[.,]\d)"
        after = cldr.NUMBER_START + rf"(?<![.,])(?P<num2>{_NUMBER})[\u00a0\u202f ]?(?P<sym2>{symbols})" + cldr.WORD_END + "(?!\\$)"
        return re.compile(f"{before}|{after}")

    @cached_property
    def unit_checks(self) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
        """CLDR patterns of the units that are foreign in this region."""
        candidates = cldr.METRIC_UNITS if self.measurement == "US" else cldr.IMPERIAL_UNITS
        foreign = tuple(
            u for u in candidates if not cldr.region_accepts_unit(self.region, u, self.measurement)
        )
        return cldr.unit_regexes(self.tag, foreign) if foreign else ()

    @cached_property
    def target_units(self) -> dict[str, str]:
        return {**cldr.IMPERIAL_UNITS, **cldr.METRIC_UNITS}

    @cached_property
    def quotes(self) -> tuple[str, str, str, str]:
        return cldr.quotes(self.tag)

    @cached_property
    def am_pm_allowed(self) -> bool:
        return cldr.allows_am_pm(self.tag)

    @cached_property
    def date_orders(self) -> tuple[str, str]:
        return cldr.numeric_date_orders(self.tag)

    @cached_property
    def unit_words(self) -> re.Pattern[str]:
        return cldr.unit_words(self.tag)

    def read_number(self, text: str) -> tuple[Decimal, int, bool] | None:
        """(value, fraction digits, written the locale's way) of a number, or None when the text
        is not a number in any CLDR convention or reads as different values in several."""
        value = cldr.parse_number(text, self.numbers)
        if value is not None:
            return value, cldr.fraction_digits(text, self.numbers), True
        readings = cldr.foreign_readings(text, self.tag)
        values = {v for _, v in readings}
        if len(values) != 1:
            return None
        style, found = readings[0]
        return found, cldr.fraction_digits(text, style), False


# ----------------------------------------------------------------------------- detectors


def _currency(text: str, fmt: LocaleFormats, year: int) -> list[Hit]:
    hits = []
    for m in fmt.money_regex.finditer(text):
        symbol = m.group("sym1") or m.group("sym2")
        number = m.group("num1") or m.group("num2")
        code = fmt.money.symbols[symbol]
        read = fmt.read_number(number)
        if read is None:
            continue
        value, digits, native = read
        symbol_first = m.group("sym1") is not None
        wrong_side = symbol_first != fmt.money.symbol_first
        suggestion = cldr.format_money(value, code, fmt.tag, 0 if digits == 0 else None)
        foreign = fmt.currency is not None and code != fmt.currency
        if wrong_side or not native:
            why = "the symbol goes " + ("before" if fmt.money.symbol_first else "after") + " the amount" if wrong_side else ""
            if not native:
                why += ("; " if why else "") + f"'{fmt.numbers.decimal}' is the decimal separator"
            extra = f"; {code} is not the currency of {_region_name(fmt)} ({fmt.currency})" if foreign else ""
            hits.append(
                Hit(
                    "formatting/currency-format",
                    m.start(),
                    m.end(),
                    f"'{m.group(0)}' is not how {fmt.tag} writes money ({why}){extra}; CLDR: {suggestion}",
                    suggestion,
                )
            )
        elif foreign:
            hits.append(
                Hit(
                    "formatting/foreign-currency",
                    m.start(),
                    m.end(),
                    f"'{m.group(0)}' is an amount in {code}; the currency of {_region_name(fmt)} is {fmt.currency}",
                    None,
                )
            )
    return hits


def _units(text: str, fmt: LocaleFormats, year: int) -> list[Hit]:
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for unit, length, rx in fmt.unit_checks:
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            read = fmt.read_number(m.group("n").strip())
            if read is None:
                continue
            target = fmt.target_units[unit]
            converted = cldr.convert(read[0], unit)
            suggestion = cldr.format_unit_value(converted, target, fmt.tag, length)
            system = "US customary units" if fmt.measurement == "US" else "metric units"
            taken.append((m.start(), m.end()))
            hits.append(
                Hit(
                    "formatting/units",
                    m.start(),
                    m.end(),
                    f"'{m.group(0)}' ({unit.split('-', 1)[1].replace('-', ' ')}): CLDR prefers {system} "
                    f"in {_region_name(fmt)}; about {suggestion}",
                    suggestion,
                )
            )
    return hits


def _clock(text: str, fmt: LocaleFormats, year: int) -> list[Hit]:
    if fmt.am_pm_allowed:
        return []
    hits = []
    for m in _AM_PM.finditer(text):
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
        if not 1 <= hour <= 12 or minute > 59:
            continue
        afternoon = m.group("ap").lower() == "p"
        hour24 = (hour % 12) + (12 if afternoon else 0)
        suggestion = cldr.format_short_time(time(hour24, minute), fmt.tag)
        hits.append(
            Hit(
                "formatting/12-hour-clock",
                m.start(),
                m.end(),
                f"'{m.group(0)}' uses the 12-hour clock; CLDR allows only the 24-hour clock in "
                f"{_region_name(fmt)}: {suggestion}",
                suggestion,
            )
        )
    return hits


def _dates(text: str, fmt: LocaleFormats, year: int) -> list[Hit]:
    hits = []
    with_year, without_year = fmt.date_orders
    for found in cldr.find_numeric_dates(text):
        raw = text[found.start : found.end]
        if raw.rstrip(".") in DATE_IDIOMS:
            continue
        order = with_year if found.has_year else without_year
        if found.read(order, year) is not None:
            continue
        others = {o for o in ("DMY", "MDY", "YMD") if o != order}
        readings = {d for o in others if (d := found.read(o, year)) is not None}
        if len(readings) != 1:
            continue
        day: date = readings.pop()
        suggestion = cldr.format_numeric_date(day, fmt.tag, with_year=found.has_year)
        hits.append(
            Hit(
                "formatting/date-format",
                found.start,
                found.end,
                f"'{raw}' is not a date in {fmt.tag}'s {'/'.join(order)} order; "
                f"{cldr.format_long_date(day, fmt.tag, with_year=found.has_year)} is written {suggestion}",
                suggestion,
            )
        )
    return hits


def _ordinals(text: str, fmt: LocaleFormats, year: int) -> list[Hit]:
    hits = []
    for m in _ORDINAL.finditer(text):
        number = int(m.group("n"))
        if fmt.language == "en":
            right = cldr.english_ordinal(number)
            if m.group(0) != right:
                hits.append(Hit("formatting/ordinal", m.start(), m.end(), f"'{m.group(0)}' should be '{right}'", right))
        else:
            hits.append(
                Hit(
                    "formatting/ordinal",
                    m.start(),
                    m.end(),
                    f"'{m.group(0)}' has an English ordinal suffix in a {fmt.tag} response",
                    None,
                )
            )
    return hits


def _numbers(text: str, fmt: LocaleFormats, year: int) -> list[Hit]:
    hits = []
    for m in _CANDIDATE_NUMBER.finditer(text):
        raw = m.group(0)
        separators = sum(ch in ".," for ch in raw)
        if not separators:
            continue
        read = fmt.read_number(raw)
        if read is None or read[2]:
            continue
        before = text[: m.start()].rstrip(cldr.SPACES)
        quantity = fmt.unit_words.match(text, m.end()) is not None or any(
            text.startswith(s, m.end()) or before.endswith(s) for s in fmt.money.symbols
        )
        if not quantity and separators < 2:
            continue
        value, digits, _ = read
        suggestion = cldr.format_number(value, fmt.tag, digits)
        hits.append(
            Hit(
                "formatting/number-format",
                m.start(),
                m.end(),
                f"'{raw}' uses separators of another locale; {fmt.tag} writes decimals with "
                f"'{fmt.numbers.decimal}': {suggestion}",
                suggestion,
            )
        )
    return hits


def _quotes(text: str, fmt: LocaleFormats, year: int) -> list[Hit]:
    start, end = fmt.quotes[0], fmt.quotes[1]
    hits = []
    for m in _TYPOGRAPHIC.finditer(text):
        opened, body, closed = m.group(1), m.group(2), m.group(3)
        if cldr.quote_pair_fits(opened, closed, fmt.tag) or not cldr.is_cldr_quote_pair(opened, closed):
            continue
        suggestion = f"{start}{body}{end}"
        hits.append(
            Hit(
                "formatting/quotes",
                m.start(),
                m.end(),
                f"{opened}…{closed} are not {fmt.tag} quotation marks; CLDR: {start}…{end}",
                suggestion,
            )
        )
    if (start, end) not in STRAIGHT_EQUIVALENT:
        for m in _STRAIGHT.finditer(text):
            body = m.group(1)
            if not body.strip() or body != body.strip():
                continue  # '" ' and ' "' are more often inch marks or stray characters than quotes
            hits.append(
                Hit(
                    "formatting/straight-quotes",
                    m.start(),
                    m.end(),
                    f'straight quotes "…"; {fmt.tag} quotes with {start}…{end}',
                    f"{start}{body}{end}",
                )
            )
    return hits


#: in priority order: a span claimed by an earlier detector is not judged by a later one
DETECTORS: tuple[Callable[[str, LocaleFormats, int], list[Hit]], ...] = (
    _currency,
    _units,
    _clock,
    _dates,
    _ordinals,
    _numbers,
    _quotes,
)


def _region_name(fmt: LocaleFormats) -> str:
    if not fmt.region:
        return fmt.tag
    return cldr.babel_locale("en").territories.get(fmt.region, fmt.region)


def find_hits(text: str, fmt: LocaleFormats, year: int) -> list[Hit]:
    """Every formatting problem in one (unmasked) response text."""
    view = cldr.masked(text)
    chosen: list[Hit] = []
    for detector in DETECTORS:
        for hit in detector(view, fmt, year):
            if any(h.start < hit.end and hit.start < h.end for h in chosen):
                continue
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


# ----------------------------------------------------------------------------- running

#: a cheap vectorised pre-filter: only these strings can hold anything the detectors look for
_PREFILTER = r"[0-9" + re.escape(cldr.QUOTE_CHARS) + r"]"

HIT_SCHEMA: dict[str, pl.DataType] = {
    "locale": pl.String(),
    "text": pl.String(),
    "rule": pl.String(),
    "severity": pl.String(),
    "start": pl.Int32(),
    "end": pl.Int32(),
    "message": pl.String(),
    "suggestion": pl.String(),
}


def check_year(ctx: CheckContext, check: str) -> int:
    """The year dates are read in: ``[checks.<check>] year``, default the current year."""
    value = ctx.option(check, "year", None)
    if value is None:
        return date.today().year
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        raise ConfigError(f"[checks.{check}] year must be a whole number from 1900 to 2200, not {value!r}")
    return value


def _profile(ctx: CheckContext, locale: str) -> LocaleProfile | None:
    from locale_guard.profiles import UnknownLocaleError

    try:
        return ctx.profile(locale)
    except UnknownLocaleError:
        return None


def hits_frame(pairs: Iterable[tuple[str, str]], ctx: CheckContext, year: int) -> pl.DataFrame:
    """Hits for distinct (locale, text) pairs, as a frame of :data:`HIT_SCHEMA`."""
    rows: list[dict[str, Any]] = []
    formats: dict[str, LocaleFormats] = {}
    for locale, text in pairs:
        if locale not in formats:
            formats[locale] = LocaleFormats(locale, _profile(ctx, locale))
        for hit in find_hits(text, formats[locale], year):
            rows.append(
                {
                    "locale": locale,
                    "text": text,
                    "rule": hit.rule,
                    "severity": hit.severity or RULE_SEVERITY[hit.rule],
                    "start": hit.start,
                    "end": hit.end,
                    "message": hit.message,
                    "suggestion": hit.suggestion,
                }
            )
    return pl.DataFrame(rows, schema=HIT_SCHEMA)


def run(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    year = check_year(ctx, "formatting")
    responses = records.filter(
        (pl.col("kind") == "response") & pl.col("text").is_not_null() & pl.col("locale").is_not_null()
    )
    if responses.height == 0:
        return empty_findings()
    candidates = (
        responses.filter(pl.col("text").str.contains(_PREFILTER))
        .select("locale", "text")
        .unique(maintain_order=True)
    )
    hits = hits_frame(candidates.iter_rows(), ctx, year)
    if hits.height == 0:
        return empty_findings()
    flagged = responses.join(hits, on=["locale", "text"], how="inner")
    found = findings_from_records(
        flagged,
        rule="formatting/date-format",
        severity="warning",
        message=pl.col("message"),
        span=pl.struct(pl.col("start"), pl.col("end")).cast(SPAN_DTYPE),
        suggestion=pl.col("suggestion"),
        evidence=pl.concat_list(pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start"))),
    )
    # findings_from_records takes one rule and severity; each hit has its own
    return found.with_columns(
        flagged["rule"].alias("rule"),
        flagged["rule"].str.split("/").list.first().alias("check"),
        flagged["severity"].alias("severity"),
    )


CHECK = Check(
    name="formatting",
    rules=RULES,
    run=run,
    description="Numbers, dates, times, currencies, units, quotation marks and ordinals in the "
    "locale's CLDR conventions.",
)
