"""JSON catalogs: nesting, variants, i18next, suppression, line numbers and clear errors."""

import json
from pathlib import Path

import pytest

from locale_guard.readers import InputError, ReadRequest, detect
from locale_guard.readers.json_catalog import READER


def read(path: Path, locale: str | None = "de-DE"):
    return READER.read(ReadRequest(path=path, locale=locale))


def test_nested_keys_variants_and_lines(tmp_path: Path) -> None:
    p = tmp_path / "de-DE.json"
    p.write_text(
        '{\n  "greeting": {\n    "morning": "Guten Morgen"\n  },\n'
        '  "rain": ["Nimm einen Schirm mit.", "Es regnet."],\n  "$schema": "x"\n}\n',
        encoding="utf-8",
    )
    frame = read(p)
    rows = frame.select("key", "text", "variant", "line", "kind", "locale").to_dicts()
    assert rows == [
        {"key": "greeting.morning", "text": "Guten Morgen", "variant": 0, "line": 3, "kind": "response", "locale": "de-DE"},
        {"key": "rain", "text": "Nimm einen Schirm mit.", "variant": 0, "line": 5, "kind": "response", "locale": "de-DE"},
        {"key": "rain", "text": "Es regnet.", "variant": 1, "line": 5, "kind": "response", "locale": "de-DE"},
    ]
    assert frame["record_id"].n_unique() == 3


def test_i18next_layout_takes_locale_from_the_top_key(tmp_path: Path) -> None:
    p = tmp_path / "all.json"
    p.write_text(json.dumps({"de": {"translation": {"hi": "Hallo"}}, "fr_fr": {"translation": {"hi": "Salut"}}}))
    frame = read(p, locale=None)
    assert sorted(frame.select("locale", "key", "text").rows()) == [("de", "hi", "Hallo"), ("fr-FR", "hi", "Salut")]


def test_inline_suppression(tmp_path: Path) -> None:
    p = tmp_path / "en.json"
    p.write_text(
        json.dumps(
            {
                "x-locale-guard-ignore": {"b": "offensive"},
                "a": "one",
                "b": "two",
                "group": {"x-locale-guard-ignore": "placeholders/missing,language", "c": "three"},
            }
        )
    )
    got = {r["key"]: r["suppress"] for r in read(p).to_dicts()}
    assert got == {"a": [], "b": ["offensive"], "group.c": ["placeholders/missing", "language"]}


@pytest.mark.parametrize(
    ("content", "needle", "line"),
    [
        ('{"a": "b",\n "c": }', "invalid JSON", 2),
        ('["a", "b"]', "must be an object", None),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply", None),
    ],
)
def test_bad_json_gives_one_clear_error(tmp_path: Path, content: str, needle: str, line: int | None) -> None:
    p = tmp_path / "de.json"
    p.write_text(content)
    with pytest.raises(InputError) as info:
        read(p)
    assert needle in info.value.message
    assert info.value.line == line


def test_detect_picks_the_json_reader(tmp_path: Path) -> None:
    p = tmp_path / "de.json"
    p.write_text('{"a": "b"}')
    reader = detect(p)
    assert reader is not None and reader.name in ("json",)
