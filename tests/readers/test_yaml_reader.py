"""YAML reader: nested catalogs, Rails roots, Home Assistant intents, comments, safety."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from locale_guard.config import Config
from locale_guard.engine import RunOptions, run
from locale_guard.readers import detect
from locale_guard.readers.base import InputError, ReadRequest
from locale_guard.readers.yaml_catalog import READER

DATA = Path(__file__).parents[1] / "data" / "readers" / "yaml"
COLUMNS = ["key", "intent", "kind", "text", "line", "variant", "suppress", "locale"]


def read(path: Path, **request: object) -> pl.DataFrame:
    return READER.read(ReadRequest(path=path, **request))  # type: ignore[arg-type]


def rows(frame: pl.DataFrame, columns: list[str] = COLUMNS) -> list[tuple]:
    return [tuple(r) for r in frame.select(columns).iter_rows()]


def test_detect_picks_yaml_for_both_extensions() -> None:
    assert detect(DATA / "catalog.yaml") is READER
    assert detect(DATA / "rails.yml") is READER


def test_nested_catalog_keys_variants_lines_and_comment_suppressions() -> None:
    frame = read(DATA / "catalog.yaml", locale="de")
    assert rows(frame, ["key", "text", "line", "variant", "suppress", "locale", "kind"]) == [
        ("greeting.morning", "Guten Morgen", 3, 0, [], "de", "response"),
        # the comment line just above the key
        ("greeting.evening", "Guten Abend", 5, 0, ["offensive"], "de", "response"),
        ("farewell", "Tschüss", 7, 0, [], "de", "response"),
        # a comment on the item's own line, two rules
        ("farewell", "Auf Wiedersehen", 8, 1, ["offensive", "placeholders/missing"], "de", "response"),
        # a comment above a mapping covers everything nested in it; the number is not text
        ("errors.not_found", "Nicht gefunden: {name}", 11, 0, ["formality"], "de", "response"),
        ("errors.help", "Zwei\nZeilen\n", 13, 0, ["formality"], "de", "response"),
        # YAML 1.1 would read the key `no` as False; it is kept as written
        ("no", "Nein", 16, 0, [], "de", "response"),
        ("defaults.ok", "OK", 18, 0, [], "de", "response"),
        # the merge key brings the anchored mapping's strings in
        ("dialog.ok", "OK", 18, 0, [], "de", "response"),
        ("dialog.cancel", "Abbrechen", 21, 0, [], "de", "response"),
    ]
    assert frame["record_id"].n_unique() == frame.height


def test_locale_is_left_null_when_the_file_does_not_say() -> None:
    frame = read(DATA / "catalog.yaml")
    assert frame["locale"].null_count() == frame.height


def test_rails_locale_root_gives_the_locale_and_is_not_part_of_the_key() -> None:
    frame = read(DATA / "rails.yml", locale="de")
    assert rows(frame, ["key", "text", "line", "locale"]) == [
        ("hello", "Olá", 2, "pt-BR"),
        ("buttons.save", "Salvar", 4, "pt-BR"),
    ]


def test_home_assistant_responses() -> None:
    frame = read(DATA / "HassTurnOn.yaml")
    assert rows(frame) == [
        ("HassTurnOn.default", "HassTurnOn", "response", "Eingeschaltet", 5, 0, [], "de-DE"),
        ("HassTurnOn.lights", "HassTurnOn", "response", "{{ slots.name }} eingeschaltet", 7, 0,
         ["offensive"], "de-DE"),
        ("errors.no_area", None, "response", "Kein Bereich namens {{ area }}", 9, 0, [], "de-DE"),
    ]


def test_home_assistant_sentences_are_utterances_without_keys() -> None:
    frame = read(DATA / "light_HassTurnOn.yaml", locale="fr")
    # `language:` wins over the path; lists and expansion rules are grammar, not content
    assert rows(frame) == [
        (None, "HassTurnOn", "utterance", "schalte {name} ein", 6, 0, [], "de"),
        (None, "HassTurnOn", "utterance", "mach {name} an", 7, 1, ["language"], "de"),
        (None, "HassTurnOn", "utterance", "{name} an", 10, 2, [], "de"),
        (None, "HassTurnOn", "utterance", "{name} einschalten", 10, 3, [], "de"),
    ]
    # two templates on one line still get distinct ids (suppression joins on record_id)
    assert frame["record_id"].n_unique() == 4


def test_bad_language_is_an_input_error_on_its_line() -> None:
    with pytest.raises(InputError) as err:
        read(DATA / "bad_language.yaml")
    assert err.value.line == 2
    assert "xx-YY" in err.value.message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # a settings label, not a locale: it stays a message and the path decides the locale
        ("language: Sprache\nhello: Hallo\n", [("language", "Sprache", "de"), ("hello", "Hallo", "de")]),
        ("language: Dil\nhello: Merhaba\n", [("language", "Dil", "de"), ("hello", "Merhaba", "de")]),
        # shaped like a locale: it is one
        ("language: de_AT\nhello: Servus\n", [("hello", "Servus", "de-AT")]),
    ],
)
def test_language_key_outside_home_assistant(tmp_path: Path, content: str, expected: list) -> None:
    path = tmp_path / "messages.yaml"
    path.write_text(content, encoding="utf-8")
    assert rows(read(path, locale="de"), ["key", "text", "locale"]) == expected


def test_locale_shaped_but_unknown_language_key_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "messages.yaml"
    path.write_text("hello: Hallo\nlanguage: jp\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.line == 2


def test_malformed_yaml_names_the_line() -> None:
    with pytest.raises(InputError) as err:
        read(DATA / "bad.yaml")
    assert err.value.line == 5
    assert "quoted scalar that starts on line 3" in err.value.message
    assert "\n" not in str(err.value)


def test_top_level_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("# a list\n- a\n- b\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.line == 2


@pytest.mark.parametrize("content", ["", "   \n", "# only a comment\n", "---\n"])
def test_empty_documents_give_no_records(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(content, encoding="utf-8")
    assert read(path).height == 0


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read(path)
    assert "alias" in err.value.message
    assert err.value.line is not None and err.value.line <= 9


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text("yes_word: &y Ja\nconfirm: *y\n", encoding="utf-8")
    assert rows(read(path), ["key", "text"]) == [("yes_word", "Ja"), ("confirm", "Ja")]


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("a: &a\n  b: *a\n", encoding="utf-8")
    with pytest.raises(InputError, match="itself"):
        read(path)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="nested"):
        read(path)


def test_invalid_utf8_is_reported_by_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: b\nc: Grüße\n".encode("latin-1"))
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.line == 2
    assert "UTF-8" in err.value.message


def test_engine_takes_the_locale_from_the_folder(tmp_path: Path) -> None:
    for locale, text in (("en", "Good morning"), ("de", "Guten Morgen")):
        folder = tmp_path / locale
        folder.mkdir()
        (folder / "responses.yaml").write_text(f"greeting:\n  morning: {text}\n", encoding="utf-8")
    result = run(RunOptions(paths=[tmp_path]), Config())
    assert result.errors == []
    got = result.records.sort("locale").select("locale", "key", "text", "source_text", "line")
    assert [tuple(r) for r in got.iter_rows()] == [
        ("de", "greeting.morning", "Guten Morgen", "Good morning", 2),
        ("en", "greeting.morning", "Good morning", None, 2),
    ]
    assert result.files["format"].to_list() == ["yaml", "yaml"]
