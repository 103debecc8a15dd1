"""Holidays: greetings and dates that fit the locale's calendar and culture, and training data
that knows the locale's holidays.

* ``holidays/foreign-holiday``: a response greets or assumes a holiday the locale does not keep
  ("Frohes Thanksgiving!" in de-DE, "Happy Fourth of July" in en-GB), unless the same sentence
  says where it is kept ("in den USA"). Kept means: in the country's calendar of the
  ``holidays`` package (any category, national or in a subdivision), or marked as widely kept
  there by the pack (``kept_in``) or by the locale profile (``observances.kept``).
* ``holidays/wrong-date``: a response dates a holiday differently from the calendar of the
  year (``[checks.holidays] year``, default the current year, or the year written next to the
  date): "Muttertag ist am 11. Mai" in 2025, "Thanksgiving is on November 26" in en-CA. Dates
  are read in the locale's CLDR formats; month-only statements ("Thanksgiving im November")
  count too.
* ``holidays/sensitive`` (info, for reviewers): topics a locale profile marks as sensitive
  (``sensitive: [{topics: [alcohol, pork], observance: ramadan, reason: ...}]``), and in a
  multi-faith locale (``sensitive: [{greeting: multi-faith, reason: ...}]``) a religion-specific
  greeting used as a default greeting.
* ``holidays/missing-coverage``: per locale, the holidays of its calendar and the observances
  it keeps that no training utterance mentions; the full table (count per holiday) goes to
  ``ctx.artifacts["holiday_coverage"]`` for the coverage report.

Names are matched in the locale's language by the rule-pack engine: the pack lexicon rules
(``rules/<lang>/holidays.yaml``: a term's or rule's ``category`` is the holiday id) plus the
localised names the ``holidays`` package gives the locale's own holidays. Definitions, dates and
the kept/not-kept logic are in :mod:`locale_guard.holidays_calendar`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from locale_guard import formatting_cldr as cldr
from locale_guard import holidays_calendar as hc
from locale_guard.checks import Check, CheckContext, Rule
from locale_guard.checks.formatting import check_year
from locale_guard.findings import SPAN_DTYPE, empty_findings, findings_from_records, findings_from_rows
from locale_guard.packs.model import PackRule, Term
from locale_guard.placeholders_syntax import may_have_placeholders

if TYPE_CHECKING:
    from locale_guard.profiles import LocaleProfile

RULES = (
    Rule(
        "holidays/foreign-holiday",
        "warning",
        "a response greets or assumes a holiday the locale does not keep",
        "Judged against the country's calendar in the holidays package and the observances the "
        "pack or the locale profile mark as widely kept; a sentence naming another country is fine.",
    ),
    Rule(
        "holidays/wrong-date",
        "warning",
        "a response dates a holiday differently from the locale's calendar for the year",
        "Year from [checks.holidays] year (default: this year) unless the text gives one.",
    ),
    Rule(
        "holidays/sensitive",
        "info",
        "content the locale profile marks as sensitive around an observance, or a religion-specific "
        "default greeting in a multi-faith locale",
    ),
    Rule(
        "holidays/missing-coverage",
        "info",
        "a holiday of the locale that no training utterance mentions",
        "Public holidays are reported as warnings. The per-holiday counts are in the coverage "
        "report (artifact holiday_coverage).",
    ),
)

#: categories of pack terms the check reads besides holiday ids
QUALIFIER = "foreign-context"
RELIGIOUS_GREETING = "religious-greeting"
TOPIC_PREFIX = "topic:"
PACKAGE_PREFIX = "pkg:"

#: the end of a sentence: ! ? and their CJK/Arabic forms, a line break, or a full stop that
#: follows no digit (the dot of "11. Mai" is an ordinal, not the end of the sentence)
_SENTENCE_END = re.compile(r"(?<!\d)\.(?=\s|$)|[!?\n。！？؟]")
#: keys and intents of responses that greet by default
_GREETING_KEY = re.compile(r"(?i)greet|welcome|hello|salut|intro")
#: how far after a holiday name a bare month still belongs to it ("Thanksgiving im November")
_MONTH_WINDOW = 24

COVERAGE_SCHEMA: dict[str, pl.DataType] = {
    "locale": pl.String(),
    "holiday": pl.String(),
    "aliases": pl.List(pl.String()),
    "mentions": pl.Int64(),
    "holiday_id": pl.String(),
    "category": pl.String(),
    "date": pl.Date(),
}


# --------------------------------------------------------------------------- locale state


@dataclass
class LocaleState:
    profile: LocaleProfile
    calendar: hc.LocaleCalendar
    rules: list[PackRule]
    #: holiday key (pack id or pkg:<English name>) → its names, for coverage
    names: dict[str, list[str]]
    labels: dict[str, str]


def _profile(ctx: CheckContext, locale: str) -> LocaleProfile | None:
    from locale_guard.profiles import UnknownLocaleError

    try:
        return ctx.profile(locale)
    except UnknownLocaleError:
        return None


def _rule(rule_id: str, terms: list[Term], source: str, tag: str) -> PackRule:
    return PackRule(
        id=f"holidays/{rule_id}",
        kind="lexicon",
        severity="info",
        message="{match}",
        check="holidays",
        source=Path(source),
        pack_tag=tag,
        terms=tuple(terms),
    )


def locale_state(locale: str, ctx: CheckContext, year: int, *, qualifiers: bool) -> LocaleState | None:
    """Definitions, calendar, policy and the lexicon rules that find holiday names in a locale."""
    from locale_guard.packs import effective_rules
    from locale_guard.packs.model import COMPOUNDING_LANGUAGES

    profile = _profile(ctx, locale)
    if profile is None:
        return None
    holidays = hc.definitions(locale, ctx)
    policy = hc.profile_policy(profile)
    hc.check_policy_ids(policy, holidays, profile)
    calendar = hc.locale_calendar(profile, year, holidays, policy)
    rules = [e.rule for e in effective_rules(locale, "holidays", ctx) if e.rule.kind in ("lexicon", "substitution")]
    names: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for rule in rules:
        for term in rule.terms:
            category = term.category or rule.category or ""
            if category in holidays or category.startswith(PACKAGE_PREFIX):
                names.setdefault(category, []).append(term.term)
    compound = profile.language in COMPOUNDING_LANGUAGES
    package_terms: list[Term] = []
    english_ok = profile.language == "en"
    rank: dict[str, int] = {}
    for entry in calendar.own_holidays():
        found, index = calendar.holiday_id_of(entry.english)
        key = found or f"{PACKAGE_PREFIX}{entry.english}"
        if index < rank.get(key, 100):  # the name of the holiday's main day labels it
            rank[key] = index
            labels[key] = entry.local or entry.english
        for name in (entry.local, entry.english if english_ok or entry.local is None else None):
            if name:
                names.setdefault(key, []).append(name)
                package_terms.append(Term(name, lemma=True, compound=compound, category=key))
    extra = [_rule("calendar-names", package_terms, f"<holidays {calendar.country} {calendar.subdiv} {year} {locale}>", locale)] if package_terms else []
    if qualifiers:
        region = profile.region
        places = [Term(n, lemma=False, compound=False, category=QUALIFIER) for n in hc.territory_names(locale, [region] if region else [])]
        extra.append(_rule("territory-names", places, f"<cldr territories {locale}>", locale))
    for key in names:
        names[key] = hc.split_names(names[key])
    return LocaleState(profile, calendar, rules + extra, names, labels)


def _masked_texts(frame: pl.DataFrame) -> pl.DataFrame:
    """``text`` with placeholders and code spans blanked out, offsets unchanged."""
    texts = frame["text"].fill_null("")
    needs = frame.select(may_have_placeholders(pl.col("text").fill_null("")) | pl.col("text").fill_null("").str.contains("`"))
    if not needs.to_series().any():
        return frame
    unique = texts.filter(needs.to_series()).unique().to_list()
    mapping = {t: cldr.masked(t, " ") for t in unique}
    return frame.with_columns(pl.col("text").replace_strict(mapping, default=pl.col("text"), return_dtype=pl.String))


def _stems(state: LocaleState) -> list[str]:
    """Lower-cased word stems of every name the check reports on (not of the qualifiers, which
    only matter next to a name): the longest word of each (the distinctive one: "Madre" in "Día
    de la Madre"), without its last two letters when it is longer than five, so inflected and
    compound forms (Bożego Narodzenia, Muttertagsgruß) still pass the filter."""
    stems: set[str] = set()
    for rule in state.rules:
        for term in rule.terms:
            category = term.category or rule.category or ""
            if category == QUALIFIER:
                continue
            words = term.term.lower().split()
            if not words:
                continue
            word = max(words, key=len)
            stems.add(word[:-2] if len(word) > 5 else word)
    return sorted(stems)


def find_names(frame: pl.DataFrame, state: LocaleState, ctx: CheckContext) -> pl.DataFrame:
    """Matches of the locale's holiday lexicon: record_id, start, end, category."""
    from locale_guard.packs.runner import compiled_rules
    from locale_guard.text.tokens import tokenize

    schema = {"record_id": pl.String(), "start": pl.Int32(), "end": pl.Int32(), "category": pl.String()}
    stems = _stems(state)
    if frame.height == 0 or not state.rules or not stems:
        return pl.DataFrame(schema=schema)
    # most strings name no holiday: a vectorised substring test on word stems spares them the
    # tokenizer (and spares a run the spaCy pipelines of languages with nothing to find)
    frame = frame.filter(pl.col("text").fill_null("").str.to_lowercase().str.contains_any(stems))
    if frame.height == 0:
        return pl.DataFrame(schema=schema)
    masked = _masked_texts(frame.select("record_id", "locale", "text"))
    compiled = compiled_rules(state.profile.tag, state.rules, ctx)
    tokens = tokenize(masked, ctx)
    hits = compiled.match(masked["text"].to_list(), tokens["tokens"])
    if hits.height == 0:
        return pl.DataFrame(schema=schema)
    rule_category = pl.DataFrame(
        {"rule": list(range(len(state.rules))), "rule_category": [r.category or r.name for r in state.rules]},
        schema={"rule": pl.Int64, "rule_category": pl.String},
    )
    ids = masked.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"), "record_id")
    return (
        hits.join(rule_category, on="rule", how="left")
        .join(ids, on="_row", how="left")
        .select("record_id", "start", "end", pl.coalesce("category", "rule_category").alias("category"))
        .unique(maintain_order=True)
    )


# --------------------------------------------------------------------------- responses


@dataclass
class Mention:
    start: int
    end: int
    key: str

    def distance(self, start: int, end: int) -> int:
        return max(0, start - self.end, self.start - end)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, begin = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((begin, m.end()))
        begin = m.end()
    spans.append((begin, len(text)))
    return spans


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> int:
    return next((i for i, (s, e) in enumerate(spans) if s <= pos < e), len(spans) - 1)


def _longest(mentions: list[Mention]) -> list[Mention]:
    chosen: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if not any(c.start < m.end and m.start < c.end for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def _country_name(code: str | None) -> str:
    if not code:
        return "this locale"
    return cldr.babel_locale("en").territories.get(code, code)


def _label(key: str, state: LocaleState) -> str:
    """A holiday's name in the locale: the package's local name, else the pack's first name."""
    if key in state.labels:
        return state.labels[key]
    if state.names.get(key):
        return state.names[key][0]
    return key[len(PACKAGE_PREFIX):] if key.startswith(PACKAGE_PREFIX) else key


def _date_hits(text: str, tag: str) -> list[tuple[int, int, int, int, int | None]]:
    """(start, end, month, day, year) of dates in prose and numeric dates in the locale's order."""
    out = [(d.start, d.end, d.month, d.day, d.year) for d in cldr.find_prose_dates(text, tag)]
    with_year, without_year = cldr.numeric_date_orders(tag)
    for found in cldr.find_numeric_dates(text):
        if any(s < found.end and found.start < e for s, e, *_ in out):
            continue
        day = found.read(with_year if found.has_year else without_year, 2000)
        if day is not None:
            out.append((found.start, found.end, day.month, day.day, day.year if found.has_year else None))
    return out


def _judge_date(
    state: LocaleState, mention: Mention, stated: tuple[int, int] | tuple[int, int, int], year: int
) -> tuple[str, str] | None:
    """(message, suggestion) when the stated (month, day[, year]) contradicts the calendar."""
    accepted, primary, country = state.calendar.dates(mention.key, year)
    if not accepted or primary is None:
        return None
    holiday = state.calendar.holidays.get(mention.key)
    tolerance = timedelta(days=holiday.tolerance_days if holiday else 0)
    tag = state.profile.tag
    name = _label(mention.key, state)
    where = _country_name(country)
    if len(stated) == 1:
        (month,) = stated
        if any(d.month == month for d in accepted):
            return None
        right = cldr.format_long_date(primary, tag, with_year=False)
        return f"{name} is on {right} in {year} ({where}), not in that month", right
    month, day = stated[0], stated[1]
    try:
        said = date(year, month, day)
    except ValueError:
        return None
    if any(abs(said - d) <= tolerance for d in accepted):
        return None
    with_year = len(stated) == 3
    right = cldr.format_long_date(primary, tag, with_year=with_year)
    wrong = cldr.format_long_date(said, tag, with_year=with_year)
    return f"{name} is on {right} in {year} ({where}), not {wrong}", right


def response_hits(record: dict[str, Any], matches: list[dict[str, Any]], state: LocaleState, year: int) -> list[dict[str, Any]]:
    """Findings (as dicts) for one response from its lexicon matches."""
    text = record["text"] or ""
    view = cldr.masked(text)
    holidays = state.calendar.holidays
    mentions = _longest(
        [Mention(m["start"], m["end"], m["category"]) for m in matches if m["category"] in holidays or m["category"].startswith(PACKAGE_PREFIX)]
    )
    sentences = _sentences(text)
    qualified = {_sentence_of(sentences, m["start"]) for m in matches if m["category"] == QUALIFIER}
    out: list[dict[str, Any]] = []

    def add(rule: str, start: int, end: int, message: str, suggestion: str | None = None, severity: str | None = None) -> None:
        out.append({"rule": rule, "start": start, "end": end, "message": message, "suggestion": suggestion,
                    "severity": severity or next(r.severity for r in RULES if r.id == rule)})

    # foreign-holiday
    for m in mentions:
        if m.key.startswith(PACKAGE_PREFIX) or _sentence_of(sentences, m.start) in qualified:
            continue
        if not state.calendar.keeps(m.key):
            where = ", ".join(state.calendar.kept_where(m.key)) or "other countries"
            add(
                "holidays/foreign-holiday",
                m.start,
                m.end,
                f"'{text[m.start:m.end]}' ({m.key}) is not kept in {_country_name(state.calendar.country)} "
                f"({state.profile.tag}): it is not in the holidays calendar and no pack or profile marks it "
                f"as widely kept there; it belongs to {where}",
            )
    # wrong-date: each date goes with the nearest holiday name of its sentence
    dated: list[tuple[int, int]] = []
    for start, end, month, day, stated_year in _date_hits(view, state.profile.tag):
        sentence = _sentence_of(sentences, start)
        near = [m for m in mentions if _sentence_of(sentences, m.start) == sentence]
        dated.append((start, end))
        if not near:
            continue
        mention = min(near, key=lambda m: m.distance(start, end))
        stated: tuple[int, ...] = (month, day, stated_year) if stated_year else (month, day)
        verdict = _judge_date(state, mention, stated, stated_year or year)  # type: ignore[arg-type]
        if verdict:
            add("holidays/wrong-date", start, end, verdict[0], verdict[1])
    # month-only statements right after a name: "Thanksgiving in November"
    months = cldr.month_only_regex(state.profile.tag)
    for m in mentions:
        window = view[m.end : m.end + _MONTH_WINDOW]
        found = months.search(window)
        if not found:
            continue
        start, end = m.end + found.start(), m.end + found.end()
        if any(s <= start < e for s, e in dated) or _sentence_of(sentences, start) != _sentence_of(sentences, m.start):
            continue
        month = cldr.month_of(found, state.profile.tag)
        if month is None:
            continue
        verdict = _judge_date(state, m, (month,), year)  # type: ignore[arg-type]
        if verdict:
            add("holidays/wrong-date", start, end, verdict[0], verdict[1])
    out.extend(_sensitive(record, matches, mentions, state, year))
    return out


def _sensitive(record: dict[str, Any], matches: list[dict[str, Any]], mentions: list[Mention], state: LocaleState, year: int) -> list[dict[str, Any]]:
    policy = state.calendar.policy
    text = record["text"] or ""
    out: list[dict[str, Any]] = []
    for topics, observance, reason in policy.topics:
        for m in matches:
            if not m["category"].startswith(TOPIC_PREFIX) or m["category"][len(TOPIC_PREFIX):] not in topics:
                continue
            when = ""
            if observance:
                _, first, _ = state.calendar.dates(observance, year)
                label = next((n for n in state.names.get(observance, [])), observance)
                when = f", above all around {label}" + (f" (from {cldr.format_long_date(first, state.profile.tag, with_year=True)})" if first else "")
                if any(x.key == observance for x in mentions):
                    when += "; this response names the observance itself"
            out.append({
                "rule": "holidays/sensitive", "start": m["start"], "end": m["end"], "severity": "info",
                "message": f"'{text[m['start']:m['end']]}' ({m['category'][len(TOPIC_PREFIX):]}) is sensitive in {state.profile.tag}{when}: {reason}",
                "suggestion": None,
            })
    if policy.multi_faith_greeting:
        greeting_key = bool(_GREETING_KEY.search(f"{record.get('key') or ''} {record.get('intent') or ''}"))
        opening = len(text) - len(text.lstrip())
        for m in matches:
            religious = m["category"] == RELIGIOUS_GREETING
            holiday = state.calendar.holidays.get(m["category"])
            by_holiday = holiday is not None and holiday.religion is not None and greeting_key
            at_start = m["start"] - opening <= 2 or greeting_key
            if (religious and at_start) or by_holiday:
                out.append({
                    "rule": "holidays/sensitive", "start": m["start"], "end": m["end"], "severity": "info",
                    "message": f"'{text[m['start']:m['end']]}' is a religion-specific greeting used as a default greeting; "
                    f"{state.profile.tag} is multi-faith: {policy.multi_faith_greeting}",
                    "suggestion": None,
                })
    return out


HIT_SCHEMA: dict[str, pl.DataType] = {
    "record_id": pl.String(),
    "rule": pl.String(),
    "severity": pl.String(),
    "start": pl.Int32(),
    "end": pl.Int32(),
    "message": pl.String(),
    "suggestion": pl.String(),
}


def _responses(records: pl.DataFrame, ctx: CheckContext, year: int) -> pl.DataFrame:
    rows: list[dict[str, Any]] = []
    for locale in records["locale"].unique(maintain_order=True).to_list():
        subset = records.filter(pl.col("locale") == locale)
        state = locale_state(locale, ctx, year, qualifiers=True)
        if state is None:
            continue
        found = find_names(subset, state, ctx)
        if found.height == 0:
            continue
        by_record: dict[str, list[dict[str, Any]]] = {}
        for match in found.iter_rows(named=True):
            by_record.setdefault(match["record_id"], []).append(match)
        for record in subset.filter(pl.col("record_id").is_in(list(by_record))).iter_rows(named=True):
            for hit in response_hits(record, by_record[record["record_id"]], state, year):
                rows.append({"record_id": record["record_id"], **hit})
    if not rows:
        return empty_findings()
    hits = pl.DataFrame(rows, schema=HIT_SCHEMA)
    flagged = hits.join(records.unique("record_id", keep="first"), on="record_id", how="left")
    found = findings_from_records(
        flagged,
        rule="holidays/foreign-holiday",
        severity="warning",
        message=pl.col("message"),
        span=pl.struct(pl.col("start"), pl.col("end")).cast(SPAN_DTYPE),
        suggestion=pl.col("suggestion"),
        evidence=pl.concat_list(pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start"))),
    )
    return found.with_columns(flagged["rule"].alias("rule"), flagged["severity"].alias("severity"))


# --------------------------------------------------------------------------- coverage


def coverage_table(utterances: pl.DataFrame, ctx: CheckContext, year: int) -> pl.DataFrame:
    """Per locale, every holiday it keeps, its names, and how many utterances mention it."""
    parts: list[pl.DataFrame] = []
    for locale in sorted(utterances["locale"].unique().to_list()):
        state = locale_state(locale, ctx, year, qualifiers=False)
        if state is None or state.calendar.country is None:
            continue
        subset = utterances.filter(pl.col("locale") == locale)
        found = find_names(subset, state, ctx)
        counts = dict(
            found.select("record_id", "category").unique().group_by("category").len().iter_rows()
        ) if found.height else {}
        rows: dict[str, dict[str, Any]] = {}
        rank: dict[str, int] = {}
        for entry in state.calendar.own_holidays():
            found_id, index = state.calendar.holiday_id_of(entry.english)
            key = found_id or f"{PACKAGE_PREFIX}{entry.english}"
            if index >= rank.get(key, 100):
                continue  # a secondary day (Easter Monday of easter) does not replace the main one
            rank[key] = index
            rows[key] = {"holiday": _label(key, state), "category": entry.category, "date": entry.day}
        for holiday_id, holiday in state.calendar.holidays.items():
            if holiday_id in rows or not state.calendar.keeps(holiday_id):
                continue
            if "*" not in holiday.kept_in and state.calendar.country not in holiday.kept_in and holiday_id not in state.calendar.policy.kept:
                continue  # kept through kept_with or a subdivision only: not the locale's own
            if not state.names.get(holiday_id):
                continue
            _, primary, _ = state.calendar.dates(holiday_id, year)
            # not in the country's calendar: widely kept there all the same
            rows[holiday_id] = {"holiday": state.names[holiday_id][0], "category": "observance", "date": primary}
        for key, row in rows.items():
            parts.append(
                pl.DataFrame(
                    [{
                        "locale": locale,
                        "holiday": row["holiday"],
                        "aliases": state.names.get(key, []),
                        "mentions": counts.get(key, 0),
                        "holiday_id": None if key.startswith(PACKAGE_PREFIX) else key,
                        "category": row["category"],
                        "date": row["date"],
                    }],
                    schema=COVERAGE_SCHEMA,
                )
            )
    if not parts:
        return pl.DataFrame(schema=COVERAGE_SCHEMA)
    return pl.concat(parts, how="vertical").sort(["locale", "date", "holiday"], nulls_last=True)


def _coverage_findings(table: pl.DataFrame, utterances: pl.DataFrame) -> pl.DataFrame:
    missing = table.filter(pl.col("mentions") == 0)
    if missing.height == 0:
        return empty_findings()
    first_path = dict(utterances.group_by("locale", maintain_order=True).agg(pl.col("path").first()).iter_rows())
    rows = []
    for row in missing.iter_rows(named=True):
        aliases = row["aliases"] or []
        rows.append({
            "rule": "holidays/missing-coverage",
            "severity": "warning" if row["category"] == "public" else "info",
            "locale": row["locale"],
            "path": first_path.get(row["locale"]),
            "message": f"no utterance mentions {row['holiday']} ({row['category']}"
            + (f", {row['date'].isoformat()}" if row["date"] else "")
            + f"); names looked for: {', '.join(aliases) or 'none known'}",
            "evidence": [row["holiday"], *aliases],
            "key": row["holiday_id"] or row["holiday"],
        })
    return findings_from_rows(rows)


# --------------------------------------------------------------------------- run


def run(records: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    year = check_year(ctx, "holidays")
    usable = records.filter(pl.col("locale").is_not_null() & pl.col("text").is_not_null())
    parts: list[pl.DataFrame] = []
    responses = usable.filter(pl.col("kind") == "response")
    if responses.height:
        parts.append(_responses(responses, ctx, year))
    utterances = usable.filter(pl.col("kind") == "utterance")
    if utterances.height:
        table = coverage_table(utterances, ctx, year)
        ctx.artifacts["holiday_coverage"] = table
        parts.append(_coverage_findings(table, utterances))
    parts = [p for p in parts if p.height]
    return pl.concat(parts, how="vertical") if parts else empty_findings()


CHECK = Check(
    name="holidays",
    rules=RULES,
    run=run,
    description="Holiday greetings and dates against the locale's calendar (holidays package) and "
    "culture, sensitive observances, and holiday coverage of training data.",
)
