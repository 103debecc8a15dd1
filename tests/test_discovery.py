"""Locale and catalog are read from the common layouts of localized files."""

import os
from pathlib import Path

import pytest

from locale_guard.discovery import catalog_root, locale_from_path, walk


@pytest.mark.parametrize(
    ("path", "locale", "catalog"),
    [
        ("app/de-DE.json", "de-DE", "app/{locale}.json"),
        ("app/de_DE.json", "de-DE", "app/{locale}.json"),
        ("po/de.po", "de", "po/{locale}.po"),
        ("locale/de-de/dialog/x.dialog", "de-DE", "locale/{locale}/dialog/x.dialog"),
        ("locale/de/LC_MESSAGES/app.po", "de", "locale/{locale}/LC_MESSAGES/app.po"),
        ("res/values-de-rDE/strings.xml", "de-DE", "res/values-{locale}/strings.xml"),
        ("res/values-pl/strings.xml", "pl", "res/values-{locale}/strings.xml"),
        ("l10n/app_de.arb", "de", "l10n/app_{locale}.arb"),
        ("i18n/messages.fr.json", "fr", "i18n/messages.{locale}.json"),
        ("skill/locale/es-es/intents/what_is_it.intent", "es-ES", "skill/locale/{locale}/intents/what_is_it.intent"),
    ],
)
def test_locale_and_catalog_from_path(path: str, locale: str, catalog: str) -> None:
    found = locale_from_path(Path(path))
    assert found.locale == locale
    assert found.catalog == catalog


def test_android_default_folder_is_the_source() -> None:
    found = locale_from_path(Path("res/values/strings.xml"))
    assert found.locale is None
    assert found.catalog == "res/values-{locale}/strings.xml"


def test_folder_words_are_not_mistaken_for_locales() -> None:
    assert locale_from_path(Path("cat/src/app.json")).locale is None
    assert locale_from_path(Path("ui/app.json")).locale is None


def test_bad_stem_is_reported_with_a_suggestion() -> None:
    found = locale_from_path(Path("strings/jp.json"))
    assert found.locale is None
    assert found.bad_tag is not None and found.bad_tag.suggestion == "ja"


def test_a_locale_folder_beats_a_tag_shaped_file_name() -> None:
    found = locale_from_path(Path("skill/locale/en-us/intents/is_rain.intent"))
    assert found.locale == "en-US" and found.bad_tag is None


def test_catalog_root() -> None:
    assert catalog_root("skill/locale/{locale}/dialog/x.dialog") == "skill/locale/{locale}"


def test_walk_reports_missing_paths_and_survives_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "en.json").write_text("{}")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    items = list(walk([tmp_path, tmp_path / "nope"]))
    files = [i for i in items if isinstance(i, Path)]
    problems = [i for i in items if isinstance(i, tuple)]
    assert files == [tmp_path / "a" / "en.json"]
    assert any("loop" in msg for _, msg in problems)
    assert any("no such file" in msg for _, msg in problems)
