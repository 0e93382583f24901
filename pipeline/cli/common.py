"""What the `cardscan` commands share: the --db option, opening the database, the error console."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pipeline.core.config import DEFAULT_LANG, OCR_ENV, SettingError, Settings, default_ocr_engine, resolve_db_url
from pipeline.core.errors import CardscanError, OcrEngineError

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from pipeline.book.filing import Filing



class _Stderr:
    """rich's Console on stderr, made when first written to: a scan that goes well prints nothing there, and
    importing rich costs ~0.03 CPU s."""

    @functools.cached_property
    def console(self) -> Console:
        from rich.console import Console

        return Console(stderr=True, highlight=False, soft_wrap=True)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        self.console.print(*objects, **kwargs)

    def print_exception(self, **kwargs: Any) -> None:
        self.console.print_exception(**kwargs)


err = _Stderr()

db_option = click.option("--db", "db_url", metavar="URL", help="Database URL or SQLite file path, e.g. contacts.db or "
                         "postgresql://user@host/db (default: $CARDSCAN_DB, else ~/.local/share/cardscan/contacts.db).")


def contact_filters(func: F) -> F:
    """--tag and --met-at: which contacts `contacts list` shows and `export` writes, one source for both."""
    tag = click.option("--tag", metavar="TAG", help="Only the people with TAG among their interests or hobbies "
                       "(whole, any case).")
    met_at = click.option("--met-at", metavar="EVENT", help="Only the people met at EVENT (any part of its name, "
                          "any case).")
    return tag(met_at(func))


def broker_url(url: str | None, option: str = "--broker") -> str:
    """The broker URL given, else $CARDSCAN_BROKER; a usage error when neither is there."""
    from pipeline.core.config import BROKER_ENV, default_broker_url

    found = url or default_broker_url()
    if not found:
        raise click.UsageError(f"no broker: give {option} amqp://user:password@host// (RabbitMQ) or "
                               f"redis://host:6379/0, or set ${BROKER_ENV}")
    return found


broker_option = click.option("--broker", "broker", metavar="URL", help="The queue's broker: amqp://user:password@"
                             "host// (RabbitMQ) or redis://host:6379/0 (default: $CARDSCAN_BROKER).")


queue_name_option = click.option("--queue-name", default="cardscan.scan", show_default=True, metavar="NAME",
                                 help="The queue on the broker: several contact books can share one broker.")


def region_option(help_text: str = "Default phone region, e.g. RU or US (default: guessed from the card).",
                  default: str | None = None) -> Callable[[F], F]:
    """--region, checked once against the regions libphonenumber knows."""
    def check(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        from pipeline.core.config import check_region

        try:
            return check_region(value)
        except SettingError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.option("--region", metavar="CC", default=default, show_default=default is not None,
                        callback=check, help=help_text)


def read_options(func: F) -> F:
    """--region, --lang and --engine of every command that reads cards, handed over as `settings`."""
    @click.option("--engine", metavar="NAME", default=None,
                  help=f"OCR engine: tesseract (in-process), pytesseract, ppocr (PP-OCR, Latin only) or auto "
                       f"(PP-OCR's lines, Tesseract for Cyrillic ones) (default: ${OCR_ENV}, else "
                       f"{default_ocr_engine()}).")
    @click.option("--lang", default=DEFAULT_LANG, show_default=True, help="Tesseract languages, joined by +.")
    @region_option()
    @functools.wraps(func)
    def wrapper(*args: Any, region: str | None, lang: str, engine: str | None, **kwargs: Any) -> Any:
        return func(*args, settings=reading_settings(region, lang, engine), **kwargs)

    return wrapper  # type: ignore[return-value]


def reading_settings(region: str | None, lang: str, engine: str | None) -> Settings:
    """Settings for reading cards, with the engine and its languages checked before any file is opened."""
    from pipeline.stages.ocr import get_engine

    settings = Settings(lang=lang, region=region) if engine is None else \
        Settings(lang=lang, region=region, ocr_engine=engine)
    try:
        have = get_engine(settings.ocr_engine).languages()
    except OcrEngineError as exc:
        raise click.BadParameter(str(exc), param_hint="--engine") from None
    missing = [code for code in lang.split("+") if code not in have]
    if missing:
        raise click.BadParameter(f"no Tesseract data for {', '.join(missing)}; installed: {'+'.join(sorted(have))} "
                                 f"(`make setup LANGS=\"...\"` installs more)", param_hint="--lang")
    return settings


# What --db takes, said whenever a URL names something else: SQLite and PostgreSQL (psycopg 3) are what cardscan
# is built and tested for; SQLAlchemy's own words ("Can't load plugin: sqlalchemy.dialects:foo") tell a user nothing.
DB_FORMS = "a file path (contacts.db), sqlite:///path/to/contacts.db or postgresql://user@host/dbname"
DB_DRIVERS = {"sqlite": ("", "pysqlite"), "postgresql": ("", "psycopg")}


def check_db_url(db_url: str) -> None:
    """Refuse, in one line naming the forms that work, a --db URL of a database or driver cardscan does not use."""
    from models.database import shown_url

    scheme, sep, _ = db_url.partition("://")
    backend, _, driver = scheme.lower().partition("+")
    if not sep or driver not in DB_DRIVERS.get(backend, ()):
        raise click.BadParameter(f"{shown_url(db_url)!r} is not a database cardscan can use; give {DB_FORMS}",
                                 param_hint="--db")


def read_only_part(db_url: str) -> str | None:
    """'the file /x/c.db' or 'the folder /x' when a SQLite database cannot be written there (permissions, a
    read-only mount, an immutable file), else None. SQLite in WAL mode writes its -wal and -shm files beside the
    database, so the folder counts as much as the file; a folder not made yet counts as its nearest parent."""
    import os
    from pathlib import Path

    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(db_url)
    except Exception:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database).expanduser().absolute()
    if path.exists() and not os.access(path, os.W_OK):
        return f"the file {path}"
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return None if os.access(folder, os.W_OK | os.X_OK) else f"the folder {folder}"


def open_engine(db_url: str, create: bool = True, to_store: str | None = None) -> Engine:
    """The engine for `db_url`, migrated to the newest schema; any failure is one line, not a traceback.
    `to_store`: the command files cards, and this is what to do instead when the database is read-only; it is
    said before a single card is read (a read-only file was found after the OCR of every image, each failing
    with "attempt to write a readonly database")."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from models.database import NoDatabase, connect, scrub, shown_url

    read_only = read_only_part(db_url)
    if read_only and to_store is not None:
        raise click.ClickException(f"cannot store cards in {shown_url(db_url)!r}: {read_only} is read-only; "
                                   f"make it writable or give another --db{', or ' + to_store if to_store else ''}")

    def why(exc: Exception) -> str:
        orig = getattr(exc, "orig", None) or exc  # the driver's words, without SQLAlchemy's "(psycopg.Operational...)"
        text = str(orig).strip()
        return scrub(text.splitlines()[0] if text else type(orig).__name__, db_url)

    check_db_url(db_url)
    try:
        return connect(db_url, create=create)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:  # ValueError: a port that is not a number
        raise click.BadParameter(f"{shown_url(db_url)!r} is malformed ({why(exc)}); give {DB_FORMS}",
                                 param_hint="--db") from None
    except NoDatabase as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # the server is down, a password is wrong ...
        hint = (f" ({read_only} is read-only, and SQLite writes beside the database even to read it: copy it "
                "to a writable folder)") if read_only else ""
        raise click.ClickException(f"cannot open the database {shown_url(db_url)!r}: {why(exc)}{hint}") from None


def say(text: str) -> None:
    """Print text for a person: names and notes come from cards and vCards that others made, so a control
    character (an escape sequence that would drive the terminal) is shown as %XX, and each line stays one."""
    from pipeline.core.display import printable

    click.echo("\n".join(printable(line) for line in text.split("\n")))


@contextmanager
def database(db_url: str | None, create: bool = False) -> Iterator[Session]:
    """One transaction on the user's database, committed when the command succeeds."""
    from sqlalchemy.exc import SQLAlchemyError

    from models.database import sessions

    engine = open_engine(resolve_db_url(db_url), create=create)
    try:
        with sessions(engine).begin() as session:
            yield session
    except CardscanError as exc:  # a value the user gave: say what is wrong, change nothing
        raise click.ClickException(str(exc)) from None
    except (SQLAlchemyError, OverflowError) as exc:  # read-only, disk full, a value the database will not take
        raise click.ClickException(database_refused(exc, resolve_db_url(db_url))) from None
    finally:
        engine.dispose()


def filing_options(func: F) -> F:
    """--met-at / --met-on / --no-follow-up of `scan`, `batch` and `watch`, handed over as `filing`."""
    @click.option("--no-follow-up", is_flag=True,
                  help="No follow-up date for new contacts (default: the next working day).")
    @click.option("--met-on", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD (default: today, with --met-at).")
    @click.option("--met-at", metavar="EVENT", help='Where you met these people, e.g. "Иннопром 2026": kept on each '
                  "contact and searchable.")
    @functools.wraps(func)
    def wrapper(*args: Any, met_at: str | None, met_on: datetime | None, no_follow_up: bool, **kwargs: Any) -> Any:
        return func(*args, filing=filing_of(met_at, met_on, no_follow_up), **kwargs)

    return wrapper  # type: ignore[return-value]


def filing_of(met_at: str | None, met_on: datetime | None, no_follow_up: bool) -> Filing:
    from pipeline.book.filing import Filing

    if met_on is not None and not met_at:
        raise click.UsageError("--met-on needs --met-at (the event or place)")
    return Filing(met_at=met_at.strip() if met_at else None, met_on=met_on.date() if met_on else None,
                  follow_up=not no_follow_up)


def database_refused(exc: BaseException, db_url: str) -> str:
    """One line for a write the database would not do; nothing of the transaction was kept."""
    from models.database import scrub

    orig = getattr(exc, "orig", None) or exc  # the driver's own message, without SQLAlchemy's SQL and links
    text = str(orig).strip()
    first = text.splitlines()[0] if text else type(orig).__name__
    return f"the database refused it, nothing was changed: {scrub(first, db_url)}"
