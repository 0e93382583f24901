"""Changes by hand: edit, merge, split, delete, review; on SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Card, Change, Contact, NameKey, Phone
from pipeline.book.editing import EditError, delete_contact, edit_contact, merge_contacts, resolve_review, split_card
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, ScanResult
from pipeline.core.types import Phone as FoundPhone


def stored(session: Session, sha: str, name: str, *, phone: str, company: str | None = None) -> Contact:
    fields = CardFields(name=name, company=company, phones=[FoundPhone(phone, "mobile")])
    result = ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields, crop=b"\xff\xd8jpeg")])
    store_result(session, result)
    return session.get(Contact, result.cards[0].contact_id)


def test_edit_validates_before_it_stores(session: Session) -> None:
    contact = stored(session, "a", "Jane Doe", phone="+14155550123")
    with pytest.raises(EditError, match="YYYY-MM-DD"):
        edit_contact(session, contact, {"follow_up": "next week"})
    with pytest.raises(EditError, match="not a valid phone"):
        edit_contact(session, contact, {"phone": "12"})
    with pytest.raises(EditError, match="cannot edit"):
        edit_contact(session, contact, {"shoe_size": "42"})
    edit_contact(session, contact, {"birthday": "02-29", "preferred_phone": "+1 212 736 5000", "email": "J@Acme.IO"})
    assert contact.birthday == date(1604, 2, 29)
    assert contact.preferred_phone == "+12127365000"
    assert sorted(p.e164 for p in contact.phones) == ["+12127365000", "+14155550123"]
    assert [e.address for e in contact.emails] == ["J@acme.io"]


def test_merging_two_contacts_moves_everything_and_keeps_the_name_as_alias(session: Session) -> None:
    keep = stored(session, "a", "Jane Doe", phone="+14155550123", company="Acme Inc.")
    other = stored(session, "b", "Janet Doe-Smith", phone="+14155550999", company="Globex LLC")
    other_id = other.id
    merge_contacts(session, keep, other)
    session.expire_all()
    assert session.get(Contact, other_id) is None
    assert sorted(p.e164 for p in keep.phones) == ["+14155550123", "+14155550999"]
    assert [a.name for a in keep.aliases] == ["Janet Doe-Smith"]
    assert len(keep.cards) == 2 and {p.company for p in keep.positions} == {"Acme Inc.", "Globex LLC"}
    # the alias is findable: its name keys belong to the kept contact now
    assert session.scalar(select(func.count()).select_from(NameKey).where(NameKey.contact_id == other_id)) == 0


def test_splitting_a_card_off_takes_what_it_brought(session: Session) -> None:
    contact = stored(session, "a", "Иван Петров", phone="+79161234567", company="ООО «Ромашка»")
    fields = CardFields(name="Ivan Petrov", phones=[FoundPhone("+79161234567", "mobile"),
                                                    FoundPhone("+74950000001", "work")])
    store_result(session, ScanResult("/cards/b.jpg", "b" * 64, "ok", [CardResult(fields)]))
    assert len(contact.cards) == 2
    wrong = next(c for c in contact.cards if c.sha256.startswith("b"))
    new = split_card(session, contact, wrong)
    session.expire_all()
    assert new.display_name == "Ivan Petrov"
    assert sorted(p.e164 for p in new.phones) == ["+74950000001"]
    assert [p.e164 for p in contact.phones] == ["+79161234567"]  # the first card said it too
    assert [c.id for c in new.cards] == [wrong.id]
    with pytest.raises(EditError, match="only card"):
        split_card(session, new, wrong)


def test_delete_removes_cards_crops_and_history(session: Session) -> None:
    contact = stored(session, "a", "Jane Doe", phone="+14155550123")
    edit_contact(session, contact, {"notes": "met at the fair"})
    assert [(f.path, f.kind, f.deletable) for f in delete_contact(session, contact)] == [
        ("/cards/a.jpg", "image", True)]
    for model in (Contact, Card, Change, Phone, NameKey):
        assert session.scalar(select(func.count()).select_from(model)) == 0


def test_review_merge_files_the_card_under_the_chosen_contact(session: Session) -> None:
    first = stored(session, "a", "Jane Doe", phone="+14155550123", company="Acme Inc.")
    fields = CardFields(name="Jane Doe", company="Globex LLC", phones=[FoundPhone("+12127365000", "work")])
    result = ScanResult("/cards/b.jpg", "b" * 64, "ok", [CardResult(fields)])
    store_result(session, result)
    assert result.cards[0].outcome == "needs_review"
    card = session.scalars(select(Card).where(Card.review == "pending")).one()
    resolve_review(session, card, first)
    assert card.review is None and card.contact_id == first.id and card.candidates == []
    assert [(p.company, p.until is None) for p in first.positions] == [("Acme Inc.", False), ("Globex LLC", True)]
    with pytest.raises(EditError, match="not waiting"):
        resolve_review(session, card, None)


def test_delete_takes_the_organisations_only_that_contact_worked_at(session: Session) -> None:
    """A sole proprietor's organisation is the person's own name: it goes with the contact. A company someone
    else works at stays; so does one a job change by hand left behind only if someone still names it."""
    from models import Alias, Organization, Position
    from pipeline.book.editing import add_job

    inna = stored(session, "a", "Алексеева Инна Ильинична", phone="+74012202248",
                  company="ИП Алексеева Инна Ильинична")
    add_job(session, inna, {"company": "ООО «Ладога»", "title": "Бухгалтер", "since": "2020-01-01"})
    vera = stored(session, "b", "Хлебникова Вера Ильинична", phone="+79508867990", company="ООО «Ладога»")
    edit_contact(session, inna, {"alias": "Inna Alekseeva"})
    inna_id = inna.id
    delete_contact(session, inna)
    session.expire_all()
    assert session.scalars(select(Organization.name)).all() == ["ООО «Ладога»"]
    assert [p.company for p in vera.positions] == ["ООО «Ладога»"]
    for model in (Position, Alias, NameKey, Change, Card, Phone):
        assert session.scalar(select(func.count()).select_from(model).where(model.contact_id == inna_id)) == 0
    # a misread company put right by hand leaves no organisation behind
    edit_contact(session, vera, {"company": "ООО «Ладога-Сервис»"})
    assert session.scalars(select(Organization.name)).all() == ["ООО «Ладога-Сервис»"]
