"""Locale profiles: what a market expects, derived from CLDR (Babel) and ``holidays``.

Every locale Babel knows gets a profile at run time (:func:`derived_profile`). Curated
``locales/<tag>.yaml`` files hold only what a linguist or market owner decides or corrects (the
register a brand speaks in and why, a holiday subdivision, the scripts a text may use); they are
validated against ``schemas/profile.schema.json`` and laid over the derived facts. Configuration
(``[locales."TAG"] register = ...``) wins over both. :attr:`LocaleProfile.curated` says which
fields did not come from CLDR, so ``locale-guard locales show`` can mark them.

Where facts come from:

* script, region: the tag, else CLDR likely subtags (``ja`` → ``Jpan``/``JP``). A tag without a
  region uses its likely region for the market facts below (``de`` → ``DE``).
* scripts: the Unicode scripts (ISO 15924) of the locale's script, compound codes expanded
  (``Jpan`` → Hani, Hira, Kana); Common and Inherited characters are always allowed.
* measurement: CLDR ``measurementData`` (see :data:`MEASUREMENT_SYSTEMS`; Babel lacks it).
* hour_cycle: the letter of CLDR's short time pattern (``h:mm a`` → h12, ``HH:mm`` → h23).
* first_day: CLDR week data of the region (0 = Monday … 6 = Sunday), through Babel.
* currency: Babel's ``get_territory_currencies(region)[0]``.
* holidays_country: the region when the ``holidays`` package has a calendar for it.
* tokenizer: a name from ``locale_guard.text.segmenters.SEGMENTER_NAMES``: a dedicated
  segmenter for ja/zh/yue/th/ko, spaCy where it has the language, the syllable cutter for
  Burmese and Khmer, and the Unicode word regex otherwise (Lao, Tibetan, Welsh, Swahili...).
* fallback: the tag, its CLDR parents (``en-AU`` → ``en-001``), the bare language, ``und``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from locale_guard.readers.base import InputError
from locale_guard.tags import LocaleTagError, normalise_tag

if TYPE_CHECKING:
    from babel import Locale

    from locale_guard.config import Config

#: environment variable naming extra folders of curated profiles (``os.pathsep``-separated);
#: they are searched before the folders from configuration and the bundled ``locales/``
LOCALES_PATH_ENV = "LOCALE_GUARD_LOCALES_PATH"

_PACKAGE_DIR = Path(__file__).resolve().parent
#: the folder of curated profiles that ships with locale-guard: inside the package when a wheel
#: bundles it there, else the repository's top-level ``locales/`` (source checkouts, editable
#: installs)
BUILTIN_LOCALES_DIR = (
    _PACKAGE_DIR / "locales" if (_PACKAGE_DIR / "locales").is_dir() else _PACKAGE_DIR.parent / "locales"
)

SCHEMA_PATH = _PACKAGE_DIR / "schemas" / "profile.schema.json"

#: curated files are a few hundred bytes; anything near this is not a profile
MAX_PROFILE_BYTES = 256 * 1024

REGISTERS = ("formal", "informal", "any")
#: segmenter names, as ``locale_guard.text.segmenters`` implements them
TOKENIZERS = ("spacy", "sudachi", "jieba", "pythainlp", "kiwi", "syllable", "regex")

#: CLDR supplementalData ``measurementData`` (CLDR 46/47): the US and UK systems by region, metric
#: everywhere else. Babel ships only the *names* of the systems, not this table.
MEASUREMENT_SYSTEMS: dict[str, str] = {"US": "US", "LR": "US", "GB": "UK"}

#: languages with a dedicated word segmenter (spaCy's own pipelines for them need the same
#: libraries, or MeCab for Korean, so the segmenter is named directly)
SEGMENTERS: dict[str, str] = {"ja": "sudachi", "zh": "jieba", "yue": "jieba", "th": "pythainlp", "ko": "kiwi"}

#: scripts written without spaces that the syllable segmenter knows how to cut
SYLLABLE_SCRIPTS = frozenset({"Mymr", "Khmr"})

#: spaCy languages whose blank pipeline needs a package we do not depend on (pyvi for
#: Vietnamese); the word regex splits Vietnamese into syllables, which is what word lists match
SPACY_NEEDS_EXTRA = frozenset({"vi"})

DERIVED_REASON = "no curated policy for this locale; derived profiles accept either register"


class UnknownLocaleError(ValueError):
    """A tag Babel has no data for (neither the tag nor its language)."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


class ProfileError(InputError):
    """A curated profile file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class LocaleProfile:
    tag: str
    language: str
    script: str | None
    region: str | None
    #: CLDR plural categories for cardinals, e.g. ("one", "few", "many", "other") for pl
    plural_categories: tuple[str, ...]
    text_direction: str = "ltr"
    fallback: tuple[str, ...] = ()
    register: str = "any"
    register_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: which fields came from a curated file (or configuration) rather than from CLDR
    curated: frozenset[str] = frozenset()
    #: English display name, e.g. "German (Austria)"
    name: str = ""
    #: Unicode scripts (ISO 15924) the locale's words are written in; Common/Inherited implied
    scripts: tuple[str, ...] = ()
    #: country and subdivision codes of the ``holidays`` package; None when it has none
    holidays_country: str | None = None
    holidays_subdiv: str | None = None
    #: "metric", "US" or "UK"
    measurement: str = "metric"
    #: "h12" (1–12, a.m./p.m.) or "h23" (0–23); h11/h24 where CLDR says so
    hour_cycle: str = "h23"
    #: first day of the week, 0 = Monday … 6 = Sunday (Python's weekday numbering)
    first_day: int = 0
    #: ISO 4217 code of the region's currency, None for regions without one (001, AQ)
    currency: str | None = None
    #: how to split text into words: one of :data:`TOKENIZERS`
    tokenizer: str = "regex"
    #: the language code to hand the tokenizer (spaCy's ``tl`` for CLDR's ``fil``)
    tokenizer_lang: str | None = None
    #: curated field → where it came from (a profile file path, or "configuration")
    curated_from: dict[str, str] = field(default_factory=dict)

    def field_source(self, name: str) -> str:
        """``"curated"``, ``"config"`` or ``"derived"`` for a field, for ``locales show``."""
        origin = self.curated_from.get(name)
        if origin == "configuration":
            return "config"
        return "curated" if name in self.curated else "derived"

    def as_dict(self) -> dict[str, Any]:
        """The profile's facts as plain JSON-able values (no bookkeeping fields)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("curated", "curated_from"):
                continue
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


#: fields a curated file may set, in the order ``locales show`` and scaffolds list them
CURATED_FIELDS = (
    "scripts", "register", "register_reason", "holidays_country", "holidays_subdiv",
    "measurement", "hour_cycle", "first_day", "currency", "fallback", "tokenizer",
)
#: free-form keys of a curated file that land in :attr:`LocaleProfile.extra`
EXTRA_KEYS = ("observances", "sensitive", "notes")


# ------------------------------------------------------------------------------ tags


@lru_cache(maxsize=1)
def _babel_ids() -> dict[str, str]:
    """Babel locale identifiers keyed by their lower-case hyphenated spelling."""
    from babel.localedata import locale_identifiers

    return {ident.replace("_", "-").lower(): ident for ident in locale_identifiers()}


def canonical_tag(tag: str) -> str:
    """The canonical spelling of ``tag``, or :class:`UnknownLocaleError` with a suggestion.

    Babel knows a few languages CLDR gives no English name (``skr``, ``apc``); the tag module
    rejects those, so they are accepted here when Babel has locale data for them.
    """
    try:
        return normalise_tag(tag).tag
    except LocaleTagError as exc:
        ident = _babel_ids().get(tag.strip().replace("_", "-").lower())
        if ident is None:
            raise UnknownLocaleError(str(exc), exc.suggestion) from None
        return ident.replace("_", "-")


_PARTS = re.compile(r"^(?P<lang>[a-z]{2,3})(?:-(?P<script>[A-Z][a-z]{3}))?(?:-(?P<region>[A-Z]{2}|\d{3}))?(?:-|$)")


def split_tag(tag: str) -> tuple[str, str | None, str | None]:
    """Language, explicit script and explicit region of a canonical tag."""
    m = _PARTS.match(tag)
    if not m:
        return tag.split("-", 1)[0], None, None
    return m.group("lang"), m.group("script"), m.group("region")


# ---------------------------------------------------------------------- CLDR lookups


@lru_cache(maxsize=1)
def _english() -> Locale:
    from babel import Locale

    return Locale.parse("en")


def _likely(lang: str, script: str | None, region: str | None) -> tuple[str | None, str | None]:
    """CLDR's likely (script, region) for a partial tag."""
    from babel.core import get_global

    table = get_global("likely_subtags")
    keys = [k for k in (
        f"{lang}_{script}_{region}" if script and region else None,
        f"{lang}_{region}" if region else None,
        f"{lang}_{script}" if script else None,
        lang,
    ) if k]
    for key in keys:
        value = table.get(key)
        if value:
            parts = value.split("_")[1:]
            found_script = next((p for p in parts if len(p) == 4), None)
            found_region = next((p for p in parts if len(p) in (2, 3) and not p.istitle()), None)
            return found_script, found_region
    return None, None


def _babel_locale(lang: str, script: str | None, region: str | None) -> Locale | None:
    """The most specific Babel locale for the tag's parts (language alone as a last resort).

    ``Locale.parse`` is tried first because it resolves CLDR aliases: ``zh_HK`` is
    ``zh_Hant_HK``, whose time format differs from ``zh``'s.
    """
    from babel import Locale
    from babel import UnknownLocaleError as BabelUnknown
    from babel.localedata import exists

    try:
        return Locale.parse("_".join(p for p in (lang, script, region) if p))
    except (BabelUnknown, ValueError):
        pass
    candidates = [f"{lang}_{script}" if script else None, lang]
    for ident in candidates:
        if ident and exists(ident):
            return Locale.parse(ident)
    return None


@lru_cache(maxsize=1)
def _territory_locales() -> dict[str, str]:
    """One Babel locale per region, for data CLDR keys by region only (week data)."""
    from babel.localedata import locale_identifiers

    out: dict[str, str] = {}
    for ident in sorted(locale_identifiers()):
        for part in ident.split("_")[1:]:
            if (len(part) == 2 and part.isupper()) or (len(part) == 3 and part.isdigit()):
                out.setdefault(part, ident)
    return out


def _first_day(region: str | None, fallback: Locale) -> int:
    from babel import Locale

    ident = _territory_locales().get(region or "")
    return Locale.parse(ident).first_week_day if ident else fallback.first_week_day


def hour_cycle_of(pattern: str) -> str:
    """CLDR hour cycle of a time pattern; quoted literals such as ``'h'`` are skipped."""
    unquoted = re.sub(r"'[^']*'", "", pattern)
    for letter in unquoted:
        if letter in "hHkK":
            return {"h": "h12", "H": "h23", "K": "h11", "k": "h24"}[letter]
    return "h23"


@lru_cache(maxsize=1)
def holiday_calendars() -> dict[str, tuple[str, ...]]:
    """Countries (and their subdivisions) the ``holidays`` package has calendars for."""
    import holidays

    return {c: tuple(s) for c, s in holidays.list_supported_countries().items()}


@lru_cache(maxsize=1)
def _spacy_languages() -> frozenset[str]:
    """Language codes of spaCy's ``spacy.lang`` packages, without importing spaCy (seconds)."""
    import importlib.util
    import pkgutil

    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    folders = [str(Path(p) / "lang") for p in spec.submodule_search_locations]
    return frozenset(m.name for m in pkgutil.iter_modules(folders) if m.ispkg and m.name != "xx")


def _tokenizer(lang: str, scripts: Iterable[str]) -> tuple[str, str | None]:
    """Segmenter name and the language code to hand it (spaCy spells CLDR's fil as tl)."""
    from babel.core import get_global

    if lang in SEGMENTERS:
        return SEGMENTERS[lang], lang
    if any(s in SYLLABLE_SCRIPTS for s in scripts):
        return "syllable", lang
    if lang not in SPACY_NEEDS_EXTRA:
        if lang in _spacy_languages():
            return "spacy", lang
        # a deprecated code spaCy still uses (tl for fil), or a CLDR child (nb for no)
        related = [old for old, new in get_global("language_aliases").items() if new == lang]
        related += [child for child, parent in get_global("parent_exceptions").items() if parent == lang]
        for code in sorted(related):
            if code in _spacy_languages():
                return "spacy", code
    return "regex", lang


def _display_name(lang: str, script: str | None, region: str | None, rest: str) -> str:
    en = _english()
    name = en.languages.get(lang, lang)
    details = [d for d in (
        en.scripts.get(script, script) if script else None,
        en.territories.get(region, region) if region else None,
        rest or None,
    ) if d]
    return f"{name} ({', '.join(details)})" if details else name


def _parents(ident: str) -> list[str]:
    """CLDR parent locales of a Babel identifier, most specific first (root excluded)."""
    from babel.core import get_global

    exceptions = get_global("parent_exceptions")
    out: list[str] = []
    current = ident
    while True:
        parent = exceptions.get(current)
        if parent is None:
            parts = current.split("_")
            parent = "_".join(parts[:-1]) if len(parts) > 1 else "root"
        if parent == "root" or parent in out:
            return out
        out.append(parent)
        current = parent


def fallback_chain(tag: str) -> tuple[str, ...]:
    """``de-AT`` → de → und; ``zh-HK`` → zh-Hant → zh → und; ``en-AU`` → en-001 → en → und."""
    if tag == "und":
        return ("und",)
    lang, script, region = split_tag(tag)
    base = "-".join(p for p in (lang, script, region) if p)
    chain = [tag]
    if base != tag:
        chain.append(base)  # variants: en-US-POSIX → en-US
    likely_script, _ = _likely(lang, None, None)
    own_script = script or _likely(lang, None, region)[0]
    ident = "_".join(
        p for p in (lang, own_script if own_script != likely_script else None, region) if p
    )
    # zh-HK is written zh_Hant_HK in CLDR, whose parent is zh_Hant; de-AT's parent is de
    chain.extend(p.replace("_", "-") for p in _parents(ident) if p.replace("_", "-") not in chain)
    if lang not in chain:
        chain.append(lang)
    chain.append("und")
    return tuple(dict.fromkeys(chain))


# ------------------------------------------------------------------------- derivation


@lru_cache(maxsize=2048)
def derived_profile(tag: str) -> LocaleProfile:
    """The profile of a canonical tag from CLDR and ``holidays`` alone (no curated files)."""
    import babel.numbers

    from locale_guard.scripts import expand

    if tag == "und":
        from babel import Locale

        root = Locale.parse("root")
        return LocaleProfile(
            tag="und", language="und", script=None, region=None, plural_categories=("other",),
            fallback=("und",), register_reason=DERIVED_REASON, name="Unknown language",
            hour_cycle=hour_cycle_of(root.time_formats["short"].pattern), first_day=root.first_week_day,
        )
    lang, script, region = split_tag(tag)
    loc = _babel_locale(lang, script, region)
    if loc is None:
        raise UnknownLocaleError(f"no CLDR data for locale '{tag}' (nor for its language '{lang}')")
    likely_script, likely_region = _likely(lang, script, region)
    own_script = script or loc.script or likely_script
    market = region or likely_region
    scripts = expand([own_script]) if own_script else ()
    order = ["zero", "one", "two", "few", "many", "other"]
    plurals = tuple(sorted(loc.plural_form.tags | {"other"}, key=order.index))
    currencies = babel.numbers.get_territory_currencies(market) if market else []
    tokenizer, tokenizer_lang = _tokenizer(lang, scripts)
    rest = tag[len("-".join(p for p in (lang, script, region) if p)):].lstrip("-")
    return LocaleProfile(
        tag=tag,
        language=lang,
        script=own_script,
        region=region or loc.territory,
        plural_categories=plurals,
        text_direction=loc.text_direction,
        fallback=fallback_chain(tag),
        register="any",
        register_reason=DERIVED_REASON,
        name=_display_name(lang, script, region, rest),
        scripts=scripts,
        holidays_country=market if market in holiday_calendars() else None,
        holidays_subdiv=None,
        measurement=MEASUREMENT_SYSTEMS.get(market or "", "metric"),
        hour_cycle=hour_cycle_of(loc.time_formats["short"].pattern),
        first_day=_first_day(market, loc),
        currency=currencies[0] if currencies else None,
        tokenizer=tokenizer,
        tokenizer_lang=tokenizer_lang,
    )


# -------------------------------------------------------------------- curated files


def locales_dirs(config: Config | None = None) -> tuple[Path, ...]:
    """Folders of curated profiles, first match wins: env var, configuration, bundled."""
    dirs: list[Path] = [Path(p) for p in os.environ.get(LOCALES_PATH_ENV, "").split(os.pathsep) if p]
    dirs.extend(Path(p) for p in getattr(config, "locales_paths", ()) or ())
    dirs.append(BUILTIN_LOCALES_DIR)
    return tuple(dict.fromkeys(dirs))


def curated_files(dirs: Iterable[Path]) -> dict[str, Path]:
    """File stem → profile file over ``dirs`` (``.yaml`` or ``.yml``; earlier folders win)."""
    found: dict[str, Path] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in (".yaml", ".yml") and path.is_file():
                found.setdefault(path.stem, path)
    return found


def _index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Canonical tag → file; misspelt file names are kept under their own stem (and fail).

    Cached on the folders' modification times, which change when a file is added, removed or
    renamed, so ``locales list --all`` lists each folder once rather than once per locale.
    """
    stamps = []
    for folder in dirs:
        try:
            stamps.append(folder.stat().st_mtime_ns)
        except OSError:
            stamps.append(None)
    return _index_cached(dirs, tuple(stamps))


@lru_cache(maxsize=16)
def _index_cached(dirs: tuple[Path, ...], stamps: tuple[int | None, ...]) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for stem, path in curated_files(dirs).items():
        try:
            key = canonical_tag(stem)
        except UnknownLocaleError:
            key = stem
        out.setdefault(key, path)
    return out


@lru_cache(maxsize=1)
def profile_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(profile_schema())


def _schema_message(error: Any) -> tuple[str | None, str]:
    """(top-level field, readable message) of a jsonschema error."""
    where = list(error.absolute_path)
    key = str(where[0]) if where else None
    if error.validator == "additionalProperties":
        known = ", ".join(profile_schema()["properties"])
        extra = sorted(set(error.instance) - set(profile_schema()["properties"]))
        return (extra[0] if extra else None), f"unknown field(s) {', '.join(extra)}; known: {known}"
    if error.validator == "dependentRequired":
        for present, needed in error.validator_value.items():
            missing = [n for n in needed if present in error.instance and n not in error.instance]
            if missing:
                return present, f"field '{missing[0]}' is required when '{present}' is set"
    if error.validator == "required":
        return key, error.message.replace("is a required property", "is required")
    place = key + "".join(f"[{p}]" for p in where[1:]) if key else "document"
    return key, f"field '{place}': {error.message}"


def _key_lines(node: Any) -> dict[str, int]:
    from yaml.nodes import MappingNode, ScalarNode

    if not isinstance(node, MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, ScalarNode)}


@lru_cache(maxsize=512)
def _read_profile_file(path_str: str, mtime_ns: int, size: int) -> dict[str, Any]:
    """Parse, schema-check and cross-check one curated file (cached per file version)."""
    import yaml

    from locale_guard.readers._yaml_safe import compose
    from locale_guard.readers.base import read_text

    path = Path(path_str)
    try:
        text = read_text(path, MAX_PROFILE_BYTES)
        node = compose(path, text)
        data = yaml.constructor.SafeConstructor().construct_document(node) if node is not None else None
    except InputError as exc:
        raise ProfileError(exc.path, exc.message, line=exc.line) from None
    except yaml.YAMLError as exc:
        raise ProfileError(path, f"invalid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise ProfileError(path, "a locale profile is a YAML mapping (tag: de-DE, register: formal, ...)")
    lines = _key_lines(node)
    errors = sorted(_validator().iter_errors(data), key=lambda e: (list(e.absolute_path), e.message))
    if errors:
        from jsonschema.exceptions import best_match

        key, message = _schema_message(best_match(errors))
        raise ProfileError(path, message, line=lines.get(key or ""))
    _cross_check(path, data, lines)
    return data


def _cross_check(path: Path, data: dict[str, Any], lines: dict[str, int]) -> None:
    """What a schema cannot know: CLDR tags, scripts, currencies, holiday calendars."""
    import babel.numbers

    def fail(key: str, message: str) -> NoReturn:
        raise ProfileError(path, f"field '{key}': {message}", line=lines.get(key))

    tag = data["tag"]
    try:
        canonical = canonical_tag(tag)
    except UnknownLocaleError as exc:
        fail("tag", str(exc))
    if canonical != tag:
        fail("tag", f"'{tag}' is not canonical; write '{canonical}' (and name the file {canonical}.yaml)")
    if path.stem != tag:
        fail("tag", f"'{tag}' does not match the file name; rename the file to {tag}{path.suffix}")
    try:
        derived = derived_profile(tag)
    except UnknownLocaleError as exc:
        fail("tag", str(exc))
    known_scripts = set(_english().scripts)
    for code in data.get("scripts", ()):
        if code not in known_scripts:
            fail("scripts", f"'{code}' is not an ISO 15924 script code CLDR knows")
    currency = data.get("currency")
    if currency and currency not in babel.numbers.list_currencies():
        fail("currency", f"'{currency}' is not an ISO 4217 currency CLDR knows")
    calendars = holiday_calendars()
    country = data.get("holidays_country", derived.holidays_country)
    if "holidays_country" in data and country is not None and country not in calendars:
        fail("holidays_country", f"the holidays package has no calendar for '{country}'")
    subdiv = data.get("holidays_subdiv")
    if subdiv is not None:
        if country is None:
            fail("holidays_subdiv", "needs a holidays_country (none is set or derived)")
        if subdiv not in calendars[country]:
            choices = ", ".join(calendars[country]) or "none"
            fail("holidays_subdiv", f"'{subdiv}' is not a subdivision of {country} in the holidays package (known: {choices})")
    for item in data.get("fallback", ()):
        try:
            canonical_tag(item)
        except UnknownLocaleError as exc:
            fail("fallback", str(exc))


def read_profile_file(path: Path) -> dict[str, Any]:
    """A curated profile file as a validated mapping, or :class:`ProfileError`."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise ProfileError(path, f"cannot read: {exc.strerror or exc}") from None
    return _read_profile_file(str(path), stat.st_mtime_ns, stat.st_size)


def _inherits_from(tag: str, ancestor: str) -> bool:
    """Curated files pass down a chain only within one language and one script.

    ``zh.yaml`` is written for Simplified Chinese and must not reach ``zh-HK``; ``no.yaml`` does
    reach ``nb-NO`` because CLDR makes ``no`` the parent of ``nb``.
    """
    from babel.core import get_global

    if ancestor == "und" or ancestor == tag:
        return ancestor == tag
    lang = split_tag(tag)[0]
    anc_lang = split_tag(ancestor)[0]
    if anc_lang not in (lang, get_global("parent_exceptions").get(lang)):
        return False
    try:
        return derived_profile(ancestor).script == derived_profile(tag).script
    except UnknownLocaleError:
        return False


def _apply(profile: LocaleProfile, data: Mapping[str, Any], origin: str) -> LocaleProfile:
    """Lay one curated file over a profile."""
    from locale_guard.scripts import expand

    changes: dict[str, Any] = {}
    for key in CURATED_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key == "scripts":
            value = expand(value)
        elif key == "fallback":
            value = tuple(dict.fromkeys([profile.tag, *(canonical_tag(t) for t in value), "und"]))
        changes[key] = value
    extra = dict(profile.extra)
    extra.update(data.get("extra", {}))
    extra.update({k: data[k] for k in EXTRA_KEYS if k in data})
    if extra != profile.extra:
        changes["extra"] = extra
    touched = set(changes) | ({"extra"} if any(k in data for k in (*EXTRA_KEYS, "extra")) else set())
    return replace(
        profile,
        **changes,
        curated=profile.curated | touched,
        curated_from={**profile.curated_from, **dict.fromkeys(touched, origin)},
    )


def curated_tags(config: Config | None = None) -> list[str]:
    """Tags with a curated file in any profile folder, sorted; misnamed files fail loudly."""
    return sorted(read_profile_file(path)["tag"] for path in _index(locales_dirs(config)).values())


def load_profile(tag: str, config: Config | None = None) -> LocaleProfile:
    """The profile of ``tag``: CLDR facts, curated files along its fallback chain, then config.

    Raises :class:`UnknownLocaleError` for tags that are not locales (with a suggestion when one
    is likely) and :class:`ProfileError` for a curated file that is broken.
    """
    canonical = canonical_tag(tag)
    profile = derived_profile(canonical)
    index = _index(locales_dirs(config))
    for ancestor in reversed(profile.fallback):
        path = index.get(ancestor)
        if path is not None and _inherits_from(canonical, ancestor):
            profile = _apply(profile, read_profile_file(path), str(path))
    if config is not None:
        register = config.locale_setting(canonical, "register")
        if register:
            profile = replace(
                profile,
                register=register,
                register_reason="set in configuration",
                curated=profile.curated | {"register", "register_reason"},
                curated_from={**profile.curated_from, "register": "configuration", "register_reason": "configuration"},
            )
    return profile


def known_tags() -> list[str]:
    """Every locale Babel has data for, as canonical tags (1,082 with Babel 2.18)."""
    return sorted({canonical_tag(ident) for ident in _babel_ids().values()})
