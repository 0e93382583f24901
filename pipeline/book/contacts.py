"""Reading contacts back out of the database, for the CLI and for scripts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from models import Alias, Card, Contact, Email, NameKey, Organization, Phone, Position
from pipeline.core.errors import CardscanError
from pipeline.extract.namekeys import name_keys

_SUMMARY_LOADS = (selectinload(Contact.phones), selectinload(Contact.emails), selectinload(Contact.cards),
                  selectinload(Contact.positions).joinedload(Position.organization))


def list_contacts(session: Session) -> list[dict[str, Any]]:
    query = select(Contact).options(*_SUMMARY_LOADS).order_by(Contact.id)
    return [contact_summary(c) for c in session.scalars(query)]


def search_contacts(session: Session, text: str, limit: int = 100) -> list[dict[str, Any]]:
    """Contacts whose name (in any script or spelling), alias, organisation, e-mail or phone matches `text`."""
    ids = set(session.scalars(_text_query(text).limit(limit)))
    keys = name_keys(text)
    if keys:
        by_name = (select(NameKey.contact_id).where(NameKey.key.in_(keys)).group_by(NameKey.contact_id)
                   .having(func.count() >= len(keys)).limit(limit))
        ids |= set(session.scalars(by_name))
    query = select(Contact).where(Contact.id.in_(ids)).options(*_SUMMARY_LOADS).order_by(Contact.id)
    return [contact_summary(c) for c in session.scalars(query)]


MAX_SEARCH_CHARS = 1000  # SQLite refuses LIKE patterns past 50,000 bytes; no name or company is this long


def _text_query(text: str) -> Select[Any]:
    if len(text) > MAX_SEARCH_CHARS:
        raise CardscanError(f"the search text has {len(text)} characters; search for at most {MAX_SEARCH_CHARS}")
    needle = text.strip().casefold()
    digits = "".join(ch for ch in text if ch.isdigit())
    query = (
        select(Contact.id).distinct()
        .outerjoin(Alias).outerjoin(Email).outerjoin(Phone)
        .outerjoin(Position, Position.contact_id == Contact.id).outerjoin(Organization)
    )
    # autoescape: a % or _ typed by the user is that character, not a wildcard that matches everyone.
    conditions = [func.lower(column).contains(needle, autoescape=True) for column in (
        Contact.display_name, Alias.name, Email.address, Organization.name, Position.title)]
    if len(digits) >= 4:
        conditions.append(Phone.e164.like(f"%{digits}%"))
    return query.where(or_(*conditions))


def contact_summary(contact: Contact) -> dict[str, Any]:
    current = contact.current_positions[-1] if contact.current_positions else None
    return {
        "id": contact.id,
        "name": contact.display_name,
        "title": current.title if current else None,
        "company": current.company if current else None,
        "phones": [{"number": p.e164, "type": p.type, "extension": p.extension} for p in contact.phones],
        "emails": [e.address for e in contact.emails],
        "cards": len(contact.cards),
    }


def contact_detail(contact: Contact) -> dict[str, Any]:
    """Everything stored about a contact, history included."""
    return contact_summary(contact) | {
        "given": contact.given_name, "middle": contact.middle_name, "family": contact.family_name,
        "prefix": contact.prefix, "suffix": contact.suffix,
        "aliases": [a.name for a in contact.aliases],
        "birthday": _iso(contact.birthday), "interests": list(contact.interests or []), "notes": contact.notes,
        "met_at": contact.met_at, "met_on": _iso(contact.met_on), "follow_up": _iso(contact.follow_up),
        "preferred_phone": contact.preferred_phone,
        "websites": [w.url for w in contact.websites], "social": [s.url for s in contact.socials],
        "addresses": [a.text for a in contact.addresses],
        "positions": [{"title": p.title, "company": p.company, "department": p.department, "since": _iso(p.since),
                       "until": _iso(p.until), "by_hand": p.by_hand, "card_id": p.card_id}
                      for p in sorted(contact.positions, key=lambda p: (_iso(p.since) or "", p.id))],
        "edited_by_hand": list(contact.edited_fields or []),
        "card_list": [_card(c) for c in contact.cards],
        "history": [{"at": _iso(h.at), "source": h.source, "field": h.field, "old": h.old_value, "new": h.new_value,
                     "card_id": h.card_id} for h in contact.changes],
        "created_at": _iso(contact.created_at), "updated_at": _iso(contact.updated_at),
    }


def _card(card: Card) -> dict[str, Any]:
    return {"id": card.id, "source": card.source_path, "sha256": card.sha256, "index": card.card_index,
            "scanned_at": _iso(card.scanned_at)}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
