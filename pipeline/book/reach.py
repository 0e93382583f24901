"""Which phone and e-mail come first: the current job's, unless a phone was preferred by hand. A job change keeps
the old employer's numbers as history, but the list, `remind` and the exports lead with the ones that reach the
person now: those of the card that showed the current job, then the other cards' newest first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy.orm import selectinload

from models import Card, Contact, Email, Phone

Item = TypeVar("Item", Phone, Email)
Rank = tuple[int, bool, float, int, int]

# Loader options that bring each phone's and e-mail's card date along (not the card's OCR text or fields), and the
# jobs, whose current one names its card.
ITEM_CARDS = (selectinload(Contact.phones).selectinload(Phone.card).load_only(Card.taken_at, Card.scanned_at),
              selectinload(Contact.emails).selectinload(Email.card).load_only(Card.taken_at, Card.scanned_at),
              selectinload(Contact.positions))


def card_date(taken_at: datetime | None, scanned_at: datetime) -> datetime:
    """When a card's job held: the photo's date, else when it was scanned (as jobs are dated)."""
    moment = taken_at or scanned_at
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rank(item_id: int, card_id: int | None, dated: datetime | None, current_card: int | None) -> Rank:
    """The sort key: typed in by hand first (what you told it last), then the current job's card, then the other
    cards newest first (a tie: the card scanned later, as jobs are ordered), then in the order items were added."""
    if card_id is None or dated is None:
        return (0, False, 0.0, 0, item_id)
    return (1, card_id != current_card, -dated.timestamp(), -card_id, item_id)


def current_card(contact: Contact) -> int | None:
    """The card that showed the current job (the latest open one, as merge.sorted_jobs orders them)."""
    far = datetime.max.replace(tzinfo=UTC)
    open_jobs = [p for p in contact.positions if p.until is None]
    latest = max(open_jobs, key=lambda p: (card_date(p.since, p.since) if p.since else far, p.id or 0), default=None)
    return latest.card_id if latest is not None else None


def newest_first(items: Iterable[Item], contact: Contact) -> list[Item]:
    current = current_card(contact)

    def key(item: Item) -> Rank:
        card = item.card
        dated = card_date(card.taken_at, card.scanned_at) if card is not None else None
        return rank(item.id or 0, item.card_id if card is not None else None, dated, current)

    return sorted(items, key=key)


def ordered_phones(contact: Contact) -> list[Phone]:
    """The preferred phone (chosen by hand) first, then as newest_first."""
    return sorted(newest_first(contact.phones, contact), key=lambda p: p.e164 != contact.preferred_phone)


def first_phone(contact: Contact, mobile_first: bool = False) -> str | None:
    """The phone to call: the preferred one, else the current job's (a mobile among them first if asked)."""
    phones = ordered_phones(contact)
    if mobile_first and not contact.preferred_phone:
        phones = sorted(phones, key=lambda p: p.type != "mobile")
    return phones[0].e164 if phones else None


def first_email(contact: Contact) -> str | None:
    emails = newest_first(contact.emails, contact)
    return emails[0].address if emails else None
