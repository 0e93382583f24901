"""Contacts for the export, import and sync tests, made the way cardscan makes them: scanned cards, then
hand edits."""


from sqlalchemy.orm import Session

from models import Contact
from pipeline.book.editing import edit_contact
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, NameParts, Phone, ScanResult

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 3 + b"\xff\xd9"  # JPEG markers around arbitrary bytes


def scan(session: Session, sha: str, fields: CardFields, crop: bytes | None = None) -> int:
    result = ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields, crop=crop)])
    store_result(session, result)
    contact_id = result.cards[0].contact_id
    assert contact_id is not None
    return contact_id


def make_petrov(session: Session) -> Contact:
    """A Russian card, its English back, and what the user added by hand."""
    front = CardFields(
        name="Петров Иван Сергеевич", name_parts=NameParts(given="Иван", middle="Сергеевич", family="Петров"),
        company="ООО «Ромашка»", department="Отдел продаж", title="Директор по развитию; регионы, филиалы",
        phones=[Phone("+79161234567", "mobile"), Phone("+74951234567", "work", "123"), Phone("+74951234568", "fax")],
        emails=["ivan.petrov@romashka.ru"], websites=["https://romashka.ru"],
        address="г. Москва, ул. Ленина, д. 1, офис 5", social=["https://t.me/ivanpetrov"])
    contact_id = scan(session, "a", front, crop=PHOTO)
    back = CardFields(name="Ivan Petrov", name_parts=NameParts(given="Ivan", family="Petrov"),
                      phones=[Phone("+79161234567", "mobile")], emails=["ivan@romashka.com"])
    assert scan(session, "b", back) == contact_id
    contact = session.get(Contact, contact_id)
    assert contact is not None
    edit_contact(session, contact, {"birthday": "05-17", "interests": "яхты, логистика",
                                    "notes": "Хочет прайс-лист;\nзвонить после 18:00, не раньше",
                                    "preferred_phone": "+79161234567", "follow_up": "2026-12-01",
                                    "met_at": "Иннопром 2026"})
    return contact


def make_smith(session: Session) -> Contact:
    fields = CardFields(name="Jane Smith", name_parts=NameParts(given="Jane", family="Smith"), company="Globex LLC",
                        title="CTO", phones=[Phone("+14155550123", "work")], emails=["jane@globex.com"])
    contact = session.get(Contact, scan(session, "c", fields))
    assert contact is not None
    edit_contact(session, contact, {"birthday": "1980-02-29"})
    return contact
