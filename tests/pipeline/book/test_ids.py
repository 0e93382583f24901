"""Contact ids are never reused: an id printed yesterday names the same person today, or no one."""

from sqlalchemy import text
from sqlalchemy.orm import Session

from models import Contact
from models.database import connect, sessions, upgrade_schema
from pipeline.book.editing import delete_contact


def test_deleting_the_newest_contact_does_not_free_its_id(session: Session) -> None:
    first, newest = Contact(display_name="Иван Петров"), Contact(display_name="Jane Doe")
    session.add_all([first, newest])
    session.flush()
    deleted_id = newest.id
    delete_contact(session, newest)
    again = Contact(display_name="Someone Else")
    session.add(again)
    session.flush()
    assert again.id > deleted_id


def test_a_database_made_before_keeps_its_ids_and_stops_reusing_them(empty_db_url: str) -> None:
    engine = connect(empty_db_url, upgrade=False)
    upgrade_schema(engine, "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO contact (id, display_name, interests, edited_fields, created_at, updated_at) "
                          "VALUES (7, 'Иван Петров', '[]', '[]', '2026-01-02 03:04:05+00:00', "
                          "'2026-01-02 03:04:05+00:00')"))
        if engine.dialect.name == "postgresql":  # explicit ids do not move a sequence; our inserts never give one
            conn.execute(text("SELECT setval(pg_get_serial_sequence('contact', 'id'), 7)"))
        conn.execute(text("INSERT INTO card (contact_id, source_path, sha256, card_index, page, ocr_text, fields, "
                          "scanned_at) VALUES (7, '/a.jpg', 'ab', 0, 0, '', '{}', '2026-01-02 03:04:05+00:00')"))
        conn.execute(text("INSERT INTO phone (contact_id, e164, type) VALUES (7, '+79278473487', 'mobile')"))
    upgrade_schema(engine)
    with sessions(engine).begin() as session:
        petrov = session.get(Contact, 7)
        assert petrov is not None and [c.source_path for c in petrov.cards] == ["/a.jpg"]
        assert "иван петров" in petrov.search_text and "89278473487" in petrov.search_text  # filled in
        delete_contact(session, petrov)
        session.flush()
        newcomer = Contact(display_name="Jane Doe")
        session.add(newcomer)
        session.flush()
        assert newcomer.id == 8
    engine.dispose()
