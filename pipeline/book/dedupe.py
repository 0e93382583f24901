"""Whose card is this? Match a card's fields against the stored contacts.

Exact keys first (a shared e-mail or phone), then names: candidates come from the `name_key`
index (see pipeline.extract.namekeys), so a card is compared with a few contacts, never the whole table,
and each candidate is scored on name and organisation with rapidfuzz.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models import Contact, Email, NameKey, Phone, Position
from pipeline.core.types import CardFields
from pipeline.extract.lexicon import words
from pipeline.extract.namekeys import name_keys, name_similarity, organization_similarity

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


def match_card(session: Session, fields: CardFields) -> Match:
    exact = _exact_match(session, fields)
    if exact is not None:
        return exact
    return _fuzzy_match(session, fields)


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


def _fuzzy_match(session: Session, fields: CardFields) -> Match:
    keys = name_keys(fields.name or "")
    if not keys:
        return Match("created")
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
    # Among equal names, the one at the same organisation first: it is the one to merge with.
    scored = sorted((_score(fields, c) for c in _load(session, ids)),
                    key=lambda c: (-c.score, c.reason != "same name and organisation", c.contact_id))
    likely = [c for c in scored if c.score >= LIKE_NAME]
    if not likely:
        return Match("created")
    best = likely[0]
    if best.reason == "same name and organisation":
        return Match("merged", best.contact_id)
    return Match("needs_review", None, tuple(likely[:5]))


def _score(fields: CardFields, contact: Contact) -> Candidate:
    name = _name_score(fields.name, contact) or 0.0
    org = _org_score(fields.company, contact)
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


def _org_score(company: str | None, contact: Contact) -> float | None:
    # Past organisations count too: an old card scanned after the new one is still the same person.
    orgs = [p.organization.name for p in contact.positions if p.organization]
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
