"""XLIFF reader: 1.2 and 2.0, target and source records, inline codes, states, safety."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from locale_guard.config import Config
from locale_guard.engine import RunOptions, run
from locale_guard.readers import detect
from locale_guard.readers.base import InputError, ReadRequest
from locale_guard.readers.xliff import READER

DATA = Path(__file__).parents[1] / "data" / "readers" / "xliff"
COLUMNS = ["locale", "key", "text", "source_text", "line", "flags", "suppress"]


def read(path: Path, **request: object) -> pl.DataFrame:
    return READER.read(ReadRequest(path=path, **request))  # type: ignore[arg-type]


def rows(frame: pl.DataFrame, columns: list[str] = COLUMNS) -> list[tuple]:
    return [tuple(r) for r in frame.select(columns).iter_rows()]


def test_detect_picks_xliff_for_both_extensions() -> None:
    assert detect(DATA / "messages.de.xlf") is READER
    assert detect(DATA / "app.fr.xliff") is READER


def test_xliff_12_targets_sources_inline_codes_states_and_notes() -> None:
    frame = read(DATA / "messages.de.xlf")
    x = "{x:INTERPOLATION}"
    sup = ["offensive", "formality"]
    assert rows(frame) == [
        ("de-DE", "greeting", f"Hallo {x}!", f"Hello {x}!", 7, ["translated"], []),
        ("en-US", "greeting", f"Hello {x}!", None, 6, [], []),
        # <g> keeps its words; the <note> suppresses for the whole unit
        ("de-DE", "menu.open", "Öffne die Datei jetzt", "Open the file now", 12, ["needs-translation"], sup),
        ("en-US", "menu.open", "Open the file now", None, 11, [], sup),
        # no <target>: an empty, untranslated target record; <ph>'s native code is dropped
        ("de-DE", "menu.close", "", "Close & quit{ph:2}", 15, ["untranslated"], []),
        ("en-US", "menu.close", "Close & quit{ph:2}", None, 16, [], []),
        # translate="no" (brand) is skipped; CDATA is text; <alt-trans> is not the target
        ("de-DE", "quote", "Es ist „gut“", 'It\'s "fine"', 25, ["final"], []),
        ("en-US", "quote", 'It\'s "fine"', None, 24, [], []),
    ]
    assert set(frame["kind"].to_list()) == {"response"}
    assert frame["record_id"].n_unique() == frame.height


def test_xliff_2_segments_joined_files_prefix_keys() -> None:
    frame = read(DATA / "app.fr.xliff")
    assert rows(frame) == [
        ("fr", "home.html#welcome", "Bienvenue, {ph:1}. Cliquez ici.", "Welcome, {ph:1}. Click here.", 7,
         ["translated", "initial"], []),
        ("en", "home.html#welcome", "Welcome, {ph:1}. Click here.", None, 6, [], []),
        ("fr", "settings.html#welcome", "", "Settings\u00a0page", 17, ["untranslated"], ["language"]),
        ("en", "settings.html#welcome", "Settings\u00a0page", None, 20, [], ["language"]),
    ]


def test_source_only_file_takes_target_locale_from_nowhere(tmp_path: Path) -> None:
    path = tmp_path / "messages.xlf"
    path.write_text(
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        '<file source-language="en" datatype="plaintext" original="x"><body>\n'
        '<trans-unit id="a"><source>Hi</source></trans-unit>\n'
        "</body></file></xliff>\n",
        encoding="utf-8",
    )
    # an extraction file: only source records, no empty targets invented for the path locale
    assert rows(read(path, locale="de"), ["locale", "key", "text", "line"]) == [("en", "a", "Hi", 3)]


def test_malformed_xml_names_the_line() -> None:
    with pytest.raises(InputError) as err:
        read(DATA / "bad.xlf")
    assert err.value.line == 6
    assert "mismatched tag" in err.value.message


def test_other_xml_is_not_xliff(tmp_path: Path) -> None:
    path = tmp_path / "x.xlf"
    path.write_text("<resources><string name='a'>A</string></resources>", encoding="utf-8")
    with pytest.raises(InputError, match="not an XLIFF file"):
        read(path)


def test_bad_target_language_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "x.xlf"
    path.write_text(
        '<xliff version="1.2">\n<file source-language="en" target-language="jp" original="x">'
        "<body/></file></xliff>",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.line == 2
    assert "jp" in err.value.message


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    path = tmp_path / "bomb.xlf"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE xliff [{entities}]>\n'
        '<xliff version="1.2"><file source-language="en" target-language="de" original="x"><body>'
        '<trans-unit id="a"><source>&lol9;</source><target>&lol9;</target></trans-unit>'
        "</body></file></xliff>",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read(path)
    assert "XML entities are not allowed" in err.value.message
    assert err.value.line == 2
    assert "lol" not in str(err.value)


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-PASSWORD", encoding="utf-8")
    path = tmp_path / "ext.xliff"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        '<xliff version="1.2"><file source-language="en" target-language="de" original="x"><body>'
        '<trans-unit id="a"><source>&x;</source><target>&x;</target></trans-unit>'
        "</body></file></xliff>",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read(path)
    assert "XML entities are not allowed" in err.value.message
    assert "TOP-SECRET" not in str(err.value)
    result = run(RunOptions(paths=[path]), Config())
    assert [e.path for e in result.errors] == [str(path)]
    assert "TOP-SECRET" not in " ".join(e.describe() for e in result.errors)
    assert result.records.height == 0


@pytest.mark.parametrize("content", ["", "  \n\n"])
def test_empty_file_gives_no_records(tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.xlf"
    path.write_text(content, encoding="utf-8")
    assert read(path).height == 0


def test_engine_takes_the_target_locale_from_the_file_name(tmp_path: Path) -> None:
    # no target-language attribute: the locale comes from messages.de.xlf
    (tmp_path / "messages.de.xlf").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        '  <file source-language="en" datatype="plaintext" original="x">\n'
        "    <body>\n"
        '      <trans-unit id="bye">\n'
        "        <source>Goodbye</source>\n"
        "        <target>Auf Wiedersehen</target>\n"
        "      </trans-unit>\n"
        "    </body>\n"
        "  </file>\n"
        "</xliff>\n",
        encoding="utf-8",
    )
    result = run(RunOptions(paths=[tmp_path]), Config())
    assert result.errors == []
    got = result.records.sort("locale").select("locale", "key", "text", "source_text", "line")
    assert [tuple(r) for r in got.iter_rows()] == [
        ("de", "bye", "Auf Wiedersehen", "Goodbye", 7),
        ("en", "bye", "Goodbye", None, 6),
    ]
