"""OVOS/Mycroft skill files: dialog variants, intents, vocab alternatives, entities, keys, lines."""

from pathlib import Path

import polars as pl
import pytest

from locale_guard.checks import all_checks
from locale_guard.config import Config
from locale_guard.engine import RunOptions, run
from locale_guard.readers import InputError, ReadRequest, detect
from locale_guard.readers.ovos import READER, resource_key

DATA = Path(__file__).parent.parent / "data" / "readers_b" / "ovos"
DE = DATA / "locale" / "de-de"


def _read(path: Path) -> pl.DataFrame:
    return READER.read(ReadRequest(path=path))


def test_dialog_lines_are_response_variants() -> None:
    frame = _read(DE / "dialog" / "current" / "current-temperature-local.dialog")
    # line 2 is blank, line 3 a comment; surrounding spaces are dropped
    assert frame.select("kind", "key", "variant", "line", "text").rows() == [
        ("response", "dialog/current/current-temperature-local", 0, 1, "Aktuell haben wir {temperature} Grad."),
        ("response", "dialog/current/current-temperature-local", 1, 4,
         "Es sind aktuell {temperature} Grad {temperature_unit}."),
        ("response", "dialog/current/current-temperature-local", 2, 5, "Es sind aktuell {temperature} Grad."),
    ]
    assert frame["intent"].null_count() == 3
    assert frame["record_id"].n_unique() == 3


def test_intent_file_keeps_padatious_syntax_and_marks_entities() -> None:
    frame = _read(DE / "intents" / "current_weather.intent")
    assert frame.select("kind", "intent", "key", "variant", "line", "text").rows() == [
        ("utterance", "current_weather", "intents/current_weather", 0, 1, "aktuelles Wetter"),
        ("utterance", "current_weather", "intents/current_weather", 1, 2, "aktuelles Wetter in {location}"),
        ("utterance", "current_weather", "intents/current_weather", 2, 3, "(wie|was) ist das Wetter"),
    ]
    assert frame["slots"].to_list() == [
        [],
        [{"type": "location", "value": None, "start": 20, "end": 30}],
        [],
    ]


def test_voc_gives_one_record_per_alternative() -> None:
    frame = _read(DE / "vocabulary" / "query" / "when.voc")
    assert frame.select("kind", "key", "variant", "line", "text", "intent", "flags").rows() == [
        ("utterance", "vocabulary/query/when", 0, 1, "wann", None, ["vocabulary"]),
        ("utterance", "vocabulary/query/when", 1, 1, "wann ist", None, ["vocabulary"]),
        ("utterance", "vocabulary/query/when", 2, 2, "um wie viel uhr", None, ["vocabulary"]),
        ("utterance", "vocabulary/query/when", 3, 4, "wie viel Uhr", None, ["vocabulary"]),
    ]


def test_entity_gives_one_record_per_line() -> None:
    frame = _read(DE / "vocabulary" / "unit" / "unit.entity")
    assert frame.select("kind", "key", "variant", "line", "text", "flags").rows() == [
        ("utterance", "vocabulary/unit/unit", 0, 2, "Fahrenheit", ["entity"]),
        ("utterance", "vocabulary/unit/unit", 1, 3, "(Celsius|Grad Celsius)", ["entity"]),
    ]


def test_empty_dialog_has_no_records() -> None:
    assert _read(DE / "dialog" / "empty.dialog").height == 0


def test_extensionless_files_are_not_claimed() -> None:
    assert detect(DE / "vocabulary" / "query" / "leftover") is None
    assert detect(DE / "dialog" / "empty.dialog") is READER


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("skill/locale/de-de/vocabulary/no.voc", "vocabulary/no"),
        ("skill/locale/en-us/intents/is_fog.intent", "intents/is_fog"),
        ("skill/dialog/en-us/hello.dialog", "hello"),
        ("hello.dialog", "hello"),
    ],
)
def test_resource_key(path: str, key: str) -> None:
    assert resource_key(Path(path)) == key


def test_binary_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "locale" / "de-de" / "x.dialog"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"Hallo\n\xff\xfe\x00\x00kaputt\x00\n")
    with pytest.raises(InputError):
        _read(path)


def test_engine_infers_locale_from_the_locale_folder(tmp_path: Path) -> None:
    dialog = tmp_path / "locale" / "de-de" / "dialog" / "x.dialog"
    dialog.parent.mkdir(parents=True)
    dialog.write_text("Hallo {name}!\nGuten Tag.\n", encoding="utf-8")
    (tmp_path / "locale" / "de-de" / "dialog" / "leer.dialog").write_text("", encoding="utf-8")
    result = run(RunOptions(paths=[tmp_path / "locale"], ignore=tuple(all_checks())), Config())
    assert result.errors == []
    assert result.records.select("locale", "key", "variant", "line", "text").rows() == [
        ("de-DE", "dialog/x", 0, 1, "Hallo {name}!"),
        ("de-DE", "dialog/x", 1, 2, "Guten Tag."),
    ]
    # the empty file is still listed, with no records, for the coverage check
    assert sorted(result.files.select(pl.col("path").str.extract(r"(\w+\.dialog)$"), "records").rows()) == [
        ("leer.dialog", 0),
        ("x.dialog", 2),
    ]


def test_engine_pairs_dialogs_across_locales() -> None:
    result = run(RunOptions(paths=[DATA], ignore=tuple(all_checks())), Config())
    assert result.errors == []
    assert result.source_locale == "en-US"
    german = result.records.filter(
        (pl.col("locale") == "de-DE") & (pl.col("key") == "dialog/current/current-temperature-local")
    )
    assert german["source_text"].to_list()[:2] == [
        "It is currently {temperature} degrees.",
        "It is {temperature} degrees {temperature_unit} right now.",
    ]


def test_engine_locale_folder_wins_over_tag_shaped_stems(tmp_path: Path) -> None:
    for name in ("vocabulary/no.voc", "intents/is_fog.intent", "dialog/error/no-forecast.dialog"):
        path = tmp_path / "locale" / "de-de" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("nein\n", encoding="utf-8")
    result = run(RunOptions(paths=[tmp_path / "locale"], ignore=tuple(all_checks())), Config())
    assert result.errors == []
    assert result.records["locale"].to_list() == ["de-DE"] * 3


def test_skill_json_examples_are_utterances(tmp_path: Path) -> None:
    from locale_guard.readers import detect

    folder = tmp_path / "locale" / "de-de"
    folder.mkdir(parents=True)
    skill = folder / "skill.json"
    skill.write_text(
        '{\n  "skill_id": "ovos-skill-weather.openvoiceos",\n  "source": "https://github.com/x/y",\n'
        '  "name": "Wetter",\n  "description": "Wettervorhersage",\n'
        '  "examples": [\n    "Wie ist das Wetter?",\n    "Regnet es morgen?"\n  ]\n}\n'
    )
    reader = detect(skill)
    assert reader is not None and reader.name == "ovos-skill-json"
    frame = reader.read(ReadRequest(path=skill, locale="de-DE"))
    rows = frame.select("key", "kind", "text", "line").rows()
    assert rows == [
        ("skill.name", "response", "Wetter", 4),
        ("skill.description", "response", "Wettervorhersage", 5),
        ("skill.examples", "utterance", "Wie ist das Wetter?", 7),
        ("skill.examples", "utterance", "Regnet es morgen?", 8),
    ]
