"""Locale profiles: curated files validate and load, derived facts match CLDR, errors are clear."""

from __future__ import annotations

import time
from pathlib import Path

import jsonschema
import pytest
import yaml

from locale_guard.config import parse_config
from locale_guard.profiles import (
    BUILTIN_LOCALES_DIR,
    LOCALES_PATH_ENV,
    TOKENIZERS,
    ProfileError,
    UnknownLocaleError,
    canonical_tag,
    curated_tags,
    derived_profile,
    fallback_chain,
    hour_cycle_of,
    known_tags,
    load_profile,
    profile_schema,
)

#: MASSIVE 1.1's 52 locales as the dataset spells them (see its README)
MASSIVE = ["af-ZA", "am-ET", "ar-SA", "az-AZ", "bn-BD", "ca-ES", "cy-GB", "da-DK", "de-DE", "el-GR", "en-US", "es-ES", "fa-IR", "fi-FI", "fr-FR", "he-IL", "hi-IN", "hu-HU", "hy-AM", "id-ID", "is-IS", "it-IT", "ja-JP", "jv-ID", "ka-GE", "km-KH", "kn-IN", "ko-KR", "lv-LV", "ml-IN", "mn-MN", "ms-MY", "my-MM", "nb-NO", "nl-NL", "pl-PL", "pt-PT", "ro-RO", "ru-RU", "sl-SL", "sq-AL", "sv-SE", "sw-KE", "ta-IN", "te-IN", "th-TH", "tl-PH", "tr-TR", "ur-PK", "vi-VN", "zh-CN", "zh-TW"]
MARKETS = ["en-GB", "en-AU", "en-IN", "en-CA", "fr-CA", "fr-BE", "es-MX", "es-US", "pt-BR", "de-AT", "de-CH", "zh-HK"]


@pytest.fixture(autouse=True)
def _no_user_locales(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LOCALES_PATH_ENV, raising=False)


def _bundled_files() -> list[Path]:
    return sorted(BUILTIN_LOCALES_DIR.glob("*.yaml"))


# ------------------------------------------------------------------ curated files


def test_required_locales_are_curated() -> None:
    assert len(MASSIVE) == 52
    curated = set(curated_tags())
    wanted = {canonical_tag(t) for t in MASSIVE + MARKETS}
    assert "sl-SI" in wanted and "fil-PH" in wanted  # dataset spellings canonicalised
    assert wanted <= curated, sorted(wanted - curated)
    assert len(curated) >= 64


@pytest.mark.parametrize("path", _bundled_files(), ids=lambda p: p.stem)
def test_bundled_file_validates_and_loads(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, profile_schema())
    assert data["tag"] == path.stem
    profile = load_profile(path.stem)
    assert {"register", "register_reason"} <= profile.curated
    assert profile.register in ("formal", "informal", "any")
    assert "\n" not in profile.register_reason and len(profile.register_reason) >= 10


def test_massive_spellings_reach_their_curated_file() -> None:
    assert load_profile("sl-SL").tag == "sl-SI"
    assert load_profile("tl-PH").tag == "fil-PH"
    assert load_profile("sl-SL").curated_from["register"].endswith("sl-SI.yaml")


def test_register_policies() -> None:
    assert load_profile("de-DE").register == "formal"
    assert load_profile("fr-FR").register == "formal"
    assert load_profile("ja-JP").register == "formal"
    assert load_profile("es-ES").register == "informal"
    assert load_profile("nl-NL").register == "informal"
    assert load_profile("en-GB").register == "any"


# ------------------------------------------------------------------ derived facts


def test_de_de_facts() -> None:
    p = load_profile("de-DE")
    assert (p.language, p.script, p.region) == ("de", "Latn", "DE")
    assert p.scripts == ("Latn",)
    assert (p.measurement, p.hour_cycle, p.first_day, p.currency) == ("metric", "h23", 0, "EUR")
    assert (p.holidays_country, p.holidays_subdiv) == ("DE", None)
    assert p.fallback == ("de-DE", "de", "und")
    assert p.tokenizer == "spacy" and p.tokenizer_lang == "de"
    assert p.plural_categories == ("one", "other")
    assert p.field_source("register") == "curated" and p.field_source("currency") == "derived"


def test_en_us_facts() -> None:
    p = load_profile("en-US")
    assert (p.measurement, p.hour_cycle, p.first_day, p.currency) == ("US", "h12", 6, "USD")
    assert p.holidays_country == "US"


def test_other_markets() -> None:
    assert load_profile("en-GB").measurement == "UK"
    assert load_profile("ja-JP").tokenizer == "sudachi"
    assert load_profile("ja-JP").scripts == ("Hani", "Hira", "Kana")
    assert load_profile("zh-CN").tokenizer == "jieba"
    assert load_profile("th-TH").tokenizer == "pythainlp"
    assert load_profile("ko-KR").tokenizer == "kiwi"
    assert load_profile("ko-KR").scripts == ("Hang",)  # curated: Hangul only
    assert load_profile("km-KH").tokenizer == "syllable"
    assert load_profile("vi-VN").tokenizer == "regex"
    assert load_profile("nb-NO").tokenizer_lang == "nb" and load_profile("no").tokenizer_lang == "nb"
    assert load_profile("fil-PH").tokenizer_lang == "tl"
    assert load_profile("ru-RU").scripts == ("Cyrl",)
    assert load_profile("sr-Latn").scripts == ("Latn",)
    assert load_profile("fa-IR").first_day == 5  # Saturday
    ar = load_profile("ar-SA")
    assert ar.text_direction == "rtl" and ar.scripts == ("Arab",) and ar.currency == "SAR"
    assert load_profile("pl-PL").plural_categories == ("one", "few", "many", "other")


def test_curated_holiday_subdivisions() -> None:
    assert (load_profile("ca-ES").holidays_country, load_profile("ca-ES").holidays_subdiv) == ("ES", "CT")
    assert load_profile("fr-CA").holidays_subdiv == "QC"
    assert load_profile("fr-CA").field_source("holidays_subdiv") == "curated"


def test_fallback_chains() -> None:
    assert fallback_chain("de-AT") == ("de-AT", "de", "und")
    assert fallback_chain("zh-HK") == ("zh-HK", "zh-Hant", "zh", "und")
    assert fallback_chain("en-AU") == ("en-AU", "en-001", "en", "und")
    assert fallback_chain("es-US") == ("es-US", "es-419", "es", "und")
    assert fallback_chain("nb-NO") == ("nb-NO", "nb", "no", "und")
    assert fallback_chain("en-US-POSIX") == ("en-US-POSIX", "en-US", "en", "und")


def test_tokenizer_names_are_the_segmenters_names() -> None:
    segmenters = pytest.importorskip("locale_guard.text.segmenters")
    assert set(TOKENIZERS) == set(segmenters.SEGMENTER_NAMES)
    assert profile_schema()["properties"]["tokenizer"]["enum"] == list(TOKENIZERS)
    assert {load_profile(t).tokenizer for t in known_tags()} <= set(TOKENIZERS)


@pytest.mark.parametrize(
    ("pattern", "cycle"), [("h:mm a", "h12"), ("HH:mm", "h23"), ("HH 'h' mm", "h23"), ("Bh:mm", "h12"), ("K:mm a", "h11")]
)
def test_hour_cycle_from_pattern(pattern: str, cycle: str) -> None:
    assert hour_cycle_of(pattern) == cycle


def test_uncurated_locales_are_derived() -> None:
    for tag, currency in (("sw-TZ", "TZS"), ("qu-PE", "PEN")):
        p = load_profile(tag)
        assert p.currency == currency and p.curated == frozenset()
        assert p.register == "any" and p.holidays_country == tag[-2:]
    # a language/region pair CLDR has no locale for still gets the region's facts
    p = load_profile("de-US")
    assert (p.measurement, p.first_day, p.currency) == ("US", 6, "USD")


def test_every_babel_locale_loads_quickly() -> None:
    tags = known_tags()
    assert len(tags) >= 1000
    start = time.perf_counter()
    profiles = [load_profile(t) for t in tags]
    elapsed = time.perf_counter() - start
    assert all(p.plural_categories and p.fallback[-1] == "und" for p in profiles)
    assert elapsed < 300, f"{len(tags)} profiles took {elapsed:.1f}s"  # a hang guard, not a benchmark


# ------------------------------------------------------------------ bad input


def test_unknown_tag_raises_with_suggestion() -> None:
    with pytest.raises(UnknownLocaleError, match="xx"):
        load_profile("xx-YY")
    with pytest.raises(UnknownLocaleError) as info:
        load_profile("jp")
    assert info.value.suggestion == "ja"


def test_config_register_wins() -> None:
    config = parse_config({"locales": {"de-DE": {"register": "informal"}}})
    p = load_profile("de-DE", config)
    assert p.register == "informal" and p.field_source("register") == "config"


def _user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> Path:
    folder = tmp_path / "team-locales"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv(LOCALES_PATH_ENV, str(folder))
    return folder


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tag: de-DE\nregister: formel\nregister_reason: because we say so\n", r"de-DE\.yaml:2: field 'register': 'formel' is not one of"),
        ("tag: de-DE\nregster: formal\n", r"de-DE\.yaml:2: unknown field\(s\) regster"),
        ("tag: de-DE\nregister: formal\n", r"de-DE\.yaml:2: field 'register_reason' is required when 'register' is set"),
        ("tag: de-DE\nfirst_day: 7\n", r"de-DE\.yaml:2: field 'first_day': 7 is greater than"),
        ("tag: de-DE\nscripts: [Latn, Zzzq]\n", r"field 'scripts': 'Zzzq' is not an ISO 15924"),
        ("tag: de-DE\nholidays_subdiv: XX\n", r"field 'holidays_subdiv': 'XX' is not a subdivision of DE"),
        ("tag: de-DE\nholidays_country: QQ\n", r"no calendar for 'QQ'"),
        ("tag: de-AT\n", r"does not match the file name"),
        ("tag: [de-DE\n", r"de-DE\.yaml:\d+: invalid YAML"),
        ("- tag\n", r"is a YAML mapping"),
        ("", r"is a YAML mapping"),
        ("register: any\nregister_reason: no pair of pronouns\n", r"'tag' is required"),
        ("a: &a [x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
         "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n", r"alias"),
    ],
)
def test_broken_profile_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str) -> None:
    _user_dir(tmp_path, monkeypatch, {"de-DE.yaml": text})
    with pytest.raises(ProfileError, match=expected) as info:
        load_profile("de-DE")
    assert "\n" not in str(info.value)


def test_misnamed_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _user_dir(tmp_path, monkeypatch, {"de_DE.yaml": "tag: de_DE\n"})
    with pytest.raises(ProfileError, match=r"de_DE\.yaml:1: field 'tag'"):
        load_profile("de-DE")


def test_user_folder_overrides_and_inherits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _user_dir(
        tmp_path,
        monkeypatch,
        {
            "de.yaml": "tag: de\nregister: informal\nregister_reason: our brand says du to everyone\nnotes: shared\n",
            "de-CH.yaml": "tag: de-CH\nregister: formal\nregister_reason: Swiss customers expect Sie from us\n",
            "zh.yaml": "tag: zh\nregister: informal\nregister_reason: mainland consumer apps say 你\n",
        },
    )
    at = load_profile("de-AT")  # de.yaml (team folder) first, then the bundled de-AT.yaml over it
    assert at.register == "formal" and at.extra["notes"] == "shared"
    assert at.curated_from["extra"] == str(folder / "de.yaml")
    assert load_profile("de-CH").register_reason == "Swiss customers expect Sie from us"
    lu = load_profile("de-LU")  # no file of its own: de.yaml applies
    assert lu.register == "informal" and lu.field_source("register") == "curated"
    assert load_profile("zh-SG").register == "informal"  # Simplified, like zh.yaml
    assert "register" not in load_profile("zh-MO").curated  # Traditional: zh.yaml does not apply


def test_new_file_is_seen_without_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _user_dir(tmp_path, monkeypatch, {})
    assert load_profile("sw-TZ").curated == frozenset()
    (folder / "sw-TZ.yaml").write_text("tag: sw-TZ\nholidays_subdiv: null\ntokenizer: spacy\n")
    p = load_profile("sw-TZ")
    assert p.tokenizer == "spacy" and p.curated == {"holidays_subdiv", "tokenizer"}
    assert derived_profile("sw-TZ").tokenizer == "regex"
