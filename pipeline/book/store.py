"""Stage 5: file the cards of a scan into the contact database.

Each card is matched (pipeline.book.dedupe) and then creates a contact, merges into one
(pipeline.book.merge), or waits in `cardscan review` when it is ambiguous. A card stored before
(same file sha256 and position in it) is never filed twice.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Card, Contact, ReviewCandidate
from pipeline.book.dedupe import match_card
from pipeline.book.merge import Merger
from pipeline.core.types import CardResult, ScanResult
from pipeline.stages.report import card_to_dict, fields_from_dict


def store_result(session: Session, result: ScanResult) -> None:
    """Store every card of `result` and set its contact_id and outcome. The caller commits."""
    for index, card in enumerate(result.cards):
        _store_card(session, result, index, card)


def _store_card(session: Session, result: ScanResult, index: int, card: CardResult) -> None:
    known = session.scalar(select(Card).where(Card.sha256 == result.sha256, Card.card_index == index))
    if known is not None:
        card.contact_id, card.outcome = known.contact_id, "unchanged"
        return
    match = match_card(session, card.fields)
    row = Card(source_path=result.source, sha256=result.sha256, card_index=index, page=card.page,
               bbox=list(card.bbox) if card.bbox else None, ocr_text=card.fields.text,
               fields=card_to_dict(card), crop=card.crop, taken_at=result.taken_at)
    session.add(row)
    if match.outcome == "needs_review":
        row.review = "pending"
        row.candidates = [ReviewCandidate(contact_id=c.contact_id, score=c.score, reason=c.reason)
                          for c in match.candidates]
        session.flush()
        card.outcome, card.candidates = "needs_review", [c.contact_id for c in match.candidates]
        return
    contact = session.get(Contact, match.contact_id) if match.contact_id else None
    if contact is None:
        contact = Contact()
        session.add(contact)
    file_card(session, contact, row)
    card.contact_id, card.outcome = contact.id, ("merged" if match.contact_id else "created")


def file_card(session: Session, contact: Contact, row: Card, source: str = "scan") -> None:
    """Put a stored card under `contact` and merge what it says into it."""
    row.contact, row.review = contact, None
    Merger(session, contact, source).apply(fields_from_dict(row.fields), row)
    session.flush()
