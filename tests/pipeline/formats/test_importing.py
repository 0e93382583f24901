"""`cardscan import FILE.vcf`: vCards filed through the same dedupe and merge as scanned cards."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Contact
from models.database import connect, sessions
from pipeline.core.types import NO_YEAR
from pipeline.formats.importing import VCardError, import_vcards
from pipeline.formats.record import build_record, select_contacts
from pipeline.formats.vcard import vcards

from .people import make_petrov, make_smith

PHONE_EXPORT = """BEGIN:VCARD\r
VERSION:3.0\r
PRODID:-//Apple Inc.//iPhone OS 17.0//EN\r
N:Сидорова;Анна;Павловна;;\r
FN:Анна Павловна Сидорова\r
ORG:Globex;\r
TITLE:Бухгалтер\r
item1.TEL;type=CELL;type=VOICE;type=pref:+7 (903) 555-12-34\r
TEL;type=HOME;type=VOICE:8 495 765-43-21\r
EMAIL;type=INTERNET;type=HOME;type=pref:anna@example.org\r
item2.ADR;type=HOME:;;ул. Тверская\\, 7;Москва;;125009;Россия\r
BDAY:1990-03-08\r
NOTE:Соседка по даче\r
END:VCARD\r
"""




def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Contact)) or 0


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_exported_contacts_come_back_whole_and_a_second_import_changes_nothing(
        session: Session, db_url: str, tmp_path: Path, version: str) -> None:
    make_petrov(session)
    make_smith(session)
    vcf = tmp_path / "contacts.vcf"
    vcf.write_text(vcards([build_record(c) for c in select_contacts(session)], version), encoding="utf-8")  # type: ignore[arg-type]

    other = connect(f"sqlite:///{tmp_path / 'other.db'}")
    with sessions(other).begin() as target:
        assert [c.outcome for c in import_vcards(target, vcf)] == ["created", "created"]
        petrov = target.scalars(select(Contact).where(Contact.display_name.like("Петров%"))).one()
        assert (petrov.given_name, petrov.middle_name, petrov.family_name) == ("Иван", "Сергеевич", "Петров")
        assert [a.name for a in petrov.aliases] == ["Ivan Petrov"]
        assert {(p.e164, p.type, p.extension) for p in petrov.phones} == {
            ("+79161234567", "mobile", None), ("+74951234567", "work", "123"), ("+74951234568", "fax", None)}
        assert petrov.preferred_phone == "+79161234567"
        assert sorted(e.address for e in petrov.emails) == ["ivan.petrov@romashka.ru", "ivan@romashka.com"]
        (job,) = petrov.current_positions
        assert (job.company, job.department, job.title) == (
            "ООО «Ромашка»", "Отдел продаж", "Директор по развитию; регионы, филиалы")
        assert petrov.birthday == date(NO_YEAR, 5, 17)
        assert petrov.interests == ["яхты", "логистика"]
        assert petrov.notes == "Хочет прайс-лист;\nзвонить после 18:00, не раньше"
        assert [a.text for a in petrov.addresses] == ["г. Москва, ул. Ленина, д. 1, офис 5"]
        assert [s.url for s in petrov.socials] == ["https://t.me/ivanpetrov"]
        assert [w.url for w in petrov.websites] == ["https://romashka.ru"]
        smith = target.scalars(select(Contact).where(Contact.display_name == "Jane Smith")).one()
        assert smith.birthday == date(1980, 2, 29)

        assert [c.outcome for c in import_vcards(target, vcf)] == ["unchanged", "unchanged"]
        assert _count(target) == 2
    other.dispose()


def test_a_phone_export_merges_into_the_scanned_contact(session: Session, tmp_path: Path) -> None:
    make_smith(session)
    vcf = tmp_path / "iphone.vcf"
    vcf.write_text(PHONE_EXPORT + PHONE_EXPORT.replace("+7 (903) 555-12-34", "+1 415 555 0123")
                   .replace("Анна Павловна Сидорова", "Jane Smith").replace("N:Сидорова;Анна;Павловна;;",
                                                                           "N:Smith;Jane;;;"), encoding="utf-8")
    anna, jane = import_vcards(session, vcf)
    assert anna.outcome == "created" and jane.outcome == "merged"
    contact = session.get(Contact, anna.contact_id)
    assert contact is not None
    assert (contact.family_name, contact.given_name, contact.middle_name) == ("Сидорова", "Анна", "Павловна")
    assert {(p.e164, p.type) for p in contact.phones} == {("+79035551234", "mobile"), ("+74957654321", "home")}
    assert contact.preferred_phone == "+79035551234"
    assert [a.text for a in contact.addresses] == ["ул. Тверская, 7, Москва, 125009, Россия"]
    assert contact.birthday == date(1990, 3, 8) and contact.notes == "Соседка по даче"
    assert contact.cards[0].source_path == str(vcf) and contact.cards[0].ocr_text == ""
    assert _count(session) == 2


def test_a_file_that_is_not_a_vcard_is_one_clear_error(session: Session, tmp_path: Path) -> None:
    bad = tmp_path / "notes.vcf"
    bad.write_text("BEGIN:VCARD\r\nthis is not a property line\r\n", encoding="utf-8")
    with pytest.raises(VCardError, match="not a readable vCard file"):
        import_vcards(session, bad)
