"""Corrections a person made to what was read off a card, kept as labelled examples.

Accepting a card in the review (`cardscan serve`) records the fields as the person left them on the card's
stored reading; `cardscan corrections export DIR` writes each such card's picture with a label in the
sample_cards format, which `make train` and the evaluator read like any labelled card.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from models import Card

# The fields a person corrects on the review page, as the card's JSON names them.
CORRECTABLE = ("name", "title", "department", "company", "address")
LABEL_FIELDS = (*CORRECTABLE, "phones", "emails", "websites", "social")
KEY = "corrected"


def record(card: Card, corrected: dict[str, Any]) -> None:
    """Keep `corrected` (field -> value as the person accepted it) with the card's reading."""
    fields = dict(card.fields or {})
    fields[KEY] = {**(fields.get(KEY) or {}), **{k: v for k, v in corrected.items() if k in LABEL_FIELDS}}
    card.fields = fields  # a new dict, so the JSON column is written


def corrected_cards(session: Session) -> list[Card]:
    # JSON is queried alike by no two databases: the filter is done here, on ids and readings only.
    cards = session.scalars(select(Card).options(defer(Card.crop)).order_by(Card.id))
    return [card for card in cards if (card.fields or {}).get(KEY)]


def label_of(card: Card) -> dict[str, Any]:
    """The card as it truly reads: what OCR gave, with the person's corrections on top."""
    fields = card.fields or {}
    label = {key: fields.get(key) for key in LABEL_FIELDS}
    label.update(fields.get(KEY) or {})
    return label
