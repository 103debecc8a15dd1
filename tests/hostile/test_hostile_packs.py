"""Hostile rule packs: each is a clear validation error, or runs in linear time; never a hang.

``rules validate`` must exit 1 with one line naming the pack; ``check`` with the pack on its
rule path must exit 2 with one error line naming the pack and still read and check the catalog.
Patterns run on RE2, so the classic catastrophic-backtracking pattern ``(a+)+$`` is valid and
must run in linear time against a long run of ``a``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from locale_guard.cli import cli

HEADER = 'version: "1"\nlanguage: de\ncheck: offensive\n'
RULE = "rules:\n  - id: r\n    kind: {kind}\n    severity: warning\n    message: 'x'\n{body}    examples: {{match: ['{example}']}}\n"

HOSTILE_PACKS: dict[str, bytes] = {
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "latin1": (HEADER + "description: 'Grüße'\n").encode("latin-1"),
    "not-yaml": b"version: '1'\nrules: [unclosed\n",
    "top-level-list": b"- version: '1'\n",
    "empty": b"",
    "missing-rules": HEADER.encode(),
    "rules-not-a-list": (HEADER + "rules: {id: r}\n").encode(),
    "unknown-kind": (HEADER + RULE.format(kind="telepathy", body="    terms: [x]\n", example="x")).encode(),
    "missing-terms": (HEADER + RULE.format(kind="lexicon", body="", example="x")).encode(),
    "severity-not-a-word": (HEADER + RULE.format(kind="lexicon", body="    terms: [x]\n", example="x"))
    .replace("severity: warning", "severity: [1, 2]")
    .encode(),
    "backreference": (HEADER + RULE.format(kind="pattern", body="    pattern: '(a+)\\1'\n", example="aa")).encode(),
    "lookbehind": (HEADER + RULE.format(kind="pattern", body="    pattern: '(?<=a)b'\n", example="ab")).encode(),
    "terms-are-numbers": (HEADER + RULE.format(kind="lexicon", body="    terms: [1, 2.5, null]\n", example="x")).encode(),
    "alias-bomb": (
        HEADER
        + "a: &a [x,x,x,x,x,x,x,x,x]\n"
        + "".join(f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    ).encode(),
    "python-tag": (HEADER + "rules: !!python/object/apply:os.system ['true']\n").encode(),
    "deep": (HEADER + "rules: " + "[" * 10_000 + "]" * 10_000 + "\n").encode(),
}


def _pack_dir(tmp_path: Path, body: bytes, name: str = "offensive.yaml") -> Path:
    folder = tmp_path / "packs" / "de"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(body)
    return folder / name


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "locale-guard.toml"
    config.write_text('rule-paths = ["packs"]\n', encoding="utf-8")
    return config


@pytest.mark.parametrize("case", sorted(HOSTILE_PACKS))
def test_hostile_pack_is_one_validation_line(tmp_path: Path, case: str) -> None:
    pack = _pack_dir(tmp_path, HOSTILE_PACKS[case])
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["rules", "validate", str(tmp_path / "packs")], catch_exceptions=False)
    assert time.monotonic() - started < 10
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines and all(str(pack) in line or pack.name in line for line in lines), lines


@pytest.mark.parametrize("case", ["binary", "unknown-kind", "backreference", "alias-bomb", "python-tag"])
def test_check_with_a_hostile_pack_reports_it_and_checks_the_rest(tmp_path: Path, case: str) -> None:
    pack = _pack_dir(tmp_path, HOSTILE_PACKS[case])
    config = _config(tmp_path)
    catalog = tmp_path / "de-DE.json"
    catalog.write_text('{"a": "Hallo Welt", "b": "Guten Tag"}', encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["check", str(catalog), "--config", str(config), "--format", "json", "--select", "offensive,placeholders"],
        catch_exceptions=False,
    )
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["records"] == 2
    assert {e["path"] for e in report["errors"]} == {str(pack)}
    assert "placeholders" in report["summary"]["checks"]


def test_a_pack_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    folder = tmp_path / "packs" / "de"
    folder.mkdir(parents=True)
    with (folder / "offensive.yaml").open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["rules", "validate", str(tmp_path / "packs")], catch_exceptions=False)
    assert time.monotonic() - started < 10
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "limit" in result.output or "binary" in result.output


def test_catastrophic_backtracking_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    """``(a+)+$`` takes exponential time in a backtracking engine on ``aaaa…!``; RE2 is linear."""
    body = HEADER + RULE.format(kind="pattern", body="    pattern: '(a+)+$'\n", example="baaa")
    _pack_dir(tmp_path, body.encode())
    validated = CliRunner().invoke(cli, ["rules", "validate", str(tmp_path / "packs")], catch_exceptions=False)
    assert validated.exit_code == 0, validated.output
    config = _config(tmp_path)
    timings = []
    for n in (20_000, 200_000):
        catalog = tmp_path / f"run{n}" / "de-DE.json"
        catalog.parent.mkdir()
        catalog.write_text(json.dumps({f"k{i}": "a" * n + "!" for i in range(5)}), encoding="utf-8")
        started = time.monotonic()
        result = CliRunner().invoke(
            cli, ["check", str(catalog), "--config", str(config), "--format", "json", "--select", "offensive"],
            catch_exceptions=False,
        )
        timings.append(time.monotonic() - started)
        assert result.exit_code in (0, 1), result.output
        assert json.loads(result.stdout)["summary"]["records"] == 5
    assert timings[1] < 10
    # ten times the text takes about ten times as long at most (plus fixed costs), not 2^n
    assert timings[1] < 20 * timings[0] + 2


def test_a_gigantic_lexicon_term_and_many_terms_load_in_bounded_time(tmp_path: Path) -> None:
    """One 1 MB term and 200k short ones: validated in seconds, or refused with a reason."""
    terms = [f"w{i:06d}x" for i in range(200_000)]
    huge_term = "z" * 1_000_000
    body = (
        HEADER
        + "rules:\n  - id: big\n    kind: lexicon\n    severity: warning\n    message: 'x'\n    terms:\n"
        + "".join(f"      - {t}\n" for t in terms)
        + f"      - {huge_term}\n"
        + f"    examples: {{match: ['a {terms[0]} b']}}\n"
    )
    _pack_dir(tmp_path, body.encode())
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["rules", "validate", str(tmp_path / "packs")], catch_exceptions=False)
    elapsed = time.monotonic() - started
    assert "Traceback" not in result.output
    assert elapsed < 30, elapsed
    assert result.exit_code in (0, 1)
    assert len(result.output.splitlines()) <= 3 and huge_term not in result.output
