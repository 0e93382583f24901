"""`contacts search`: any case in both scripts, every field a networker keeps, phones in any form;
on SQLite and PostgreSQL."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from models import Contact
from pipeline.book.contacts import search_contacts
from pipeline.book.editing import edit_contact
from pipeline.book.search import refresh_search_text
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, NameParts, Phone, ScanResult
from pipeline.extract.searchtext import fold_text, query_forms, search_text


def scan(session: Session, sha: str, fields: CardFields) -> Contact:
    result = ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)])
    store_result(session, result)
    contact = session.get(Contact, result.cards[0].contact_id)
    assert contact is not None
    return contact


def found(session: Session, text: str) -> list[int]:
    return [row["id"] for row in search_contacts(session, text)]


@pytest.fixture
def people(session: Session) -> tuple[Contact, Contact]:
    diana = scan(session, "a", CardFields(
        name="Диана Игнатьевна Антонова", name_parts=NameParts(given="Диана", middle="Игнатьевна", family="Антонова"),
        company="ООО «ГРАНИТ»", title="Менеджер по персоналу", phones=[Phone("+79278473487", "mobile")],
        emails=["antonova@granit.ru"], address="г. Санкт-Петербург, Невский пр., 1"))
    edit_contact(session, diana, {"interests": "Яхты, логистика", "notes": "Обещала прислать ПРАЙС",
                                  "met_at": "Иннопром 2026"})
    jane = scan(session, "b", CardFields(name="Jane Smith", company="Ladoga Shipping LLC", title="CTO",
                                         phones=[Phone("+442079460018", "work")]))
    return diana, jane


@pytest.mark.parametrize("query", ["Гранит", "гранит", "ГРАНИТ", "granit", "менеджер", "МЕНЕДЖЕР", "Антонова",
                                   "антонова", "яхты", "ЯХТЫ", "прайс", "иннопром", "ИННОПРОМ 2026", "невский"])
def test_russian_words_are_found_in_any_case_in_every_field(session: Session, people: tuple[Contact, Contact],
                                                          query: str) -> None:
    diana, _ = people
    assert found(session, query) == [diana.id]


@pytest.mark.parametrize("query", ["89278473487", "8 927 847-34-87", "+7 (927) 847-34-87", "9278473487",
                                   "79278473487"])
def test_a_russian_mobile_is_found_in_its_national_and_international_forms(
        session: Session, people: tuple[Contact, Contact], query: str) -> None:
    diana, _ = people
    assert found(session, query) == [diana.id]


def test_a_british_number_is_found_in_its_national_form_and_latin_text_in_any_case(
        session: Session, people: tuple[Contact, Contact]) -> None:
    _, jane = people
    assert found(session, "020 7946 0018") == [jane.id]
    assert found(session, "LADOGA") == [jane.id]
    assert found(session, "cto") == [jane.id]
    assert found(session, "100%") == []  # LIKE wildcards in the query are plain characters


def test_a_former_job_is_still_found(session: Session, people: tuple[Contact, Contact]) -> None:
    diana, _ = people
    scan(session, "c", CardFields(name="Диана Антонова", company="АО «Ладога»", title="Директор по персоналу",
                                  phones=[Phone("+79278473487", "mobile")]))
    assert len(diana.positions) == 2
    assert diana.id in found(session, "гранит") and diana.id in found(session, "ЛАДОГА")


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяABCdefXYZ -", min_size=1, max_size=30))
def test_folding_makes_the_stored_text_find_itself_in_either_case(text: str) -> None:
    stored = search_text([text], [])
    for query in (text, text.upper(), text.lower()):
        needles = query_forms(query)
        assert not fold_text(text) or any(n in stored for n in needles)


@pytest.mark.slow
def test_search_stays_fast_with_ten_thousand_contacts(session: Session) -> None:
    contacts = []
    for i in range(10_000):
        contact = Contact(display_name=f"Контакт Номер{i}", notes=f"заметка {i}", interests=["яхты"])
        refresh_search_text(contact)
        contacts.append(contact)
    session.add_all(contacts)
    session.flush()
    times = []
    for query in ("НОМЕР9999", "заметка 5", "nomer123", "нет такого", "89278473487"):
        start = time.perf_counter()
        search_contacts(session, query)
        times.append(time.perf_counter() - start)
    times.sort()
    assert times[len(times) // 2] < 0.1, times  # the median; it measures about 10-20 ms here


def test_the_search_index_follows_edits_and_deletes(session: Session, people: tuple[Contact, Contact]) -> None:
    from pipeline.book.editing import delete_contact

    diana, _ = people
    edit_contact(session, diana, {"notes": "Перезвонить в ЯНВАРЕ"})
    session.flush()
    assert found(session, "прайс") == [] and found(session, "январе") == [diana.id]
    delete_contact(session, diana)
    assert found(session, "январе") == [] and found(session, "гранит") == []


def test_search_rows_are_the_rows_list_shows(session: Session, people: tuple[Contact, Contact]) -> None:
    """Search reads its rows as plain tuples, list through the ORM: the two must agree field for field."""
    from pipeline.book.contacts import list_contacts

    diana, _ = people
    scan(session, "c", CardFields(name="Диана Антонова", company="АО «Профиль»", title="Арт-директор",
                                  phones=[Phone("+79278473487", "mobile"), Phone("+73452409196", "work")]))
    edit_contact(session, diana, {"birthday": "02-29"})
    session.flush()
    assert search_contacts(session, "4") == list_contacts(session)  # in every phone; one character: via LIKE
    assert search_contacts(session, "антонова") == [r for r in list_contacts(session) if r["id"] == diana.id]

