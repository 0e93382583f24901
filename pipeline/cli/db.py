"""`cardscan db ...`: database maintenance."""

from __future__ import annotations

import click

from pipeline.cli.common import db_option, open_engine
from pipeline.core.config import resolve_db_url


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@db_option
def upgrade(db_url: str | None) -> None:
    """Migrate the database schema to the newest version."""
    url = resolve_db_url(db_url)
    open_engine(url)
    from models.database import shown_url

    click.echo(f"database at {shown_url(url)} is up to date")


