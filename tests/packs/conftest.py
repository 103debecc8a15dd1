"""Pack tests see only the packs they create: the shipped rules/ folder and the environment
variable are switched off so that packs other people add to rules/ cannot change results."""

from __future__ import annotations

from pathlib import Path

import pytest

import locale_guard.packs.loader as loader


@pytest.fixture(autouse=True)
def _isolated_packs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(loader, "builtin_root", lambda: tmp_path / "no-builtin-rules")
    monkeypatch.delenv(loader.ENV_RULES_PATH, raising=False)
