"""Inheritance along the fallback chain (de-AT → de → und), disable, override, inherit: false,
extends, and user pack folders layered over earlier ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pack_helpers import DATA, context, records, write_pack

from locale_guard.config import Config
from locale_guard.packs import PackError, PackSet, effective_rules, fallback_chain, match_records, pack_roots


def ids(locale: str, *roots: Path, check: str = "offensive") -> list[str]:
    return [e.rule.id.split("/", 1)[1] for e in PackSet.load(roots).effective(locale, check)]


def test_fallback_chain_comes_from_profiles() -> None:
    assert fallback_chain("de-AT") == ("de-AT", "de", "und")
    assert fallback_chain("de") == ("de", "und")
    assert fallback_chain("und") == ("und",)


def test_de_at_gets_und_de_and_its_own_rules() -> None:
    assert ids("de-AT", DATA) == [
        "placeholder-text",
        "todo-marker",
        "weather",
        "greeting",
        "email-spelling",
        "is-nice",
        "responses-only",
        "overridden",
        "month-name",
    ]


def test_de_de_has_no_austrian_rules_and_keeps_the_und_rule() -> None:
    found = ids("de-DE", DATA)
    assert "month-name" not in found
    assert "inherited-then-disabled" in found


def test_override_replaces_the_inherited_rule_and_names_its_pack() -> None:
    at = {e.rule.id: e for e in PackSet.load((DATA,)).effective("de-AT", "offensive")}
    de = {e.rule.id: e for e in PackSet.load((DATA,)).effective("de-DE", "offensive")}
    assert at["offensive/overridden"].rule.severity == "warning"
    assert at["offensive/overridden"].via == "de-AT"
    assert at["offensive/overridden"].rule.source == DATA / "de-AT" / "offensive.yaml"
    assert de["offensive/overridden"].rule.severity == "info"
    assert de["offensive/overridden"].via == "de"


def test_disable_and_override_change_matches() -> None:
    ctx = context(DATA)
    recs = records(
        [
            {"text": "Sahne und zebra", "locale": "de-AT", "kind": "response"},
            {"text": "Sahne und zebra", "locale": "de-DE", "kind": "response"},
        ]
    )
    found = match_records(recs, ctx, "offensive").sort("record_id", "start")
    at = found.filter(found["record_id"] == recs["record_id"][0])
    de = found.filter(found["record_id"] == recs["record_id"][1])
    assert at["rule"].to_list() == ["offensive/overridden"]
    assert at["message"].to_list() == ["In Österreich sagt man Obers statt Sahne"]
    assert de["rule"].to_list() == ["offensive/overridden", "offensive/inherited-then-disabled"]


def test_inherit_false_starts_from_nothing(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "de-CH",
        "offensive",
        """
        version: "1"
        language: de-CH
        check: offensive
        inherit: false
        rules:
          - id: only-swiss
            kind: lexicon
            severity: info
            message: "x"
            terms: [Velo]
            examples: {match: [Velo]}
        """,
    )
    assert ids("de-CH", DATA, tmp_path) == ["only-swiss"]


def test_extends_adds_another_locale_as_parent(tmp_path: Path) -> None:
    # Liechtenstein writes like Switzerland (no ß), but CLDR's chain is de-LI → de → und
    assert fallback_chain("de-LI") == ("de-LI", "de", "und")
    for tag, word in (("de-CH", "Strasse"), ("de", "Straße")):
        write_pack(
            tmp_path,
            tag,
            "offensive",
            f"""
            version: "1"
            language: {tag}
            check: offensive
            rules:
              - id: {tag.lower()}-word
                kind: lexicon
                severity: info
                message: "x"
                terms: [{word}]
                examples: {{match: [{word}]}}
            """,
        )
    write_pack(
        tmp_path,
        "de-LI",
        "offensive",
        """
        version: "1"
        language: de-LI
        check: offensive
        extends: de-CH
        rules: []
        """,
    )
    assert ids("de-LI", tmp_path) == ["de-word", "de-ch-word"]
    assert ids("de-AT", tmp_path) == ["de-word"]


def test_later_roots_override_and_disable_earlier_ones(tmp_path: Path) -> None:
    team = tmp_path / "team-rules"
    write_pack(
        team,
        "de",
        "offensive",
        """
        version: "1"
        language: de
        check: offensive
        disable: [greeting]
        rules:
          - id: weather
            kind: lexicon
            severity: error
            message: "Team: {match}"
            terms: [Sturm]
            examples: {match: [Sturm]}
        """,
    )
    rules = {e.rule.id: e.rule for e in PackSet.load((DATA, team)).effective("de-DE", "offensive")}
    assert "offensive/greeting" not in rules
    assert rules["offensive/weather"].severity == "error"
    assert rules["offensive/weather"].source == team / "de" / "offensive.yaml"


def test_pack_allowlist_protects_inherited_rules(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "de-CH",
        "offensive",
        """
        version: "1"
        language: de-CH
        check: offensive
        allow: [Wetterdienst]
        rules: []
        """,
    )
    ctx = context(DATA, tmp_path)
    recs = records([{"text": "Der Wetterdienst warnt", "locale": d, "kind": "response"} for d in ("de-CH", "de-DE")])
    found = match_records(recs, ctx, "offensive")
    assert found["record_id"].to_list() == [recs["record_id"][1]]


def test_rule_locales_restrict_where_a_rule_applies(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "de",
        "offensive",
        """
        version: "1"
        language: de
        check: offensive
        rules:
          - id: swiss-only
            kind: lexicon
            severity: info
            message: "x"
            locales: [de-CH, de-LI]
            terms: [Velo]
            examples: {match: [Velo]}
        """,
    )
    config = Config(rule_paths=(tmp_path,))
    assert [e.rule.id for e in effective_rules("de-CH", "offensive", config=config)] == ["offensive/swiss-only"]
    assert effective_rules("de-DE", "offensive", config=config) == []


def test_roots_come_from_config_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_root = tmp_path / "env"
    env_root.mkdir()
    monkeypatch.setenv("LOCALE_GUARD_RULES_PATH", str(env_root))
    roots = pack_roots(Config(rule_paths=(DATA,)))
    assert roots == (DATA.resolve(), env_root.resolve())


def test_broken_pack_stops_a_run_with_one_clear_line(tmp_path: Path) -> None:
    write_pack(tmp_path, "de", "offensive", 'version: "1"\nlanguage: de\ncheck: offensive\nrules: [{id: x}]\n')
    with pytest.raises(PackError) as info:
        match_records(records([{"text": "x", "locale": "de-DE", "kind": "response"}]), context(tmp_path), "offensive")
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'de' / 'offensive.yaml'}:4: rule 'x': missing required field")
    assert "\n" not in message


def test_missing_user_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="rule pack folder does not exist"):
        match_records(records([{"text": "x", "locale": "de-DE"}]), context(tmp_path / "missing"), "offensive")
