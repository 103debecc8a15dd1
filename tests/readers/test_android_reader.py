"""Android strings.xml reader: strings, plurals, arrays, escapes, comments, sniffing, safety."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from locale_guard.config import Config
from locale_guard.engine import RunOptions, run
from locale_guard.readers import detect
from locale_guard.readers.android_xml import READER, android_unescape, sniff
from locale_guard.readers.base import InputError, ReadRequest

DATA = Path(__file__).parents[1] / "data" / "readers" / "android"


def read(path: Path, **request: object) -> pl.DataFrame:
    return READER.read(ReadRequest(path=path, **request))  # type: ignore[arg-type]


def rows(frame: pl.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(r) for r in frame.select(columns).iter_rows()]


def test_strings_plurals_arrays_escapes_and_comment_suppressions() -> None:
    frame = read(DATA / "values-pl" / "strings.xml", locale="pl")
    sup = ["placeholders/missing", "formality"]
    assert rows(frame, ["key", "text", "line", "variant", "plural", "suppress"]) == [
        # app_name is translatable="false"; <xliff:g> keeps its content
        ("greeting", "Cześć %1$s!", 6, 0, None, []),
        ("apostrophe", "Nie można otworzyć '%2$s' \"teraz\"\nSpróbuj @później?", 7, 0, None, []),
        # quotes keep whitespace; outside them runs collapse and the ends are trimmed
        ("quoted", "  dwie   spacje   i reszta", 9, 0, None, ["offensive"]),
        ("styled", "To ważne & pilne", 10, 0, None, []),
        ("cdata", "<u>Podkreślone</u> 100%", 11, 0, None, []),
        # @string/greeting is a reference, not text
        ("unicode", "\u00a0nbsp", 13, 0, None, []),
        # a run of comments: the suppression comment need not be the only one
        ("files", "%d plik", 17, 0, "one", sup),
        ("files", "%d pliki", 18, 1, "few", sup),
        ("files", "%d plików", 19, 2, "many", sup),
        ("files", "%d pliku", 20, 3, "other", sup),
        ("days", "poniedziałek", 23, 0, None, []),
        ("days", "wtorek", 25, 2, None, []),
        # <color> is not text; the untranslatable array is skipped
        ("after", "Koniec", 31, 0, None, []),
    ]
    assert frame["locale"].unique().to_list() == ["pl"]
    assert frame["record_id"].n_unique() == frame.height


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (r"Don\'t", "Don't"),
        (r"Say \"hi\"", 'Say "hi"'),
        (r"a\nb\tc", "a\nb\tc"),
        (r"\@home \?attr", "@home ?attr"),
        (r"back\\slash", "back\\slash"),
        (r"\u0041\u00e9", "Aé"),
        ("  lots \n  of\tspace  ", "lots of space"),
        ('"  kept  "', "  kept  "),
        ("%1$s and %2$d%%", "%1$s and %2$d%%"),
        ("trailing\\", "trailing\\"),
    ],
)
def test_android_unescape(raw: str, expected: str) -> None:
    assert android_unescape(raw) == expected


def test_default_values_folder_uses_tools_locale() -> None:
    frame = read(DATA / "values" / "strings.xml")
    assert rows(frame, ["locale", "key", "text", "line"]) == [("en-GB", "greeting", "Hello", 2)]


def test_sniff_claims_resources_only(tmp_path: Path) -> None:
    values = tmp_path / "values-de"
    values.mkdir()
    assert sniff(values / "arrays.xml", b'<?xml version="1.0"?>\n<!-- c -->\n<resources>\n')
    assert sniff(tmp_path / "strings_extra.xml", b"\xef\xbb\xbf<resources/>")
    assert sniff(tmp_path / "strings.xml", '<resources>'.encode("utf-16"))
    # XLIFF, layouts, manifests and <resources> outside values*/ or strings*.xml are not ours
    assert not sniff(values / "messages.xml", b'<xliff version="1.2"><file/></xliff>')
    assert not sniff(values / "strings.xml", b"<LinearLayout/>")
    assert not sniff(tmp_path / "pom.xml", b"<resources/>")
    assert detect(DATA / "values-pl" / "strings.xml") is READER


def test_malformed_xml_names_the_line() -> None:
    with pytest.raises(InputError) as err:
        read(DATA / "bad.xml", locale="de")
    assert err.value.line == 4


def test_root_other_than_resources_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "strings.xml"
    path.write_text("<manifest/>", encoding="utf-8")
    with pytest.raises(InputError, match="<manifest>"):
        read(path, locale="de")


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "strings.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE resources [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
        '<resources><string name="x">&c;</string></resources>',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read(path, locale="de")
    assert "XML entities are not allowed" in err.value.message
    assert err.value.line == 2


def test_external_entity_content_never_appears(tmp_path: Path) -> None:
    secret = tmp_path / "passwd"
    secret.write_text("root:SECRET-HASH:0:0", encoding="utf-8")
    folder = tmp_path / "values-de"
    folder.mkdir()
    path = folder / "strings.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE resources [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        '<resources><string name="x">&x;</string></resources>',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read(path, locale="de")
    assert "XML entities are not allowed" in err.value.message
    assert "SECRET" not in str(err.value)
    result = run(RunOptions(paths=[folder]), Config())
    assert result.records.height == 0
    assert len(result.errors) == 1 and "SECRET" not in result.errors[0].describe()


def test_empty_file_gives_no_records(tmp_path: Path) -> None:
    path = tmp_path / "strings.xml"
    path.write_text("\n", encoding="utf-8")
    assert read(path, locale="de").height == 0
    path.write_text("<resources>\n</resources>\n", encoding="utf-8")
    assert read(path, locale="de").height == 0


def test_engine_takes_the_locale_from_values_folders(tmp_path: Path) -> None:
    res = tmp_path / "app" / "src" / "main" / "res"
    for folder, text in (("values", "Good morning"), ("values-de-rDE", "Guten Morgen")):
        (res / folder).mkdir(parents=True)
        (res / folder / "strings.xml").write_text(
            f'<?xml version="1.0" encoding="utf-8"?>\n<resources>\n'
            f'    <string name="morning">{text}</string>\n</resources>\n',
            encoding="utf-8",
        )
    result = run(RunOptions(paths=[res]), Config())
    assert result.errors == []
    got = result.records.sort("locale").select("locale", "key", "text", "source_text", "line")
    assert [tuple(r) for r in got.iter_rows()] == [
        ("de-DE", "morning", "Guten Morgen", "Good morning", 3),
        ("en", "morning", "Good morning", None, 3),  # the default folder: the source locale
    ]
    assert result.files["format"].to_list() == ["android", "android"]


def test_other_xml_is_not_claimed(tmp_path: Path) -> None:
    from locale_guard.readers import detect

    pom = tmp_path / "pom.xml"
    pom.write_text('<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion></project>')
    layout = tmp_path / "values-de"
    layout.mkdir()
    (layout / "styles.xml").write_text("<style name='x'/>")
    assert detect(pom) is None
    assert detect(layout / "styles.xml") is None
