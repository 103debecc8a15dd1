"""``locale-guard locales``: list, show (curated vs derived) and new (scaffold round trip)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from locale_guard.cli import cli
from locale_guard.profiles import LOCALES_PATH_ENV, load_profile, profile_schema


@pytest.fixture(autouse=True)
def _no_user_locales(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LOCALES_PATH_ENV, raising=False)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_curated_json() -> None:
    result = invoke("locales", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["tag"]: r for r in json.loads(result.stdout)}
    assert len(rows) >= 64 and all(r["curated"] for r in rows.values())
    assert rows["de-DE"] == {"tag": "de-DE", "name": "German (Germany)", "register": "formal", "curated": True}
    assert "sl-SI" in rows and "sl-SL" not in rows


def test_list_text_has_header_and_rows() -> None:
    result = invoke("locales", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["tag", "name", "register", "curated"]
    assert any(line.startswith("ja-JP ") and "formal" in line and line.endswith("yes") for line in lines)


def test_list_all_includes_derived_locales() -> None:
    result = invoke("locales", "list", "--all", "--format", "json")
    assert result.exit_code == 0
    rows = {r["tag"]: r for r in json.loads(result.stdout)}
    assert len(rows) >= 1082
    assert rows["sw-TZ"]["curated"] is False and rows["qu-PE"]["register"] == "any"
    assert rows["fr-FR"]["curated"] is True


def test_show_marks_curated_and_derived() -> None:
    result = invoke("locales", "show", "de-DE", "--format", "json")
    assert result.exit_code == 0, result.output
    fields = json.loads(result.stdout)["fields"]
    assert fields["register"]["source"] == "curated" and fields["register"]["value"] == "formal"
    assert fields["register"]["file"].endswith("de-DE.yaml")
    assert fields["currency"] == {"value": "EUR", "source": "derived"}
    assert fields["first_day"]["value"] == 0 and fields["hour_cycle"]["value"] == "h23"


def test_show_text_and_yaml() -> None:
    text = invoke("locales", "show", "fr-CA")
    assert text.exit_code == 0
    subdiv = next(line for line in text.stdout.splitlines() if line.strip().startswith("holidays_subdiv"))
    assert "QC" in subdiv and "curated" in subdiv
    measurement = next(line for line in text.stdout.splitlines() if line.strip().startswith("measurement"))
    assert measurement.rstrip().endswith("derived")
    data = yaml.safe_load(invoke("locales", "show", "sw-TZ", "--format", "yaml").stdout)
    assert data["tag"] == "sw-TZ"
    assert {f["source"] for f in data["fields"].values()} == {"derived"}


def test_show_config_override(tmp_path: Path) -> None:
    config = tmp_path / "locale-guard.toml"
    config.write_text('[locales."de-DE"]\nregister = "informal"\n')
    result = invoke("locales", "show", "de-DE", "--format", "json", "--config", str(config))
    assert json.loads(result.stdout)["fields"]["register"] == {"value": "informal", "source": "config"}


def test_show_normalises_dataset_spelling() -> None:
    result = invoke("locales", "show", "sl-SL", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["tag"] == "sl-SI"
    assert "read as 'sl-SI'" in result.stderr


@pytest.mark.parametrize("command", ["show", "new"])
def test_bad_tag_exits_2_with_suggestion(command: str, tmp_path: Path) -> None:
    result = invoke("locales", command, "jp", "-o", str(tmp_path / "jp.yaml")) if command == "new" else invoke("locales", command, "jp")
    assert result.exit_code == 2
    assert "did you mean 'ja'?" in result.stderr
    assert not (tmp_path / "jp.yaml").exists()


def test_broken_profile_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "de-DE.yaml").write_text("tag: de-DE\nregister: sie\nregister_reason: broken on purpose\n")
    monkeypatch.setenv(LOCALES_PATH_ENV, str(tmp_path))
    for args in (("show", "de-DE"), ("list",)):
        result = invoke("locales", *args)
        assert result.exit_code == 2
        assert "de-DE.yaml:2: field 'register'" in result.stderr


def test_new_scaffold_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "sw-TZ.yaml"
    result = invoke("locales", "new", "sw-TZ", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "# currency: TZS" in text and "# holidays_country: TZ" in text and "# first_day: 0" in text
    # as written: valid, and nothing claimed as curated
    jsonschema.validate(yaml.safe_load(text), profile_schema())
    monkeypatch.setenv(LOCALES_PATH_ENV, str(tmp_path))
    assert load_profile("sw-TZ").curated == frozenset()
    # a linguist uncomments the derived facts and decides the register: still valid, same values
    fields = set(profile_schema()["properties"]) - {"register", "register_reason"}
    decided = [
        line[2:] if (m := re.match(r"# ([a-z_]+): ", line)) and m.group(1) in fields else line
        for line in text.splitlines()
    ]
    decided += ["register: any", 'register_reason: "Swahili has no T-V pronoun pair; respect is shown by greetings"']
    target.write_text("\n".join(decided) + "\n", encoding="utf-8")
    jsonschema.validate(yaml.safe_load(target.read_text(encoding="utf-8")), profile_schema())
    profile = load_profile("sw-TZ")
    assert profile.currency == "TZS" and profile.first_day == 0 and profile.holidays_country == "TZ"
    assert {"currency", "first_day", "measurement", "register", "tokenizer"} <= profile.curated


def test_new_default_path_and_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("locales", "new", "qu-PE").exit_code == 0
    target = tmp_path / "locales" / "qu-PE.yaml"
    assert target.is_file()
    again = invoke("locales", "new", "qu-PE")
    assert again.exit_code == 2 and "--force" in again.stderr
    target.write_text("tag: qu-PE\n")
    assert invoke("locales", "new", "qu-PE", "--force").exit_code == 0
    assert "# currency: PEN" in target.read_text(encoding="utf-8")


def test_new_refuses_a_name_the_loader_would_not_find(tmp_path: Path) -> None:
    result = invoke("locales", "new", "de-AT", "-o", str(tmp_path / "austria.yaml"))
    assert result.exit_code == 2 and "de-AT.yaml" in result.stderr
