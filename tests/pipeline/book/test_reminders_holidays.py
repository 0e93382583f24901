"""`cardscan remind`: birthdays and professional holidays of contacts from the sample cards, with the phone to
call and a greeting draft in the contact's language; the holiday rules as the data file states them."""

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Contact
from models.database import connect, sessions
from pipeline.book.editing import edit_contact
from pipeline.book.holidays import professional_days
from pipeline.book.reminders import upcoming
from pipeline.book.store import store_result
from pipeline.cli import main
from pipeline.core.types import CardResult, ScanResult
from pipeline.stages.report import fields_from_dict
from tests.conftest import SAMPLES, label_of


def file_sample(session: Session, image: Path) -> list[int]:
    """The labelled cards of a sample image, filed as a scan of it would file them (no OCR here)."""
    cards = [CardResult(fields_from_dict(card)) for card in label_of(image)["cards"]]
    result = ScanResult(str(image), image.name.ljust(64, "0")[:64], "ok", cards)
    store_result(session, result)
    return [c.contact_id for c in result.cards if c.contact_id is not None]


@pytest.mark.parametrize(("name", "year", "expected"), [
    ("День программиста", 2024, date(2024, 9, 12)), ("День программиста", 2025, date(2025, 9, 13)),
    ("День строителя", 2026, date(2026, 8, 9)), ("День медицинского работника", 2026, date(2026, 6, 21)),
    ("День системного администратора", 2026, date(2026, 7, 31)), ("День юриста", 2026, date(2026, 12, 3)),
    ("День бухгалтера", 2026, date(2026, 11, 21)), ("День учителя", 2026, date(2026, 10, 5)),
    ("День энергетика", 2026, date(2026, 12, 22))])
def test_each_kind_of_date_rule(name: str, year: int, expected: date) -> None:
    (day,) = [d for d in professional_days() if d.ru == name]
    assert day.next_on(date(year, 1, 1)) == expected
    assert day.next_on(expected) == expected  # on the day itself it is today's
    assert day.next_on(date(year, 12, 31)).year == year + 1 or expected == date(year, 12, 31)


def test_remind_shows_a_professional_holiday_and_a_birthday_for_sample_contacts(session: Session) -> None:
    doctor, advisor = file_sample(session, SAMPLES / "multi_page_2cards.jpg")  # Главный врач; Financial Advisor
    file_sample(session, SAMPLES / "multi_page_4cards.jpg")
    sysadmin = session.scalars(select(Contact.id).where(Contact.family_name == "Сверчков")).one()
    edit_contact(session, session.get_one(Contact, advisor), {"birthday": "06-22"})
    found = upcoming(session, date(2026, 6, 15), 50)
    medics = next(r for r in found if r.kind == "holiday" and r.contact_id == doctor)
    assert (medics.on, medics.detail, medics.phone) == (date(2026, 6, 21), "День медицинского работника",
                                                        "+79056566047")  # the mobile, not the office line
    assert medics.greeting == "Богдан Русланович, поздравляю с Днём медицинского работника!"
    birthday = next(r for r in found if r.kind == "birthday")
    assert (birthday.on, birthday.contact_id) == (date(2026, 6, 22), advisor)
    assert birthday.greeting is not None and birthday.greeting.startswith("Happy birthday, Anna!")
    admins = next(r for r in found if r.kind == "holiday" and r.contact_id == sysadmin)
    assert (admins.on, admins.detail) == (date(2026, 7, 31), "День системного администратора")
    # an English-speaking contact outside Russia gets the international days only
    assert not any(r.contact_id == advisor and r.kind == "holiday" and r.detail == "День финансиста" for r in found)


def test_remind_on_the_command_line_prints_the_phone_and_the_draft(tmp_path: Path, sqlite_url: str) -> None:
    db = sqlite_url
    with sessions(connect(db)).begin() as session:
        file_sample(session, SAMPLES / "multi_page_2cards.jpg")
    today = date.today()
    run = CliRunner().invoke(main, ["remind", "--days", "366", "--db", db], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    line = next(line for line in run.stdout.splitlines() if "День медицинского работника" in line)
    assert "+79056566047" in line and line[:10] >= today.isoformat()
    assert "draft: Богдан Русланович, поздравляю с Днём медицинского работника!" in run.stdout


def test_a_name_printed_in_capitals_is_greeted_as_in_a_letter(session: Session) -> None:
    """MARGARET CARRINGTON and ФРОЛОВ МАКАР НИКИТИЧ are printed in capitals on their sample cards."""
    file_sample(session, SAMPLES / "en_minimal_photo_noise.jpg")
    file_sample(session, SAMPLES / "multi_page_4cards.jpg")
    margaret = session.scalars(select(Contact).where(Contact.display_name == "MARGARET CARRINGTON")).one()
    makar = session.scalars(select(Contact).where(Contact.display_name == "ФРОЛОВ МАКАР НИКИТИЧ")).one()
    edit_contact(session, margaret, {"birthday": "1980-06-20"})
    edit_contact(session, makar, {"birthday": "06-21"})
    drafts = {r.contact_id: r.greeting for r in upcoming(session, date(2026, 6, 15), 10) if r.kind == "birthday"}
    assert drafts[margaret.id] == "Happy birthday, Margaret! All the best for the year."
    assert drafts[makar.id] == "Макар Никитич, с днём рождения! Желаю здоровья, радости и удачи во всём."
    assert margaret.display_name == "MARGARET CARRINGTON"  # the contact keeps the card's spelling
