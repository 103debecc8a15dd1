"""MASSIVE JSON Lines: fields, vectorised slot offsets, sniffing, errors, engine locale handling."""

import json
from pathlib import Path

import polars as pl
import pytest

from locale_guard.checks import all_checks
from locale_guard.config import Config
from locale_guard.engine import RunOptions, run
from locale_guard.readers import InputError, ReadRequest, detect
from locale_guard.readers.massive import READER, slot_column, slots_of, sniff

DATA = Path(__file__).parent.parent / "data" / "readers_b" / "massive"


def _read(path: Path) -> pl.DataFrame:
    return READER.read(ReadRequest(path=path))


def _by_id(frame: pl.DataFrame) -> dict[str, dict]:
    return {row["key"]: row for row in frame.to_dicts()}


def test_fields_map_to_record_columns() -> None:
    rows = _by_id(_read(DATA / "de-DE.jsonl"))
    assert sorted(rows) == ["0", "1", "2", "3", "4", "5", "6"]
    first = rows["0"]
    assert first["record_id"] == "de-DE:0"  # MASSIVE ids repeat across locales
    assert first["locale"] == "de-DE"
    assert first["kind"] == "utterance"
    assert first["text"] == "weck mich um fünf uhr morgens diese woche"
    assert (first["intent"], first["scenario"], first["partition"]) == ("alarm_set", "alarm", "test")
    assert first["path"] == str(DATA / "de-DE.jsonl")
    # line 2 of the file is blank: later records keep their physical line numbers
    assert [rows[i]["line"] for i in "0123456"] == [1, 3, 4, 5, 6, 7, 8]
    # a numeric id is read as text
    assert rows["6"]["text"] == "spiel eins zu eins"


def test_slot_offsets_are_character_offsets_into_utt() -> None:
    rows = _by_id(_read(DATA / "de-DE.jsonl"))
    assert rows["0"]["slots"] == [
        {"type": "time", "value": "fünf uhr morgens", "start": 13, "end": 29},
        {"type": "date", "value": "diese woche", "start": 30, "end": 41},
    ]
    assert rows["1"]["slots"] == []
    # an emoji is one character, as in Python
    assert rows["5"]["slots"] == [
        {"type": "event_name", "value": "geburtstag", "start": 19, "end": 29},
        {"type": "person", "value": "anna", "start": 34, "end": 38},
    ]
    # the annotated occurrence, not the first "eins" in the sentence
    assert rows["6"]["slots"] == [{"type": "song_name", "value": "eins", "start": 14, "end": 18}]
    for row in rows.values():
        for slot in row["slots"]:
            if slot["start"] is not None:
                assert row["text"][slot["start"] : slot["end"]] == slot["value"]


def test_slot_fallbacks_unfound_respaced_and_malformed() -> None:
    rows = _by_id(_read(DATA / "de-DE.jsonl"))
    # "köln" is not in "... in Köln": kept, without offsets
    assert rows["2"]["slots"] == [{"type": "place_name", "value": "köln", "start": None, "end": None}]
    # annot_utt has a double space utt lacks: found by searching utt
    assert rows["3"]["slots"] == [{"type": "time", "value": "7 uhr", "start": 21, "end": 26}]
    # "[app_name : spotify" is never closed: the record keeps the slot that parsed
    assert rows["4"]["slots"] == [{"type": "artist_name", "value": "queen", "start": 16, "end": 21}]


def test_vectorised_slots_match_the_python_reference() -> None:
    utts = [
        "wake me up at five am this week",
        "x",
        "play five by five",
        "a \x1e b",
        "turn it up",
        "ok",
        "set timer",
    ]
    annots = [
        "wake me up at [time : five am] [date : this week]",
        None,
        "play five by [song_name : five]",
        "a \x1e [thing : b]",
        "turn [ device_type :it ] up",
        "[date : ] ok",
        "set [time timer",
    ]
    got = slot_column(pl.Series(utts), pl.Series(annots, dtype=pl.String)).to_list()
    assert got == [slots_of(u, a) for u, a in zip(utts, annots, strict=True)]
    assert got[1] is None
    assert got[3] == [{"type": "thing", "value": "b", "start": 4, "end": 5}]
    assert got[4] == [{"type": "device_type", "value": "it", "start": 5, "end": 7}]
    assert got[5] == [{"type": "date", "value": "", "start": 0, "end": 0}]
    assert got[6] == []


def test_sniff_claims_massive_and_leaves_other_jsonl(tmp_path: Path) -> None:
    massive = DATA / "de-DE.jsonl"
    assert sniff(massive, massive.read_bytes()[:8192])
    assert detect(massive) is READER
    plain = tmp_path / "rows.jsonl"
    plain.write_text('{"text": "Hallo", "intent": "greet"}\n', encoding="utf-8")
    assert not sniff(plain, plain.read_bytes())
    assert detect(plain).name == "csv"
    # a first line longer than the sniffed head is judged by its keys
    long_line = json.dumps({"id": "0", "utt": "x", "annot_utt": "x", "pad": "y" * 10000})
    assert sniff(plain, long_line.encode()[:8192])


def test_invalid_json_line_is_an_input_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "de-DE.jsonl"
    good = json.dumps({"id": "0", "locale": "de-DE", "utt": "hallo", "annot_utt": "hallo"})
    path.write_text(f"{good}\n{good}\n{{\"id\": \"2\", \"utt\": \"kaputt\"\n{good}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        _read(path)
    assert err.value.line == 3
    assert "invalid JSON" in err.value.message


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (b'{"utt": "a"}\n["not", "an", "object"]\n', 2, "JSON object"),
        (b'{"utt": "a"}\n{"utt": {"nested": 1}}\n', 2, "field 'utt'"),
        (b'{"utt": "a"}\n{"utt": "b\xff"}\n', 2, "not valid UTF-8"),
        (b'{"utt": "a"}\n{"id": "1", "annot_utt": "b"}\n', 2, "no 'utt'"),
        (b'{"utt": "a"}\nnull\n', 2, "null"),
    ],
)
def test_malformed_records(tmp_path: Path, content: bytes, line: int, words: str) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        _read(path)
    assert err.value.line == line
    assert words in err.value.message


def test_utf16_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes('{"utt": "a"}\n'.encode("utf-16"))
    with pytest.raises(InputError, match="UTF-8"):
        _read(path)


def test_engine_canonicalises_the_records_own_locale(tmp_path: Path) -> None:
    result = run(RunOptions(paths=[DATA], ignore=tuple(all_checks())), Config())
    assert result.errors == []
    assert set(result.files["format"]) == {"massive"}
    by_locale = result.records.group_by("locale").len().sort("locale").rows()
    assert by_locale == [("de-DE", 7), ("sl-SI", 2)]
    assert any("sl-SL" in w.message and "sl-SI" in w.message for w in result.warnings)


def test_malformed_brackets_are_flagged(tmp_path: Path) -> None:
    p = tmp_path / "en-US.jsonl"
    p.write_text(
        '{"id": "1", "locale": "en-US", "utt": "wake me at five am", "annot_utt": "wake me at [time : five am"}\n'
        '{"id": "2", "locale": "en-US", "utt": "wake me at seven", "annot_utt": "wake me at [time seven]"}\n'
        '{"id": "3", "locale": "en-US", "utt": "wake me at six", "annot_utt": "wake me at [time : six]"}\n'
    )
    flags = _read(p).sort("key")["flags"].to_list()
    assert flags == [["malformed-annotation"], ["malformed-annotation"], []]
