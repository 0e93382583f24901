"""The review queue: cards waiting for a same-person answer, and filed cards with a field to check.

Whether a card is in the queue is decided when it is filed, reviewed or settled, and kept in the indexed
`card.to_review` column: the doubts are in the card's JSON, which no database indexes alike, and counting them
on every page (the web app's "12 to review") read every card ever filed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, defer

from models import Card

# A filed card is shown for review when a field was guessed or read at less than this confidence.
REVIEW_BELOW = 0.6


def doubts(fields: dict[str, Any]) -> list[str]:
    """The fields of a stored card's JSON to check: guessed, or read with a confidence below REVIEW_BELOW."""
    low = [k for k, v in (fields.get("confidence") or {}).items() if isinstance(v, int | float) and v < REVIEW_BELOW]
    return sorted(set(fields.get("guesses") or []) | set(low))


def mark(card: Card) -> None:
    """Put the card in the queue or take it out, after its review state or its reading changed: waiting for a
    same-person answer, or filed (not yet checked by a person) with a field in doubt."""
    card.to_review = card.review == "pending" or (card.review is None and bool(doubts(card.fields or {})))


def review_queue(session: Session, limit: int | None = None) -> list[Card]:
    """Cards waiting for a same-person answer first, then filed cards with a doubtful field, oldest first."""
    waiting_first = case((Card.review == "pending", 0), else_=1)
    query = select(Card).options(defer(Card.crop)).where(Card.to_review.is_(True))
    return list(session.scalars(query.order_by(waiting_first, Card.id).limit(limit)))


def review_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Card).where(Card.to_review.is_(True))) or 0
