"""Changes a person makes: edit a contact, merge two, split a card off, delete, settle a review.

A field set here is marked as edited by hand, so no later scan changes it. Every change is
logged in the contact's history.
"""

from __future__ import annotations

from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Address, Alias, Card, Change, Contact, Email, Phone, Position, Social, Website
from models.contact import NAME_FIELDS
from pipeline.book.merge import Merger, refresh_name_keys
from pipeline.core.config import DEFAULT_EDIT_REGION
from pipeline.core.errors import CardscanError
from pipeline.core.types import NO_YEAR
from pipeline.extract.phones import parse_phone
from pipeline.stages.report import fields_from_dict

TEXT_FIELDS = (*NAME_FIELDS, "notes", "met_at")
DATE_FIELDS = ("birthday", "met_on", "follow_up")
JOB_FIELDS = ("company", "title", "department")
EDITABLE = (*TEXT_FIELDS, *DATE_FIELDS, *JOB_FIELDS, "interests", "preferred_phone", "phone", "email", "alias")


class EditError(CardscanError):
    """A value the user gave cannot be stored; the message says what is expected."""


def edit_contact(session: Session, contact: Contact, changes: dict[str, str | None],
                 region: str = DEFAULT_EDIT_REGION) -> None:
    """Set fields by hand. `phone`, `email` and `alias` add one; an empty value clears a field."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise EditError(f"cannot edit {', '.join(unknown)}; editable: {', '.join(EDITABLE)}")
    merger = Merger(session, contact, "hand")
    for field, value in changes.items():
        value = value.strip() if value else None
        if field in TEXT_FIELDS:
            merger.set_field(field, value, None)
        elif field in DATE_FIELDS:
            _set_date(merger, field, value)
        elif field == "interests":
            _set_interests(merger, value)
        elif field in ("preferred_phone", "phone"):
            _phone(merger, field, value, region)
        elif field == "email":
            _add_email(merger, value)
        elif field == "alias" and value:
            merger.add_alias(value, None)
        if field not in JOB_FIELDS and field not in contact.edited_fields:
            contact.edited_fields = [*contact.edited_fields, field]
    jobs = {f: changes[f] for f in JOB_FIELDS if f in changes}
    if jobs:
        _set_job(merger, jobs)
    refresh_name_keys(session, contact)
    session.flush()


def parse_date(field: str, value: str) -> date:
    """YYYY-MM-DD; a birthday may also be MM-DD (or --MM-DD, as vCard writes it) when the year is unknown."""
    try:
        if field == "birthday" and len(value.lstrip("-")) == 5:
            month, day = value.lstrip("-").split("-")
            return date(NO_YEAR, int(month), int(day))
        return date.fromisoformat(value)
    except ValueError:
        hint = "YYYY-MM-DD or MM-DD" if field == "birthday" else "YYYY-MM-DD"
        raise EditError(f"{field}: {value!r} is not a date; write it as {hint}") from None


def _set_date(merger: Merger, field: str, value: str | None) -> None:
    parsed: date | None = parse_date(field, value) if value else None
    old = getattr(merger.contact, field)
    if old != parsed:
        setattr(merger.contact, field, parsed)
        merger.log(field, old.isoformat() if old else None, parsed.isoformat() if parsed else None, None)


def _set_interests(merger: Merger, value: str | None) -> None:
    tags = list(dict.fromkeys(t.strip() for t in (value or "").split(",") if t.strip()))
    old = merger.contact.interests or []
    if tags != old:
        merger.contact.interests = tags
        merger.log("interests", ", ".join(old) or None, ", ".join(tags) or None, None)


def e164_or_error(value: str, region: str) -> str:
    phone = parse_phone(value, region)
    if phone is None:
        raise EditError(f"{value!r} is not a valid phone number; write it as +7 495 123-45-67")
    return phone.number


def _phone(merger: Merger, field: str, value: str | None, region: str) -> None:
    contact = merger.contact
    e164 = e164_or_error(value, region) if value else None
    if e164 and e164 not in {p.e164 for p in contact.phones}:
        contact.phones.append(Phone(e164=e164, type="other"))
        merger.log("phone", None, e164, None)
    if field == "preferred_phone":
        merger.set_field("preferred_phone", e164, None)


def _add_email(merger: Merger, value: str | None) -> None:
    if not value:
        return
    try:
        address = validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise EditError(f"{value!r} is not an e-mail address: {exc}") from None
    if address not in {e.address for e in merger.contact.emails}:
        merger.contact.emails.append(Email(address=address))
        merger.log("email", None, address, None)


def _set_job(merger: Merger, jobs: dict[str, str | None]) -> None:
    """A job set by hand closes the current one and opens a position that scans will not close."""
    contact = merger.contact
    current = contact.current_positions[-1] if contact.current_positions else None
    values = {f: (jobs[f] or None) if f in jobs else (getattr(current, f) if current else None) for f in JOB_FIELDS}
    if current is not None:
        merger.close_position(current, None)
    if any(values.values()):
        merger.open_position(values["company"], values["title"], values["department"], None, by_hand=True)


def merge_contacts(session: Session, keep: Contact, other: Contact) -> None:
    """Move everything of `other` into `keep` and remove `other`; nothing is lost."""
    if keep.id == other.id:
        raise EditError("a contact cannot be merged with itself")
    merger = Merger(session, keep, "merge")
    for alias in [other.display_name, *(a.name for a in other.aliases)]:
        if alias:
            merger.add_alias(alias, None)
    for field in (*TEXT_FIELDS, *DATE_FIELDS, "preferred_phone"):
        if getattr(keep, field) is None and getattr(other, field) is not None:
            merger.set_field(field, getattr(other, field), None)
    keep.interests = list(dict.fromkeys([*(keep.interests or []), *(other.interests or [])]))
    keep.edited_fields = sorted({*keep.edited_fields, *other.edited_fields})
    _move_items(session, keep, other)
    merger.log("merged", f"contact {other.id}", None, None)
    session.flush()
    session.delete(other)
    session.flush()
    refresh_name_keys(session, keep)


def _move_items(session: Session, keep: Contact, other: Contact) -> None:
    have: dict[type[Phone | Email | Website | Social], set[str]] = {
        Phone: {p.e164 for p in keep.phones}, Email: {e.address for e in keep.emails},
        Website: {w.url for w in keep.websites}, Social: {s.url for s in keep.socials}}
    keys: dict[type[Phone | Email | Website | Social], str] = {
        Phone: "e164", Email: "address", Website: "url", Social: "url"}
    for model, key in keys.items():
        items: list[Phone | Email | Website | Social] = list(
            session.scalars(select(model).where(model.contact_id == other.id)))
        for item in items:
            if getattr(item, key) not in have[model]:
                item.contact = keep
    for owned in (Address, Position, Card, Change):
        session.execute(update(owned).where(owned.contact_id == other.id).values(contact_id=keep.id))
    session.expire(keep)
    session.expire(other)  # its collections are stale after the bulk moves: the delete must not cascade to them


def split_card(session: Session, contact: Contact, card: Card) -> Contact:
    """A card filed under the wrong person becomes a contact of its own, taking what it brought;
    the contact's other cards are applied again, so what they also said stays with it."""
    if card.contact_id != contact.id:
        raise EditError(f"card {card.id} is not filed under contact {contact.id}")
    if len(contact.cards) < 2:
        raise EditError(f"card {card.id} is contact {contact.id}'s only card; there is nothing to split off")
    new = Contact()
    session.add(new)
    session.flush()
    for model in (Phone, Email, Website, Social, Address, Alias, Position):
        session.execute(update(model).where(model.card_id == card.id, model.contact_id == contact.id)
                        .values(contact_id=new.id))
    card.contact = new
    session.flush()
    session.expire_all()
    Merger(session, new, "split").apply_name(fields_from_dict(card.fields), card)
    refresh_name_keys(session, new)
    merger = Merger(session, contact, "split")
    merger.log("split", f"card {card.id}", f"contact {new.id}", None)
    for other in contact.cards:
        merger.apply(fields_from_dict(other.fields), other)
    session.flush()
    return new


def delete_contact(session: Session, contact: Contact) -> list[str]:
    """Delete the contact with its cards, crops, OCR text and history. Returns the cards' source files."""
    sources = [c.source_path for c in contact.cards]
    session.delete(contact)
    session.flush()
    return sources


def pending_reviews(session: Session) -> list[Card]:
    return list(session.scalars(select(Card).where(Card.review == "pending").order_by(Card.id)))


def resolve_review(session: Session, card: Card, contact: Contact | None) -> Contact:
    """File a card waiting for review under `contact`, or under a new contact when None (keep apart)."""
    from pipeline.book.store import file_card

    if card.review != "pending":
        raise EditError(f"card {card.id} is not waiting for review")
    target = contact or Contact()
    if contact is None:
        session.add(target)
    card.candidates = []
    file_card(session, target, card, source="review")
    return target
