"""A per-user cache of facts derived from libraries, so a fresh process need not derive them again.

Some answers cost seconds to compute and change only when a library does: the number styles of
all 1,000 CLDR locales (3 s of Babel loading), lemma tables converted from JSON. They are kept
under ``$LOCALE_GUARD_CACHE_DIR`` (default ``$XDG_CACHE_HOME/locale-guard``, else
``~/.cache/locale-guard``), keyed by the versions they come from. A missing, unreadable or
damaged entry is recomputed; a read-only home only makes the next run slower.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    base = os.environ.get("LOCALE_GUARD_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "locale-guard"
    )
    return Path(base)


def cached_json(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, stored as ``<cache>/<name>.json`` and read from there next time.

    ``name`` must change whenever the answer could (put the source library's version in it).
    """
    path = cache_dir() / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(value), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
    return value
