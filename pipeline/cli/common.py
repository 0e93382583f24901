"""What the `cardscan` commands share: the --db option, opening the database, the error console."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from pipeline.core.config import resolve_db_url
from pipeline.core.errors import CardscanError

if TYPE_CHECKING:
    from pipeline.book.store import Filing

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


def filing_options(func: Any) -> Any:
    """--met-at / --met-on / --no-follow-up: what `scan`, `batch` and `watch` file with every new contact."""
    func = click.option("--no-follow-up", is_flag=True,
                        help="No follow-up date for new contacts (default: the next working day).")(func)
    func = click.option("--met-on", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD (default: today, with "
                        "--met-at).")(func)
    return click.option("--met-at", metavar="EVENT", help='Where you met these people, e.g. "Иннопром 2026": '
                        "kept on each contact and searchable.")(func)


def filing_of(met_at: str | None, met_on: datetime | None, no_follow_up: bool) -> Filing:
    from pipeline.book.store import Filing

    if met_on is not None and not met_at:
        raise click.UsageError("--met-on needs --met-at (the event or place)")
    return Filing(met_at=met_at.strip() if met_at else None, met_on=met_on.date() if met_on else None,
                  follow_up=not no_follow_up)
