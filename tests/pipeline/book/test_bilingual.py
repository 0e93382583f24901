"""The English side of a bilingual card: its company and title are kept as the job's other-language form,
searched and exported; on SQLite and PostgreSQL."""

import pytest
from sqlalchemy.orm import Session

from models import Contact
from pipeline.book.contacts import search_contacts
from pipeline.book.merge import sorted_jobs
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult
from pipeline.formats.record import build_record
from pipeline.formats.vcard import vcard4

FRONT = CardFields(name="Диана Антонова", company="ООО «Ладога»", title="Менеджер по персоналу",
                   phones=[Phone("+79278473487", "mobile")])
BACK = CardFields(name="Diana Antonova", company="Ladoga LLC", title="HR Manager",
                  phones=[Phone("+79278473487", "mobile")])


@pytest.mark.parametrize("order", [(FRONT, BACK), (BACK, FRONT)], ids=["russian-first", "english-first"])
def test_both_sides_of_the_job_are_kept_searched_and_exported(session: Session,
                                                             order: tuple[CardFields, CardFields]) -> None:
    for sha, fields in zip("ab", order, strict=True):
        result = ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)])
        store_result(session, result)
    contact = session.get_one(Contact, result.cards[0].contact_id)
    (job,) = sorted_jobs(contact.positions)
    assert (job.company, job.title, job.alt_company, job.alt_title) == (
        "ООО «Ладога»", "Менеджер по персоналу", "Ladoga LLC", "HR Manager")
    assert [c["id"] for c in search_contacts(session, "hr manager")] == [contact.id]
    assert [c["id"] for c in search_contacts(session, "LADOGA LLC")] == [contact.id]
    card = vcard4(build_record(contact))
    assert "ORG;ALTID=2;LANGUAGE=ru:ООО «Ладога»" in card and "ORG;ALTID=2;LANGUAGE=en:Ladoga LLC" in card
    assert "TITLE;ALTID=3;LANGUAGE=en:HR Manager" in card
