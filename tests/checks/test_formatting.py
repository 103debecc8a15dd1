"""The formatting check: dates, clocks, numbers, money, units, quotes and ordinals by CLDR.

Fixtures under tests/data/formatting/<locale>.json hold strings under ``fires.<rule>.<n>`` that
must produce that rule and strings under ``quiet.<n>`` that must produce nothing. Expected
suggestions are computed with Babel here, not written into the test.
"""

from __future__ import annotations

import json
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import babel.dates
import babel.numbers
import babel.units
import polars as pl
import pytest

from locale_guard import formatting_cldr as cldr
from locale_guard.checks import CheckContext
from locale_guard.checks.formatting import CHECK, run
from locale_guard.config import ConfigError, parse_config
from locale_guard.engine import RunOptions
from locale_guard.engine import run as engine_run
from locale_guard.records import records_from_rows

DATA = Path(__file__).parent.parent / "data" / "formatting"
YEAR = 2026


def check(rows: list[tuple[str, str]], kind: str = "response") -> pl.DataFrame:
    records = records_from_rows(
        [{"locale": loc, "text": text, "kind": kind, "key": f"k{i}", "path": f"app/{loc}.json"} for i, (loc, text) in enumerate(rows)]
    )
    ctx = CheckContext(config=parse_config({"checks": {"formatting": {"year": YEAR}}}), source_locale=None, files=pl.DataFrame())
    return run(records, ctx)


def one(locale: str, text: str) -> dict:
    found = check([(locale, text)])
    assert found.height == 1, found.select("rule", "message").to_dicts()
    row = found.row(0, named=True)
    row["flagged"] = text[row["span"]["start"] : row["span"]["end"]]
    return row


@pytest.fixture(scope="module")
def fixture_run() -> pl.DataFrame:
    result = engine_run(RunOptions(paths=[DATA], select=["formatting"]), parse_config({"checks": {"formatting": {"year": YEAR}}}))
    assert not result.errors
    return result.findings


def fixture_cases() -> list[tuple[str, str, str | None]]:
    cases = []
    for path in sorted(DATA.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for rule, items in data["fires"].items():
            cases += [(path.stem, f"fires.{rule}.{n}", f"formatting/{rule}") for n in items]
        cases += [(path.stem, f"quiet.{n}", None) for n in data["quiet"]]
    return cases


def test_fixtures_cover_ten_locales_and_every_rule() -> None:
    cases = fixture_cases()
    assert len({c[0] for c in cases}) >= 10
    for rule in CHECK.rules:
        assert any(r == rule.id for _, _, r in cases), rule.id


@pytest.mark.parametrize(("locale", "key", "rule"), fixture_cases())
def test_fixture(fixture_run: pl.DataFrame, locale: str, key: str, rule: str | None) -> None:
    mine = fixture_run.filter((pl.col("locale") == locale) & (pl.col("key") == key))
    if rule is None:
        assert mine.height == 0, mine.select("rule", "message").to_dicts()
    else:
        assert rule in mine["rule"].to_list(), mine.select("rule", "message").to_dicts()


# ------------------------------------------------------------------------------- suggestions


def test_dollars_in_german_get_the_german_pattern() -> None:
    """Decision: keep amount and currency (converting money is not a formatting fix); the message
    says the currency is foreign to the region."""
    row = one("de-DE", "Das kostet $5.00.")
    assert row["rule"] == "formatting/currency-format"
    assert row["flagged"] == "$5.00"
    assert row["suggestion"] == babel.numbers.format_currency(5, "USD", locale="de_DE")
    assert "EUR" in row["message"]


def test_whole_amounts_keep_no_fraction() -> None:
    row = one("de-DE", "Nur €5 im Monat.")
    assert row["suggestion"].replace("\xa0", " ") == "5 €"


def test_fahrenheit_in_france_converts() -> None:
    row = one("fr-FR", "Il fait 75 °F.")
    expected = babel.units.format_unit(Decimal(24), "temperature-celsius", length="short", locale="fr_FR")
    assert (row["rule"], row["flagged"], row["suggestion"]) == ("formatting/units", "75 °F", expected)
    assert check([("fr-FR", "Il fait 24 °C.")]).height == 0


def test_date_order_suggestions() -> None:
    gb = one("en-GB", "See you on 12/25.")
    assert (gb["flagged"], gb["suggestion"]) == ("12/25", babel.dates.format_skeleton("Md", date(YEAR, 12, 25), locale="en_GB"))
    us = one("en-US", "We meet on 25.12.2026.")
    assert (us["flagged"], us["suggestion"]) == ("25.12.2026", babel.dates.format_skeleton("yMd", date(2026, 12, 25), locale="en_US"))
    assert check([(loc, "Due 2026-12-25.") for loc in ("en-US", "en-GB", "de-DE", "ja-JP", "fr-FR")]).height == 0


def test_ambiguous_dates_are_left_alone() -> None:
    assert check([("en-GB", "On 05/06/2026."), ("en-US", "On 05/06/2026."), ("en-US", "Open 24/7.")]).height == 0


def test_twelve_hour_clock_only_where_cldr_forbids_it() -> None:
    row = one("de-DE", "Um 3:30 PM.")
    assert (row["flagged"], row["suggestion"]) == ("3:30 PM", babel.dates.format_time(time(15, 30), "short", locale="de_DE"))
    assert one("de-DE", "Um 12 AM.")["suggestion"] == babel.dates.format_time(time(0, 0), "short", locale="de_DE")
    assert check([("de-DE", "Um 15:30."), ("en-GB", "At 3:30 pm."), ("en-US", "At 15:30."), ("ja-JP", "3:30 PMです")]).height == 0


def test_numbers_need_to_be_clearly_foreign() -> None:
    row = one("de-DE", "Es sind 1.5 km.")
    assert row["suggestion"] == babel.numbers.format_decimal(Decimal("1.5"), locale="de_DE")
    quiet = [("de-DE", "Am 1.5. ist Feiertag."), ("de-DE", "Python 3.11"), ("en-US", "1.000 people"), ("de-DE", "1,000 km"),
             ("de-DE", "IP 192.168.1.1"), ("fr-FR", "Il pèse 1 000 kg.")]
    assert check(quiet).height == 0
    mixed = one("fr-FR", "Ça fait 1,234.56 km.")
    assert mixed["suggestion"] == babel.numbers.format_decimal(Decimal("1234.56"), locale="fr_FR")


def test_quotes() -> None:
    assert check([("fr-FR", "«Bonjour»"), ("de-DE", "„Hallo“"), ("ja-JP", "「こんにちは」"), ("ru-RU", "«Привет»")]).height == 0
    row = one("de-DE", 'Er sagte "Hallo".')
    quote_start, quote_end = cldr.quotes("de-DE")[:2]
    assert (row["rule"], row["severity"], row["suggestion"]) == ("formatting/straight-quotes", "info", f"{quote_start}Hallo{quote_end}")
    assert check([("en-US", 'He said "hello".')]).height == 0


def test_ordinals() -> None:
    assert one("en-US", "the 22th time")["suggestion"] == "22nd"
    assert check([("en-US", "the 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st and 111th time")]).height == 0
    assert one("de-DE", "der 3rd Platz")["rule"] == "formatting/ordinal"


def test_placeholders_and_code_spans_are_ignored() -> None:
    rows = [("fr-FR", "Il fait {temp} °F."), ("de-DE", "Kostet {{ price }} $."), ("de-DE", "Siehe `3:30 PM`."),
            ("de-DE", "Um %s PM."), ("en-GB", "On {month}/{day}.")]
    assert check(rows).height == 0


def test_only_responses_are_checked() -> None:
    assert check([("fr-FR", "il fait 75 °F")], kind="utterance").height == 0


def test_year_option_is_validated() -> None:
    records = records_from_rows([{"locale": "de-DE", "kind": "response", "text": "12/25"}])
    ctx = CheckContext(config=parse_config({"checks": {"formatting": {"year": 99999}}}), source_locale=None, files=pl.DataFrame())
    with pytest.raises(ConfigError, match="year"):
        run(records, ctx)


# ------------------------------------------------------------------------------- CLDR helpers


def test_cldr_tables_match_known_facts() -> None:
    """The generated tables read as CLDR says (spot checks, not a copy of the tables)."""
    assert cldr.quotes("de-DE")[:2] == ("„", "“")
    assert cldr.quotes("fr-FR")[:2] == ("«", "»")
    assert cldr.quotes("ja-JP")[:2] == ("「", "」")
    assert not cldr.allows_am_pm("de-DE") and cldr.allows_am_pm("en-GB") and cldr.allows_am_pm("en-US")
    assert not cldr.region_accepts_unit("FR", "temperature-fahrenheit", "metric")
    assert cldr.region_accepts_unit("GB", "length-mile", "UK")
    assert cldr.region_accepts_unit("GB", "mass-kilogram", "UK")
    assert not cldr.region_accepts_unit("US", "temperature-celsius", "US")


def test_prose_dates_in_many_languages() -> None:
    cases = {
        "de-DE": "am 11. Mai", "en-US": "on May 11th", "fr-FR": "le 11 mai", "es-ES": "el 11 de mayo", "ja-JP": "5月11日",
        "ko-KR": "5월 11일", "zh-CN": "5月11日", "ru-RU": "11 мая", "pl-PL": "11 maja", "ar-SA": "١١ مايو", "tr-TR": "11 Mayıs",
    }
    for locale, text in cases.items():
        found = cldr.find_prose_dates(text, locale)
        assert [(d.month, d.day) for d in found] == [(5, 11)], locale


def test_masking_keeps_offsets() -> None:
    text = "Es sind {temp} °F und 75 °F."
    view = cldr.masked(text)
    assert len(view) == len(text) and "{" not in view and view.endswith("75 °F.")
