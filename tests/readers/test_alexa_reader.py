"""Alexa interaction models: samples, slot spans, slot samples, types, prompts, lines, errors."""

import json
from pathlib import Path

import polars as pl
import pytest

from locale_guard.checks import all_checks
from locale_guard.config import Config
from locale_guard.engine import RunOptions, run
from locale_guard.readers import InputError, ReadRequest, detect, get_reader
from locale_guard.readers.alexa import READER, sniff

DATA = Path(__file__).parent.parent / "data" / "readers_b" / "alexa"
MODEL = DATA / "models" / "de-DE.json"


def _read(path: Path = MODEL, locale: str | None = None) -> pl.DataFrame:
    return READER.read(ReadRequest(path=path, locale=locale))


def test_intent_samples_with_slot_spans() -> None:
    frame = _read(locale="de-DE").filter(pl.col("key") == "intents/GetWeatherIntent")
    assert frame.select("text", "intent", "kind", "variant", "line", "locale").rows() == [
        ("wie ist das Wetter", "GetWeatherIntent", "utterance", 0, 24, "de-DE"),
        ("wie ist das Wetter in {City}", "GetWeatherIntent", "utterance", 1, 25, "de-DE"),
        ("wird es {Day} in {City} regnen", "GetWeatherIntent", "utterance", 2, 26, "de-DE"),
        ("Wetter für {Ort}", "GetWeatherIntent", "utterance", 3, 27, "de-DE"),
    ]
    assert frame["slots"].to_list() == [
        [],
        [{"type": "AMAZON.City", "value": None, "start": 22, "end": 28}],
        [
            {"type": "DayType", "value": None, "start": 8, "end": 13},
            {"type": "AMAZON.City", "value": None, "start": 17, "end": 23},
        ],
        # {Ort} is not a slot of the intent: the span is kept, its type is unknown
        [{"type": None, "value": None, "start": 11, "end": 16}],
    ]
    text = frame["text"][2]
    assert text[8:13] == "{Day}"


def test_slot_samples_types_prompts_and_invocation() -> None:
    frame = _read()
    assert frame["locale"].null_count() == frame.height  # the file names no locale
    assert frame.filter(pl.col("key") != "intents/GetWeatherIntent").select(
        "key", "variant", "kind", "text", "intent", "line", "flags"
    ).rows() == [
        ("invocationName", 0, "utterance", "wetter helfer", None, 4, ["invocation"]),
        ("intents/GetWeatherIntent/slots/City", 0, "utterance", "in {City}", "GetWeatherIntent", 16, ["slot-sample"]),
        ("intents/GetWeatherIntent/slots/City", 1, "utterance", "für {City} bitte", "GetWeatherIntent", 16, ["slot-sample"]),
        ("types/DayType", 0, "utterance", "heute", None, 35, ["slot-value"]),
        ("types/DayType", 1, "utterance", "jetzt", None, 35, ["slot-value", "synonym"]),
        ("types/DayType", 2, "utterance", "morgen", None, 36, ["slot-value"]),
        ("prompts/Elicit.Slot.City", 0, "response", "Für welche Stadt?", None, 48, []),
        ("prompts/Elicit.Slot.City", 1, "response", "<speak>Welche Stadt meinst du?</speak>", None, 49, ["ssml"]),
    ]
    slot_sample = frame.filter(pl.col("text") == "für {City} bitte")["slots"][0].to_list()
    assert slot_sample == [{"type": "AMAZON.City", "value": None, "start": 4, "end": 10}]


def test_record_ids_are_unique() -> None:
    frame = _read(locale="de-DE")
    assert frame["record_id"].n_unique() == frame.height == 12


def test_sniff_and_detection(tmp_path: Path) -> None:
    assert sniff(MODEL, MODEL.read_bytes())
    assert detect(MODEL) is READER
    catalog = tmp_path / "de.json"
    catalog.write_text(json.dumps({"interactionModel": "a key in a catalog"}), encoding="utf-8")
    assert not sniff(catalog, catalog.read_bytes())
    assert detect(catalog) is get_reader("json")
    # interactionModel need not come first when the whole file is sniffed
    later = tmp_path / "fr-FR.json"
    later.write_text(json.dumps({"version": "1", "interactionModel": {"languageModel": {}}}), encoding="utf-8")
    assert detect(later) is READER
    # a large model is recognised by its first key
    big = b'{"interactionModel": {"languageModel": {"intents": [' + b'{"name": "A"},' * 2000
    assert sniff(MODEL, big[:8192])


def test_minified_model_lines(tmp_path: Path) -> None:
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    frame = _read(path)
    assert frame.height == 12
    assert set(frame["line"]) == {1}


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ('{"interactionModel": {"languageModel": {\n"intents": [\n{"name": "A", "samples": ["x",]}]}}}', 3, "invalid JSON"),
        ('{"interactionModel": {"languageModel": {\n"intents": [\n{"name": "A",\n "samples": "x"}]}}}', 3, "must be a list"),
        ('{"interactionModel": {"languageModel": {\n"intents": [{"samples": ["x"]}]}}}', None, '"name"'),
        ('{"interactionModel": {"languageModel": {\n"intents": [\n{"name": "A", "samples": [1]}]}}}', 3, "must be a string"),
        ('{"interactionModel": {"dialog": {}}}', None, "no interactionModel.languageModel"),
    ],
)
def test_malformed_models(tmp_path: Path, content: str, line: int | None, words: str) -> None:
    path = tmp_path / "de-DE.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        _read(path)
    assert err.value.line == line
    assert words in err.value.message


def test_engine_takes_the_locale_from_the_file_name() -> None:
    result = run(RunOptions(paths=[DATA], ignore=tuple(all_checks())), Config())
    assert result.errors == []
    assert result.files.select("format", "locale", "records").rows() == [("alexa", "de-DE", 12)]
    assert result.records["locale"].unique().to_list() == ["de-DE"]
