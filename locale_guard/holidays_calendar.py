"""Holiday calendars for the holidays check: definitions from rule packs, dates from ``holidays``.

A *holiday definition* (``options.holidays.<id>`` in a ``rules/<tag>/holidays.yaml`` pack, merged
along the locale's fallback chain, ``und`` first) says how to recognise one holiday across
countries and how to date it, never a date itself:

* ``calendar``: regular expressions over the English names (``en_US``) the ``holidays`` package
  gives the holiday in any country (``^Thanksgiving( Day)?$``); ``countries`` restricts them
  (``independence_day_us`` is only the US's Independence Day);
* ``kind``: ``holiday`` or ``observance`` (widely kept, but not a day off: Halloween, Ramadan);
* ``religion``: for the multi-faith greeting policy of a locale profile;
* ``kept_in``: countries where it is widely kept though their calendar lacks it (``"*"`` for
  everywhere), ``kept_with``: kept wherever another holiday is (Ramadan with Eid al-Fitr);
* ``reference``: countries whose calendar dates it when the locale's own does not;
* ``rules``: date *rules* for days the package lacks, as data: ``{countries: [DE, US], month: 5,
  weekday: sunday, nth: 2}`` (second Sunday of May), ``nth: -1`` for the last, ``{easter: -21}``
  (days from Western, or with ``easter_method: orthodox`` Orthodox, Easter), ``{month: 5, day:
  26}``, ``unless_easter: 49`` + ``then: {...}`` for France's Whit-Sunday exception;
* ``tolerance_days``: for lunar holidays whose observed day depends on moon sighting.

Whether a locale *keeps* a holiday: its country's calendar has it (any category the package
knows, national or in any subdivision), or the definition or the locale profile's
``observances`` mark it as kept there. Dates for a (country, year) come from the package's
calendar, else from the definition's rule for that country.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from locale_guard.checks import CheckContext
    from locale_guard.profiles import LocaleProfile

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
KINDS = ("holiday", "observance")

#: parentheticals the package adds to names that are not part of the name: "(observed)",
#: "(estimated)", "(from 1pm)", "(additional holiday)"
_QUALIFIER = re.compile(r"\s*\((?:[^()]*\b(?:observed|estimated|from \d|additional)\b[^()]*)\)", re.IGNORECASE)
#: names of days that only stand in for a holiday; never a holiday's own date
_STAND_IN = re.compile(r"observed|substitut|alternative holiday|day off|bridge|joint holiday", re.IGNORECASE)


class DefinitionError(ValueError):
    """A holiday definition a pack got wrong; ``path`` names the pack file."""

    def __init__(self, path: Path | None, holiday: str, message: str) -> None:
        self.path = path
        self.holiday = holiday
        super().__init__(f"options.holidays.{holiday}: {message}")


# ---------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class DateRule:
    """One way to compute a holiday's date in a year, for the countries it names."""

    countries: tuple[str, ...]
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    easter: int | None = None
    easter_method: str = "western"
    unless_easter: int | None = None
    then: DateRule | None = None

    def applies(self, country: str) -> bool:
        return "*" in self.countries or country in self.countries

    def date_in(self, year: int) -> date:
        if self.easter is not None:
            return easter_date(year, self.easter_method) + timedelta(days=self.easter)
        assert self.month is not None
        if self.day is not None:
            found = date(year, self.month, self.day)
        else:
            assert self.weekday is not None and self.nth is not None
            found = nth_weekday(year, self.month, self.weekday, self.nth)
        clash = self.unless_easter is not None and self.then is not None
        if clash and found == easter_date(year, self.easter_method) + timedelta(days=self.unless_easter or 0):
            assert self.then is not None
            return self.then.date_in(year)
        return found


def easter_date(year: int, method: str = "western") -> date:
    """Easter Sunday (dateutil, which ``holidays`` itself uses), Western or Orthodox."""
    from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

    return easter(year, EASTER_ORTHODOX if method == "orthodox" else EASTER_WESTERN)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` ``weekday`` (0 = Monday) of a month; ``nth = -1`` is the last one."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-nth - 1))


# ---------------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class Holiday:
    """One holiday definition after validation (see the module docstring)."""

    id: str
    calendar: tuple[re.Pattern[str], ...] = ()
    countries: tuple[str, ...] = ()
    kind: str = "holiday"
    religion: str | None = None
    kept_in: frozenset[str] = frozenset()
    kept_with: str | None = None
    reference: tuple[str, ...] = ()
    rules: tuple[DateRule, ...] = ()
    tolerance_days: int = 0
    source: Path | None = None

    def names_match(self, english: str, country: str) -> int | None:
        """Index of the first calendar pattern that matches ``english`` in ``country``."""
        if self.countries and country not in self.countries:
            return None
        for i, pattern in enumerate(self.calendar):
            if pattern.search(english):
                return i
        return None

    def rule_for(self, country: str) -> DateRule | None:
        return next((r for r in self.rules if r.applies(country)), None)


_DEF_FIELDS = {
    "calendar", "countries", "kind", "religion", "kept_in", "kept_with", "reference", "rules",
    "tolerance_days",
}
_RULE_FIELDS = {"countries", "month", "day", "weekday", "nth", "easter", "easter_method", "unless_easter", "then"}


def _strings(value: Any, where: str, fail: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        fail(f"'{where}' must be a list of strings")
    return tuple(value)


def _countries(value: Any, where: str, fail: Any, allow_any: bool = False) -> tuple[str, ...]:
    items = _strings(value, where, fail)
    for item in items:
        if item == "*" and allow_any:
            continue
        if not re.fullmatch(r"[A-Z]{2}", item):
            fail(f"'{where}': '{item}' is not an ISO 3166 country code" + (" or '*'" if allow_any else ""))
    return items


def _date_rule(raw: Any, fail: Any, nested: bool = False) -> DateRule:
    if not isinstance(raw, dict):
        fail("each of 'rules' is a mapping such as {countries: [DE], month: 5, weekday: sunday, nth: 2}")
    unknown = sorted(set(raw) - _RULE_FIELDS)
    if unknown:
        fail(f"unknown rule field(s) {', '.join(unknown)}; known: {', '.join(sorted(_RULE_FIELDS))}")
    countries = () if nested else _countries(raw.get("countries"), "rules[].countries", fail, allow_any=True)

    def number(name: str, low: int, high: int) -> int | None:
        value = raw.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            fail(f"rule field '{name}' must be a whole number from {low} to {high}, not {value!r}")
        return value

    month, day, nth = number("month", 1, 12), number("day", 1, 31), number("nth", -5, 5)
    easter, unless = number("easter", -366, 366), number("unless_easter", -366, 366)
    weekday_name = raw.get("weekday")
    weekday = None
    if weekday_name is not None:
        if weekday_name not in WEEKDAYS:
            fail(f"rule field 'weekday' must be one of {', '.join(WEEKDAYS)}, not {weekday_name!r}")
        weekday = WEEKDAYS.index(weekday_name)
    method = raw.get("easter_method", "western")
    if method not in ("western", "orthodox"):
        fail("rule field 'easter_method' must be western or orthodox")
    if easter is None:
        if month is None or (day is None) == (weekday is None or nth is None):
            fail("a rule needs 'easter', or 'month' with either 'day' or 'weekday' and 'nth'")
        if nth == 0:
            fail("rule field 'nth' counts from 1 (first) or -1 (last), not 0")
        if day is not None:
            try:
                date(2024, month, day)
            except ValueError:
                fail(f"rule: month {month} has no day {day}")
    then = None
    if raw.get("then") is not None:
        if unless is None:
            fail("rule field 'then' needs 'unless_easter'")
        then = _date_rule(raw["then"], fail, nested=True)
    return DateRule(countries, month, day, weekday, nth, easter, method, unless, then)


def parse_definition(holiday_id: str, raw: Any, source: Path | None) -> Holiday:
    """One ``options.holidays`` entry as a :class:`Holiday`, or :class:`DefinitionError`."""

    def fail(message: str) -> Any:
        raise DefinitionError(source, holiday_id, message)

    if not re.fullmatch(r"[a-z0-9][a-z0-9_]*", holiday_id):
        fail("holiday ids are lower-case letters, digits and underscores")
    if not isinstance(raw, dict):
        fail("a holiday definition is a mapping (calendar, kept_in, rules, ...)")
    unknown = sorted(set(raw) - _DEF_FIELDS)
    if unknown:
        fail(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(_DEF_FIELDS))}")
    patterns = []
    for text in _strings(raw.get("calendar", []), "calendar", fail):
        try:
            patterns.append(re.compile(text))
        except re.error as exc:
            fail(f"'calendar': bad regular expression {text!r}: {exc}")
    kind = raw.get("kind", "holiday")
    if kind not in KINDS:
        fail(f"'kind' must be one of {', '.join(KINDS)}")
    religion = raw.get("religion")
    if religion is not None and not isinstance(religion, str):
        fail("'religion' must be a string")
    tolerance = raw.get("tolerance_days", 0)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int) or not 0 <= tolerance <= 3:
        fail("'tolerance_days' must be 0 to 3")
    kept_with = raw.get("kept_with")
    if kept_with is not None and not isinstance(kept_with, str):
        fail("'kept_with' must be a holiday id")
    rules_raw = raw.get("rules", [])
    if not isinstance(rules_raw, list):
        fail("'rules' must be a list")
    holiday = Holiday(
        id=holiday_id,
        calendar=tuple(patterns),
        countries=_countries(raw.get("countries", []), "countries", fail),
        kind=kind,
        religion=religion,
        kept_in=frozenset(_countries(raw.get("kept_in", []), "kept_in", fail, allow_any=True)),
        kept_with=kept_with,
        reference=_countries(raw.get("reference", []), "reference", fail),
        rules=tuple(_date_rule(r, fail) for r in rules_raw),
        tolerance_days=tolerance,
        source=source,
    )
    if not holiday.calendar and not holiday.rules and not holiday.kept_in:
        fail("needs at least one of 'calendar', 'rules' or 'kept_in'")
    return holiday


def definitions(locale: str, ctx: CheckContext | None = None, config: Any = None) -> dict[str, Holiday]:
    """The holiday definitions for ``locale``: ``options.holidays`` of every holidays pack along
    its fallback chain, general first, a more specific pack replacing a whole definition."""
    from locale_guard.packs import PackError, PackProblem
    from locale_guard.packs.runner import pack_set

    packs = pack_set(ctx, config)
    cache: dict[str, dict[str, Holiday]] = ctx.cache.setdefault("holidays.definitions", {}) if ctx else {}
    if locale in cache:
        return cache[locale]
    from locale_guard.packs.loader import fallback_chain

    merged: dict[str, Holiday] = {}
    for tag in reversed(fallback_chain(locale)):
        for pack in packs.packs_for(tag, "holidays"):
            table = pack.options.get("holidays", {})
            if not isinstance(table, dict):
                raise PackError([PackProblem(pack.path, "options.holidays must be a mapping of holiday ids")])
            for holiday_id, raw in table.items():
                try:
                    merged[str(holiday_id)] = parse_definition(str(holiday_id), raw, pack.path)
                except DefinitionError as exc:
                    raise PackError([PackProblem(pack.path, str(exc))]) from None
    for holiday in merged.values():
        if holiday.kept_with and holiday.kept_with not in merged:
            raise PackError(
                [PackProblem(holiday.source or Path("."), f"options.holidays.{holiday.id}: 'kept_with' names unknown holiday '{holiday.kept_with}'")]
            )
    cache[locale] = merged
    return merged


# ---------------------------------------------------------------------------------- calendars


@dataclass(frozen=True)
class Entry:
    """One holiday of a country calendar on one date."""

    day: date
    english: str  #: the name in English (en_US), qualifiers removed
    local: str | None  #: the name in the requested language, qualifiers removed
    category: str
    stand_in: bool  #: an observed/substitute day, not the holiday's own date


def clean_name(name: str) -> str:
    return _QUALIFIER.sub("", name).strip()


@lru_cache(maxsize=1)
def _localized() -> dict[str, tuple[str, ...]]:
    import holidays

    return {c: tuple(langs) for c, langs in holidays.list_localized_countries().items()}


def package_language(country: str, tag: str) -> str | None:
    """The package's localisation of ``country`` closest to ``tag`` (pt_BR, de, zh_TW...)."""
    langs = _localized().get(country, ())
    lang, _, rest = tag.partition("-")
    region = rest.split("-")[-1] if rest else ""
    candidates = [f"{lang}_{region}", lang] + [code for code in langs if code.split("_")[0] == lang]
    if lang == "zh":
        candidates.insert(0, "zh_TW" if region in ("TW", "HK", "MO") or "Hant" in rest else "zh_CN")
    return next((c for c in candidates if c in langs), None)


@lru_cache(maxsize=1024)
def calendar(country: str, subdiv: str | None, year: int, language: str | None) -> tuple[Entry, ...]:
    """Every holiday of a country (and subdivision) in a year, in all the package's categories,
    with English and (when ``language`` is given and supported) localised names."""
    import holidays

    try:
        base = holidays.country_holidays(country, subdiv=subdiv, years=year)
    except (NotImplementedError, KeyError):
        return ()
    # public first: a day the package lists in several categories is reported as public
    categories = tuple(sorted(getattr(base, "supported_categories", ("public",)), key=lambda c: (c != "public", c)))
    english_lang = "en_US" if "en_US" in _localized().get(country, ()) else None
    out: list[Entry] = []
    for category in categories:
        english = holidays.country_holidays(
            country, subdiv=subdiv, years=year, language=english_lang, categories=(category,)
        )
        local = (
            holidays.country_holidays(country, subdiv=subdiv, years=year, language=language, categories=(category,))
            if language
            else None
        )
        for day, names in sorted(english.items()):
            en_names = names.split("; ")
            local_names = local.get(day, "").split("; ") if local is not None else []
            if len(local_names) != len(en_names):
                local_names = [None] * len(en_names)  # type: ignore[list-item]
            for en, lo in zip(en_names, local_names, strict=True):
                out.append(
                    Entry(day, clean_name(en), clean_name(lo) if lo else None, category, bool(_STAND_IN.search(en)))
                )
    return tuple(out)


@lru_cache(maxsize=256)
def subdivisions(country: str) -> tuple[str, ...]:
    from locale_guard.profiles import holiday_calendars

    return holiday_calendars().get(country, ())


def calendar_matches(holiday: Holiday, country: str, subdiv: str | None, year: int) -> list[tuple[int, Entry]]:
    """(pattern index, entry) for every calendar entry of the holiday in the country's calendar."""
    found = []
    for entry in calendar(country, subdiv, year, None):
        index = holiday.names_match(entry.english, country)
        if index is not None:
            found.append((index, entry))
    return found


@lru_cache(maxsize=4096)
def in_calendar(holiday: Holiday, country: str, year: int) -> bool:
    """Whether the country keeps the holiday nationally or in any subdivision (any category)."""
    if calendar_matches(holiday, country, None, year):
        return True
    return any(calendar_matches(holiday, country, sub, year) for sub in subdivisions(country))


# ---------------------------------------------------------------------------------- policy


@dataclass(frozen=True)
class Policy:
    """What a locale profile's ``observances`` and ``sensitive`` fields say (validated)."""

    kept: frozenset[str] = frozenset()
    not_kept: frozenset[str] = frozenset()
    #: (topics, observance or None, reason)
    topics: tuple[tuple[tuple[str, ...], str | None, str], ...] = ()
    multi_faith_greeting: str | None = None  #: the reason, when the locale is multi-faith


def profile_policy(profile: LocaleProfile) -> Policy:
    """The holiday policy in a profile, or a ProfileError naming the curated file."""
    from locale_guard.profiles import ProfileError

    where = profile.curated_from.get("extra", f"locales/{profile.tag}.yaml")

    def fail(message: str) -> Any:
        raise ProfileError(where, message)

    observances = profile.extra.get("observances")
    kept: set[str] = set()
    not_kept: set[str] = set()
    if observances is not None:
        if not isinstance(observances, dict) or set(observances) - {"kept", "not_kept"}:
            fail("field 'observances': expected {kept: [holiday ids], not_kept: [holiday ids]}")
        for key, bucket in (("kept", kept), ("not_kept", not_kept)):
            value = observances.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                fail(f"field 'observances.{key}': expected a list of holiday ids")
            bucket.update(value)
    sensitive = profile.extra.get("sensitive")
    topics: list[tuple[tuple[str, ...], str | None, str]] = []
    multi_faith = None
    if sensitive is not None:
        if not isinstance(sensitive, list):
            fail("field 'sensitive': expected a list of {topics: [...], observance: id, reason: ...} or {greeting: multi-faith, reason: ...}")
        for i, item in enumerate(sensitive):
            if not isinstance(item, dict) or not isinstance(item.get("reason"), str):
                fail(f"field 'sensitive[{i}]': each entry is a mapping with a 'reason'")
            if "greeting" in item:
                if item["greeting"] != "multi-faith" or set(item) - {"greeting", "reason"}:
                    fail(f"field 'sensitive[{i}]': greeting entries are {{greeting: multi-faith, reason: ...}}")
                multi_faith = item["reason"]
                continue
            extra = set(item) - {"topics", "observance", "reason"}
            values = item.get("topics")
            if extra or not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
                fail(f"field 'sensitive[{i}]': expected {{topics: [names], observance: holiday id (optional), reason: ...}}")
            observance = item.get("observance")
            if observance is not None and not isinstance(observance, str):
                fail(f"field 'sensitive[{i}].observance': expected a holiday id")
            topics.append((tuple(values), observance, item["reason"]))
    return Policy(frozenset(kept), frozenset(not_kept), tuple(topics), multi_faith)


def check_policy_ids(policy: Policy, known: Mapping[str, Holiday], profile: LocaleProfile) -> None:
    """Holiday ids a profile names must exist in the packs."""
    from locale_guard.profiles import ProfileError

    named = set(policy.kept) | set(policy.not_kept) | {o for _, o, _ in policy.topics if o}
    unknown = sorted(named - set(known))
    if unknown:
        where = profile.curated_from.get("extra", f"locales/{profile.tag}.yaml")
        raise ProfileError(where, f"unknown holiday id(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")


# ---------------------------------------------------------------------------------- questions


@dataclass
class LocaleCalendar:
    """Holiday questions for one locale in one year."""

    tag: str
    country: str | None
    subdiv: str | None
    year: int
    holidays: Mapping[str, Holiday]
    policy: Policy = field(default_factory=Policy)

    def keeps(self, holiday_id: str, year: int | None = None, _seen: tuple[str, ...] = ()) -> bool:
        """Whether the locale keeps a holiday: calendar, pack ``kept_in`` or profile policy."""
        holiday = self.holidays.get(holiday_id)
        if holiday is None or holiday_id in _seen:
            return True  # unknown ids (package names of the locale's own calendar) are its own
        if holiday_id in self.policy.not_kept:
            return False
        if holiday_id in self.policy.kept or "*" in holiday.kept_in:
            return True
        if self.country is None:
            return True  # no calendar to judge by: never call anything foreign
        if self.country in holiday.kept_in:
            return True
        if holiday.calendar and in_calendar(holiday, self.country, year or self.year):
            return True
        if holiday.kept_with:
            return self.keeps(holiday.kept_with, year, (*_seen, holiday_id))
        return False

    def kept_where(self, holiday_id: str) -> list[str]:
        """Countries the definition names for a holiday (reference calendars and kept_in)."""
        holiday = self.holidays.get(holiday_id)
        if holiday is None:
            return []
        names = [*holiday.reference, *holiday.countries, *sorted(c for c in holiday.kept_in if c != "*")]
        return list(dict.fromkeys(names))

    def dates(self, holiday_id: str, year: int) -> tuple[list[date], date | None, str | None]:
        """(accepted dates, the date to suggest, the country they are from) of a holiday.

        The locale's own calendar first, then the definition's rule for its country, then the
        reference countries' calendars (holidays dated the same everywhere, such as Eid or Diwali,
        and holidays the locale does not keep).
        """
        holiday = self.holidays.get(holiday_id)
        if holiday is None:
            return [], None, None
        countries = ([self.country] if self.country else []) + [c for c in holiday.reference if c != self.country]
        for country in countries:
            subdiv = self.subdiv if country == self.country else None
            matched = [(i, e) for i, e in calendar_matches(holiday, country, subdiv, year) if not e.stand_in]
            rule = holiday.rule_for(country)
            accepted = sorted({e.day for _, e in matched})
            primary = min(matched, key=lambda x: (x[0], x[1].day))[1].day if matched else None
            if rule is not None:
                ruled = rule.date_in(year)
                if ruled not in accepted:
                    accepted.append(ruled)
                if primary is None or not any(i == 0 for i, _ in matched):
                    primary = ruled
            if accepted:
                return sorted(accepted), primary, country
            if country == self.country and not holiday.reference:
                # no calendar or rule here and no reference calendar: Mother's Day differs by
                # country, so another country's date would be a guess
                return [], None, None
        return [], None, None

    def own_holidays(self) -> list[Entry]:
        """The locale's calendar for the year (national and its subdivision), stand-ins dropped."""
        if self.country is None:
            return []
        language = package_language(self.country, self.tag)
        entries = calendar(self.country, self.subdiv, self.year, language)
        return [e for e in entries if not e.stand_in]

    def holiday_id_of(self, english: str) -> tuple[str | None, int]:
        """The pack holiday id a package name belongs to in this locale's country, and the index
        of the pattern that matched; a definition's primary pattern wins over another's
        secondary one ("Christmas Eve" is christmas_eve, though christmas accepts it too)."""
        best: tuple[str | None, int] = (None, 99)
        if self.country is None:
            return best
        for holiday in self.holidays.values():
            index = holiday.names_match(english, self.country)
            if index is not None and index < best[1]:
                best = (holiday.id, index)
        return best


def locale_calendar(
    profile: LocaleProfile, year: int, holidays: Mapping[str, Holiday], policy: Policy | None = None
) -> LocaleCalendar:
    return LocaleCalendar(
        tag=profile.tag,
        country=profile.holidays_country,
        subdiv=profile.holidays_subdiv,
        year=year,
        holidays=holidays,
        policy=policy or Policy(),
    )


def split_names(names: Iterable[str]) -> list[str]:
    """Distinct non-empty names, order kept."""
    return list(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def territory_names(tag: str, exclude: Sequence[str] = ()) -> list[str]:
    """Country names in the locale's language (CLDR), for telling "in the USA" qualifiers."""
    from locale_guard.formatting_cldr import babel_locale

    loc = babel_locale(tag)
    out = []
    for code, name in loc.territories.items():
        if len(code) == 2 and code.isalpha() and code not in exclude and name:
            out.append(name)
    return split_names(out)
