"""The name to list and greet a contact by: its own when a person or a sure reading gave it, else the best there is.

A contact filed from a card whose name was read with doubt (still in `cardscan review`), or from a card with no
name read at all (a shop's card, a name OCR missed), still has to be listed and reminded of by something a person
recognises. Such a name is marked unconfirmed: the doubtful name itself, else the current company, a company its
cards hold for review, an e-mail or a phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Card, Contact
from pipeline.book.merge import sorted_jobs
from pipeline.book.reach import first_email, first_phone
from pipeline.extract.doubt import doubtful


@dataclass(frozen=True)
class ShownName:
    text: str | None
    confirmed: bool

    def label(self) -> str | None:
        """As the terminal shows it: the name, `(unconfirmed)` after one still to check."""
        if self.text is None:
            return None
        return self.text if self.confirmed else f"{self.text} (unconfirmed)"


def shown_names(session: Session, contacts: list[Contact]) -> dict[int, ShownName]:
    """contact id -> the name to show. One query for the cards still in review of these contacts; the contacts'
    jobs, phones and e-mails are read as loaded."""
    ids = [c.id for c in contacts]
    waiting: dict[int, list[dict[str, Any]]] = {}
    if ids:
        rows = session.execute(
            select(Card.contact_id, Card.fields)
            .where(Card.contact_id.in_(ids), Card.to_review.is_(True))
            .order_by(Card.id)
        )
        for contact_id, fields in rows:
            if contact_id is not None:  # the query excludes it; this tells the type checker
                waiting.setdefault(contact_id, []).append(fields or {})
    return {c.id: shown_name(c, waiting.get(c.id, [])) for c in contacts}


def shown_name(contact: Contact, waiting: list[dict[str, Any]]) -> ShownName:
    """`waiting`: the JSON readings of the contact's cards still in the review queue."""
    if contact.display_name:
        doubted = any(_name_in_doubt(f) and f.get("name") == contact.display_name for f in waiting)
        return ShownName(contact.display_name, not doubted or contact.is_hand_edited("display_name"))
    jobs = sorted_jobs(contact.positions)
    company = next((j.company for j in reversed(jobs) if j.company), None)
    held_company = next(
        (f.get("company") for f in waiting if "company" in (f.get("held") or []) and f.get("company")), None
    )
    stand_in = company or held_company or first_email(contact) or first_phone(contact, mobile_first=True)
    return ShownName(stand_in, False)


def _name_in_doubt(fields: dict[str, Any]) -> bool:
    decided = set(fields.get("accepted") or []) | set(fields.get("corrected") or {})
    return "name" in doubtful(fields.get("guesses") or [], fields.get("confidence") or {}) and "name" not in decided
