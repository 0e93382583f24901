"""Import round trip: every address, organisation vCards, and our own export coming back (nameless contacts too)."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Address, Card, Contact, Position
from pipeline.book.contacts import contact_detail
from pipeline.book.editing import edit_contact
from pipeline.book.merge import sorted_jobs
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult
from pipeline.formats.importing import import_vcards
from pipeline.formats.record import build_record, select_contacts
from pipeline.formats.vcard import vcards

TWO_ADDRESSES = """BEGIN:VCARD\r
VERSION:3.0\r
N:Сидорова;Анна;;;\r
FN:Анна Сидорова\r
TEL;TYPE=CELL:+7 903 555-12-34\r
ADR;TYPE=WORK:;;ул. Тверская\\, 7;Москва;;125009;Россия\r
ADR;TYPE=HOME:;;Невский пр.\\, 1;Санкт-Петербург;;191025;Россия\r
END:VCARD\r
"""

ORGANISATION = """BEGIN:VCARD\r
VERSION:4.0\r
KIND:org\r
FN:ООО «Ладога»\r
ORG:ООО «Ладога»\r
TEL;VALUE=uri;TYPE=work:tel:+78123334455\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
N:;;;;\r
FN:Globex LLC\r
ORG:Globex LLC;\r
X-ABShowAs:COMPANY\r
TEL;TYPE=WORK:+1 212 736 5000\r
END:VCARD\r
"""


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_every_address_comes_back(session: Session, tmp_path: Path) -> None:
    vcf = tmp_path / "anna.vcf"
    vcf.write_text(TWO_ADDRESSES, encoding="utf-8")
    (anna,) = import_vcards(session, vcf)
    contact = session.get_one(Contact, anna.contact_id)
    assert [a.text for a in contact.addresses] == ["ул. Тверская, 7, Москва, 125009, Россия",
                                                   "Невский пр., 1, Санкт-Петербург, 191025, Россия"]


def test_an_organisation_vcard_is_an_organisation_not_a_person(session: Session, tmp_path: Path) -> None:
    vcf = tmp_path / "companies.vcf"
    vcf.write_text(ORGANISATION, encoding="utf-8")
    cards = import_vcards(session, vcf)
    assert [c.outcome for c in cards] == ["created", "created"]
    for card, company in zip(cards, ["ООО «Ладога»", "Globex LLC"], strict=True):
        contact = session.get_one(Contact, card.contact_id)
        assert contact.display_name is None and contact.aliases == [] and contact.name_keys == []
        assert [p.company for p in contact.positions] == [company]


def shown(session: Session) -> str:
    """Every contact as `contacts show --json` gives it (SQLite hands back times without their zone once reread)."""
    details = [contact_detail(c) for c in select_contacts(session)]
    return json.dumps(details, default=str, ensure_ascii=False).replace("+00:00", "")


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_our_own_export_imported_again_adds_nothing(session: Session, tmp_path: Path, version: str) -> None:
    def scan(sha: str, fields: CardFields) -> int:
        result = ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)])
        store_result(session, result)
        assert result.cards[0].contact_id is not None
        return result.cards[0].contact_id

    scan("a", CardFields(name="Диана Антонова", company="ООО «Ладога»", title="Менеджер",
                         phones=[Phone("+79278473487", "mobile")]))
    scan("b", CardFields(company="ООО «Гранит»", websites=["https://granit.ru"]))  # nameless, no phone or e-mail
    nameless = scan("c", CardFields(title="Бухгалтер", emails=["buh@example.org"]))
    edit_contact(session, session.get_one(Contact, nameless), {"notes": "из бухгалтерии"})
    diana = session.get_one(Contact, 1)
    edit_contact(session, diana, {"hobbies": "рыбалка", "family_status": "замужем", "fact": "собака=Бим",
                                  "spouse": "Пётр", "children": "Анна"})
    before = shown(session)
    contacts_before, jobs_before, cards_before = count(session, Contact), count(session, Position), count(session, Card)
    vcf = tmp_path / "export.vcf"
    vcf.write_text(vcards([build_record(c) for c in select_contacts(session)], version), encoding="utf-8")  # type: ignore[arg-type]
    assert [c.outcome for c in import_vcards(session, vcf)] == ["unchanged"] * 3
    assert [c.outcome for c in import_vcards(session, vcf)] == ["unchanged"] * 3
    assert (count(session, Contact), count(session, Position), count(session, Card)) == (
        contacts_before, jobs_before, cards_before)
    session.expire_all()
    assert shown(session) == before
    # edited on the phone (a number added) and exported back: the number comes in, and what our export folded
    # into NOTE and CATEGORIES does not become notes and interests
    edited = vcf.read_text(encoding="utf-8").replace("END:VCARD", "TEL;TYPE=HOME:+7 495 111-22-33\r\nEND:VCARD", 1)
    vcf.write_text(edited, encoding="utf-8")
    assert [c.outcome for c in import_vcards(session, vcf)] == ["merged", "unchanged", "unchanged"]
    assert "+74951112233" in {p.e164 for p in diana.phones}
    assert (diana.notes, diana.interests, diana.hobbies) == (None, [], ["рыбалка"])
    granit = session.scalars(select(Contact).join(Contact.positions).where(Position.title.is_(None))).one()
    assert granit.display_name is None and [j.company for j in sorted_jobs(granit.positions)] == ["ООО «Гранит»"]
    assert count(session, Address) == 0
