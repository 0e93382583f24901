"""Whose card is this? Match a card's fields against the stored contacts.

Exact keys first (a shared e-mail or phone), then names: candidates come from the `name_key`
index (see pipeline.extract.namekeys), so a card is compared with a few contacts, never the whole table,
and each candidate is scored on name and organisation with rapidfuzz.

Readings held for review (a phone read with doubt, on this card or on a stored one: models.HeldKey) are evidence
too, weaker than a value in a contact: the same card photographed twice holds the same doubtful phone twice, and
must not become two contacts. They never go into the contact here; pipeline.book.review decides that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, defer, selectinload

from models import Card, Contact, Email, HeldKey, NameKey, Organization, Phone, Position
from pipeline.core.types import CardFields
from pipeline.extract.lexicon import words
from pipeline.extract.namekeys import name_keys, name_similarity, organization_key, organization_similarity

MatchOutcome = Literal["created", "merged", "needs_review"]

SAME_NAME = 90.0  # names this alike are the same person's, given one more piece of evidence
LIKE_NAME = 80.0  # alike enough to ask the user
CONFLICT = 75.0  # below this, two names on a shared phone are two people
SAME_ORG = 85.0
MAX_CANDIDATES = 50  # from the name index; a very common surname must not make dedupe slow


@dataclass(frozen=True)
class Candidate:
    contact_id: int
    score: float  # 0..100
    reason: str


@dataclass(frozen=True)
class Match:
    outcome: MatchOutcome
    contact_id: int | None = None
    candidates: tuple[Candidate, ...] = ()


def match_card(session: Session, fields: CardFields, held: CardFields | None = None) -> Match:
    """`fields`: what the card gives its contact; `held`: what it holds for review (evidence only)."""
    held = held or CardFields()
    exact = _exact_match(session, fields)
    if exact is not None:
        return exact
    doubted = _held_match(session, fields, held)
    if doubted is not None:
        return doubted
    return _fuzzy_match(session, fields, held)


def _exact_match(session: Session, fields: CardFields) -> Match | None:
    """A shared e-mail or phone. Two different names on it are two people sharing an office line
    (a new contact), or, when the key is personal (a mobile, a named mailbox), a question for the user."""
    shared = _shared_keys(session, fields)
    if not shared:
        return None
    contacts = _load(session, list(shared))
    scored = []
    for contact in contacts:
        personal, count = shared[contact.id]
        score = _name_score(fields.name, contact)
        scored.append((score is None or score >= CONFLICT, personal, count, contact.id, score))
    scored.sort(key=lambda s: (s[0], s[1], s[2], -s[3]), reverse=True)
    compatible, _, _, best_id, _ = scored[0]
    if compatible:
        return Match("merged", best_id)
    personal_hits = [s for s in scored if s[1]]
    if not personal_hits:
        return None  # only an office line in common: judge by name alone
    candidates = tuple(Candidate(s[3], round(s[4] or 0.0, 1), "shares a phone or e-mail, name differs")
                       for s in personal_hits[:5])
    return Match("needs_review", None, candidates)


def _shared_keys(session: Session, fields: CardFields) -> dict[int, tuple[bool, int]]:
    """contact id -> (shares a personal key, number of shared keys)."""
    found: dict[int, tuple[bool, int]] = {}

    def add(contact_id: int, personal: bool) -> None:
        was_personal, count = found.get(contact_id, (False, 0))
        found[contact_id] = (was_personal or personal, count + 1)

    card_types = {p.number: p.type for p in fields.phones}
    if card_types:
        rows = session.execute(select(Phone.contact_id, Phone.e164, Phone.type).where(Phone.e164.in_(card_types)))
        for contact_id, number, stored_type in rows:
            add(contact_id, "mobile" in (stored_type, card_types[number]))
    if fields.emails:
        roles = words("role_mailboxes")
        mailboxes = session.execute(select(Email.contact_id, Email.address)
                                    .where(Email.address.in_(fields.emails)))
        for contact_id, address in mailboxes:
            add(contact_id, address.split("@")[0].lower() not in roles)
    return found


def _held_match(session: Session, fields: CardFields, held: CardFields) -> Match | None:
    """A phone or e-mail shared with a contact where either side holds it for review. With the same name, or no
    name to compare but two such keys or the same organisation, it is that contact; otherwise, unless the names
    differ (a misread digit may land on anyone's number), the card asks whether it is the same person."""
    shared = _doubted_keys(session, fields, held)
    if not shared:
        return None
    company = fields.company or held.company
    merged, asked = [], []
    # An office line held on many cards must not make matching slow: the contacts sharing the most keys first.
    ids = sorted(shared, key=lambda i: (-len(shared[i]), i))[:MAX_CANDIDATES]
    orgs = _held_orgs(session, ids) if company else {}
    for contact in _load(session, ids):
        count = len(shared[contact.id])
        name = _name_score(fields.name, contact)
        org = _org_score(company, contact, orgs.get(contact.id, []))
        if name is not None and name < CONFLICT:
            continue
        if (name is not None and name >= SAME_NAME) or (name is None and (count >= 2 or (org or 0) >= SAME_ORG)):
            merged.append((count, name or 0.0, -contact.id))
        else:
            why = "no name to compare" if name is None else "similar name"
            asked.append(Candidate(contact.id, round(name or 0.0, 1), f"{why}; shares a phone or e-mail read with "
                                   "doubt"))
    if merged:
        return Match("merged", -max(merged)[2])
    if asked:
        return Match("needs_review", None, tuple(sorted(asked, key=lambda c: (-c.score, c.contact_id))[:5]))
    return None


def _doubted_keys(session: Session, fields: CardFields, held: CardFields) -> dict[int, set[str]]:
    """contact id -> the phones and e-mails it shares with the card where either side's is held for review (both
    sides sure is _exact_match's)."""
    found: dict[int, set[str]] = {}
    phones = {p.number for p in held.phones}
    emails = set(held.emails)
    if phones:
        for contact_id, number in session.execute(select(Phone.contact_id, Phone.e164).where(Phone.e164.in_(phones))):
            found.setdefault(contact_id, set()).add(number)
    if emails:
        for contact_id, address in session.execute(select(Email.contact_id, Email.address)
                                                   .where(Email.address.in_(emails))):
            found.setdefault(contact_id, set()).add(address)
    all_phones = phones | {p.number for p in fields.phones}
    all_emails = emails | set(fields.emails)
    wanted = [(kind, values) for kind, values in (("phone", all_phones), ("email", all_emails)) if values]
    for kind, values in wanted:
        on_cards = session.execute(select(Card.contact_id, HeldKey.value).join(HeldKey.card).where(
            HeldKey.kind == kind, HeldKey.value.in_(values), Card.contact_id.is_not(None)))
        for owner, value in on_cards:
            if owner is not None:  # the query excludes it; this tells the type checker
                found.setdefault(owner, set()).add(value)
    return found


def _held_orgs(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """contact id -> the keys of the companies its cards hold for review."""
    found: dict[int, list[str]] = {}
    if ids:
        rows = session.execute(select(Card.contact_id, HeldKey.value).join(HeldKey.card)
                               .where(HeldKey.kind == "org", Card.contact_id.in_(ids)))
        for contact_id, value in rows:
            if contact_id is not None:  # the query excludes it; this tells the type checker
                found.setdefault(contact_id, []).append(value)
    return found


def _fuzzy_match(session: Session, fields: CardFields, held: CardFields) -> Match:
    keys = name_keys(fields.name or "")
    if not keys:
        return _nameless_match(session, fields.company or held.company)
    needed = min(2, len(keys))
    query = (
        select(NameKey.contact_id)
        .where(NameKey.key.in_(keys))
        .group_by(NameKey.contact_id)
        .having(func.count() >= needed)
        .order_by(func.count().desc(), NameKey.contact_id)
        .limit(MAX_CANDIDATES)
    )
    ids = list(session.scalars(query))
    company = fields.company or held.company
    orgs = _held_orgs(session, ids) if company else {}
    # Among equal names, the one at the same organisation first: it is the one to merge with.
    scored = sorted((_score(fields.name, company, c, orgs.get(c.id, [])) for c in _load(session, ids)),
                    key=lambda c: (-c.score, c.reason != "same name and organisation", c.contact_id))
    likely = [c for c in scored if c.score >= LIKE_NAME]
    if not likely:
        return Match("created")
    best = likely[0]
    if best.reason == "same name and organisation":
        return Match("merged", best.contact_id)
    return Match("needs_review", None, tuple(likely[:5]))


def _nameless_match(session: Session, company: str | None) -> Match:
    """A card with no name read: a contact with no name at the same organisation (in a job, or held on one of its
    cards) may be the same card photographed again. Only a question: two unnamed people may work there."""
    key = organization_key(company or "")
    if not key:
        return Match("created")
    in_job = (select(Position.contact_id).join(Position.organization)
              .where(Organization.match_key.startswith(f"{key}|", autoescape=True)))
    held_there = (select(Card.contact_id).join(HeldKey.card)
                  .where(HeldKey.kind == "org", HeldKey.value == key, Card.contact_id.is_not(None)))
    there = or_(Contact.id.in_(in_job), Contact.id.in_(held_there))
    query = select(Contact.id).where(Contact.display_name.is_(None), there).order_by(Contact.id).limit(5)
    ids = list(session.scalars(query))
    if not ids:
        return Match("created")
    return Match("needs_review", None, tuple(Candidate(i, 0.0, "no name on either; same organisation") for i in ids))


def _score(name_read: str | None, company: str | None, contact: Contact, held_orgs: list[str]) -> Candidate:
    name = _name_score(name_read, contact) or 0.0
    org = _org_score(company, contact, held_orgs)
    if name >= SAME_NAME and org is not None and org >= SAME_ORG:
        return Candidate(contact.id, round(name, 1), "same name and organisation")
    if name >= SAME_NAME:
        why = "same name, no organisation to compare" if org is None else "same name, other organisation"
        return Candidate(contact.id, round(name, 1), why)
    if org is not None and org >= SAME_ORG:
        return Candidate(contact.id, round(name, 1), "similar name, same organisation")
    # A similar name alone is too weak to ask about: it would flood the review list.
    return Candidate(contact.id, round(min(name, LIKE_NAME - 1), 1), "similar name")


def _name_score(name: str | None, contact: Contact) -> float | None:
    names = [n for n in [contact.display_name, *(a.name for a in contact.aliases)] if n]
    if not name or not names:
        return None
    return max(name_similarity(name, n) for n in names)


def _org_score(company: str | None, contact: Contact, held_orgs: Sequence[str] = ()) -> float | None:
    # Past organisations count too: an old card scanned after the new one is still the same person; and a company
    # its cards hold for review (evidence, not yet the contact's job).
    orgs = [p.organization.name for p in contact.positions if p.organization] + list(held_orgs)
    if not company or not orgs:
        return None
    return max(organization_similarity(company, o) for o in orgs)


def _load(session: Session, ids: list[int]) -> list[Contact]:
    if not ids:
        return []
    query = (
        select(Contact)
        .where(Contact.id.in_(ids))
        .options(selectinload(Contact.aliases), selectinload(Contact.positions).joinedload(Position.organization))
    )
    return list(session.scalars(query))


def waiting_question(session: Session, fields: CardFields, held: CardFields | None = None) -> Card | None:
    """The card asking a same-person question that this card is another photo of, or None. Such a card is in no
    contact, so nothing above finds it: the same card photographed twice while the first photo waited would ask a
    second question (and, answered "someone else" twice, make two contacts). Found by what the waiting card read
    (all of it is indexed in HeldKey while it waits) and judged as a held reading is: the same name with a phone,
    e-mail or organisation in common, or no name to compare but two keys, or a key and the organisation."""
    held = held or CardFields()
    phones = {p.number for p in [*fields.phones, *held.phones]}
    emails = {*fields.emails, *held.emails}
    company = fields.company or held.company
    org = organization_key(company or "")
    wanted = {("phone", v) for v in phones} | {("email", v) for v in emails} | ({("org", org)} if org else set())
    if not wanted:
        return None
    shared: dict[int, set[str]] = {}
    # One IN on the indexed value, the waiting cards picked after: joined to `card` in one statement, SQLite
    # started from the cards waiting (1000 questions: 13 ms a card filed, against 0.x ms this way).
    rows = session.execute(select(HeldKey.card_id, HeldKey.kind, HeldKey.value)
                           .where(HeldKey.value.in_({v for _, v in wanted})))
    for card_id, kind, value in rows:
        if (kind, value) in wanted:
            shared.setdefault(card_id, set()).add(f"{kind}:{value}")
    # Many questions may be about one organisation: the cards sharing the most keys first.
    ids = sorted(shared, key=lambda i: (-len(shared[i]), i))[:MAX_CANDIDATES]
    waiting = select(Card).where(Card.id.in_(ids), Card.review == "pending").options(defer(Card.crop))
    best: list[tuple[int, float, int]] = []
    for card in session.scalars(waiting) if ids else ():
        read = card.fields or {}
        name = (name_similarity(fields.name, read["name"]) if fields.name and isinstance(read.get("name"), str)
                else None)
        if name is not None and name < CONFLICT:
            continue  # a misread digit may land on anyone's number: two people
        keys = len([k for k in shared[card.id] if not k.startswith("org:")])
        other = read.get("company")
        same_org = bool(company and isinstance(other, str) and organization_similarity(company, other) >= SAME_ORG)
        if (name is not None and name >= SAME_NAME and (keys or same_org)) or (
                name is None and (keys >= 2 or (keys and same_org))):
            best.append((keys + same_org, name or 0.0, -(card.waits_on_id or card.id)))
    if not best:
        return None
    return session.get(Card, -max(best)[2])
