"""The holidays check: foreign holidays, wrong dates, sensitive content, training-data coverage.

Fixtures under tests/data/holidays/responses/<locale>.json hold, per locale, strings under
``fires.<rule>.<n>`` that must produce that rule and strings under ``quiet.<n>`` that must
produce nothing. Dates that depend on the year are computed here from the holidays package and
the pack's date rules, never written into the test.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import holidays as holidays_package
import polars as pl
import pytest
from babel.dates import format_date

from locale_guard import holidays_calendar as hc
from locale_guard.checks import CheckContext
from locale_guard.checks.holidays import CHECK, run
from locale_guard.config import ConfigError, parse_config
from locale_guard.engine import RunOptions
from locale_guard.engine import run as engine_run
from locale_guard.packs import PackError
from locale_guard.profiles import LocaleProfile, ProfileError
from locale_guard.records import records_from_rows

DATA = Path(__file__).parent.parent / "data" / "holidays"
RESPONSES = DATA / "responses"
YEAR = 2026


def context(year: int = YEAR, **extra: Any) -> CheckContext:
    config = parse_config({"checks": {"holidays": {"year": year}}, **extra})
    return CheckContext(config=config, source_locale=None, files=pl.DataFrame())


def check(rows: list[tuple[str, str]], *, year: int = YEAR, kind: str = "response", key: str = "k") -> pl.DataFrame:
    records = records_from_rows(
        [{"locale": loc, "text": text, "kind": kind, "key": f"{key}{i}", "path": f"app/{loc}.json"} for i, (loc, text) in enumerate(rows)]
    )
    return run(records, context(year))


def flagged(found: pl.DataFrame) -> list[tuple[str, str]]:
    return [
        (row["rule"], row["text"][row["span"]["start"] : row["span"]["end"]])
        for row in found.iter_rows(named=True)
        if row["span"] is not None
    ]


@pytest.fixture(scope="module")
def fixture_run() -> pl.DataFrame:
    result = engine_run(RunOptions(paths=[RESPONSES], select=["holidays"]), parse_config({"checks": {"holidays": {"year": YEAR}}}))
    assert not result.errors
    return result.findings


def fixture_cases() -> list[tuple[str, str, str | None]]:
    cases = []
    for path in sorted(RESPONSES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for rule, items in data["fires"].items():
            cases += [(path.stem, f"fires.{rule}.{n}", f"holidays/{rule}") for n in items]
        cases += [(path.stem, f"quiet.{n}", None) for n in data["quiet"]]
    return cases


def test_fixtures_cover_ten_locales_and_every_rule() -> None:
    cases = fixture_cases()
    locales = {c[0] for c in cases}
    assert len(locales) >= 10
    for rule in ("holidays/foreign-holiday", "holidays/wrong-date", "holidays/sensitive"):
        assert len({loc for loc, _, r in cases if r == rule}) >= 2, rule


@pytest.mark.parametrize(("locale", "key", "rule"), fixture_cases())
def test_fixture(fixture_run: pl.DataFrame, locale: str, key: str, rule: str | None) -> None:
    mine = fixture_run.filter((pl.col("locale") == locale) & (pl.col("key") == key))
    if rule is None:
        assert mine.height == 0, mine.select("rule", "message").to_dicts()
    else:
        assert rule in mine["rule"].to_list(), mine.select("rule", "message").to_dicts()


# ------------------------------------------------------------------------------- dates


def test_mothers_day_rule_agrees_with_the_package() -> None:
    """The pack's US rule (second Sunday of May) gives the date the package has for the US."""
    holiday = hc.definitions("en-US")["mothers_day"]
    for year in (2024, 2025, 2026, 2027):
        us = holidays_package.country_holidays("US", years=year, categories=("unofficial",), language="en_US")
        from_package = next(d for d, n in us.items() if n == "Mother's Day")
        rule = holiday.rule_for("US")
        assert rule is not None and rule.date_in(year) == from_package


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_muttertag_is_year_aware(year: int) -> None:
    right = hc.nth_weekday(year, 5, 6, 2)  # what rules/und/holidays.yaml says for DE
    wrong = right.replace(day=right.day + 1)
    said = lambda d: f"Muttertag ist am {format_date(d, 'd. MMMM', locale='de_DE')}."  # noqa: E731
    found = check([("de-DE", said(right)), ("de-DE", said(wrong))], year=year)
    assert [(r, k) for r, k in zip(found["rule"], found["key"], strict=True)] == [("holidays/wrong-date", "k1")]
    assert found["suggestion"][0] == format_date(right, "d. MMMM", locale="de_DE")


def test_year_written_in_the_text_wins() -> None:
    right_2025 = hc.nth_weekday(2025, 5, 6, 2)
    text = f"Muttertag ist am {format_date(right_2025, 'd. MMMM y', locale='de_DE')}."
    assert check([("de-DE", text)], year=2026).height == 0


def test_fete_des_meres_follows_the_pentecost_exception() -> None:
    for year in range(2020, 2032):
        fr = holidays_package.country_holidays("FR", years=year, language="en_US")
        whit_monday = next(d for d, n in fr.items() if n == "Pentecost Monday")
        pentecost = date.fromordinal(whit_monday.toordinal() - 1)
        last_sunday = hc.nth_weekday(year, 5, 6, -1)
        expected = hc.nth_weekday(year, 6, 6, 1) if last_sunday == pentecost else last_sunday
        assert hc.definitions("fr-FR")["mothers_day"].rule_for("FR").date_in(year) == expected  # type: ignore[union-attr]


def test_canadian_thanksgiving_comes_from_the_package() -> None:
    ca = holidays_package.country_holidays(
        "CA", years=YEAR, language="en_US", categories=holidays_package.CA.supported_categories
    )
    october = next(d for d, n in ca.items() if n == "Thanksgiving Day")
    found = check([("en-CA", "Thanksgiving is on November 26."), ("en-CA", f"Thanksgiving is on October {october.day}.")])
    assert flagged(found) == [("holidays/wrong-date", "November 26")]
    assert found["suggestion"][0] == format_date(october, "MMMM d", locale="en_CA")


def test_lunar_holidays_allow_a_day_of_moon_sighting() -> None:
    """en-GB keeps Eid without a calendar date for it: the reference calendar (SA) dates it."""
    sa = holidays_package.country_holidays("SA", years=YEAR, language="en_US")
    days = sorted(d for d, n in sa.items() if "Eid al-Fitr" in n and "observed" not in n)
    for day, fires in ((days[0], False), (date.fromordinal(days[0].toordinal() - 1), False), (date.fromordinal(days[-1].toordinal() + 6), True)):
        text = f"Eid al-Fitr is on {format_date(day, 'MMMM d', locale='en')}."
        assert bool(check([("en-GB", text)]).height) is fires, text


# ------------------------------------------------------------------------------- scope


def test_placeholders_and_code_are_not_read() -> None:
    rows = [("de-DE", "Frohes {{ 'Thanksgiving' }}!"), ("de-DE", "Frohes {holiday}!"), ("de-DE", "Siehe `Thanksgiving`.")]
    assert check(rows).height == 0


def test_utterances_are_not_judged_for_foreign_holidays() -> None:
    found = check([("de-DE", "wann ist thanksgiving")], kind="utterance")
    assert "holidays/foreign-holiday" not in found["rule"].to_list()


def test_observances_of_a_profile_change_what_is_kept(tmp_path: Path) -> None:
    (tmp_path / "de-DE.yaml").write_text(
        "tag: de-DE\nobservances:\n  kept: [thanksgiving]\n  not_kept: [halloween]\n", encoding="utf-8"
    )
    records = records_from_rows(
        [
            {"locale": "de-DE", "kind": "response", "key": "a", "text": "Frohes Thanksgiving!"},
            {"locale": "de-DE", "kind": "response", "key": "b", "text": "Frohes Halloween!"},
        ]
    )
    ctx = context(**{"locales-paths": [str(tmp_path)]})
    assert run(records, ctx)["key"].to_list() == ["b"]


def test_bad_profile_policy_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "de-DE.yaml").write_text("tag: de-DE\nobservances:\n  kept: [thanksgivin]\n", encoding="utf-8")
    records = records_from_rows([{"locale": "de-DE", "kind": "response", "key": "a", "text": "Frohe Weihnachten"}])
    with pytest.raises(ProfileError, match=r"unknown holiday id.*thanksgivin"):
        run(records, context(**{"locales-paths": [str(tmp_path)]}))
    profile = LocaleProfile(tag="xx", language="xx", script=None, region=None, plural_categories=("other",), extra={"sensitive": "pork"})
    with pytest.raises(ProfileError, match="sensitive"):
        hc.profile_policy(profile)


def test_year_option_is_validated() -> None:
    records = records_from_rows([{"locale": "de-DE", "kind": "response", "text": "Hallo"}])
    ctx = CheckContext(config=parse_config({"checks": {"holidays": {"year": "2026"}}}), source_locale=None, files=pl.DataFrame())
    with pytest.raises(ConfigError, match="year"):
        run(records, ctx)


# ------------------------------------------------------------------------------- definitions


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"calendar": ["("]}, "bad regular expression"),
        ({"rules": [{"countries": ["DE"], "month": 5, "weekday": "sonntag", "nth": 2}]}, "weekday"),
        ({"rules": [{"countries": ["DE"], "month": 2, "day": 30}]}, "no day 30"),
        ({"rules": [{"countries": ["Germany"], "month": 5, "day": 1}]}, "ISO 3166"),
        ({"kept_in": ["DE"], "colour": "red"}, "unknown field"),
        ({"kind": "festival", "kept_in": ["*"]}, "kind"),
        ({}, "at least one"),
    ],
)
def test_definition_errors(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(hc.DefinitionError, match=message):
        hc.parse_definition("x", raw, Path("rules/und/holidays.yaml"))


def test_broken_definition_in_a_pack_is_a_pack_error(tmp_path: Path) -> None:
    folder = tmp_path / "und"
    folder.mkdir()
    (folder / "holidays.yaml").write_text(
        'version: "1"\nlanguage: und\ncheck: holidays\noptions:\n  holidays:\n    bad:\n      kept_in: [Deutschland]\nrules: []\n',
        encoding="utf-8",
    )
    records = records_from_rows([{"locale": "de-DE", "kind": "response", "text": "Frohe Weihnachten"}])
    ctx = context(**{"rule-paths": [str(tmp_path)]})
    with pytest.raises(PackError, match=r"options\.holidays\.bad"):
        run(records, ctx)


def test_date_rules() -> None:
    assert hc.nth_weekday(2026, 5, 6, 2) == date(2026, 5, 10)
    assert hc.nth_weekday(2026, 5, 6, -1) == date(2026, 5, 31)
    assert hc.nth_weekday(2026, 11, 3, 4) == date(2026, 11, 26)
    assert hc.easter_date(2026, "orthodox") == date(2026, 4, 12)


# ------------------------------------------------------------------------------- coverage


@pytest.fixture(scope="module")
def coverage_run() -> tuple[pl.DataFrame, pl.DataFrame]:
    result = engine_run(
        RunOptions(paths=[DATA / "utterances"], select=["holidays"]), parse_config({"checks": {"holidays": {"year": YEAR}}})
    )
    assert not result.errors
    return result.findings, result.artifacts["holiday_coverage"]


def test_coverage_table_counts_mentions(coverage_run: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    _, table = coverage_run
    assert {"locale", "holiday", "aliases", "mentions"} <= set(table.columns)
    mentions = {(r["locale"], r["holiday_id"]): r["mentions"] for r in table.iter_rows(named=True) if r["holiday_id"]}
    assert mentions[("en-US", "thanksgiving")] == 1
    assert mentions[("en-US", "independence_day_us")] == 1
    assert mentions[("en-US", "mothers_day")] == 1
    assert mentions[("en-US", "presidents_day")] == 0
    assert mentions[("pl-PL", "easter")] == 1
    assert mentions[("pl-PL", "christmas_eve")] == 1
    assert mentions[("pl-PL", "christmas")] == 1
    assert mentions[("pl-PL", "new_years_eve")] == 0
    us = holidays_package.country_holidays("US", years=YEAR, language="en_US")
    labor = next(d for d, n in us.items() if n == "Labor Day")
    row = table.filter((pl.col("locale") == "en-US") & (pl.col("holiday") == "Labor Day")).row(0, named=True)
    assert row["mentions"] == 1 and row["date"] == labor


def test_missing_coverage_findings(coverage_run: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    findings, table = coverage_run
    missing = findings.filter(pl.col("rule") == "holidays/missing-coverage")
    assert missing.height == table.filter(pl.col("mentions") == 0).height > 0
    veterans = missing.filter((pl.col("locale") == "en-US") & pl.col("message").str.contains("Veterans Day"))
    assert veterans["severity"].to_list() == ["warning"]  # a public holiday
    assert set(missing["locale"]) == {"en-US", "pl-PL"}


def test_check_is_registered() -> None:
    assert {r.id for r in CHECK.rules} == {
        "holidays/foreign-holiday", "holidays/wrong-date", "holidays/sensitive", "holidays/missing-coverage",
    }
