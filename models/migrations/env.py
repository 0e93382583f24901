"""Alembic environment: run against the connection cardscan hands over, or the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from models import Base
from models.base import is_search_index

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        _migrate(conn)


def _migrate(connection) -> None:  # type: ignore[no-untyped-def]
    # render_as_batch lets ALTERs work on SQLite, which cannot alter most things in place.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      include_name=lambda name, type_, parent: not is_search_index(name, type_, parent))
    with context.begin_transaction():
        context.run_migrations()


run()
