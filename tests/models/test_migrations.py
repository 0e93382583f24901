"""The Alembic migrations build exactly the schema the models describe."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from models import Base
from models.database import connect


def test_migrations_match_models(db_url: str) -> None:
    engine = connect(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert {"contact", "card", "phone", "email", "website", "alembic_version"} <= set(inspect(engine).get_table_names())


def test_database_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "made" / "for" / "it" / "c.db"
    engine = connect(f"sqlite:///{db}")
    assert db.stat().st_mode & 0o077 == 0
    assert all(d.stat().st_mode & 0o077 == 0 for d in (db.parent, db.parent.parent, db.parent.parent.parent))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
