"""Filing scan results: dedupe outcomes, merge policy and history, on SQLite and PostgreSQL (no OCR here)."""

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Card, Change, Contact, Phone, Position
from pipeline.book.editing import edit_contact
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, NameParts, ScanResult
from pipeline.core.types import Phone as FoundPhone


def card(sha: str, name: str | None, *, phones: tuple[str, ...] = (), mobiles: tuple[str, ...] = (),
         emails: tuple[str, ...] = (), company: str | None = None, title: str | None = None,
         parts: NameParts | None = None, taken: datetime | None = None) -> ScanResult:
    found = [FoundPhone(p, "work") for p in phones] + [FoundPhone(p, "mobile") for p in mobiles]
    fields = CardFields(name=name, name_parts=parts, company=company, title=title, emails=list(emails), phones=found)
    return ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)], taken_at=taken)


def store(session: Session, *results: ScanResult) -> list[str | None]:
    for r in results:
        store_result(session, r)
    return [r.cards[0].outcome for r in results]


def count(session: Session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def only_contact(session: Session) -> Contact:
    (contact,) = session.scalars(select(Contact)).all()
    return contact


def test_transliterated_name_with_the_same_phone_is_merged(session: Session) -> None:
    first = card("a", "Иван Петров", phones=("+74951234567",))
    second = card("b", "Ivan Petrov", phones=("+74951234567",), emails=("ivan@example.com",))
    assert store(session, first, second) == ["created", "merged"]
    contact = only_contact(session)
    assert contact.display_name == "Иван Петров"
    assert [a.name for a in contact.aliases] == ["Ivan Petrov"]
    assert [e.address for e in contact.emails] == ["ivan@example.com"]
    assert count(session, Card) == 2


def test_the_russian_name_becomes_main_when_the_english_side_came_first(session: Session) -> None:
    back = card("a", "Ivan Petrov", mobiles=("+79161234567",), company="Romashka LLC", title="CEO")
    front = card("b", "Петров Иван Сергеевич", mobiles=("+79161234567",), company="ООО «Ромашка»",
                 title="Генеральный директор", parts=NameParts(given="Иван", middle="Сергеевич", family="Петров"))
    assert store(session, back, front) == ["created", "merged"]
    contact = only_contact(session)
    assert (contact.display_name, contact.middle_name) == ("Петров Иван Сергеевич", "Сергеевич")
    assert [a.name for a in contact.aliases] == ["Ivan Petrov"]
    # The title in the other language is the same job, not a job change; the Russian form becomes the main one.
    assert [(p.title, p.company, p.until) for p in contact.positions] == [
        ("Генеральный директор", "ООО «Ромашка»", None)]
    assert ("title", "CEO", "Генеральный директор") in [(c.field, c.old_value, c.new_value) for c in contact.changes]


def test_a_new_job_card_closes_the_old_position_and_keeps_it(session: Session) -> None:
    old = card("a", "Jane Doe", mobiles=("+14155550123",), phones=("+14158675309",), company="Acme Inc.",
               title="Engineer")
    new = card("b", "Jane Doe", mobiles=("+14155550123",), phones=("+12127365000",), company="Globex LLC",
               title="CTO")
    assert store(session, old, new) == ["created", "merged"]
    contact = only_contact(session)
    history = [(p.company, p.title, p.until is None) for p in contact.positions]
    assert history == [("Acme Inc.", "Engineer", False), ("Globex LLC", "CTO", True)]
    assert sorted(p.e164 for p in contact.phones) == ["+12127365000", "+14155550123", "+14158675309"]


def test_a_promotion_in_the_same_company_is_a_new_position(session: Session) -> None:
    store(session, card("a", "Jane Doe", emails=("jane@acme.io",), company="Acme Inc.", title="Engineer"),
          card("b", "Jane Doe", emails=("jane@acme.io",), company="ACME, Inc", title="Head of Engineering"))
    titles = [(p.title, p.until is None) for p in only_contact(session).positions]
    assert titles == [("Engineer", False), ("Head of Engineering", True)]


def test_same_name_other_company_and_no_shared_key_is_never_a_silent_merge(session: Session) -> None:
    first = card("a", "Jane Doe", phones=("+14158675309",), company="Acme Inc.")
    second = card("b", "Jane Doe", phones=("+12127365000",), company="Globex LLC")
    assert store(session, first, second) == ["created", "needs_review"]
    assert count(session, Contact) == 1
    pending = session.scalars(select(Card).where(Card.review == "pending")).one()
    assert pending.contact_id is None
    assert [c.contact_id for c in pending.candidates] == [first.cards[0].contact_id]
    assert second.cards[0].candidates == [first.cards[0].contact_id]


def test_same_name_and_company_without_shared_key_is_merged(session: Session) -> None:
    first = card("a", "Петров Иван", phones=("+74951234567",), company="ООО «Ромашка»")
    second = card("b", "Ivan Petrov", phones=("+74957654321",), company="Romashka LLC")
    assert store(session, first, second) == ["created", "merged"]


def test_diminutives_and_word_order_find_the_same_person(session: Session) -> None:
    store(session, card("a", "Александр Петров", company="АО «Гранит»"))
    assert store(session, card("b", "Петров Саша", company="Гранит"))[0] == "merged"
    assert store(session, card("c", "Alex Petrov", company="Granit JSC"))[0] == "merged"
    assert count(session, Contact) == 1


def test_colleagues_sharing_the_office_phone_stay_apart(session: Session) -> None:
    a = card("a", "Иван Петров", phones=("+74951234567",), company="ООО «Ромашка»")
    b = card("b", "Мария Сидорова", phones=("+74951234567",), company="ООО «Ромашка»")
    assert store(session, a, b) == ["created", "created"]
    assert count(session, Contact) == 2


def test_a_shared_mobile_under_another_name_asks_the_user(session: Session) -> None:
    a = card("a", "Иван Петров", mobiles=("+79161234567",))
    b = card("b", "Мария Сидорова", mobiles=("+79161234567",))
    assert store(session, a, b) == ["created", "needs_review"]


def test_a_shared_info_mailbox_is_no_proof(session: Session) -> None:
    a = card("a", "Jane Doe", emails=("info@acme.io",), company="Acme Inc.")
    b = card("b", "John Smith", emails=("info@acme.io",), company="Acme Inc.")
    assert store(session, a, b) == ["created", "created"]


def test_rescanning_the_same_file_is_unchanged(session: Session) -> None:
    store(session, card("a", "Jane Doe", phones=("+14158675309",)))
    again = card("a", "Jane Doe", phones=("+14158675309",))
    assert store(session, again) == ["unchanged"]
    assert count(session, Contact) == 1 and count(session, Card) == 1


def test_hand_edits_win_over_later_scans(session: Session) -> None:
    (first,) = [card("a", "Ivan Petrov", mobiles=("+79161234567",), company="Romashka LLC", title="CEO")]
    store(session, first)
    contact = only_contact(session)
    edit_contact(session, contact, {"display_name": "Ваня Петров", "company": "Лютик", "title": "Основатель"})
    store(session, card("b", "Петров Иван", mobiles=("+79161234567",), company="Globex LLC", title="CTO"))
    assert contact.display_name == "Ваня Петров"
    current = [(p.company, p.title) for p in contact.positions if p.until is None]
    assert current == [("Лютик", "Основатель")]
    assert "Петров Иван" in [a.name for a in contact.aliases]


def test_every_scan_change_is_traceable_to_its_card(session: Session) -> None:
    store(session, card("a", "Jane Doe", emails=("jane@acme.io",), company="Acme Inc.", title="Engineer"),
          card("b", "Jane Doe", emails=("jane@acme.io",), phones=("+14158675309",), company="Globex LLC"))
    cards = {c.sha256[0]: c.id for c in session.scalars(select(Card))}
    changes = session.scalars(select(Change).where(Change.source == "scan")).all()
    assert {c.card_id for c in changes} == set(cards.values())
    assert session.scalar(select(Phone.card_id)) == cards["b"]
    assert session.scalar(select(Position.card_id).where(Position.until.is_(None))) == cards["b"]


def test_organisations_of_one_name_but_another_legal_form_stay_apart(session: Session) -> None:
    from models import Organization

    store(session, card("a", "Вадим Хлебников", mobiles=("+79097214553",), company="АО «Профиль»"),
          card("b", "Диана Антонова", mobiles=("+79278473487",), company="ООО «Профиль»"),
          card("c", "Diana Antonova", mobiles=("+79278473487",), company="Profil LLC"),
          card("d", "Ivan Petrov", mobiles=("+79161234567",), company="Профиль"))
    assert sorted(session.scalars(select(Organization.name))) == ["АО «Профиль»", "ООО «Профиль»"]


def test_an_old_job_card_scanned_after_the_new_one_goes_into_history(session: Session) -> None:
    """Photos carry the date they were taken: the order cards are scanned in does not decide the current job."""
    new = card("b", "Jane Doe", mobiles=("+14155550123",), company="Globex LLC", title="CTO",
               taken=datetime(2026, 5, 1, tzinfo=UTC))
    old = card("a", "Jane Doe", mobiles=("+14155550123",), company="Acme Inc.", title="Engineer",
               taken=datetime(2023, 9, 1, tzinfo=UTC))
    assert store(session, new, old) == ["created", "merged"]
    jobs = sorted((p.since.replace(tzinfo=None), p.company, p.until is None) for p in only_contact(session).positions)
    assert jobs == [(datetime(2023, 9, 1), "Acme Inc.", False), (datetime(2026, 5, 1), "Globex LLC", True)]
    store(session, card("c", "Jane Doe", mobiles=("+14155550123",), company="Acme Inc.", title="Engineer",
                        taken=datetime(2024, 1, 1, tzinfo=UTC)))
    assert len(only_contact(session).positions) == 2  # that past job is known already
