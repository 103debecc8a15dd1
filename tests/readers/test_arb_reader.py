"""ARB reader: @@locale, metadata keys, per-message suppression, line numbers."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from locale_guard.config import Config
from locale_guard.engine import RunOptions, run
from locale_guard.readers import candidates, detect
from locale_guard.readers.arb import READER
from locale_guard.readers.base import InputError, ReadRequest

DATA = Path(__file__).parents[1] / "data" / "readers" / "arb"


def read(path: Path, **request: object) -> pl.DataFrame:
    return READER.read(ReadRequest(path=path, **request))  # type: ignore[arg-type]


def rows(frame: pl.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(r) for r in frame.select(columns).iter_rows()]


def test_detect_picks_arb_first() -> None:
    assert detect(DATA / "app_de.arb") is READER
    assert candidates(DATA / "app_de.arb")[0] is READER


def test_messages_metadata_and_suppressions() -> None:
    frame = read(DATA / "app_de.arb", locale="fr")
    # @@locale wins over the path; every @ key is metadata
    assert frame["locale"].unique().to_list() == ["de-DE"]
    assert rows(frame, ["key", "text", "line", "variant", "suppress", "kind"]) == [
        ("appTitle", "Wetter", 4, 0, [], "response"),
        ("greeting", "Hallo {name}!", 8, 0, ["offensive", "placeholders/missing"], "response"),
        (
            "items",
            "{count, plural, =0{Keine Einträge} one{Ein Eintrag} other{{count} Einträge}}",
            14, 0, ["formality"], "response",
        ),
        # a value that contains another key in quotes does not confuse the line finder
        ("quote", 'Er sagte "appTitle": ja', 16, 0, [], "response"),
    ]


def test_file_wide_suppression(tmp_path: Path) -> None:
    path = tmp_path / "app_en.arb"
    path.write_text('{"@@x-locale-guard-ignore": "language", "a": "A", "@a": {"x-locale-guard-ignore": "offensive"}}',
                    encoding="utf-8")
    assert rows(read(path), ["key", "suppress"]) == [("a", ["language", "offensive"])]


def test_locale_from_the_request_without_at_at_locale(tmp_path: Path) -> None:
    path = tmp_path / "app_fr.arb"
    path.write_text('{"a": "Bonjour"}', encoding="utf-8")
    assert rows(read(path, locale="fr"), ["locale", "key", "text", "line"]) == [("fr", "a", "Bonjour", 1)]


def test_malformed_json_names_the_line() -> None:
    with pytest.raises(InputError) as err:
        read(DATA / "bad.arb")
    assert err.value.line == 5


def test_non_string_message_is_an_input_error() -> None:
    with pytest.raises(InputError) as err:
        read(DATA / "nested.arb")
    assert err.value.line == 4
    assert "'b'" in err.value.message


def test_bad_at_at_locale(tmp_path: Path) -> None:
    path = tmp_path / "app.arb"
    path.write_text('{\n  "a": "x",\n  "@@locale": "jp"\n}\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.line == 3
    assert "'ja'" in err.value.message


def test_top_level_array_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.arb"
    path.write_text('["a"]', encoding="utf-8")
    with pytest.raises(InputError, match="JSON object"):
        read(path)


@pytest.mark.parametrize("content", ["", "\n  \n", "{}", '{"@@locale": "de"}'])
def test_empty_files_give_no_records(tmp_path: Path, content: str) -> None:
    path = tmp_path / "app.arb"
    path.write_text(content, encoding="utf-8")
    assert read(path).height == 0


def test_utf16_file_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "app.arb"
    path.write_bytes('{"@@locale": "tr", "a": "Günaydın"}'.encode("utf-16"))
    assert rows(read(path), ["locale", "text"]) == [("tr", "Günaydın")]


def test_engine_takes_the_locale_from_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "app_en.arb").write_text('{\n  "hello": "Hello"\n}\n', encoding="utf-8")
    (tmp_path / "app_de.arb").write_text('{\n  "hello": "Hallo"\n}\n', encoding="utf-8")
    result = run(RunOptions(paths=[tmp_path]), Config())
    assert result.errors == []
    got = result.records.sort("locale").select("locale", "key", "text", "source_text", "line")
    assert [tuple(r) for r in got.iter_rows()] == [
        ("de", "hello", "Hallo", "Hello", 2),
        ("en", "hello", "Hello", None, 2),
    ]
    assert result.files["format"].to_list() == ["arb", "arb"]
