"""Opening the database: private file permissions, SQLite pragmas, and migrations to head."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration's revision. A database that says it is there is opened without Alembic: importing it and
# reading the migration scripts cost ~0.35 CPU s on every command. tests/models/test_migrations.py checks that
# this is Alembic's own head, so a new migration cannot be added without it.
SCHEMA_HEAD = "0011"
BUSY_TIMEOUT_MS = 30_000  # a watcher and a CLI command may write at once: wait rather than fail


def shown_url(url: str) -> str:
    """`url` fit to print (summaries, logs, errors): the password replaced by ***, as SQLAlchemy renders it.

    Every message that names a database goes through here, so a PostgreSQL password never reaches a
    terminal, a service journal or a bug report. A URL SQLAlchemy cannot parse still has its
    `user:password@` part masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _USERINFO.sub(lambda m: m[1] + (":***" if m[2] else "") + "@", url)


def scrub(message: str, url: str) -> str:
    """An error message about `url` with its password masked, should a driver quote it back."""
    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        password = None
    message = message.replace(url, shown_url(url))
    return message.replace(str(password), "***") if password else message


_USERINFO = re.compile(r"(://[^:/@\s]*)(:[^@\s]*)?@")


class NoDatabase(Exception):
    """A read-only command was pointed at a SQLite file that does not exist."""


def connect(url: str, *, upgrade: bool = True, create: bool = True) -> Engine:
    """An engine for `url`, with the schema migrated to the newest version unless told not to.
    With `create=False` a missing SQLite file is an error, not a new empty database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not create and not path.exists():
            raise NoDatabase(f"no database at {path}; scan a card into it first, or give --db")
        _create_private(path)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if upgrade:
        upgrade_schema(engine)
    return engine


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # configparser underneath: a '%' in a URL (a password, a search_path option) must be doubled.
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


MIGRATION_LOCK_ID = 0x63617264  # 'card': the PostgreSQL advisory lock migrations take


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Migrate to `revision`, one process at a time: a watcher and a scan opening a new database together
    both ran the first migration, and the second died on "table contact already exists". The second now
    waits for the first, then finds the schema at head."""
    if revision == "head" and stored_revision(engine) == SCHEMA_HEAD:
        return
    with _sqlite_file_lock(engine):
        _upgrade(engine, revision)


def stored_revision(engine: Engine) -> str | None:
    """The schema revision the database records (Alembic's version table), None for a new database.
    Head is final, so a database found there needs no lock: nothing else will migrate it."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return versions[0] if len(versions) == 1 else None


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """SQLite has no lock that spans the migration's DDL and its version check: an flock on a file beside it."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    lock = f"{path}.migrate-lock"
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError:  # a read-only folder: nothing can be migrated there anyway, and reading needs no lock
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        # The holder before us removed the file as it finished: our lock is on a file no one else will open,
        # so take the lock again on the file at that name now.
        try:
            held = os.stat(lock, follow_symlinks=False)
            mine = os.fstat(fd)
            if (held.st_dev, held.st_ino) == (mine.st_dev, mine.st_ino):
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield
    finally:
        # Removed while still held, so no file is left beside the database; a process waiting on it sees
        # the name gone once it has the lock, and starts over (above).
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)  # releases the lock


def _upgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    config = alembic_config(engine)
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        driver = connection.connection.driver_connection  # the sqlite3 or psycopg connection itself
        assert driver is not None  # an open connection has one
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one; with foreign keys on, that
            # drop would cascade and delete every card, phone and position of every contact.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            # Python's sqlite3 opens no transaction before DDL, so each CREATE and ALTER committed on its
            # own: a watcher killed in its first migration left the 0001 tables without a version row, and
            # every later start died on "table contact already exists". Here the migration is one
            # transaction that we begin ourselves, so a kill or an error leaves the file as it was.
            own_handling, driver.isolation_level = driver.isolation_level, None
        try:
            with connection.begin():
                if sqlite:
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                if engine.dialect.name == "postgresql":  # held until this transaction ends
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        finally:
            if sqlite:
                driver.isolation_level = own_handling  # as every session uses it
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def forget_deleted(engine: Engine) -> None:
    """After a delete: make the deleted rows unrecoverable from the files, not just invisible.
    SQLite already overwrote them (secure_delete); the write-ahead log still holds copies until a
    checkpoint empties it. PostgreSQL keeps dead rows until VACUUM reclaims their space."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            # The search index keeps a deleted row's trigrams in its segments until they are merged.
            if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'contact_search'").first():
                conn.exec_driver_sql("INSERT INTO contact_search(contact_search) VALUES ('optimize')")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        elif engine.dialect.name == "postgresql":
            conn.exec_driver_sql("VACUUM card, contact, change, phone, email, address, alias")


def _create_private(path: Path) -> None:
    """Contacts are personal data: the database file is readable by its owner only, and so is
    every folder made for it (mkdir's mode applies to the last folder only, the umask to all)."""
    old = os.umask(0o077)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    finally:
        os.umask(old)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted contacts are overwritten in the file, not just unlinked
    cursor.close()
    # SQLite's lower() folds ASCII only, so a search for "гранит" never found "АО Гранит"; Python's is Unicode.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value
