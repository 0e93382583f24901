"""The review queue: cards waiting for a same-person answer, and filed cards with a field to check.

Whether a card is in the queue is decided when it is filed, reviewed or settled, and kept in the indexed
`card.to_review` column: the doubts are in the card's JSON, which no database indexes alike, and counting them
on every page (the web app's "12 to review") read every card ever filed.

Held fields (pipeline.extract.doubt): a doubtful field other than the name is kept on the stored card (its JSON's
`held` list) but not merged into the contact, so it is never exported, synced or matched on, until a person
accepts it (`accept`), corrects it (`fix`) or throws it away (`reject`). Either way it goes through the same
merge as a scan. A doubtful name is filed (a contact needs one) and the card stays in the queue until accepted.
The card's JSON keeps the reading as OCR gave it; `accepted` and `rejected` list what a person decided, and
corrections are kept under `corrected` (pipeline.book.corrections), which the contact is built from.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, defer

from models import Card, Contact, HeldKey
from pipeline.book.corrections import KEY as CORRECTED
from pipeline.book.corrections import record
from pipeline.book.editing import EditError, contact_region, e164_or_error, edit_contact
from pipeline.book.merge import Merger, same_text
from pipeline.core.types import CardFields
from pipeline.extract.doubt import HOLDABLE, REVIEW_BELOW, doubtful
from pipeline.extract.namekeys import organization_key
from pipeline.stages.report import fields_from_dict

__all__ = ["REVIEW_BELOW", "accept", "confirm_known", "doubts", "fix", "held", "held_fields", "held_keys", "mark",
           "question_keys", "reject", "review_count", "review_queue", "trusted_fields"]

HELD, ACCEPTED, REJECTED = "held", "accepted", "rejected"
# Held list fields a contact already had when the card was filed (another card's, or a person's): nothing to check.
CONFIRMED = "confirmed"
# The fields `review fix` and `review reject` take, as the card's JSON names them.
REVIEWABLE = ("name", *sorted(HOLDABLE))
LIST_FIELDS = ("phones", "emails", "websites", "social")
ITEM_FIELDS = (*LIST_FIELDS, "address")  # kept on the contact as items that remember their card


def held(fields: dict[str, Any]) -> list[str]:
    """The fields of a stored card's JSON kept from its contact until a person decides."""
    return list(fields.get(HELD) or [])


def doubts(fields: dict[str, Any]) -> list[str]:
    """The fields of a stored card still to check: held ones, and a doubtful name not yet accepted. A card filed
    before fields were held (no `held` key) shows every guessed or low-confidence field, as it always did."""
    found = doubtful(fields.get("guesses") or [], fields.get("confidence") or {})
    if HELD not in fields:
        return found
    decided = set(fields.get(ACCEPTED) or []) | set(fields.get(REJECTED) or [])
    flagged = [k for k in found if k not in HOLDABLE and k not in decided and fields.get(k)]
    return sorted(set(held(fields)) | set(flagged))


def mark(card: Card) -> None:
    """Put the card in the queue or take it out, after its review state or its reading changed: waiting for a
    same-person answer, or filed (not yet checked by a person) with a field in doubt. The phones, e-mails and
    company it holds are indexed (models.HeldKey) for matching the next card while they are held."""
    # Another photo of a card that asks a same-person question waits on that question: it is asked once.
    asks = card.review == "pending" and card.waits_on is None and card.waits_on_id is None
    card.to_review = asks or (card.review is None and bool(doubts(card.fields or {})))
    # A card waiting for a same-person answer is in no contact: all it read is held, and the next photo of it
    # finds it by any of its phones, e-mails or company (pipeline.book.dedupe.waiting_question).
    wanted = question_keys(card.fields or {}) if card.review == "pending" else held_keys(card.fields or {})
    have = {(k.kind, k.value) for k in card.held_keys}
    for row in [k for k in card.held_keys if (k.kind, k.value) not in wanted]:
        card.held_keys.remove(row)
    card.held_keys += [HeldKey(kind=kind, value=value) for kind, value in sorted(wanted - have)]


def held_keys(fields: dict[str, Any]) -> set[tuple[str, str]]:
    """(kind, value) of what a stored card holds that tells whose card it is: phones, e-mails, the company's key."""
    return _keys(held_fields(fields))


def question_keys(fields: dict[str, Any]) -> set[tuple[str, str]]:
    """held_keys of a card waiting for a same-person answer: everything it read, as none of it is in a contact."""
    return _keys(fields_from_dict(fields))


def _keys(out: CardFields) -> set[tuple[str, str]]:
    keys = {("phone", p.number) for p in out.phones} | {("email", e) for e in out.emails}
    if out.company and organization_key(out.company):
        keys.add(("org", organization_key(out.company)))
    return {(kind, value) for kind, value in keys if value and len(value) <= 320}


def held_fields(fields: dict[str, Any]) -> CardFields:
    """Only what a stored card holds (read with doubt, not given to its contact): evidence of whose card it is,
    never a value of the contact."""
    return _only(fields_from_dict(fields), set(held(fields)))


def confirm_known(card: Card, contact: Contact) -> list[str]:
    """A held phone, e-mail, site, profile, address or company that the contact already has (from another card,
    or a person who accepted or typed it) holds nothing back: it leaves the card's held list, listed under
    `confirmed`, and the card needs no review for it. Returns those fields."""
    fields = dict(card.fields or {})
    reading = fields_from_dict(fields)
    have = {"phones": {p.e164 for p in contact.phones}, "emails": {e.address for e in contact.emails},
            "websites": {w.url for w in contact.websites}, "social": {s.url for s in contact.socials}}
    values = {"phones": [p.number for p in reading.phones], "emails": reading.emails,
              "websites": reading.websites, "social": reading.social}
    known = [k for k in held(fields) if k in have and values[k] and set(values[k]) <= have[k]]
    if "address" in held(fields) and reading.address and any(same_text(reading.address, a.text)
                                                              for a in contact.addresses):
        known.append("address")
    # A held company the contact works or worked at, by the same key as dedupe's (legal form, quotes, script and
    # punctuation aside, no fuzzy match): accepted on another photo of the card, it stayed in the queue.
    key = organization_key(reading.company or "")
    if "company" in held(fields) and key and any(
            key in {organization_key(p.organization.name if p.organization else ""),
                    organization_key(p.alt_company or "")} for p in contact.positions):
        known.append("company")
    if known:
        fields[HELD] = [k for k in held(fields) if k not in known]
        fields[CONFIRMED] = sorted({*(fields.get(CONFIRMED) or []), *known})
        card.fields = fields
    return known


def review_queue(session: Session, limit: int | None = None) -> list[Card]:
    """Cards waiting for a same-person answer first, then filed cards with a doubtful field, oldest first."""
    waiting_first = case((Card.review == "pending", 0), else_=1)
    query = select(Card).options(defer(Card.crop)).where(Card.to_review.is_(True))
    return list(session.scalars(query.order_by(waiting_first, Card.id).limit(limit)))


def review_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Card).where(Card.to_review.is_(True))) or 0


def trusted_fields(fields: dict[str, Any]) -> CardFields:
    """What a stored card gives its contact: its reading with a person's corrections on top, without the fields
    held or rejected; a field a person accepted or corrected is certain (no longer a guess)."""
    doc = dict(fields)
    corrected = doc.get(CORRECTED) or {}
    for key, value in corrected.items():
        doc[key] = [_phone_doc(p) for p in value] if key == "phones" else value
    out = fields_from_dict(doc)
    withheld = set(held(fields)) | set(fields.get(REJECTED) or [])
    for key in withheld:
        _clear(out, key)
    sure = set(fields.get(ACCEPTED) or []) | set(corrected)
    out.guesses = [g for g in out.guesses if g not in sure and g not in withheld]
    out.confidence = {k: (1.0 if k in sure else v) for k, v in out.confidence.items() if k not in withheld}
    return out


def _phone_doc(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {"number": value, "type": "other"}


def _clear(out: CardFields, key: str) -> None:
    default = next(f for f in dataclass_fields(CardFields) if f.name == key)
    setattr(out, key, [] if key in LIST_FIELDS else None if default.default is None else default.default)


def _only(fields: CardFields, keys: set[str]) -> CardFields:
    """The card's fields with only `keys` kept: what accepting them adds to the contact."""
    out = CardFields(confidence=dict(fields.confidence), guesses=list(fields.guesses))
    for key in keys:
        setattr(out, key, getattr(fields, key))
        if key == "name":
            out.name_parts = fields.name_parts
    return out


def _filed(card: Card) -> Contact:
    if card.contact is None:
        raise EditError(f"card {card.id} waits for a same-person answer first: `cardscan review merge` or `apart`")
    return card.contact


def _known(card: Card, keys: list[str]) -> None:
    unknown = [k for k in keys if k not in REVIEWABLE]
    if unknown:
        raise EditError(f"no field {', '.join(unknown)}; the fields are {', '.join(REVIEWABLE)}")


def accept(session: Session, card: Card, keys: list[str] | None = None) -> list[str]:
    """The person says these fields (all the card's doubts when None) were read right: held ones go into the
    contact through the merge, and the card leaves the queue when nothing is left to check. Returns the fields
    that went into the contact."""
    contact = _filed(card)
    fields = dict(card.fields or {})
    pending = doubts(fields)
    chosen = pending if keys is None else list(dict.fromkeys(keys))
    _known(card, chosen)
    waiting = held(fields)
    applied = [k for k in chosen if k in waiting]
    fields[HELD] = [k for k in waiting if k not in chosen]
    fields[ACCEPTED] = sorted(set(fields.get(ACCEPTED) or []) | set(chosen))
    fields[REJECTED] = [k for k in fields.get(REJECTED) or [] if k not in chosen]
    card.fields = fields  # a new dict, so the JSON column is written
    if applied:
        Merger(session, contact, "review").apply(_only(trusted_fields(fields), set(applied)), card)
        _confirm_others(card, contact)
    _settle(card)
    session.flush()
    return applied


def _confirm_others(card: Card, contact: Contact) -> None:
    """Other photos of the same card waiting with the reading just accepted have nothing left to hold for it."""
    for other in contact.cards:
        if other is not card and other.to_review and other.review is None and confirm_known(other, contact):
            _settle(other)


def fix(session: Session, card: Card, key: str, values: list[str], region: str | None = None) -> None:
    """The person says what the card really prints for `key` (several values for a list field). The value is
    kept as the card's correction (a training example) and goes into the contact in place of the reading. A
    phone typed without +CC is read in `region` when given, else in the card's and contact's own country."""
    contact = _filed(card)
    region = region or contact_region(contact, card)
    _known(card, [key])
    value = _corrected(key, values, region)
    was_held = key in held(card.fields or {})
    if not was_held and key in ITEM_FIELDS:
        _drop_items(session, card, key)  # the wrong reading is already in the contact: it goes, the right one comes
    record(card, {key: value})
    if not was_held and key not in ITEM_FIELDS:
        # Already merged (the name, or a job the card opened): put it right on the contact, as an edit by hand does.
        edit_contact(session, contact, {"display_name" if key == "name" else key: str(value)}, region=region)
        accept(session, card, [key])
        return
    fields = dict(card.fields)
    fields[HELD] = list(dict.fromkeys([*held(fields), key]))  # accept() applies it through the merge
    card.fields = fields
    accept(session, card, [key])


def reject(session: Session, card: Card, key: str) -> None:
    """The reading is wrong and there is nothing to put in its place: it never goes into the contact (one already
    merged, a phone, e-mail, site or profile, is taken out of it)."""
    _filed(card)
    _known(card, [key])
    fields = dict(card.fields or {})
    if key not in held(fields):
        if key not in ITEM_FIELDS:
            raise EditError(f"card {card.id}'s {key} is in the contact already: put it right with "
                            f"`cardscan review fix {card.id} {key} VALUE` or `cardscan contacts edit`")
        _drop_items(session, card, key)
    fields[HELD] = [k for k in held(fields) if k != key]
    fields[REJECTED] = sorted({*(fields.get(REJECTED) or []), key})
    fields[ACCEPTED] = [k for k in fields.get(ACCEPTED) or [] if k != key]
    card.fields = fields
    _settle(card)
    session.flush()


def _settle(card: Card) -> None:
    if card.review is None and not doubts(card.fields or {}):
        card.review = "checked"
    mark(card)


def _drop_items(session: Session, card: Card, key: str) -> None:
    """Take out of the contact the items of one kind this card brought (logged as `contacts edit --remove-*` is)."""
    contact = card.contact
    assert contact is not None
    kinds: dict[str, tuple[str, list[Any], str]] = {
        "phones": ("phone", contact.phones, "e164"), "emails": ("email", contact.emails, "address"),
        "websites": ("website", contact.websites, "url"), "social": ("social", contact.socials, "url"),
        "address": ("address", contact.addresses, "text")}
    kind, items, attr = kinds[key]
    merger = Merger(session, contact, "review")
    for item in [i for i in items if i.card is card]:
        items.remove(item)
        merger.log(kind, getattr(item, attr), None, card)
        if kind == "phone" and contact.preferred_phone == item.e164:
            merger.set_field("preferred_phone", None, card)


def _corrected(key: str, values: list[str], region: str) -> Any:
    """A person's value in the form the card's JSON keeps it, checked as `contacts edit` checks it."""
    values = [v.strip() for v in values if v.strip()]
    if not values:
        raise EditError(f"review fix {key}: give the value the card prints (`review reject` drops a reading)")
    if key == "phones":
        return [{"number": e164_or_error(v, region), "type": "other"} for v in values]
    if key == "emails":
        try:
            return [validate_email(v, check_deliverability=False).normalized for v in values]
        except EmailNotValidError as exc:
            raise EditError(f"not an e-mail address: {exc}") from None
    if key in ("websites", "social"):
        return [v if "://" in v or key == "social" else f"https://{v}" for v in values]
    return " ".join(values)

