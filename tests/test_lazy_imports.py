"""``locale-guard --help`` and ``check`` start fast: no torch, transformers or Streamlit.

torch alone takes seconds to import; a CI gate pays that on every run if any subcommand or
check module imports it at module level. Each case runs in a fresh interpreter, since this test
process may already have imported them for other tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("torch", "transformers", "streamlit")

HELP = """
import json, sys
from click.testing import CliRunner
from locale_guard.cli import cli
result = CliRunner().invoke(cli, {args!r})
print(json.dumps({{"exit": result.exit_code, "output": result.output,
                   "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def _run(args: list[str]) -> dict:
    code = HELP.format(args=args, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["datasets", "massive", "--help"]])
def test_help_imports_no_heavy_package(args: list[str]) -> None:
    found = _run(args)
    assert found["exit"] == 0, found["output"]
    assert "Usage: " in found["output"]
    assert found["heavy"] == [], f"'locale-guard {' '.join(args)}' imported {found['heavy']}"


def test_help_lists_every_subcommand_without_importing_torch() -> None:
    found = _run(["--help"])
    for name in ("check", "coverage", "datasets", "model", "review"):
        assert f"  {name} " in found["output"]
    assert found["heavy"] == []


def test_check_without_a_model_imports_no_torch(tmp_path: Path) -> None:
    """Every check module is imported (``all_checks``), the classifier's included."""
    (tmp_path / "en-US.json").write_text('{"hi": "Hello {name}"}', encoding="utf-8")
    (tmp_path / "de-DE.json").write_text('{"hi": "Hallo"}', encoding="utf-8")
    found = _run(["check", str(tmp_path), "--select", "placeholders", "--format", "json"])
    assert found["exit"] == 1, found["output"]
    assert json.loads(found["output"])["summary"]["by_check"] == {"placeholders": 1}
    assert found["heavy"] == []
