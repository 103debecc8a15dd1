"""gettext reader: contexts, plural categories from Babel, flags, suppressions, templates."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from locale_guard.config import Config
from locale_guard.engine import RunOptions, run
from locale_guard.readers import detect
from locale_guard.readers.base import InputError, ReadRequest
from locale_guard.readers.po import CONTEXT_SEPARATOR, READER, plural_categories

DATA = Path(__file__).parents[1] / "data" / "readers" / "po"
COLUMNS = ["key", "text", "source_text", "line", "variant", "plural", "flags", "suppress"]


def read(path: Path, **request: object) -> pl.DataFrame:
    return READER.read(ReadRequest(path=path, **request))  # type: ignore[arg-type]


def rows(frame: pl.DataFrame, columns: list[str] = COLUMNS) -> list[tuple]:
    return [tuple(r) for r in frame.select(columns).iter_rows()]


def test_detect_picks_po_for_po_and_pot() -> None:
    assert detect(DATA / "pl.po") is READER
    assert detect(DATA / "app.pot") is READER


def test_polish_po_entries_plurals_flags_and_suppressions() -> None:
    frame = read(DATA / "pl.po")
    assert frame["locale"].unique().to_list() == ["pl"]  # from the header
    assert frame["kind"].unique().to_list() == ["response"]
    file_ = "You have %(n)d file"
    files = "You have %(n)d files"
    fmt = ["python-format"]
    sup = ["placeholders/missing"]
    assert rows(frame) == [
        # line = where polib says the entry starts (its first comment line, if any)
        ("Good morning", "Dzień dobry", "Good morning", 10, 0, None, [], []),
        (f"menu{CONTEXT_SEPARATOR}Open", "Otwórz", "Open", 14, 0, None, ["fuzzy"],
         ["offensive", "formality"]),
        (file_, "Masz %(n)d plik", file_, 20, 0, "one", fmt, sup),
        (file_, "Masz %(n)d pliki", files, 20, 1, "few", fmt, sup),
        (file_, "Masz %(n)d plików", files, 20, 2, "many", fmt, sup),
        (file_, "", files, 20, 3, "other", [*fmt, "untranslated"], sup),
        ("Not yet", "", "Not yet", 29, 0, None, ["untranslated"], []),
    ]  # the obsolete #~ entry is skipped
    assert frame["record_id"].n_unique() == frame.height


def test_path_locale_beats_the_header() -> None:
    frame = read(DATA / "pl.po", locale="cs")
    assert frame["locale"].unique().to_list() == ["cs"]


@pytest.mark.parametrize(
    ("locale", "plural_forms", "count", "expected"),
    [
        ("pl", None, 3, ("one", "few", "many")),  # Babel's own gettext expression
        ("pl", None, 4, ("one", "few", "many", "other")),  # index 3: fractions only
        ("en", "nplurals=2; plural=(n != 1);", 2, ("one", "other")),
        ("fr", None, 2, ("one", "other")),
        ("ja", None, 1, ("other",)),
        ("ar", None, 6, ("zero", "one", "two", "few", "other", "many")),
        ("cs", None, 3, ("one", "few", "other")),
        ("de", "nplurals=INTEGER; plural=EXPRESSION;", 2, ("one", "other")),  # template header
        (None, None, 2, (None, None)),
    ],
)
def test_plural_index_to_cldr_category(
    locale: str | None, plural_forms: str | None, count: int, expected: tuple
) -> None:
    assert plural_categories(locale, plural_forms, count) == expected


def test_pot_template_gives_source_records() -> None:
    frame = read(DATA / "app.pot", source_locale="en-GB")
    assert frame["locale"].unique().to_list() == ["en-GB"]
    assert rows(frame, ["key", "text", "source_text", "variant", "plural", "line"]) == [
        ("Good morning", "Good morning", None, 0, None, 7),
        (f"menu{CONTEXT_SEPARATOR}Open", "Open", None, 0, None, 10),
        ("One file", "One file", None, 0, "one", 14),
        ("One file", "%d files", None, 1, "other", 14),
    ]
    assert read(DATA / "app.pot")["locale"].unique().to_list() == ["en"]


def test_malformed_po_names_the_line() -> None:
    with pytest.raises(InputError) as err:
        read(DATA / "bad.po")
    assert err.value.line == 6
    assert err.value.message.startswith("invalid PO file")


def test_bad_header_language_is_an_input_error() -> None:
    with pytest.raises(InputError) as err:
        read(DATA / "bad_language.po")
    assert err.value.line == 3
    assert "'ja'" in err.value.message  # the suggestion


def test_content_that_names_a_file_is_not_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text('msgid "leaked"\nmsgstr "geheim"\n', encoding="utf-8")
    path = tmp_path / "de.po"
    path.write_text(str(secret), encoding="utf-8")  # one line, no newline: polib's path test
    with pytest.raises(InputError) as err:  # parsed as (bad) content, never opened as a path
        read(path, locale="de")
    assert "geheim" not in str(err.value)
    assert err.value.line == 1


@pytest.mark.parametrize("content", ["", "\n\n", '# just a comment\n', 'msgid ""\nmsgstr ""\n"Language: de\\n"\n'])
def test_empty_catalogs_give_no_records(tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.po"
    path.write_text(content, encoding="utf-8")
    assert read(path, locale="de").height == 0


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.po"
    path.write_bytes(b"\xde\x12\x04\x95\x00\x00\x00\x00" * 8)  # a .mo file renamed
    with pytest.raises(InputError):
        read(path, locale="de")


def test_engine_takes_the_locale_from_lc_messages(tmp_path: Path) -> None:
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "app.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "One file"\nmsgid_plural "%d files"\nmsgstr[0] "Eine Datei"\nmsgstr[1] "%d Dateien"\n',
        encoding="utf-8",
    )
    (tmp_path / "app.pot").write_text(
        'msgid "One file"\nmsgid_plural "%d files"\nmsgstr[0] ""\nmsgstr[1] ""\n', encoding="utf-8"
    )
    result = run(RunOptions(paths=[tmp_path]), Config())
    assert result.errors == []
    got = result.records.sort("locale", "variant").select("locale", "text", "plural", "source_text")
    assert [tuple(r) for r in got.iter_rows()] == [
        ("de", "Eine Datei", "one", "One file"),
        ("de", "%d Dateien", "other", "%d files"),
        ("en", "One file", "one", None),
        ("en", "%d files", "other", None),
    ]
    assert result.source_locale == "en"
