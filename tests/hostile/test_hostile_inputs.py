"""The standing hostile-input table: every format × every hostile shape, beside a good catalog.

For each cell the CLI must give exit 2 with exactly one error line, naming the broken file
(or, for the shapes a format legitimately reads, no error and the same records as UTF-8), go
on to check the good German catalog beside it, print no traceback and finish in bounded time.
One more run puts every hostile file of the table in one tree and runs the real console script
in a subprocess under an address-space limit (``ulimit -v``), so a memory blow-up fails the test
instead of swapping.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from _hostile_formats import FORMATS, WORD, Format, shape_bytes, write_good_neighbour, write_shape
from _hostile_run import run_cli_limited
from click.testing import CliRunner

from locale_guard.cli import cli
from locale_guard.readers import detect

#: shapes every format must refuse with one error line
ERROR_SHAPES = ("truncated", "malformed", "latin1", "nul", "binary", "huge")
#: shapes a format may read: UTF-16 (with or without BOM) and the empty file
READ_SHAPES = ("utf16-bom", "utf16-nobom", "empty")
#: formats with no syntax to break: one line of text per variant (OVOS .dialog)
NO_SYNTAX = {"ovos"}
#: XML nesting is not a parser hazard (expat does not recurse): unknown elements are ignored
DEEP_READ = {"xliff", "android"}
#: seconds one in-process CLI run may take on a loaded 2-core CI machine (they take ~0.3 s)
TIME_LIMIT = 10.0
GOOD_RECORDS = 2  # de-DE.json holds two strings


def _cases() -> list[tuple[Format, str]]:
    cases = []
    for fmt in FORMATS:
        for shape in (*ERROR_SHAPES, *READ_SHAPES, "deep"):
            if shape == "deep" and fmt.deep is None:
                continue
            if fmt.name in NO_SYNTAX and shape in ("truncated", "malformed"):
                continue
            cases.append((fmt, shape))
    return cases


def _expects_error(fmt: Format, shape: str) -> bool:
    if shape in ERROR_SHAPES:
        return True
    if shape.startswith("utf16"):
        return fmt.utf16 == "refused"
    if shape == "deep":
        return fmt.name not in DEEP_READ
    return False  # empty: a catalog with nothing in it yet is not an error


def _records_of_good_file(tmp_path: Path, fmt: Format) -> int:
    """How many records the UTF-8 version of the file gives (what UTF-16 must also give)."""
    path = tmp_path / "utf8" / fmt.relpath
    path.parent.mkdir(parents=True)
    path.write_text(fmt.text, encoding="utf-8")
    reader = detect(path)
    assert reader is not None
    from locale_guard.readers.base import ReadRequest

    frame = reader.read(ReadRequest(path=path, locale="fr-FR", source_locale="en-US"))
    assert WORD in frame["text"].to_list()
    return frame.height


def _check(root: Path) -> tuple[int, dict, list[str], str, float]:
    started = time.monotonic()
    result = CliRunner().invoke(
        cli, ["check", str(root), "--format", "json", "--select", "placeholders"], catch_exceptions=False
    )
    elapsed = time.monotonic() - started
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    return result.exit_code, json.loads(result.stdout), error_lines, result.output, elapsed


@pytest.mark.parametrize(("fmt", "shape"), _cases(), ids=lambda v: v.name if isinstance(v, Format) else v)
def test_hostile_file_beside_a_good_catalog(tmp_path: Path, fmt: Format, shape: str) -> None:
    root = tmp_path / "tree"
    write_good_neighbour(root)
    broken = write_shape(root, fmt, shape)
    code, report, error_lines, output, elapsed = _check(root)

    assert "Traceback" not in output
    assert elapsed < TIME_LIMIT, f"{fmt.name}/{shape} took {elapsed:.1f}s"
    if _expects_error(fmt, shape):
        assert code == 2, output
        assert [e["path"] for e in report["errors"]] == [str(broken)]
        assert len(error_lines) == 1 and str(broken) in error_lines[0], error_lines
        assert report["summary"]["records"] == GOOD_RECORDS  # the good catalog is still checked
    else:
        assert code in (0, 1), output
        assert report["errors"] == []
        expected = GOOD_RECORDS
        if shape.startswith("utf16"):
            expected += _records_of_good_file(tmp_path, fmt)
        assert report["summary"]["records"] == expected


def test_the_table_has_the_cases_the_issue_asks_for() -> None:
    """At least 40 format × shape cells, and every listed format is in the table."""
    names = {f.name for f in FORMATS}
    assert {"json", "yaml", "po", "xliff", "arb", "android", "csv"} <= names
    assert len(_cases()) >= 40


def test_every_shape_is_different_from_the_good_file() -> None:
    """A shape that happened to equal the good bytes would test nothing."""
    for fmt, shape in _cases():
        if shape != "huge":
            assert shape_bytes(fmt, shape) != fmt.text.encode("utf-8"), (fmt.name, shape)


def test_all_hostile_files_at_once_in_a_subprocess_under_a_memory_limit(tmp_path: Path) -> None:
    """The whole table in one tree, all checks on, the real console script under ``ulimit -v``."""
    root = tmp_path / "tree"
    write_good_neighbour(root)
    expected: set[str] = set()
    for fmt, shape in _cases():
        path = write_shape(root / shape, fmt, shape)
        if _expects_error(fmt, shape):
            expected.add(str(path))
    run = run_cli_limited(["check", str(root), "--format", "json"], timeout=240)
    assert "Traceback" not in run.output
    assert run.returncode == 2, run.output[-2000:]
    report = json.loads(run.stdout)
    paths = [e["path"] for e in report["errors"]]
    assert sorted(paths) == sorted(expected)  # each broken file once, nothing else
    error_lines = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == len(expected)
    assert all("\n" not in e["message"] for e in report["errors"])
    assert report["summary"]["records"] >= GOOD_RECORDS
