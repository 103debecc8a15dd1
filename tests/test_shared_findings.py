"""Checks that judge each distinct string once still report every record that holds it."""

from __future__ import annotations

import json
from pathlib import Path

from locale_guard.config import load_config
from locale_guard.engine import RunOptions, run

ENGLISH = "Your timer has been cancelled and the alarm is switched off now"


def test_repeated_string_is_reported_at_each_place(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "web").mkdir()
    (tmp_path / "app" / "de-DE.json").write_text(
        json.dumps({"a": "Der Wecker ist gestellt.", "timer": {"off": ENGLISH}}, indent=2), encoding="utf-8"
    )
    (tmp_path / "web" / "de-DE.json").write_text(
        json.dumps({"x": ENGLISH, "y": "Guten Morgen!", "z": ENGLISH}, indent=2), encoding="utf-8"
    )
    result = run(RunOptions(paths=[tmp_path], select=("language",)), load_config(None))
    found = result.findings.filter(result.findings["rule"] == "language/wrong-language")
    places = sorted((Path(p).parent.name, k, line) for p, k, line in found.select("path", "key", "line").iter_rows())
    assert places == [("app", "timer.off", 4), ("web", "x", 2), ("web", "z", 4)]
    # each copy is its own finding: three fingerprints, same message
    assert found["fingerprint"].n_unique() == 3
    assert found["message"].n_unique() == 1
