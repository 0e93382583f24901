"""After a job change the current job's phone and e-mail come first (list, search, remind, CSV exports), unless a
phone was preferred by hand; on SQLite and PostgreSQL."""

import csv
import io
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from models import Contact
from pipeline.book.contacts import contact_summary, list_contacts, search_contacts
from pipeline.book.editing import edit_contact
from pipeline.book.reminders import upcoming
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult
from pipeline.formats.csv_formats import google_csv, outlook_csv
from pipeline.formats.record import build_record

OLD, NEW = datetime(2024, 3, 1, tzinfo=UTC), datetime(2026, 9, 1, tzinfo=UTC)
MOBILE = "+447549218891"


def card(session: Session, sha: str, company: str, work: str, email: str, taken: datetime) -> Contact:
    fields = CardFields(name="Thomas Richter", company=company, title="Art Director", emails=[email],
                        phones=[Phone(work, "work"), Phone(MOBILE, "mobile")])
    result = ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)], taken_at=taken)
    store_result(session, result)
    return session.get_one(Contact, result.cards[0].contact_id)


def test_after_a_job_change_the_current_jobs_phone_and_email_come_first(session: Session) -> None:
    contact = card(session, "a", "Greenfield Agritech", "+441413452614", "thomas.richter@greenfield-agritech.com",
                   OLD)
    assert card(session, "b", "Riverbend Studios Ltd", "+441223907114", "t.richter@riverbend-studios.co.uk",
                NEW).id == contact.id
    # an even older card of the first job, scanned last: the dates decide, not the order of scanning
    assert card(session, "c", "Greenfield Agritech", "+441413450000", "info@greenfield-agritech.com",
                datetime(2023, 1, 1, tzinfo=UTC)).id == contact.id
    edit_contact(session, contact, {"follow_up": "2026-12-07"})
    new_phone, new_mail = "+441223907114", "t.richter@riverbend-studios.co.uk"
    session.expire_all()
    for summary in (contact_summary(contact), list_contacts(session)[0], search_contacts(session, "Richter")[0]):
        assert summary["company"] == "Riverbend Studios Ltd"
        assert (summary["phones"][0]["number"], summary["emails"][0]) == (new_phone, new_mail)
    (reminder,) = upcoming(session, date(2026, 12, 7), 0)
    assert (reminder.phone, reminder.email) == (MOBILE, new_mail)  # remind calls a mobile first, as before
    record = build_record(contact)
    (google,) = csv.DictReader(io.StringIO(google_csv([record])))
    assert (google["E-mail 1 - Label"], google["E-mail 1 - Value"]) == ("* Work", new_mail)
    (outlook,) = csv.DictReader(io.StringIO(outlook_csv([record])))
    assert outlook["Business Phone"] == "+44 1223 907114" and outlook["E-mail Address"] == new_mail
    # a phone preferred by hand leads everywhere
    edit_contact(session, contact, {"preferred_phone": "+441413452614"})
    session.expire_all()
    assert search_contacts(session, "Richter")[0]["phones"][0]["number"] == "+441413452614"
    assert contact_summary(contact)["phones"][0]["number"] == "+441413452614"
    assert upcoming(session, date(2026, 12, 7), 0)[0].phone == "+441413452614"
    (outlook,) = csv.DictReader(io.StringIO(outlook_csv([build_record(contact)])))
    assert outlook["Business Phone"] == "+44 141 345 2614" and outlook["Primary Phone"] == "+44 141 345 2614"
