"""The review queue is kept in `card.to_review` as cards are filed, answered and accepted (SQLite, PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Card, Contact
from pipeline.book.editing import resolve_review
from pipeline.book.review import mark, review_count, review_queue
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult


def _file(session: Session, sha: str, fields: CardFields) -> Card:
    store_result(session, ScanResult(f"/{sha}.jpg", sha * 64, "ok", [CardResult(fields)]))
    return session.scalars(select(Card).where(Card.sha256 == sha * 64)).one()


def test_a_card_is_queued_for_a_doubtful_or_guessed_field_and_for_a_same_person_question(session: Session) -> None:
    sure = _file(session, "a", CardFields(name="Ivan Petrov", confidence={"name": 0.95}))
    doubtful = _file(session, "b", CardFields(name="Olga Smirnova", confidence={"name": 0.4}))
    guessed = _file(session, "c", CardFields(name="Anna Lee", company="Initech LLC", guesses=["company"],
                                             phones=[Phone("+14155550100", "work")]))
    # The same name at another company: "same person?" (an answer is needed before anything is filed).
    asked = _file(session, "d", CardFields(name="Anna Lee", company="Globex Corp", confidence={"name": 0.99},
                                           phones=[Phone("+14155550199", "work")]))
    assert asked.review == "pending"
    assert [c.id for c in review_queue(session)] == [asked.id, doubtful.id, guessed.id]  # questions first
    assert review_count(session) == 3 and not sure.to_review

    resolve_review(session, asked, None)  # someone else: filed, and its fields are sure
    assert not asked.to_review and review_count(session) == 2
    doubtful.review = "checked"  # the person accepted it (the web app's accept)
    mark(doubtful)
    session.flush()
    assert [c.id for c in review_queue(session)] == [guessed.id]
    assert review_queue(session, limit=0) == []


def test_a_merge_of_two_contacts_keeps_the_queue(session: Session) -> None:
    from pipeline.book.editing import merge_contacts

    _file(session, "a", CardFields(name="Ivan Petrov", emails=["ivan@a.ru"], confidence={"name": 0.3}))
    _file(session, "b", CardFields(name="Olga Smirnova", emails=["olga@b.ru"], confidence={"name": 0.9}))
    keep, other = session.scalars(select(Contact).order_by(Contact.id)).all()
    merge_contacts(session, keep, other)
    session.expire_all()
    assert review_count(session) == 1 and [c.contact_id for c in review_queue(session)] == [keep.id]


# ---- held fields: doubtful readings wait on the card, not in the contact --------------------------------------

def _vcard(session: Session, contact: Contact) -> str:
    from pipeline.formats.export import render

    session.flush()
    session.expire_all()
    return render([session.get(Contact, contact.id)], "vcard").decode()


def _misread() -> CardFields:
    """As the real photo 806118785 reads: a sure name and phone, an e-mail at 0.001, a site fragment."""
    return CardFields(name="Ricardo Nogueira", phones=[Phone("+5511974121100", "mobile")], emails=["rn@gmail.com"],
                      websites=["https://ve.com/nagdesign"], title="Consultor ce marketing",
                      confidence={"name": 0.9, "phones": 0.95, "emails": 0.001, "websites": 0.27, "title": 0.3})


def test_a_doubtful_field_is_held_on_the_card_and_accepting_it_merges_it(session: Session) -> None:
    from pipeline.book.contacts import contact_detail
    from pipeline.book.review import accept

    result = ScanResult("/r.jpg", "r" * 64, "ok", [CardResult(_misread())])
    store_result(session, result)
    card = session.scalars(select(Card)).one()
    assert (result.cards[0].outcome, result.cards[0].filed) == ("needs_review", "created")
    assert card.fields["held"] == ["emails", "title", "websites"] and card.to_review
    contact = card.contact
    text = _vcard(session, contact)
    assert "rn@gmail.com" not in text and "ve.com" not in text and "TITLE" not in text
    assert "+5511974121100" in text and "Ricardo Nogueira" in text  # what was read surely is in at once
    waiting = {w["field"]: w["value"] for w in contact_detail(contact)["waiting"]}
    assert waiting == {"emails": "rn@gmail.com", "title": "Consultor ce marketing", "websites": "https://ve.com/nagdesign"}
    from pipeline.formats.export import render

    assert "rn@gmail.com" not in render([contact], "json").decode()  # nor in a JSON export

    assert accept(session, card, ["emails"]) == ["emails"]
    assert "rn@gmail.com" in _vcard(session, contact)
    card = session.get(Card, card.id)
    assert card.fields["held"] == ["title", "websites"] and card.to_review  # the rest still waits
    assert [(e.address, e.card_id) for e in card.contact.emails] == [("rn@gmail.com", card.id)]


def test_fix_puts_the_printed_value_in_and_reject_keeps_the_reading_out(session: Session) -> None:
    from pipeline.book.corrections import label_of
    from pipeline.book.review import fix, reject

    store_result(session, ScanResult("/r.jpg", "r" * 64, "ok", [CardResult(_misread())]))
    card = session.scalars(select(Card)).one()
    fix(session, card, "emails", ["ricknog39@gmail.com"])
    fix(session, card, "title", ["Consultor", "de", "marketing"])
    reject(session, card, "websites")
    contact = card.contact
    text = _vcard(session, contact)
    assert "ricknog39@gmail.com" in text and "rn@gmail.com" not in text and "ve.com" not in text
    assert "Consultor de marketing" in text
    card = session.get(Card, card.id)
    assert not card.fields["held"] and not card.to_review and card.review == "checked"
    assert label_of(card)["emails"] == ["ricknog39@gmail.com"]  # kept as a correction, a training example
    assert card.fields["emails"] == ["rn@gmail.com"]  # the reading itself stays as OCR gave it


def test_a_reading_already_in_the_contact_is_replaced_by_a_fix(session: Session) -> None:
    from pipeline.book.review import fix

    sure = CardFields(name="Ana Lima", websites=["https://ve.com/nagdesign"], confidence={"websites": 0.86})
    store_result(session, ScanResult("/a.jpg", "a" * 64, "ok", [CardResult(sure)]))
    card = session.scalars(select(Card)).one()
    fix(session, card, "websites", ["cargocollective.com/nogdesign"])
    assert [w.url for w in card.contact.websites] == ["https://cargocollective.com/nogdesign"]


def test_a_doubtful_name_is_filed_and_flagged_and_a_held_company_opens_the_job_when_accepted(session: Session) -> None:
    from pipeline.book.review import accept, doubts

    guessed = CardFields(name="Zorblat Quenn", company="Nimbus Orbital", guesses=["name", "company"],
                         emails=["zq@orbital.io"], confidence={"name": 0.4, "company": 0.0, "emails": 0.97})
    store_result(session, ScanResult("/z.jpg", "z" * 64, "ok", [CardResult(guessed)]))
    card = session.scalars(select(Card)).one()
    assert card.contact.display_name == "Zorblat Quenn"  # a contact needs a name: kept, but flagged
    assert card.contact.positions == [] and doubts(card.fields) == ["company", "name"]
    assert accept(session, card) == ["company"]
    session.expire_all()
    card = session.get(Card, card.id)
    assert [p.company for p in card.contact.positions] == ["Nimbus Orbital"]
    assert not card.to_review and review_count(session) == 0


def test_a_held_reading_matches_no_one(session: Session) -> None:
    """A misread e-mail that happens to be another contact's does not file the card under them."""
    store_result(session, ScanResult("/o.jpg", "o" * 64, "ok", [CardResult(CardFields(
        name="Olga Smirnova", emails=["rn@gmail.com"], confidence={"emails": 0.99}))]))
    result = ScanResult("/r.jpg", "r" * 64, "ok", [CardResult(_misread())])
    store_result(session, result)
    assert result.cards[0].filed == "created"
    assert len(session.scalars(select(Contact)).all()) == 2


def test_a_same_person_question_comes_before_field_decisions(session: Session) -> None:
    from pipeline.book.editing import EditError
    from pipeline.book.review import accept

    card = Card(source_path="/x.jpg", sha256="x" * 64, card_index=0, review="pending",
                fields={"name": "A", "held": ["emails"], "emails": ["a@b.c"]})
    session.add(card)
    session.flush()
    try:
        accept(session, card)
    except EditError as exc:
        assert "same-person" in str(exc)
    else:
        raise AssertionError("accepted a card that belongs to no contact yet")
