"""Every YAML example in rules/README.md is a valid pack whose examples pass, so the
reference for pack authors cannot drift from what the engine accepts."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from locale_guard.packs import validate

README = Path(__file__).resolve().parents[2] / "rules" / "README.md"


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.+?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_yaml_examples_validate(tmp_path: Path) -> None:
    blocks = _yaml_blocks()
    assert len(blocks) >= 5
    folder = tmp_path / "de"
    folder.mkdir()
    for n, block in enumerate(blocks):
        if block.startswith("- id:"):
            body = 'version: "1"\nlanguage: de\ncheck: offensive\nrules:\n' + textwrap.indent(block, "  ")
        else:
            body = block
        (folder / f"example-{n}.yaml").write_text(body, encoding="utf-8")
    report = validate([tmp_path])
    assert report.ok, [p.describe() for p in report.problems]
    assert report.packs == len(blocks)
    assert report.examples >= 2 * len(blocks)
