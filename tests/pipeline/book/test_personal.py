"""Personal facts, removals by hand, introductions and "who do I know at X"; on SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from models import Contact
from pipeline.book.contacts import contact_detail, people_at, search_contacts
from pipeline.book.editing import EditError, delete_contact, edit_contact, merge_contacts
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult
from pipeline.formats.record import build_record
from pipeline.formats.vcard import vcard3, vcard4


def scan(session: Session, sha: str, fields: CardFields, taken: datetime | None = None) -> Contact:
    result = ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)], taken_at=taken)
    store_result(session, result)
    return session.get_one(Contact, result.cards[0].contact_id)


def test_family_and_facts_are_kept_searched_and_exported(session: Session) -> None:
    petrov = scan(session, "a", CardFields(name="Иван Петров", phones=[Phone("+79161234567", "mobile")]))
    edit_contact(session, petrov, {"family_status": "женат", "spouse": "Мария", "children": "Анна, Пётр",
                                   "hobbies": "рыбалка, шахматы", "interests": "логистика"})
    edit_contact(session, petrov, {"fact": "собака=Бим"})
    detail = contact_detail(petrov)
    assert (detail["spouse"], detail["children"], detail["facts"]) == ("Мария", ["Анна", "Пётр"], {"собака": "Бим"})
    for query in ("РЫБАЛКА", "мария", "бим", "ЖЕНАТ"):
        assert [c["id"] for c in search_contacts(session, query)] == [petrov.id], query
    card = vcard4(build_record(petrov))
    assert "RELATED;TYPE=spouse;VALUE=text:Мария" in card and "RELATED;TYPE=child;VALUE=text:Пётр" in card
    assert "CATEGORIES:логистика,рыбалка,шахматы" in card and "собака: Бим" in card
    assert "Spouse: Мария" in vcard3(build_record(petrov))
    edit_contact(session, petrov, {"fact": "собака="})
    assert petrov.facts == {}
    with pytest.raises(EditError, match="KEY=VALUE"):
        edit_contact(session, petrov, {"fact": "no equals sign"})


def test_phones_emails_addresses_and_socials_are_removed_by_hand(session: Session) -> None:
    petrov = scan(session, "a", CardFields(
        name="Иван Петров", phones=[Phone("+79161234567", "mobile"), Phone("+74951234567", "work")],
        emails=["ivan@romashka.ru"], address="г. Москва, ул. Ленина, д. 1"))
    edit_contact(session, petrov, {"preferred_phone": "+79161234567", "social": "https://t.me/ivanpetrov"})
    assert [s.network for s in petrov.socials] == ["t.me"]
    edit_contact(session, petrov, {"remove_phone": "8 916 123-45-67", "remove_email": "IVAN@romashka.ru",
                                   "remove_address": "ленина", "remove_social": "t.me"})
    assert [p.e164 for p in petrov.phones] == ["+74951234567"] and petrov.preferred_phone is None
    assert (petrov.emails, petrov.addresses, petrov.socials) == ([], [], [])
    assert search_contacts(session, "89161234567") == []
    with pytest.raises(EditError, match="matches 0"):
        edit_contact(session, petrov, {"remove_email": "nobody@example.org"})


def test_who_do_i_know_at_a_company_now_and_formerly_and_who_introduced_whom(session: Session) -> None:
    diana = scan(session, "a", CardFields(name="Диана Антонова", company="ООО «Ладога»", title="Менеджер",
                                          phones=[Phone("+79278473487", "mobile")]),
                 taken=datetime(2024, 1, 1, tzinfo=UTC))
    scan(session, "b", CardFields(name="Диана Антонова", company="АО «Профиль»", title="Арт-директор",
                                  phones=[Phone("+79278473487", "mobile")]), taken=datetime(2025, 1, 1, tzinfo=UTC))
    oleg = scan(session, "c", CardFields(name="Олег Орлов", company="Ladoga LLC", title="CEO",
                                         phones=[Phone("+79260000001", "mobile")]))
    rows = people_at(session, "ладога")
    assert [(r["id"], r["now"]) for r in rows] == [(diana.id, False), (oleg.id, True)]
    assert [r["id"] for r in people_at(session, "Ladoga")] == [diana.id, oleg.id]  # in either script
    edit_contact(session, diana, {"introduced_by": str(oleg.id)})
    assert contact_detail(diana)["introduced_by"] == oleg.id
    with pytest.raises(EditError, match="no contact id"):
        edit_contact(session, diana, {"introduced_by": "99999"})
    delete_contact(session, oleg)
    session.expire_all()
    assert diana.introduced_by_id is None  # the link goes with the introducer, the contact stays


def test_merge_keeps_both_sides_facts(session: Session) -> None:
    a = scan(session, "a", CardFields(name="Иван Петров", phones=[Phone("+79161234567", "mobile")]))
    b = scan(session, "b", CardFields(name="Jane Doe", phones=[Phone("+14155550123", "mobile")]))
    edit_contact(session, a, {"hobbies": "рыбалка", "fact": "чай=зелёный"})
    edit_contact(session, b, {"hobbies": "шахматы", "fact": "кофе=без сахара", "children": "Анна"})
    merge_contacts(session, a, b)
    assert (a.hobbies, a.children, a.facts) == (["рыбалка", "шахматы"], ["Анна"],
                                                {"чай": "зелёный", "кофе": "без сахара"})
