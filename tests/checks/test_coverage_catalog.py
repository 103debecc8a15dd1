"""The catalog rules of the coverage check: missing keys and files, extras, untranslated, empty."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from locale_guard.checks import CheckContext
from locale_guard.checks.coverage import CHECK, RULE_FUNCTIONS, run
from locale_guard.config import Config, ConfigError
from locale_guard.engine import RunOptions
from locale_guard.engine import run as engine_run
from locale_guard.records import records_from_rows

FIXTURE = Path(__file__).parent.parent / "data" / "checks" / "assistant"
FILE_SCHEMA = {
    "path": pl.String(),
    "locale": pl.String(),
    "catalog": pl.String(),
    "root": pl.String(),
    "format": pl.String(),
    "records": pl.Int64(),
}


def records(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows give ``locale`` and ``key``; path and catalog default to ``app/<locale>.json``."""
    full = []
    for r in rows:
        path = r.get("path", f"app/{r['locale']}.json")
        full.append({"kind": "response", "path": path, "line": 1, **r})
    frame = records_from_rows(full)
    catalogs = [r.get("catalog", "app/{locale}.json") for r in rows]
    return frame.with_columns(pl.Series("catalog", catalogs, dtype=pl.String))


def files(rows: list[tuple[str, str, str, int]]) -> pl.DataFrame:
    """(path, locale, catalog, records) → a ctx.files frame."""
    out = [
        {
            "path": p,
            "locale": loc,
            "catalog": c,
            "root": c[: c.index("{locale}") + 8],
            "format": "json",
            "records": n,
        }
        for p, loc, c, n in rows
    ]
    return pl.DataFrame(out, schema=FILE_SCHEMA)


def app_files(counts: dict[str, int]) -> pl.DataFrame:
    return files([(f"app/{loc}.json", loc, "app/{locale}.json", n) for loc, n in counts.items()])


def check(
    rows: list[dict[str, Any]],
    file_table: pl.DataFrame | None = None,
    source_locale: str | None = "en-US",
    options: dict[str, Any] | None = None,
) -> pl.DataFrame:
    frame = records(rows)
    if file_table is None:
        counts = frame.group_by("locale").len()
        file_table = app_files(dict(counts.iter_rows()))
    config = Config(checks={"coverage": options or {}})
    return run(frame, CheckContext(config=config, source_locale=source_locale, files=file_table))


def only(found: pl.DataFrame, rule: str) -> pl.DataFrame:
    return found.filter(pl.col("rule") == rule)


EN = [
    {"locale": "en-US", "key": "hello", "text": "Hello"},
    {"locale": "en-US", "key": "bye", "text": "Goodbye"},
]


# ---------------------------------------------------------------------------- missing-key


def test_missing_key_carries_target_locale_key_and_path():
    found = only(
        check([*EN, {"locale": "de-DE", "key": "bye", "text": "Tschüss", "source_text": "Goodbye"}]),
        "coverage/missing-key",
    )
    assert found.height == 1
    row = found.row(0, named=True)
    assert (row["locale"], row["key"], row["path"]) == ("de-DE", "hello", "app/de-DE.json")
    assert row["line"] is None
    assert row["text"] == "Hello"
    assert row["message"] == "missing translation of key 'hello' (source: 'Hello')"
    assert row["severity"] == "error"


def test_no_missing_key_when_complete():
    rows = [
        *EN,
        {"locale": "de-DE", "key": "hello", "text": "Hallo"},
        {"locale": "de-DE", "key": "bye", "text": "Tschüss"},
    ]
    assert only(check(rows), "coverage/missing-key").height == 0


def test_keys_compare_within_one_catalog():
    rows = [
        *EN,
        {"locale": "de-DE", "key": "hello", "text": "Hallo"},
        {
            "locale": "de-DE",
            "key": "bye",
            "text": "Tschüss",
            "path": "other/de-DE.json",
            "catalog": "other/{locale}.json",
        },
    ]
    table = files(
        [
            ("app/en-US.json", "en-US", "app/{locale}.json", 2),
            ("app/de-DE.json", "de-DE", "app/{locale}.json", 1),
            ("other/de-DE.json", "de-DE", "other/{locale}.json", 1),
        ]
    )
    found = check(rows, table)
    assert only(found, "coverage/missing-key")["key"].to_list() == ["bye"]
    assert only(found, "coverage/missing-key")["path"].to_list() == ["app/de-DE.json"]


def test_every_key_of_an_empty_target_file_is_missing_and_the_file_is_empty():
    found = check(EN, app_files({"en-US": 2, "pl-PL": 0}))
    missing = only(found, "coverage/missing-key")
    assert sorted(missing["key"].to_list()) == ["bye", "hello"]
    assert set(missing["path"].to_list()) == {"app/pl-PL.json"}
    empty = only(found, "coverage/empty")
    assert empty.height == 1
    row = empty.row(0, named=True)
    assert (row["path"], row["key"], row["message"], row["severity"]) == (
        "app/pl-PL.json",
        None,
        "file is empty",
        "warning",
    )


def test_i18next_plural_keys_follow_each_language():
    rows = [
        {"locale": "en-US", "key": "items_one", "text": "one item"},
        {"locale": "en-US", "key": "items_other", "text": "{{count}} items"},
        {"locale": "ja-JP", "key": "items_other", "text": "{{count}} 個"},
        {"locale": "pl-PL", "key": "items_one", "text": "jeden"},
        {"locale": "pl-PL", "key": "items_few", "text": "{{count}} produkty"},
        {"locale": "pl-PL", "key": "items_many", "text": "{{count}} produktów"},
        {"locale": "pl-PL", "key": "items_other", "text": "{{count}} produktu"},
    ]
    found = check(rows)
    assert only(found, "coverage/missing-key").height == 0
    assert only(found, "coverage/extra-key").height == 0


def test_no_source_locale_no_cross_locale_findings():
    rows = [{"locale": "de-DE", "key": "a", "text": "x"}, {"locale": "fr-FR", "key": "b", "text": "y"}]
    assert check(rows, source_locale=None).height == 0


# --------------------------------------------------------------------------- missing-file


def test_missing_file_path_is_spelled_like_the_locale_folder():
    table = files(
        [
            ("res/en-US/dialog.json", "en-US", "res/{locale}/dialog.json", 1),
            ("res/en-US/weather.json", "en-US", "res/{locale}/weather.json", 1),
            ("res/de_DE/dialog.json", "de-DE", "res/{locale}/dialog.json", 1),
            ("android/values-de-rDE/strings.xml", "de-DE", "android/values-{locale}/strings.xml", 1),
            ("android/values-en-rUS/strings.xml", "en-US", "android/values-{locale}/strings.xml", 1),
            ("android/values-en-rUS/plurals.xml", "en-US", "android/values-{locale}/plurals.xml", 1),
        ]
    )
    found = only(check([], table), "coverage/missing-file")
    got = {(r["locale"], r["path"], r["key"]) for r in found.iter_rows(named=True)}
    assert got == {
        ("de-DE", "res/de_DE/weather.json", None),
        ("de-DE", "android/values-de-rDE/plurals.xml", None),
    }
    assert "res/en-US/weather.json" in found.filter(pl.col("path") == "res/de_DE/weather.json")["message"][0]


def test_a_file_that_exists_but_was_not_read_is_not_missing(tmp_path):
    (tmp_path / "de-DE").mkdir()
    (tmp_path / "de-DE" / "weather.json").write_text("{ broken", encoding="utf-8")
    root = str(tmp_path)
    table = files(
        [
            (f"{root}/en-US/dialog.json", "en-US", f"{root}/{{locale}}/dialog.json", 1),
            (f"{root}/en-US/weather.json", "en-US", f"{root}/{{locale}}/weather.json", 1),
            (f"{root}/de-DE/dialog.json", "de-DE", f"{root}/{{locale}}/dialog.json", 1),
        ]
    )
    assert only(check([], table), "coverage/missing-file").height == 0


def test_no_missing_file_for_a_locale_without_files_under_that_root():
    table = files(
        [
            ("res/en-US/dialog.json", "en-US", "res/{locale}/dialog.json", 1),
            ("res/en-US/weather.json", "en-US", "res/{locale}/weather.json", 1),
            ("res/de-DE/dialog.json", "de-DE", "res/{locale}/dialog.json", 1),
            ("res/de-DE/weather.json", "de-DE", "res/{locale}/weather.json", 1),
            ("other/fr-FR.json", "fr-FR", "other/{locale}.json", 1),
        ]
    )
    assert only(check([], table), "coverage/missing-file").height == 0


# ------------------------------------------------------------------------------ extra-key


def test_extra_key_in_target():
    rows = [
        *EN,
        {"locale": "de-DE", "key": "hello", "text": "Hallo"},
        {"locale": "de-DE", "key": "bye", "text": "Tschüss"},
        {"locale": "de-DE", "key": "old", "text": "Alt", "line": 7},
    ]
    found = only(check(rows), "coverage/extra-key")
    assert found.height == 1
    row = found.row(0, named=True)
    assert (row["key"], row["locale"], row["line"], row["severity"]) == ("old", "de-DE", 7, "warning")
    assert row["record_id"] is not None


def test_extra_key_needs_a_source_file():
    rows = [{"locale": "de-DE", "key": "solo", "text": "nur hier"}]
    table = files([("app/de-DE.json", "de-DE", "app/{locale}.json", 1)])
    assert only(check(rows, table), "coverage/extra-key").height == 0


# --------------------------------------------------------------------------- untranslated


def target(text: str, source: str, locale: str = "de-DE", **extra: Any) -> dict[str, Any]:
    return {"locale": locale, "key": "k", "text": text, "source_text": source, **extra}


def untranslated(*rows: dict[str, Any], **kw: Any) -> pl.DataFrame:
    source = [{"locale": "en-US", "key": "k", "text": rows[0]["source_text"]}]
    return only(check([*source, *rows], **kw), "coverage/untranslated")


def test_identical_translation_is_untranslated():
    found = untranslated(target("Open the door", "Open the door"))
    assert found.height == 1
    assert found["severity"][0] == "warning" and found["locale"][0] == "de-DE"
    assert untranslated(target("Öffne die Tür", "Open the door")).height == 0


def test_single_words_are_untranslated_unless_brand_names_or_acronyms():
    assert untranslated(target("Ok", "Ok")).height == 1
    assert untranslated(target("Ok", "Ok"), options={"brand-names": ["Ok"]}).height == 0
    assert untranslated(target("USB", "USB")).height == 0
    assert untranslated(target("CANCEL NOW", "CANCEL NOW")).height == 1


def test_brand_names_are_removed_before_judging():
    opts = {"brand-names": ["Spotify", "Hey Google"]}
    assert untranslated(target("Spotify", "Spotify"), options=opts).height == 0
    assert untranslated(target("hey google, Spotify!", "hey google, Spotify!"), options=opts).height == 0
    assert untranslated(target("Open Spotify", "Open Spotify"), options=opts).height == 1


def test_brand_names_with_regex_characters():
    opts = {"brand-names": ["AT&T", "C++", "<Brand>", "Yahoo!"]}
    for name in opts["brand-names"]:
        assert untranslated(target(name, name), options=opts).height == 0, name
        assert untranslated(target(f"Call {name} now", f"Call {name} now"), options=opts).height == 1, name


def test_nothing_to_translate_is_not_untranslated():
    for text in (
        "{count}",
        "%s / %d",
        "42",
        "3:45 — 5%",
        "https://example.com/help",
        "{{ slots.name }}!",
        "<b>{x}</b>",
    ):
        assert untranslated(target(text, text)).height == 0, text


def test_same_language_variants_may_keep_the_source():
    assert untranslated(target("Open the door", "Open the door", locale="en-GB")).height == 0


def test_po_entries_flagged_untranslated_are_untranslated_not_empty():
    found = check(
        [{"locale": "de-DE", "key": "k", "text": "", "source_text": "Hello", "flags": ["untranslated"]}],
        app_files({"de-DE": 1}),
    )
    assert found["rule"].to_list() == ["coverage/untranslated"]
    assert "Hello" in found["message"][0]


def test_brand_names_must_be_strings():
    with pytest.raises(ConfigError, match="brand-names"):
        untranslated(target("x", "x"), options={"brand-names": [1, 2]})


# ---------------------------------------------------------------------------------- empty


def test_empty_and_whitespace_strings():
    found = only(
        check(
            [
                *EN,
                {"locale": "en-US", "key": "blank", "text": "  \n"},
                {"locale": "en-US", "key": "none", "text": ""},
            ]
        ),
        "coverage/empty",
    )
    assert sorted(found["key"].to_list()) == ["blank", "none"]
    assert set(found["severity"]) == {"warning"}


def test_no_empty_findings_for_real_strings():
    assert only(check(EN), "coverage/empty").height == 0


# ---------------------------------------------------------------------------- structure


def test_rules_and_rule_functions():
    declared = {r.id for r in CHECK.rules}
    assert {
        "coverage/missing-key",
        "coverage/missing-file",
        "coverage/extra-key",
        "coverage/untranslated",
        "coverage/empty",
    } <= declared
    assert len(RULE_FUNCTIONS) >= 6
    found = check(
        [*EN, {"locale": "de-DE", "key": "x", "text": ""}], app_files({"en-US": 2, "de-DE": 1, "fr-FR": 0})
    )
    assert set(found["rule"]) <= declared


# ------------------------------------------------------------------------------ end to end


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "app"
    shutil.copytree(FIXTURE, target)
    return target


def _run(*paths: Path, **config: Any) -> pl.DataFrame:
    result = engine_run(RunOptions(paths=list(paths), select=["coverage"]), Config(**config))
    assert result.errors == []
    return result.findings


def test_end_to_end_complete_catalogs(tmp_path):
    assert _run(_copy(tmp_path)).height == 0


def test_end_to_end_missing_extra_untranslated_and_empty(tmp_path):
    folder = _copy(tmp_path)
    pl_path = folder / "pl-PL.json"
    data = json.loads(pl_path.read_text(encoding="utf-8"))
    del data["weather"]
    data["legacy"] = "stary"
    data["greeting"] = "Hello {name}, welcome back!"
    data["ok"] = "   "
    pl_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "fr-FR.json").write_text("{}", encoding="utf-8")
    found = _run(folder)
    got = {(r["rule"], r["locale"], r["key"], Path(r["path"]).name) for r in found.iter_rows(named=True)}
    assert ("coverage/missing-key", "pl-PL", "weather", "pl-PL.json") in got
    assert ("coverage/extra-key", "pl-PL", "legacy", "pl-PL.json") in got
    assert ("coverage/untranslated", "pl-PL", "greeting", "pl-PL.json") in got
    assert ("coverage/empty", "pl-PL", "ok", "pl-PL.json") in got
    assert ("coverage/empty", "fr-FR", None, "fr-FR.json") in got
    fr_missing = {k for rule, loc, k, _ in got if rule == "coverage/missing-key" and loc == "fr-FR"}
    assert "greeting" in fr_missing and "shopping.items_one" in fr_missing
    assert not any(loc == "de-DE" for _, loc, _, _ in got)


def test_end_to_end_missing_file_in_locale_folders(tmp_path):
    root = tmp_path / "skill" / "locale"
    for folder, names in {
        "en-us": ["dialog.json", "weather.json"],
        "de-de": ["dialog.json"],
        "pl-pl": ["dialog.json", "weather.json"],
    }.items():
        (root / folder).mkdir(parents=True)
        for name in names:
            (root / folder / name).write_text(json.dumps({"a": f"{folder} {name}"}), encoding="utf-8")
    found = _run(tmp_path / "skill")
    missing = only(found, "coverage/missing-file")
    assert missing.height == 1
    row = missing.row(0, named=True)
    assert row["locale"] == "de-DE"
    assert row["path"] == str(root / "de-de" / "weather.json")
    assert row["key"] is None


def test_end_to_end_brand_names_from_config(tmp_path):
    folder = _copy(tmp_path)
    de = folder / "de-DE.json"
    data = json.loads(de.read_text(encoding="utf-8"))
    data["wake_word"] = "Say Alexa"
    de.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert only(_run(folder), "coverage/untranslated")["key"].to_list() == ["wake_word"]
    assert (
        only(
            _run(folder, checks={"coverage": {"brand-names": ["Say Alexa"]}}), "coverage/untranslated"
        ).height
        == 0
    )
