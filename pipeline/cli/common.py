"""What the `cardscan` commands share: the --db option, opening the database, the error console."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from pipeline.core.config import resolve_db_url
from pipeline.core.errors import CardscanError

err = Console(stderr=True, highlight=False, soft_wrap=True)

db_option = click.option("--db", "db_url", metavar="URL", help="Database URL, e.g. sqlite:///contacts.db or "
                         "postgresql://user@host/db (default: $CARDSCAN_DB, else ~/.local/share/cardscan/contacts.db).")


def open_engine(db_url: str, create: bool = True) -> Engine:
    """The engine for `db_url`, migrated to the newest schema; any failure is one line, not a traceback."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from models.database import NoDatabase, connect

    try:
        return connect(db_url, create=create)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise click.BadParameter(f"{db_url!r}: {str(exc).splitlines()[0]}", param_hint="--db") from None
    except NoDatabase as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # the server is down, a password is wrong ...
        raise click.ClickException(f"cannot open the database {db_url!r}: {str(exc).splitlines()[0]}") from None


@contextmanager
def database(db_url: str | None, create: bool = False) -> Iterator[Session]:
    """One transaction on the user's database, committed when the command succeeds."""
    from models.database import sessions

    engine = open_engine(resolve_db_url(db_url), create=create)
    try:
        with sessions(engine).begin() as session:
            yield session
    except CardscanError as exc:  # a value the user gave: say what is wrong, change nothing
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
