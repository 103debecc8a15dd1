"""Find input files and tell, from their paths, which locale and which catalog each belongs to.

Localized files are laid out in a handful of ways: ``de-DE.json``, ``app_de.arb``,
``de/app.json``, ``locale/de-de/dialog/x.dialog``, ``de/LC_MESSAGES/app.po``,
``values-de-rDE/strings.xml``. For each file we find the path part that names a locale and
replace it with ``{locale}``; the result (the *catalog*) names the same file in every locale,
which is how a target file is matched to its source-locale counterpart.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from locale_guard.tags import LocaleTagError, NormalisedTag, looks_like_tag, normalise_tag

_ANDROID_VALUES = re.compile(r"^values(?:-(?P<lang>[a-z]{2,3})(?:-r(?P<region>[A-Z]{2}))?)?$")
_ANDROID_BCP47 = re.compile(r"^values-b\+(?P<tag>[A-Za-z0-9+]+)$")
#: separators that may glue a locale to a file stem: app_de.arb, messages.de.json, app-de-DE.json
_STEM_SUFFIX = re.compile(r"^(?P<stem>.+?)[._-](?P<tag>[A-Za-z]{2,3}(?:[-_][A-Za-z]{4})?(?:[-_](?:[A-Za-z]{2}|\d{3}))?)$")
#: folder names that look like tags but never are
_NOT_TAGS = {
    "src", "lib", "bin", "doc", "docs", "res", "app", "ui", "db", "js", "ts", "css", "img", "out",
    "tmp", "etc", "var", "usr", "api", "web", "dev", "qa", "ci", "io", "ux", "vm", "os", "hq", "cd",
}

#: skill resource files named after what they mean (no.voc, is_fog.intent): the locale is
#: always the folder's, never the file name's
FOLDER_ONLY_EXTENSIONS = {".dialog", ".intent", ".voc", ".entity", ".rx", ".value", ".list"}

#: directories never descended into
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}


@dataclass(frozen=True)
class PathLocale:
    """What a path says about locale: the tag, how it was spelled, and the catalog pattern."""

    locale: str | None
    catalog: str
    normalised: NormalisedTag | None = None
    #: a tag-shaped path part that is not a valid locale (reported if nothing else names one)
    bad_tag: LocaleTagError | None = None


def _try_tag(text: str) -> tuple[NormalisedTag | None, LocaleTagError | None]:
    if text.lower() in _NOT_TAGS or not looks_like_tag(text):
        return None, None
    try:
        norm = normalise_tag(text)
    except LocaleTagError as exc:
        return None, exc
    lang = text.split("-")[0].split("_")[0]
    if len(lang) == 3 and norm.tag.split("-")[0] != lang.lower():
        # a three-letter word that is only a deprecated alias ("cat" → ca) is a folder name
        return None, None
    return norm, None


def _is_strict_bad_stem(text: str, bad: LocaleTagError | None) -> bool:
    """A stem like ``jp`` or ``xx-YY``: clearly meant as a locale, and wrong."""
    lang = text.replace("_", "-").split("-", 1)[0]
    return bad is not None and len(lang) == 2


def _android_tag(part: str) -> str | None:
    m = _ANDROID_VALUES.match(part)
    if m:
        if not m.group("lang"):
            return ""  # the default "values" folder: the source locale
        return m.group("lang") + (f"-{m.group('region')}" if m.group("region") else "")
    m = _ANDROID_BCP47.match(part)
    if m:
        return m.group("tag").replace("+", "-")
    return None


def locale_from_path(path: Path) -> PathLocale:
    """Find the locale a path names, nearest part first (file stem, then folders)."""
    parts = list(path.parts)
    if not parts:
        return PathLocale(None, str(path))
    name = parts[-1]
    first_bad: LocaleTagError | None = None

    # 1. the file stem itself (de-DE.json, de.po)
    stem, dot, ext = name.partition(".")
    full_ext = f"{dot}{ext}" if dot else ""
    if name.count(".") > 1:  # messages.de.json
        stem_all, _, last_ext = name.rpartition(".")
        full_ext = f".{last_ext}"
        stem = stem_all
    folder_only = full_ext.lower() in FOLDER_ONLY_EXTENSIONS
    norm, bad = (None, None) if folder_only else _try_tag(stem)
    if norm:
        catalog = str(Path(*parts[:-1], "{locale}" + full_ext)) if len(parts) > 1 else "{locale}" + full_ext
        return PathLocale(norm.tag, catalog, norm)
    if _is_strict_bad_stem(stem, bad):
        first_bad = bad  # reported unless a folder names the locale (en-us/intents/is_rain.intent)
    # 2. folders, nearest first
    for i in range(len(parts) - 2, -1, -1):
        part = parts[i]
        android = _android_tag(part)
        if android is not None:
            catalog = str(Path(*parts[:i], "values-{locale}", *parts[i + 1 :]))
            if android == "":
                return PathLocale(None, catalog)
            norm, bad = _try_tag(android)
            if norm:
                return PathLocale(norm.tag, catalog, norm)
            first_bad = first_bad or bad
            continue
        norm, bad = _try_tag(part)
        if first_bad is None and _is_strict_bad_stem(part, bad):
            first_bad = bad  # a folder named jp/ or de-XX/
        if norm:
            catalog = str(Path(*parts[:i], "{locale}", *parts[i + 1 :]))
            return PathLocale(norm.tag, catalog, norm)
    # 3. a locale glued to the file stem, when no folder names one
    m = _STEM_SUFFIX.match(stem) if first_bad is None and not folder_only else None
    if m:
        norm, bad = _try_tag(m.group("tag"))
        if norm:
            sep = stem[len(m.group("stem"))]
            new_name = f"{m.group('stem')}{sep}{{locale}}{full_ext}"
            return PathLocale(norm.tag, str(Path(*parts[:-1], new_name)), norm)

    return PathLocale(None, str(path), None, first_bad)


def catalog_root(catalog: str) -> str:
    """The part of a catalog pattern up to its locale placeholder (groups files of one project)."""
    idx = catalog.find("{locale}")
    return catalog if idx < 0 else catalog[: idx + len("{locale}")]


def walk(paths: list[Path]) -> Iterator[Path | tuple[Path, str]]:
    """Yield files under ``paths`` in a stable order; yields ``(path, message)`` for problems.

    Symlinked directories are followed once: a loop is reported, not walked forever. Only
    regular files are yielded; devices, FIFOs and broken links are reported, never opened.
    """
    for root in paths:
        if not root.exists():
            yield (root, "no such file or directory")
            continue
        if root.is_file():
            yield root
            continue
        if not root.is_dir():
            yield (root, _NOT_REGULAR)
            continue
        seen: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            try:
                st = os.stat(dirpath)
            except OSError as exc:
                yield (Path(dirpath), f"cannot read directory: {exc.strerror}")
                dirnames[:] = []
                continue
            ident = (st.st_dev, st.st_ino)
            if ident in seen:
                yield (Path(dirpath), "symbolic link loop; not followed again")
                dirnames[:] = []
                continue
            seen.add(ident)
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
            for filename in sorted(filenames):
                if filename.startswith("."):
                    continue
                problem = _not_a_file(Path(dirpath) / filename)
                yield (Path(dirpath) / filename, problem) if problem else Path(dirpath) / filename


#: a FIFO blocks the reader forever and /dev/zero never ends: such entries are never opened
_NOT_REGULAR = "not a regular file (a device, FIFO or socket); not read"


def _not_a_file(path: Path) -> str | None:
    """Why ``path`` (found while walking) must not be opened, or None for a regular file."""
    try:
        mode = path.stat().st_mode  # follows symbolic links, like reading would
    except OSError:
        return "broken symbolic link" if path.is_symlink() else "cannot read"
    return None if stat.S_ISREG(mode) else _NOT_REGULAR
