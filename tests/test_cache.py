"""The per-user cache: computed once, read back by the next process, rebuilt when damaged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from locale_guard.cache import cached_json


def test_value_is_computed_once_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALE_GUARD_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def compute() -> list[int]:
        calls.append(1)
        return [1, 2, 3]

    assert cached_json("demo-v1", compute) == [1, 2, 3]
    assert cached_json("demo-v1", compute) == [1, 2, 3]
    assert len(calls) == 1
    (tmp_path / "demo-v1.json").write_text("{not json", encoding="utf-8")
    assert cached_json("demo-v1", compute) == [1, 2, 3]
    assert len(calls) == 2
    assert json.loads((tmp_path / "demo-v1.json").read_text(encoding="utf-8")) == [1, 2, 3]


def test_unwritable_cache_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("LOCALE_GUARD_CACHE_DIR", str(blocker / "sub"))  # a folder under a file
    assert cached_json("demo-v1", lambda: {"a": 1}) == {"a": 1}


def test_number_styles_from_a_fresh_process_match_babel(tmp_path: Path) -> None:
    """The cached CLDR number styles are what Babel says, in a new process as in this one."""
    code = (
        "from locale_guard.formatting_cldr import cldr_number_styles, _all_number_styles;"
        "print(sorted((s.decimal, s.group) for s in cldr_number_styles()) == sorted(map(tuple, _all_number_styles())))"
    )
    env = {"LOCALE_GUARD_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for _ in range(2):  # the first run writes the cache, the second reads it
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert out.stdout.strip() == "True"
    assert list(tmp_path.glob("cldr-number-styles-babel-*.json"))
