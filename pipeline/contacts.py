"""Reading contacts back out of the database, for the CLI and for scripts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Contact


def list_contacts(session: Session) -> list[dict[str, Any]]:
    query = (
        select(Contact)
        .options(selectinload(Contact.phones), selectinload(Contact.emails), selectinload(Contact.cards))
        .order_by(Contact.id)
    )
    return [contact_summary(c) for c in session.scalars(query)]


def contact_summary(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "name": contact.display_name,
        "title": contact.title,
        "company": contact.company,
        "phones": [{"number": p.e164, "type": p.type, "extension": p.extension} for p in contact.phones],
        "emails": [e.address for e in contact.emails],
        "cards": len(contact.cards),
    }
