"""Stage 5: file the cards of a scan into the contact database.

Exact keys only for now: the same E.164 phone or the same e-mail means the same person.
A file already stored (same sha256) is never filed twice.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Card, Contact, Email, Phone, Website

from .report import card_to_dict
from .types import CardResult, ScanResult


def store_result(session: Session, result: ScanResult) -> None:
    """Store every card of `result` and set its contact_id and outcome. The caller commits."""
    for index, card in enumerate(result.cards):
        _store_card(session, result, index, card)


def _store_card(session: Session, result: ScanResult, index: int, card: CardResult) -> None:
    known = session.scalar(select(Card).where(Card.sha256 == result.sha256, Card.card_index == index))
    if known is not None:
        card.contact_id, card.outcome = known.contact_id, "unchanged"
        return
    contact = find_contact(session, card)
    outcome = "merged" if contact else "created"
    if contact is None:
        contact = Contact()
        session.add(contact)
    row = Card(source_path=result.source, sha256=result.sha256, card_index=index, page=card.page,
               bbox=list(card.bbox) if card.bbox else None, ocr_text=card.fields.text,
               fields=card_to_dict(card), contact=contact)
    session.add(row)
    _merge_into(contact, card, row)
    session.flush()
    card.contact_id, card.outcome = contact.id, outcome


def find_contact(session: Session, card: CardResult) -> Contact | None:
    numbers = [p.number for p in card.fields.phones]
    emails = card.fields.emails
    if not numbers and not emails:
        return None
    query = (
        select(Contact)
        .outerjoin(Phone).outerjoin(Email)
        .where(or_(Phone.e164.in_(numbers), Email.address.in_(emails)))
        .order_by(Contact.id)
        .limit(1)
    )
    return session.scalars(query).first()


def _merge_into(contact: Contact, card: CardResult, row: Card) -> None:
    """Add what is new; never replace what the contact already has."""
    f = card.fields
    parts = f.name_parts
    for attr, value in (
        ("display_name", f.name), ("title", f.title), ("department", f.department), ("company", f.company),
        ("address", f.address), ("given_name", parts and parts.given), ("middle_name", parts and parts.middle),
        ("family_name", parts and parts.family), ("prefix", parts and parts.prefix),
        ("suffix", parts and parts.suffix),
    ):
        if value and not getattr(contact, attr):
            setattr(contact, attr, value)
    have_phones = {p.e164 for p in contact.phones}
    contact.phones += [Phone(e164=p.number, extension=p.extension, type=p.type, card=row)
                       for p in f.phones if p.number not in have_phones]
    have_emails = {e.address for e in contact.emails}
    contact.emails += [Email(address=e, card=row) for e in f.emails if e not in have_emails]
    have_sites = {w.url for w in contact.websites}
    contact.websites += [Website(url=w, card=row) for w in f.websites if w not in have_sites]
