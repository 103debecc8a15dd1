"""``locale-guard check`` as a CI gate: exit codes, formats, reports, config, usage errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from locale_guard.cli import cli


@pytest.fixture
def catalogs(tmp_path: Path) -> Path:
    root = tmp_path / "cat"
    root.mkdir()
    (root / "en-US.json").write_text(json.dumps({"hi": "Hello {name}", "bye": "Bye"}))
    (root / "de-DE.json").write_text(json.dumps({"hi": "Hallo", "bye": "Tschüss"}))
    return root


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_help_lists_check() -> None:
    result = invoke("--help")
    assert result.exit_code == 0 and "check" in result.output


def test_clean_input_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "en.json").write_text('{"a": "Hello"}')
    result = invoke("check", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "0 finding(s)" in result.output


def test_json_report_shape(catalogs: Path) -> None:
    result = invoke("check", str(catalogs), "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) >= {"version", "summary", "findings", "errors"}
    assert data["version"] == 1
    assert data["summary"]["locales"] == ["de-DE", "en-US"]


def test_unreadable_input_exits_two_and_others_are_still_read(catalogs: Path) -> None:
    (catalogs / "fr-FR.json").write_bytes(b"\xff\xfe\x00garbage\x00\x00\x01")
    result = invoke("check", str(catalogs), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["summary"]["records"] == 4
    assert len(data["errors"]) == 1 and data["errors"][0]["path"].endswith("fr-FR.json")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--locale", "jp"], "did you mean 'ja'"),
        (["--select", "nonsense"], "unknown check or rule"),
        (["--report", "out.weird"], "cannot tell the report format"),
        (["--input-format", "docx"], "unknown --input-format"),
    ],
)
def test_usage_errors_exit_two_with_a_message(catalogs: Path, args: list[str], needle: str) -> None:
    result = invoke("check", str(catalogs), *args)
    assert result.exit_code == 2
    assert needle in result.stderr


def test_bad_config_is_a_usage_error(catalogs: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text('fail-on = "sometimes"\n')
    result = invoke("check", str(catalogs), "--config", str(cfg))
    assert result.exit_code == 2 and "fail-on" in result.stderr


def test_config_next_to_inputs_is_found(tmp_path: Path) -> None:
    (tmp_path / "locale-guard.toml").write_text('source-locale = "de-DE"\n')
    (tmp_path / "en.json").write_text('{"a": "Hello"}')
    (tmp_path / "de-DE.json").write_text('{"a": "Hallo"}')
    result = invoke("check", str(tmp_path), "--format", "json")
    assert json.loads(result.stdout)["summary"]["source_locale"] == "de-DE"


def test_extra_report_and_baseline_files(catalogs: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    baseline = tmp_path / "b.json"
    result = invoke("check", str(catalogs), "--report", str(report), "--write-baseline", str(baseline), "--fail-on", "never")
    assert result.exit_code == 0
    assert json.loads(report.read_text())["version"] == 1
    assert "fingerprints" in json.loads(baseline.read_text())


def test_help_does_not_import_torch() -> None:
    code = "import sys; from locale_guard.cli import main; sys.argv=['locale-guard','--help'];\ntry:\n main()\nexcept SystemExit: pass\nprint('torch' in sys.modules, 'streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False False")
