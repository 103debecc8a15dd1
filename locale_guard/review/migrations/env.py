"""Alembic environment: runs on the connection the store hands over, or on ``sqlalchemy.url``.

``locale_guard.review.db.migrate`` passes its open connection in ``config.attributes`` so the
SQLite pragmas and the PostgreSQL driver settings of the store apply to migrations too; the
plain ``alembic`` command line (with ``-x url=...`` or ``sqlalchemy.url``) also works.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from locale_guard.review.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
