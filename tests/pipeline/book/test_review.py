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
