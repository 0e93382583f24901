"""Opening a SQLite database leaves nothing beside it: the migration lock file goes when the migration is done,
and the lock still lets one process at a time through."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from models.database import _sqlite_file_lock, connect


def test_no_lock_file_stays_beside_the_database(tmp_path: Path) -> None:
    connect(f"sqlite:///{tmp_path / 'contacts.db'}").dispose()
    connect(f"sqlite:///{tmp_path / 'contacts.db'}").dispose()  # and again, on a database at head
    assert sorted(p.name for p in tmp_path.iterdir() if "lock" in p.name) == []


def test_the_lock_is_still_one_at_a_time_after_its_file_is_removed(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'contacts.db'}")
    inside, events = 0, []
    most = 0
    lock = threading.Lock()

    def hold(name: str) -> None:
        nonlocal inside, most
        with _sqlite_file_lock(engine):
            with lock:
                inside += 1
                most = max(most, inside)
            events.append(f"{name} in")
            threading.Event().wait(0.2)
            with lock:
                inside -= 1
            events.append(f"{name} out")

    threads = [threading.Thread(target=hold, args=(str(i),)) for i in range(4)]
    # The second waits on the first one's file; the third and fourth come after the first removed it, while the
    # second holds the lock on the removed file: they must wait for it all the same.
    for t, pause in zip(threads, (0.05, 0.2, 0.05, 0), strict=True):
        t.start()
        threading.Event().wait(pause)
    for t in threads:
        t.join(timeout=30)
    assert most == 1 and len(events) == 8
    assert not (tmp_path / "contacts.db.migrate-lock").exists()


def test_a_migration_that_stops_half_way_leaves_a_new_sqlite_file_empty(tmp_path: Path, monkeypatch) -> None:
    """A watcher killed during its first migration left 0001's tables committed and no version row, and every
    later start failed on "table contact already exists". The migration is one transaction now."""
    from alembic import command

    from models import database

    real_upgrade = command.upgrade

    def stops_after_0001(config, revision: str) -> None:  # type: ignore[no-untyped-def]
        real_upgrade(config, "0001")
        raise KeyboardInterrupt  # what a kill looks like from inside: nothing after this line runs

    url = f"sqlite:///{tmp_path / 'contacts.db'}"
    monkeypatch.setattr(command, "upgrade", stops_after_0001)
    with pytest.raises(KeyboardInterrupt):
        connect(url)
    monkeypatch.setattr(command, "upgrade", real_upgrade)
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars().all()
    assert tables == []
    engine = connect(url)  # the next start migrates from the beginning
    assert database.stored_revision(engine) == database.SCHEMA_HEAD
