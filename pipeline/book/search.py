"""The search text of a contact (pipeline.extract.searchtext), built from its rows and kept on the contact."""

from __future__ import annotations

from models import Contact
from pipeline.extract.searchtext import search_text


def contact_texts(contact: Contact) -> list[str | None]:
    """Everything a person may search a contact by, except phones: names, aliases, every job (past ones too,
    in both languages), e-mails, web and social addresses, street addresses, notes, interests, where met,
    family and personal facts."""
    texts: list[str | None] = [contact.display_name, contact.given_name, contact.middle_name, contact.family_name]
    texts += [a.name for a in contact.aliases]
    for p in contact.positions:
        texts += [p.company, p.alt_company, p.title, p.alt_title, p.department]
    texts += [e.address for e in contact.emails]
    texts += [w.url for w in contact.websites] + [s.url for s in contact.socials]
    texts += [a.text for a in contact.addresses]
    texts += [contact.notes, contact.met_at, *(contact.interests or [])]
    texts += [contact.family_status, contact.spouse, *(contact.children or []), *(contact.hobbies or [])]
    texts += [f"{key}: {value}" for key, value in (contact.facts or {}).items()]
    return texts


def refresh_search_text(contact: Contact) -> None:
    contact.search_text = search_text(contact_texts(contact), [p.e164 for p in contact.phones])
