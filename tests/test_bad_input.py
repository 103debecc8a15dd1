"""Bad input: one clear line per file, exit 2, no traceback, every other file still checked."""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from locale_guard.cli import cli
from locale_guard.readers.base import InputError, read_text

GOOD = {"hello": "Hallo"}


def check(path: Path):
    return CliRunner().invoke(cli, ["check", str(path), "--format", "json"], catch_exceptions=False)


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    p = tmp_path / "de.json"
    p.write_bytes('{"a": "Grüße"}'.encode("utf-16"))
    assert "Grüße" in read_text(p)


def test_utf16_without_bom_is_read(tmp_path: Path) -> None:
    p = tmp_path / "de.json"
    p.write_bytes('{"a": "Grüße aus Köln"}'.encode("utf-16-le"))
    assert "Köln" in read_text(p)


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    p = tmp_path / "de.json"
    p.write_bytes(b"\xef\xbb\xbf" + b'{"a": "b"}')
    assert read_text(p).startswith("{")


def test_latin1_says_where_it_breaks(tmp_path: Path) -> None:
    p = tmp_path / "de.json"
    p.write_bytes('{\n"a": "Grüße"}'.encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_text(p)
    assert "not valid UTF-8 at byte 10 (line 2)" in info.value.message


def test_binary_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "de.json"
    p.write_bytes(os.urandom(64) + b"\x00\x00\x00" + os.urandom(64))
    with pytest.raises(InputError) as info:
        read_text(p)
    assert "binary" in info.value.message or "UTF" in info.value.message


def test_nul_inside_text_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "de.json"
    p.write_bytes(b'{"a": "b"}' + b"x" * 10000 + b"\x00")
    with pytest.raises(InputError) as info:
        read_text(p)
    assert "NUL" in info.value.message or "binary" in info.value.message


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    p = tmp_path / "de.json"
    with p.open("wb") as fh:  # sparse: costs no disk and no time
        fh.truncate(200 * 1024 * 1024)
    with pytest.raises(InputError) as info:
        read_text(p)
    assert "over the" in info.value.message and "limit" in info.value.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fr.json", b"{"),
        ("fr.json", b'{"a": [1, 2'),
        ("fr.json", b"[" * 100_000),
        ("fr.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("fr.json", '{"a": "é"}'.encode("latin-1")),
        ("jp.json", b'{"a": "b"}'),
    ],
)
def test_broken_file_beside_a_good_one(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / "de.json").write_text(json.dumps(GOOD))
    (tmp_path / name).write_bytes(content)
    result = check(tmp_path)
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["summary"]["records"] == 1
    assert [e["path"] for e in data["errors"]] == [str(tmp_path / name)]
    assert "Traceback" not in result.output


def test_empty_file_is_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "de.json").write_text("")
    result = check(tmp_path)
    assert result.exit_code in (0, 1)
    assert json.loads(result.stdout)["errors"] == []


def test_missing_path_is_reported(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope")], catch_exceptions=False)
    assert result.exit_code == 2
    assert "no such file" in result.output
