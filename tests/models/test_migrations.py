"""The Alembic migrations build exactly the schema the models describe."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from models import Base
from models.base import is_search_index
from models.database import connect


def test_migrations_match_models(empty_db_url: str) -> None:
    from models.database import stored_revision, upgrade_schema

    engine = connect(empty_db_url, upgrade=False)
    assert stored_revision(engine) is None and inspect(engine).get_table_names() == []  # every migration runs
    upgrade_schema(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "include_name": lambda name, type_, parent: not is_search_index(name, type_, parent)})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    assert {"contact", "card", "phone", "email", "website", "alembic_version"} <= set(inspect(engine).get_table_names())


def test_the_tests_database_at_head_is_what_the_migrations_make(db_url: str) -> None:
    """`db_url` is migrated once per test process and copied (SQLite) or emptied (PostgreSQL) for each test: it
    must stay what a new database is after `connect`, at the head, private, with no rows."""
    from sqlalchemy import func, select

    from models.database import SCHEMA_HEAD, stored_revision

    if db_url.startswith("sqlite"):
        assert Path(db_url.removeprefix("sqlite:///")).stat().st_mode & 0o777 == 0o600
    engine = connect(db_url, upgrade=False)
    assert stored_revision(engine) == SCHEMA_HEAD
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "include_name": lambda name, type_, parent: not is_search_index(name, type_, parent)})
        assert compare_metadata(context, Base.metadata) == []
        assert all(conn.scalar(select(func.count()).select_from(t)) == 0 for t in Base.metadata.sorted_tables)
    engine.dispose()


def test_database_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "made" / "for" / "it" / "c.db"
    engine = connect(f"sqlite:///{db}")
    assert db.stat().st_mode & 0o077 == 0
    assert all(d.stat().st_mode & 0o077 == 0 for d in (db.parent, db.parent.parent, db.parent.parent.parent))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_upgrading_a_first_version_database_keeps_jobs_and_addresses(empty_db_url: str) -> None:
    from sqlalchemy import select, text

    from models import Address, Contact, NameKey, Position
    from models.database import sessions, upgrade_schema

    engine = connect(empty_db_url, upgrade=False)
    upgrade_schema(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO contact (id, display_name, company, title, department, address, created_at, updated_at) "
            "VALUES (1, 'Иван Петров', 'ООО «Ромашка»', 'Директор', 'Продажи', 'г. Москва, ул. Ленина, д. 1', "
            "'2026-01-02 03:04:05+00:00', '2026-01-02 03:04:05+00:00'), "
            "(2, 'Jane Doe', 'Romashka LLC', NULL, NULL, NULL, '2026-01-02 03:04:05+00:00', "
            "'2026-01-02 03:04:05+00:00')"))
        conn.execute(text(
            "INSERT INTO card (contact_id, source_path, sha256, card_index, page, ocr_text, fields, scanned_at) "
            "VALUES (1, '/a.jpg', 'ab', 0, 0, 'Иван Петров', '{}', '2026-01-02 03:04:05+00:00')"))
    upgrade_schema(engine)
    with sessions(engine)() as session:
        jobs = session.scalars(select(Position).order_by(Position.contact_id)).all()
        assert [(p.contact_id, p.company, p.title, p.department) for p in jobs] == [
            (1, "ООО «Ромашка»", "Директор", "Продажи"), (2, "ООО «Ромашка»", None, None)]  # one organisation
        assert session.scalar(select(Address.text)) == "г. Москва, ул. Ленина, д. 1"
        assert set(session.scalars(select(NameKey.key).where(NameKey.contact_id == 1))) == {"vn", "ptrv"}
        assert session.get(Contact, 1).interests == []
        # SQLite rebuilds the contact table: its cards must not go with the old one
        assert [c.source_path for c in session.get(Contact, 1).cards] == ["/a.jpg"]


@pytest.mark.slow
def test_a_watcher_and_a_command_can_write_at_once(tmp_path: Path) -> None:
    """Two processes filing cards into one SQLite file at the same time: both finish, nothing is lost."""
    import multiprocessing

    url = f"sqlite:///{tmp_path / 'c.db'}"
    connect(url).dispose()
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        pool.starmap(_file_cards, [(url, "a"), (url, "b")])
    from sqlalchemy import func, select

    from models import Card, Contact
    from models.database import sessions

    with sessions(connect(url))() as session:
        assert session.scalar(select(func.count()).select_from(Card)) == 40
        assert session.scalar(select(func.count()).select_from(Contact)) == 40


def _file_cards(url: str, prefix: str) -> None:
    from models.database import sessions
    from pipeline.book.store import store_result
    from pipeline.core.types import CardFields, CardResult, Phone, ScanResult

    maker = sessions(connect(url))
    for i in range(20):
        fields = CardFields(name=f"Person {prefix}{i}", phones=[Phone(f"+1415555{ord(prefix)}{i:03d}", "mobile")])
        with maker.begin() as session:
            store_result(session, ScanResult(f"/{prefix}{i}.jpg", f"{prefix}{i:03d}".ljust(64, "0"), "ok",
                                             [CardResult(fields)]))


def test_the_review_queue_column_is_back_filled_from_each_cards_doubts(empty_db_url: str) -> None:
    """Migration 0009: cards filed before it join the queue as they would be filed now."""
    from sqlalchemy import select, text

    from models import Card
    from models.database import sessions, upgrade_schema
    from pipeline.book.review import review_queue

    engine = connect(empty_db_url, upgrade=False)
    upgrade_schema(engine, "0008")
    cards = [("a", None, 1, '{"confidence": {"name": 0.95}}'), ("b", None, 1, '{"confidence": {"name": 0.42}}'),
             ("c", None, 1, '{"guesses": ["company"]}'), ("d", "pending", None, '{"confidence": {"name": 0.9}}'),
             ("e", "checked", 1, '{"confidence": {"name": 0.1}}'), ("f", None, 1, "{}")]
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO contact (id, search_text, interests, edited_fields, children, hobbies, facts, "
                          "created_at, updated_at) VALUES (1, '', '[]', '[]', '[]', '[]', '{}', "
                          "'2026-01-02 03:04:05+00:00', '2026-01-02 03:04:05+00:00')"))
        for sha, review, contact, fields in cards:
            conn.execute(text("INSERT INTO card (contact_id, source_path, sha256, card_index, page, ocr_text, fields, "
                              "review, scanned_at) VALUES (:contact, :path, :sha, 0, 0, '', :fields, :review, "
                              "'2026-01-02 03:04:05+00:00')"),
                         {"contact": contact, "path": f"/{sha}.jpg", "sha": sha, "fields": fields, "review": review})
    upgrade_schema(engine)
    with sessions(engine)() as session:
        assert [c.sha256 for c in review_queue(session)] == ["d", "b", "c"]
        assert session.scalar(select(Card.lines).where(Card.sha256 == "a")) is None


def test_schema_head_is_alembics_head() -> None:
    """A database at SCHEMA_HEAD is opened without running Alembic: a migration added without moving it would
    never be applied to existing databases."""
    from alembic.script import ScriptDirectory

    from models.database import MIGRATIONS, SCHEMA_HEAD

    scripts = ScriptDirectory(str(MIGRATIONS))
    assert scripts.get_heads() == [SCHEMA_HEAD]


def test_a_database_at_head_opens_without_alembic_and_an_older_one_is_upgraded(tmp_path: Path) -> None:
    """In a fresh process: opening a current database imports no Alembic; one a migration behind is brought to head."""
    import subprocess
    import sys

    from models.database import SCHEMA_HEAD, stored_revision, upgrade_schema

    current, older = tmp_path / "current.db", tmp_path / "older.db"
    connect(f"sqlite:///{current}")
    upgrade_schema(connect(f"sqlite:///{older}", upgrade=False), "0008")
    probe = ("import sys; from models.database import connect, stored_revision; "
             "engine = connect(sys.argv[1]); print(stored_revision(engine), 'alembic' in sys.modules)")
    root = Path(__file__).resolve().parents[2]
    runs = {db.name: subprocess.run([sys.executable, "-c", probe, f"sqlite:///{db}"], cwd=root, check=True,
                                    capture_output=True, text=True).stdout.split() for db in (current, older)}
    assert runs == {"current.db": [SCHEMA_HEAD, "False"], "older.db": [SCHEMA_HEAD, "True"]}
    assert stored_revision(connect(f"sqlite:///{older}", upgrade=False)) == SCHEMA_HEAD


def test_upgrading_indexes_the_phones_e_mails_and_company_cards_hold(empty_db_url: str) -> None:
    """0010 back-fills `held_key` from the cards in the review queue, so a card filed before it still finds the
    next photo of itself."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from models.database import upgrade_schema

    engine = connect(empty_db_url, upgrade=False)
    upgrade_schema(engine, "0009")
    card = sa.table("card", sa.column("id", sa.Integer), sa.column("source_path", sa.String),
                    sa.column("sha256", sa.String), sa.column("card_index", sa.Integer), sa.column("page", sa.Integer),
                    sa.column("ocr_text", sa.String), sa.column("fields", sa.JSON), sa.column("to_review", sa.Boolean),
                    sa.column("scanned_at", sa.DateTime))
    now = datetime.now(UTC)
    held = {"phones": [{"number": "+551122949484", "type": "work"}], "emails": ["a@b.br"],
            "company": "AUTOSOCORRO R. OLIVEIRA", "held": ["phones", "company"]}
    with engine.begin() as conn:
        conn.execute(card.insert(), [
            {"id": 1, "source_path": "/a.jpg", "sha256": "a", "card_index": 0, "page": 0, "ocr_text": "",
             "fields": held, "to_review": True, "scanned_at": now},
            {"id": 2, "source_path": "/b.jpg", "sha256": "b", "card_index": 0, "page": 0, "ocr_text": "",
             "fields": held | {"held": []}, "to_review": False, "scanned_at": now}])
    upgrade_schema(engine)
    with engine.connect() as conn:
        rows = set(conn.execute(sa.text("SELECT card_id, kind, value FROM held_key")).all())
    assert rows == {(1, "phone", "+551122949484"), (1, "org", "autosocorro r oliveira")}
    engine.dispose()


def test_upgrading_indexes_all_a_card_waiting_for_a_same_person_answer_read(empty_db_url: str) -> None:
    """0011: a card waiting on a same-person question holds everything it read (it is in no contact), so its next
    photo finds it by a phone the reading was sure of too; a filed card keeps only what it holds."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from models.database import upgrade_schema

    engine = connect(empty_db_url, upgrade=False)
    upgrade_schema(engine, "0010")
    card = sa.table("card", sa.column("id", sa.Integer), sa.column("source_path", sa.String),
                    sa.column("sha256", sa.String), sa.column("card_index", sa.Integer), sa.column("page", sa.Integer),
                    sa.column("ocr_text", sa.String), sa.column("fields", sa.JSON), sa.column("to_review", sa.Boolean),
                    sa.column("review", sa.String), sa.column("scanned_at", sa.DateTime))
    held_key = sa.table("held_key", sa.column("card_id", sa.Integer), sa.column("kind", sa.String),
                        sa.column("value", sa.String))
    now = datetime.now(UTC)
    read = {"name": "Anna Lee", "phones": [{"number": "+14155550199", "type": "work"}], "emails": ["anna@globex.com"],
            "company": "Globex Corp", "held": ["emails"]}
    with engine.begin() as conn:
        conn.execute(card.insert(), [
            {"id": 1, "source_path": "/a.jpg", "sha256": "a", "card_index": 0, "page": 0, "ocr_text": "",
             "fields": read, "to_review": True, "review": "pending", "scanned_at": now},
            {"id": 2, "source_path": "/b.jpg", "sha256": "b", "card_index": 0, "page": 0, "ocr_text": "",
             "fields": read, "to_review": True, "review": None, "scanned_at": now}])
        conn.execute(held_key.insert(), [{"card_id": 1, "kind": "email", "value": "anna@globex.com"},
                                         {"card_id": 2, "kind": "email", "value": "anna@globex.com"}])
    upgrade_schema(engine)
    with engine.connect() as conn:
        rows = set(conn.execute(sa.text("SELECT card_id, kind, value FROM held_key")).all())
        waits = conn.execute(sa.text("SELECT waits_on_id FROM card ORDER BY id")).scalars().all()
    assert rows == {(1, "phone", "+14155550199"), (1, "email", "anna@globex.com"), (1, "org", "globex"),
                    (2, "email", "anna@globex.com")}
    assert waits == [None, None]
    engine.dispose()
