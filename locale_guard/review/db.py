"""Database URLs, engines, transactions and migrations of the review store.

SQLite is the embedded default. Several reviewers (Streamlit sessions, CLI imports) write to one
file, so every connection runs in WAL mode with a busy timeout, and every write transaction
starts with ``BEGIN IMMEDIATE``: it takes the write lock up front instead of upgrading a read
lock half-way, which is what makes SQLite fail with "database is locked" under concurrency.
Reads stay ``BEGIN DEFERRED`` so dashboards never wait for writers.

PostgreSQL is used through psycopg 3 (``postgresql+psycopg://``); there, writers lock the item
rows they change (``SELECT … FOR UPDATE``) so per-item decisions serialise without locking the
whole queue.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from locale_guard.review.errors import ReviewError

#: the environment variable ``review serve`` passes the URL in, and every command reads
DB_ENV = "LOCALE_GUARD_REVIEW_DB"
DEFAULT_DB = "locale-guard-review.db"
BUSY_TIMEOUT_S = 30.0
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def resolve_url(url: str | None = None) -> str:
    """The SQLAlchemy URL to use: ``url``, else ``$LOCALE_GUARD_REVIEW_DB``, else a local file.

    A bare path means an SQLite file; ``postgresql://`` is read as ``postgresql+psycopg://``
    because psycopg 3 is the driver the ``postgres`` extra installs.
    """
    raw = (url or os.environ.get(DB_ENV) or DEFAULT_DB).strip()
    if "://" not in raw:
        return "sqlite:///" + str(Path(raw).expanduser().resolve())
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise ReviewError(f"cannot read database URL: {exc}") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed.render_as_string(hide_password=False)
    if backend != "sqlite":
        raise ReviewError(
            f"unsupported database '{backend}': use an SQLite path or postgresql+psycopg://user@host/db"
        )
    return raw


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Engine:
    """An engine with the store's connection settings (see the module docstring)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not Path(database).parent.is_dir():
            raise ReviewError(f"folder of the database file does not exist: {Path(database).parent}")
        engine = create_engine(
            url, connect_args={"timeout": busy_timeout_s, "check_same_thread": False}
        )
        _sqlite_settings(engine, busy_timeout_s)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:  # the postgres extra is not installed
        raise ReviewError(f"PostgreSQL needs the driver: pip install 'locale-guard[postgres]' ({exc.name} missing)") from None


def _sqlite_settings(engine: Engine, busy_timeout_s: float) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # pysqlite's own implicit BEGIN is switched off so the "begin" hook below decides
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get("locale_guard_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """An engine plus the two kinds of transaction the store uses."""

    def __init__(self, url: str | None = None, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.url = resolve_url(url)
        self.engine = make_engine(self.url, busy_timeout_s=busy_timeout_s)
        self.dialect = self.engine.dialect.name
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(locale_guard_write=True), expire_on_commit=False
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (rolled back at the end; nothing it does is kept)."""
        with self._reader() as session:
            try:
                yield session
            finally:
                # detach first: objects read here keep their loaded values after the rollback
                session.expunge_all()
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One atomic write transaction: everything in the block commits, or nothing does."""
        with self._writer() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(connection=None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(db: Database, revision: str = "head") -> bool:
    """Bring the schema to ``revision``; returns whether anything ran. Safe to call every start."""
    from alembic import command

    try:
        if revision == "head" and current_revision(db) == head_revision():
            return False
        with db.engine.execution_options(locale_guard_write=True).begin() as conn:
            command.upgrade(alembic_config(conn), revision)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
        raise ReviewError(f"cannot open the review database {describe_url(db.url)}: {reason}") from None
    return True


def has_schema(db: Database) -> bool:
    return inspect(db.engine).has_table("items")
