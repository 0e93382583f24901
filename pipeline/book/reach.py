"""Which phone and e-mail come first: those of the newest card (the current job's), unless one was preferred by
hand. A job change keeps the old employer's numbers as history, but the list, `remind` and the exports lead with
the ones that reach the person now."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy.orm import selectinload

from models import Card, Contact, Email, Phone

Item = TypeVar("Item", Phone, Email)

# Loader options that bring each phone's and e-mail's card date along (not the card's OCR text or fields).
ITEM_CARDS = (selectinload(Contact.phones).selectinload(Phone.card).load_only(Card.taken_at, Card.scanned_at),
              selectinload(Contact.emails).selectinload(Email.card).load_only(Card.taken_at, Card.scanned_at))


def card_date(card: Card) -> datetime:
    """When a card's job held: the photo's date, else when it was scanned (as jobs are dated)."""
    moment = card.taken_at or card.scanned_at
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def newest_first(items: Iterable[Item]) -> list[Item]:
    """Items typed in by hand first (what you told it last), then by their card, newest first (a tie: the card
    scanned later, as jobs are ordered), then in the order they were added."""
    def key(item: Item) -> tuple[int, float, int, int]:
        card = item.card
        if card is None:
            return (0, 0.0, 0, item.id or 0)
        return (1, -card_date(card).timestamp(), -(card.id or 0), item.id or 0)

    return sorted(items, key=key)


def ordered_phones(contact: Contact) -> list[Phone]:
    """The preferred phone (chosen by hand) first, then the newest card's."""
    return sorted(newest_first(contact.phones), key=lambda p: p.e164 != contact.preferred_phone)


def first_phone(contact: Contact, mobile_first: bool = False) -> str | None:
    """The phone to call: the preferred one, else the newest card's (a mobile among them first if asked)."""
    phones = ordered_phones(contact)
    if mobile_first and not contact.preferred_phone:
        phones = sorted(phones, key=lambda p: p.type != "mobile")
    return phones[0].e164 if phones else None


def first_email(contact: Contact) -> str | None:
    emails = newest_first(contact.emails)
    return emails[0].address if emails else None
