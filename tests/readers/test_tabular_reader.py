"""Tables: CSV/TSV/JSONL/Parquet, column mapping by name and by option, lines, bad input."""

from pathlib import Path

import polars as pl
import pytest

from locale_guard.checks import all_checks
from locale_guard.config import parse_config
from locale_guard.engine import RunOptions, run
from locale_guard.readers import InputError, ReadRequest, detect
from locale_guard.readers.tabular import READER

DATA = Path(__file__).parent.parent / "data" / "readers_b" / "tabular"
COLUMNS = ["record_id", "locale", "kind", "text", "key", "intent", "line", "variant"]


def _read(path: Path, **options) -> pl.DataFrame:
    return READER.read(ReadRequest(path=path, options=options))


def _rows(frame: pl.DataFrame, columns=COLUMNS) -> list[tuple]:
    return frame.select(columns).rows()


def test_csv_default_column_names_and_physical_lines() -> None:
    path = DATA / "de-DE" / "utterances.csv"
    frame = _read(path)
    # the quoted cell spans lines 2-3 and line 5 is blank, so rows start on lines 2, 4 and 6
    assert _rows(frame, ["locale", "kind", "text", "key", "intent", "line"]) == [
        ("de-AT", "utterance", "guten morgen\nund hallo", "1", "greet", 2),
        (None, "utterance", "tschüss", "2", "bye", 4),
        ("de-DE", "utterance", "wie spät, bitte", "3", "time_query", 6),
    ]


def test_tsv_without_intent_is_responses_and_repeated_keys_are_variants() -> None:
    frame = _read(DATA / "de-DE" / "responses.tsv")
    assert _rows(frame, ["kind", "key", "variant", "text", "line"]) == [
        ("response", "greeting", 0, "Hallo!", 2),
        ("response", "greeting", 1, "Grüß dich!", 3),
        # TSV has no quoting: quotes are part of the text
        ("response", "farewell", 0, '"Tschüss"', 4),
    ]
    assert frame["record_id"].n_unique() == 3


def test_column_mapping_from_options_including_kind() -> None:
    frame = _read(
        DATA / "custom.csv",
        columns={"text": "satz", "intent": "absicht", "locale": "sprache", "kind": "art"},
        separator=";",
    )
    assert _rows(frame, ["locale", "kind", "text", "intent", "line"]) == [
        ("de-CH", "utterance", "Wie wird das Wetter?", "weather_query", 2),
        (None, "response", "Es regnet.", "weather_query", 3),
    ]


def test_missing_text_column_names_the_columns_there() -> None:
    with pytest.raises(InputError) as err:
        _read(DATA / "custom.csv", separator=";")
    assert "no text column" in err.value.message
    assert "satz, absicht, sprache, art" in err.value.message


def test_mapped_column_absent_and_unknown_field(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"column 'utterance' .* columns: satz"):
        _read(DATA / "custom.csv", separator=";", columns={"text": "utterance"})
    with pytest.raises(InputError, match="unknown field"):
        _read(DATA / "custom.csv", separator=";", columns={"txt": "satz"})


def test_jsonl_rows_with_blank_lines_and_non_string_values() -> None:
    frame = _read(DATA / "rows.jsonl")
    assert _rows(frame, ["locale", "kind", "text", "intent", "line"]) == [
        ("de-DE", "utterance", "Hallo", "greet", 1),
        ("de-AT", "utterance", "Servus", "greet", 3),
        (None, "utterance", "42", "number", 4),
    ]


def test_parquet_round_trip(tmp_path: Path) -> None:
    source = pl.DataFrame(
        {
            "string_id": ["a", "b", "a"],
            "message": ["Hallo", "Tschüss", "Servus"],
            "language": ["de-DE", None, "de-AT"],
            "count": [1, 2, 3],
        }
    )
    path = tmp_path / "de-DE.parquet"
    source.write_parquet(path)
    frame = _read(path)
    assert _rows(frame, ["locale", "kind", "text", "key", "variant", "line"]) == [
        ("de-DE", "response", "Hallo", "a", 0, 1),
        (None, "response", "Tschüss", "b", 0, 2),
        ("de-AT", "response", "Servus", "a", 0, 3),
    ]
    mapped = _read(path, columns={"text": "message", "intent": "count"})
    assert mapped["intent"].to_list() == ["1", "2", "3"]
    assert mapped["kind"].unique().to_list() == ["utterance"]


def test_not_parquet_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    path.write_text("text\nhello\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        _read(path)


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (b"text,intent\nhallo,greet\nzu,viele,zellen\n", 3, "3 cells, the header has 2"),
        (b"text,intent\nhallo,greet\nzu wenig\n", 3, "1 cells, the header has 2"),
        (b'text,intent\nhallo,greet\n"offen,greet\nnoch,was\n', 3, "bad CSV quoting"),
        (b'text,intent\n"hallo"welt,greet\n', 2, "bad CSV quoting"),
        (b"text,intent\nhallo,greet\ntsch\xfcss,bye\n", 3, "not valid UTF-8"),
        (b"text,intent,kind\nhallo,greet,utterance\nna,bye,prompt\n", 3, "kind 'prompt'"),
    ],
)
def test_bad_csv(tmp_path: Path, content: bytes, line: int, words: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        _read(path)
    assert err.value.line == line
    assert words in err.value.message


def test_large_csv_streams_without_the_validation_pass(tmp_path: Path) -> None:
    """Above max_bytes polars reads alone; its errors are still located by line."""
    path = tmp_path / "big.csv"
    rows = "".join(f"satz {i},intent_{i % 7}\n" for i in range(2000))
    path.write_text("text,intent\n" + rows, encoding="utf-8")
    frame = READER.read(ReadRequest(path=path, max_bytes=100))
    assert frame.height == 2000
    assert frame["line"].to_list()[-1] == 2001
    path.write_text("text,intent\n" + rows + "a,b,c\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        READER.read(ReadRequest(path=path, max_bytes=100))
    assert err.value.line == 2002


def test_bad_jsonl_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"text": "a"}\n{"text": "b"}\n{"text": "c",}\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        _read(path)
    assert err.value.line == 3


def test_empty_files_give_no_records(tmp_path: Path) -> None:
    for name in ("empty.csv", "header.csv", "empty.jsonl"):
        (tmp_path / name).write_text("text,intent\n" if name == "header.csv" else "", encoding="utf-8")
        assert _read(tmp_path / name).height == 0


def test_engine_takes_config_columns_and_fills_path_locale(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "de-DE"
    folder.mkdir(parents=True)
    (folder / "train.csv").write_text(
        "utterance,lang,label\nwie spät ist es,,time_query\nservus,de-AT,greet\n", encoding="utf-8"
    )
    config = parse_config({"readers": {"csv": {"columns": {"text": "utterance", "locale": "lang"}}}})
    assert detect(folder / "train.csv") is READER
    result = run(RunOptions(paths=[tmp_path / "data"], ignore=tuple(all_checks())), config)
    assert result.errors == []
    assert result.records.select("locale", "text", "intent", "kind").rows() == [
        ("de-DE", "wie spät ist es", "time_query", "utterance"),
        ("de-AT", "servus", "greet", "utterance"),
    ]
