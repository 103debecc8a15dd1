"""Fixtures of the review tests: stores on SQLite and on a throwaway PostgreSQL server.

PostgreSQL: ``LOCALE_GUARD_TEST_PG_URL`` (a URL of a database the tests may create databases
from) wins; otherwise the Debian binaries (``/usr/lib/postgresql/<v>/bin``, or ``pg_config
--bindir``) start a private cluster in a temporary folder on a Unix socket, as the ``postgres``
system user when the tests run as root (PostgreSQL refuses to run as root). Without either, the
PostgreSQL tests are skipped locally and fail under CI, where .ci/system-deps installs them.

Migrations run once per session: each SQLite test gets a copy of a migrated file, each
PostgreSQL test the session's database with every table truncated.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "review"
PG_ENV = "LOCALE_GUARD_TEST_PG_URL"


def _pg_bindir() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name, reverse=True)
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        candidates.insert(0, Path(out))
    except (OSError, subprocess.CalledProcessError):
        pass
    for path in candidates:
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _missing_pg(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is needed for these tests in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2's cheapest parameters in tests: the real ones cost ~0.5 s per hash on CI machines."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from locale_guard.review import auth

    monkeypatch.setattr(auth, "_hasher", PasswordHasher.from_parameters(CHEAPEST))
    auth._dummy_hash.cache_clear()


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """URL of a PostgreSQL database from which test databases are created."""
    given = os.environ.get(PG_ENV)
    if given:
        yield given
        return
    bindir = _pg_bindir()
    if bindir is None:
        _missing_pg("no PostgreSQL binaries (apt-get install postgresql) and no $" + PG_ENV)
    base = Path(tempfile.mkdtemp(prefix="lg-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base, ignore_errors=True)
            _missing_pg("running as root and there is no 'postgres' user to run the server as")
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    port = _free_port()
    try:
        subprocess.run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "lg", "-E", "UTF8",
             "--locale=C", "--no-sync"],
            check=True, capture_output=True,
        )
        options = f"-k {base} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-o", options, "-w", "start"],
            check=True, capture_output=True,
        )
    except subprocess.CalledProcessError as exc:
        log = (base / "server.log").read_text() if (base / "server.log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.stderr.decode(errors='replace')} {log}")
    try:
        yield f"postgresql+psycopg://lg@/postgres?host={base}&port={port}"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _pg_execute(admin_url: str, statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def _with_database(admin_url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_database(pg_admin_url: str) -> str:
    """One migrated database for the session; each test starts from emptied tables."""
    from locale_guard.review.db import Database, migrate

    name = f"lg_review_{uuid.uuid4().hex[:8]}"
    _pg_execute(pg_admin_url, f'CREATE DATABASE "{name}"')
    url = _with_database(pg_admin_url, name)
    db = Database(url)
    migrate(db)
    db.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from locale_guard.review.db import Database, migrate

    path = tmp_path_factory.mktemp("template") / "review.db"
    db = Database(str(path))
    migrate(db)
    db.dispose()
    return path


def new_sqlite_url(template: Path, folder: Path) -> str:
    target = folder / f"review-{uuid.uuid4().hex[:8]}.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    return new_sqlite_url(sqlite_template, tmp_path)


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """The session's PostgreSQL database with every table emptied (TRUNCATE fires no row triggers)."""
    from locale_guard.review.models import Base

    url = request.getfixturevalue("pg_database")
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    _pg_execute(url, f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on SQLite and on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    from locale_guard.review.store import ReviewStore

    instance = ReviewStore(db_url, auto_migrate=False)
    yield instance
    instance.close()
