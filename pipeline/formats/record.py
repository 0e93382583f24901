"""One contact as every export format sees it: plain typed data, built once from the database rows."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload, undefer

from models import Card, Change, Contact, Position
from pipeline.book.merge import sorted_jobs
from pipeline.book.reach import newest_first, ordered_phones
from pipeline.core.types import NO_YEAR
from pipeline.extract.namekeys import word_key

# UIDs are derived, not stored: the same contact gets the same UID on every export and sync.
UID_NAMESPACE = uuid.UUID("5b0c3c5e-9d0e-4f2a-9a43-2f4c1f6f1e07")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


@dataclass(frozen=True)
class NameForm:
    full: str
    given: str | None = None
    middle: str | None = None  # the patronymic of a Russian name
    family: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    language: str = "en"


@dataclass(frozen=True)
class PhoneEntry:
    e164: str
    type: str  # mobile | work | fax | home | other
    extension: str | None = None
    preferred: bool = False


@dataclass(frozen=True)
class ContactRecord:
    uid: str
    rev: datetime  # the last change to the contact or any of its items, UTC
    name: NameForm | None
    alt_name: NameForm | None  # the same name in the other script (Latin for a Russian name)
    nicknames: tuple[str, ...]  # other aliases
    organization: str | None
    department: str | None
    title: str | None
    phones: tuple[PhoneEntry, ...]
    emails: tuple[str, ...]
    websites: tuple[str, ...]
    socials: tuple[tuple[str, str | None], ...]  # (url, network)
    addresses: tuple[str, ...]
    birthday: date | None
    notes: str | None
    interests: tuple[str, ...]
    photo: bytes | None = None  # the card picture, JPEG
    alt_organization: str | None = None  # the current job as printed in the other language (Ladoga LLC)
    alt_title: str | None = None
    spouse: str | None = None
    children: tuple[str, ...] = ()
    hobbies: tuple[str, ...] = ()
    family_status: str | None = None
    facts: tuple[tuple[str, str], ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        """Professional interests and hobbies: both are tags to a phone's address book."""
        return tuple(dict.fromkeys((*self.interests, *self.hobbies)))

    @property
    def note(self) -> str | None:
        """The notes, then what an address book has no field for: family status and the key/value facts."""
        extra = ([f"Family: {self.family_status}"] if self.family_status else []) + [f"{k}: {v}" for k, v in self.facts]
        return "\n".join([*([self.notes] if self.notes else []), *extra]) or None

    @property
    def is_organization(self) -> bool:
        """A contact for an organisation itself (an imported company vCard, a card with no person on it)."""
        return self.name is None and bool(self.organization)

    @property
    def birthday_has_year(self) -> bool:
        return self.birthday is not None and self.birthday.year != NO_YEAR

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name.full
        return self.organization or (self.emails[0] if self.emails else "")


def select_contacts(session: Session, since: date | None = None, search: str | None = None,
                    with_photo: bool = False, tag: str | None = None, met_at: str | None = None) -> list[Contact]:
    """Contacts to export, by id: those changed on or after `since`, those matching `search` (as
    `contacts search` finds them), those with `tag` or met at `met_at` (as `contacts list --tag/--met-at` choose
    them), all of these that are given; or all."""
    query = select(Contact).order_by(Contact.id).options(
        selectinload(Contact.phones), selectinload(Contact.emails), selectinload(Contact.websites),
        selectinload(Contact.addresses), selectinload(Contact.socials), selectinload(Contact.aliases),
        selectinload(Contact.changes), selectinload(Contact.positions).joinedload(Position.organization),
        selectinload(Contact.cards).options(undefer(Card.crop)) if with_photo else selectinload(Contact.cards))
    if since is not None:
        start = datetime(since.year, since.month, since.day, tzinfo=UTC)
        changed = select(Change.contact_id).where(Change.at >= start)
        query = query.where(or_(Contact.updated_at >= start, Contact.created_at >= start, Contact.id.in_(changed)))
    if search:
        from pipeline.book.contacts import search_contacts

        query = query.where(Contact.id.in_([c["id"] for c in search_contacts(session, search, limit=1_000_000)]))
    if tag or met_at:
        from pipeline.book.contacts import filtered_ids

        query = query.where(Contact.id.in_(filtered_ids(session, tag, met_at)))
    return list(session.scalars(query))


def exportable(contact: Contact) -> bool:
    """A contact a phone book can hold: a name, a way to reach them, an address or a job. A card read with no name
    whose every field waits in review makes a contact with none of these, which would export as a blank entry."""
    return bool(contact.display_name or contact.given_name or contact.family_name or contact.phones
                or contact.emails or contact.websites or contact.addresses or contact.socials
                or contact.current_positions)


def contact_uid(contact: Contact) -> str:
    return uid_of(contact.id, contact.created_at)


def uid_of(contact_id: int, created_at: datetime) -> str:
    return str(uuid.uuid5(UID_NAMESPACE, f"{contact_id}|{_utc(created_at).isoformat()}"))


def build_record(contact: Contact, with_photo: bool = False) -> ContactRecord:
    jobs = sorted_jobs(contact.current_positions)
    current = jobs[-1] if jobs else None
    name = _main_name(contact)
    alt = _alt_name(contact, name)
    nicknames = tuple(a.name for a in contact.aliases if alt is None or a.name != alt.full)
    return ContactRecord(
        uid=contact_uid(contact), rev=_revision(contact), name=name, alt_name=alt, nicknames=nicknames,
        organization=current.company if current else None, department=current.department if current else None,
        title=current.title if current else None,
        phones=tuple(PhoneEntry(p.e164, p.type, p.extension, p.e164 == contact.preferred_phone)
                     for p in ordered_phones(contact)),  # the current job's first: Outlook's Business Phone
        emails=tuple(e.address for e in newest_first(contact.emails, contact)),
        websites=tuple(w.url for w in contact.websites),
        socials=tuple((s.url, s.network) for s in contact.socials), addresses=tuple(a.text for a in contact.addresses),
        birthday=contact.birthday, notes=contact.notes, interests=tuple(contact.interests or ()),
        photo=_photo(contact) if with_photo else None,
        alt_organization=current.alt_company if current else None, alt_title=current.alt_title if current else None,
        spouse=contact.spouse, children=tuple(contact.children or ()), hobbies=tuple(contact.hobbies or ()),
        family_status=contact.family_status, facts=tuple((contact.facts or {}).items()),
    )


def language_of(text: str) -> str:
    return "ru" if _CYRILLIC.search(text) else "en"


def _main_name(contact: Contact) -> NameForm | None:
    if not contact.display_name:
        return None
    return NameForm(contact.display_name, contact.given_name, contact.middle_name, contact.family_name,
                    contact.prefix, contact.suffix, language_of(contact.display_name))


def _alt_name(contact: Contact, name: NameForm | None) -> NameForm | None:
    """The first alias in the other script, split into parts by matching its words to the main name's."""
    if name is None:
        return None
    other = next((a.name for a in contact.aliases if language_of(a.name) != name.language), None)
    if other is None:
        return None
    words = _WORD.findall(other)
    by_key = {word_key(w): w for w in words}
    parts = {part: by_key.get(word_key(value)) if value else None
             for part, value in (("given", name.given), ("middle", name.middle), ("family", name.family))}
    return NameForm(other, parts["given"], parts["middle"], parts["family"], language=language_of(other))


def _revision(contact: Contact) -> datetime:
    """Item changes (a new phone) do not touch the contact row; its history records every one."""
    times = [_utc(contact.updated_at), *(_utc(c.at) for c in contact.changes)]
    return max(times).replace(microsecond=0)


def _photo(contact: Contact) -> bytes | None:
    crops = [c.crop for c in sorted(contact.cards, key=lambda c: c.id) if c.crop]
    return crops[-1] if crops else None


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes (stored as UTC), PostgreSQL aware ones in the session's zone.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
