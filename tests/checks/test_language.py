"""The language check: wrong language, wrong script, mixed script, and what is not judged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from locale_guard.checks import CheckContext
from locale_guard.checks.language import CHECK, clean_expr, run
from locale_guard.config import Config, ConfigError
from locale_guard.engine import FILE_SCHEMA
from locale_guard.records import records_from_rows

DATA = json.loads((Path(__file__).parents[1] / "data" / "language" / "catalogs.json").read_text(encoding="utf-8"))


def check(rows: list[dict[str, Any]], **options: Any) -> tuple[pl.DataFrame, CheckContext]:
    for i, row in enumerate(rows):
        row.setdefault("kind", "response")
        row.setdefault("key", f"k{i}")
    records = records_from_rows(rows, path="catalog.json")
    config = Config(checks={"language": options}) if options else Config()
    ctx = CheckContext(config=config, source_locale="en-US", files=pl.DataFrame(schema=FILE_SCHEMA))
    return run(records, ctx), ctx


def rules_by_key(found: pl.DataFrame) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key, rule in found.select("key", "rule").iter_rows():
        out.setdefault(key, set()).add(rule)
    return out


def test_check_is_registered_with_three_rules() -> None:
    assert CHECK.name == "language"
    assert {r.id for r in CHECK.rules} == {
        "language/wrong-language",
        "language/wrong-script",
        "language/mixed-script",
    }


@pytest.mark.parametrize("locale", ["de-DE", "fr-FR", "ja-JP", "ru-RU", "ar-SA", "hi-IN"])
def test_planted_english_is_flagged_and_native_strings_are_not(locale: str) -> None:
    rows = [{"locale": locale, "text": t, "key": f"native{i}"} for i, t in enumerate(DATA["native"][locale])]
    rows += [{"locale": locale, "text": t, "key": f"planted{i}"} for i, t in enumerate(DATA["planted_english"])]
    found, _ = check(rows)
    by_key = rules_by_key(found)
    for i in range(len(DATA["planted_english"])):
        assert by_key.get(f"planted{i}") == {"language/wrong-language"}, found
    assert not any(k.startswith("native") for k in by_key), found.filter(pl.col("key").str.starts_with("native"))
    wrong = found.filter(pl.col("rule") == "language/wrong-language")
    assert set(wrong["evidence"].list.first()) == {"en"}
    assert wrong["severity"].unique().to_list() == ["error"]
    assert wrong["message"].str.contains("English").all()
    assert wrong["score"].min() >= 0.7


def test_english_left_untranslated_says_so() -> None:
    text = DATA["planted_english"][0]
    found, _ = check([{"locale": "de-DE", "text": text, "source_text": text}])
    assert found["message"].item().endswith("it is the untranslated source string")


def test_short_strings_placeholders_and_numbers_are_not_judged() -> None:
    rows = [
        {"locale": "de-DE", "text": "Turn on the light"},  # 14 letters: too short
        {"locale": "de-DE", "text": "OK"},
        {"locale": "de-DE", "text": "{user_name} {device_name} {room_name} {{ state.name }} %s %1$d"},
        {"locale": "de-DE", "text": "<speak>{count, plural, one {# item} other {# items}}</speak> done"},
        {"locale": "fr-FR", "text": "12345 67890 3.14 1,000,000 https://example.com/very/long/english/path"},
        {"locale": "de-DE", "text": ""},
        {"locale": "de-DE", "text": None},
    ]
    found, _ = check(rows)
    assert found.height == 0, found


def test_brand_names_are_not_judged() -> None:
    text = "Smart Home Control Center for your whole house"
    flagged, _ = check([{"locale": "de-DE", "text": text}])
    assert flagged["rule"].to_list() == ["language/wrong-language"]
    spared, _ = check([{"locale": "de-DE", "text": text}], **{"brand-names": ["Smart Home Control Center"]})
    assert spared.height == 0


def test_cleaning_strips_markup_but_keeps_words_apart() -> None:
    cleaned = pl.select(
        clean_expr(pl.lit("Hallo{name}Welt <b>fett</b> {% if x %}ja{% endif %} {{ y }} 42 mp3 www.x.de"))
    ).item()
    assert cleaned == "Hallo Welt fett ja"


def test_latin_word_in_russian_response_is_wrong_script_but_brands_and_units_are_not() -> None:
    rows = [
        {"locale": "ru-RU", "text": "Включаю свет на kitchen", "key": "bad"},
        {"locale": "ru-RU", "text": "Подключаюсь к Wi-Fi и USB, включаю Spotify, осталось 5 km", "key": "ok"},
        {"locale": "ru-RU", "text": "Заряжаю iPhone через USB-C", "key": "ok2"},
    ]
    found, _ = check(rows)
    assert found["key"].to_list() == ["bad"]
    row = found.row(0, named=True)
    assert row["rule"] == "language/wrong-script"
    assert row["severity"] == "warning"
    assert row["evidence"] == ["kitchen"]
    assert row["span"] == {"start": 16, "end": 23}
    assert "Latin" in row["message"] and "Cyrillic" in row["message"]


def test_allowed_latin_is_configurable() -> None:
    rows = [{"locale": "ru-RU", "text": "Включаю Spotify на кухне"}]
    assert check(rows)[0].height == 0
    strict, _ = check(rows, **{"allowed-latin": "acronyms"})
    assert strict["evidence"].to_list() == [["Spotify"]]
    usb, _ = check([{"locale": "ru-RU", "text": "Подключаю USB"}], **{"allowed-latin": "acronyms"})
    assert usb.height == 0


def test_latin_in_utterances_is_how_people_talk_unless_configured() -> None:
    rows = [{"locale": "zh-CN", "kind": "utterance", "text": "暂停客厅的music"}]
    assert check(rows)[0].height == 0
    found, _ = check(rows, **{"latin-in-utterances": False})
    assert found["evidence"].to_list() == [["music"]]


def test_cyrillic_in_serbian_latin_is_flagged() -> None:
    found, _ = check([{"locale": "sr-Latn", "text": "Uključujem светло u kuhinji"}])
    assert found["rule"].to_list() == ["language/wrong-script"]
    assert found["evidence"].to_list() == [["светло"]]
    assert "Cyrillic" in found["message"].item()


def test_japanese_mixes_its_scripts_and_latin_brands_freely() -> None:
    found, _ = check([{"locale": "ja-JP", "text": "Spotifyでリビングの音楽を再生します"}])
    assert found.height == 0


def test_homoglyph_word_is_mixed_script_once() -> None:
    text = "Turn on the b\u0435droom light now please"  # Cyrillic е inside a Latin word
    found, _ = check([{"locale": "en-US", "text": text}])
    assert found["rule"].to_list() == ["language/mixed-script"]
    row = found.row(0, named=True)
    assert row["severity"] == "warning"
    assert row["evidence"] == ["b\u0435droom"]
    assert text[row["span"]["start"] : row["span"]["end"]] == "b\u0435droom"


def test_results_are_deterministic() -> None:
    rows = [{"locale": loc, "text": t} for loc, texts in DATA["native"].items() for t in texts]
    rows += [{"locale": "de-DE", "text": t} for t in DATA["planted_english"]]
    first, _ = check([dict(r) for r in rows])
    second, _ = check([dict(r) for r in rows])
    assert first.equals(second)
    seeded, _ = check([dict(r) for r in rows], backend="langdetect")
    again, _ = check([dict(r) for r in rows], backend="langdetect")
    assert seeded.equals(again)


def test_unsupported_language_falls_back_to_scripts_with_one_notice() -> None:
    rows = [
        {"locale": "kw-GB", "text": DATA["planted_english"][0]},
        {"locale": "kw-GB", "text": "Dydh da, an golow yw \u0434\u0430 lemmyn"},
        {"locale": "de-DE", "text": DATA["planted_english"][1]},
    ]
    found, ctx = check(rows)
    rules = dict(found.select("locale", "rule").iter_rows())
    assert rules == {"kw-GB": "language/wrong-script", "de-DE": "language/wrong-language"}
    notices = ctx.artifacts["notices"]
    assert len(notices) == 1 and "kw-GB" in notices[0] and "de-DE" not in notices[0]


def test_a_locale_the_default_lacks_uses_another_backend() -> None:
    found, _ = check([{"locale": "gl-ES", "text": DATA["planted_english"][2]}], **{"fallback-backends": ["langdetect"]})
    # langdetect lacks Galician too, so nothing judges the language: no finding, one notice
    assert found.height == 0


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"min-confidence": 2}, "min-confidence"),
        ({"min-chars": "many"}, "min-chars"),
        ({"backend": "nope"}, "backend"),
        ({"allowed-latin": "some"}, "allowed-latin"),
        ({"brand-names": "x"}, None),
        ({"backend-options": {"colour": "blue"}}, "colour"),
        ({"latin-in-utterances": "yes"}, "latin-in-utterances"),
    ],
)
def test_bad_options_are_config_errors(options: dict[str, Any], needle: str | None) -> None:
    rows = [{"locale": "de-DE", "text": DATA["planted_english"][0]}]
    if needle is None:  # a single string is accepted as a one-item list
        check(rows, **options)
        return
    with pytest.raises(ConfigError, match=needle):
        check(rows, **options)
