"""``review backup`` / ``review restore`` for the SQLite store, with SQLite's online backup API.

The backup API copies a consistent snapshot while reviewers keep working (a plain file copy of
a WAL database can miss committed pages that are still in the ``-wal`` file). PostgreSQL has
its own tools: ``pg_dump -Fc`` and ``pg_restore`` (see docs/REVIEW.md).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from locale_guard.review.db import Database
from locale_guard.review.errors import ReviewError

_POSTGRES_HINT = "PostgreSQL stores are backed up with pg_dump -Fc and restored with pg_restore (see docs/REVIEW.md)"


def _sqlite_path(db: Database) -> str:
    url = make_url(db.url)
    if url.get_backend_name() != "sqlite":
        raise ReviewError(_POSTGRES_HINT)
    if not url.database or url.database == ":memory:":
        raise ReviewError("an in-memory database cannot be backed up")
    return url.database


def backup_sqlite(db: Database, target: Path) -> None:
    source_path = _sqlite_path(db)
    if target.exists():
        raise ReviewError(f"{target} exists; choose a new file name (a backup never overwrites)")
    if not target.parent.is_dir():
        raise ReviewError(f"folder does not exist: {target.parent}")
    source = sqlite3.connect(source_path, timeout=30)
    destination = sqlite3.connect(str(target))
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()


def _looks_like_store(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ReviewError(f"{path} is not an SQLite database: {exc}") from None
    if not {"alembic_version", "items", "adjudications"} <= tables:
        raise ReviewError(f"{path} is not a locale-guard review database")


def restore_sqlite(db: Database, source: Path) -> None:
    """Replace the store's content with a backup (the store's file keeps its name and WAL mode)."""
    target_path = _sqlite_path(db)
    if not source.is_file():
        raise ReviewError(f"no backup file {source}")
    _looks_like_store(source)
    db.dispose()
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(target_path, timeout=30)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()
