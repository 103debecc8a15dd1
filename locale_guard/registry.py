"""Plugin discovery shared by readers, reporters and language-ID backends.

Each of those is a package of one module per plugin, each module defining one object under a
known attribute (``READER``, ``REPORTER``, ``BACKEND``). Adding a plugin is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from typing import Any, TypeVar

T = TypeVar("T")


def discover(
    package: str, path: Iterable[str], attr: str, kind: type[T], *, skip: Iterable[str] = ()
) -> dict[str, T]:
    """``{obj.name: obj}`` for every module of ``package`` whose ``attr`` is a ``kind``.

    Modules whose name starts with ``_`` (and those in ``skip``) are helpers, not plugins.
    """
    skipped = set(skip)
    found: dict[str, Any] = {}
    for info in pkgutil.iter_modules(list(path)):
        if info.name.startswith("_") or info.name in skipped:
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        obj = getattr(module, attr, None)
        if isinstance(obj, kind):
            found[obj.name] = obj  # type: ignore[attr-defined]
    return dict(sorted(found.items()))
