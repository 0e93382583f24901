"""What a card adds to a contact: new items are added, nothing is replaced, hand edits win.

A new organisation or title closes the contact's current position (kept as history) and opens
the next; a Russian name becomes the main one with the Latin form kept as an alias. Every change
is written to the contact's history with the card that caused it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Address,
    Alias,
    Card,
    Change,
    Contact,
    Email,
    NameKey,
    Organization,
    Phone,
    Position,
    Social,
    Website,
)
from models.base import utcnow
from pipeline.book.dedupe import SAME_ORG
from pipeline.core.types import CardFields
from pipeline.extract.namekeys import name_keys, organization_identity, organization_key, organization_similarity
from pipeline.extract.web import social_network

SAME_TITLE = 85.0
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


class Merger:
    """Applies cards to one contact inside one session, logging each change with its source."""

    def __init__(self, session: Session, contact: Contact, source: str = "scan") -> None:
        self.session, self.contact, self.source = session, contact, source

    def log(self, field: str, old: str | None, new: str | None, card: Card | None) -> None:
        self.contact.changes.append(Change(source=self.source, field=field, old_value=old, new_value=new, card=card))

    def apply(self, fields: CardFields, card: Card | None) -> None:
        self.apply_name(fields, card)
        self._items(fields, card)
        self._position(fields, card)
        refresh_name_keys(self.session, self.contact)

    def set_field(self, field: str, value: str | None, card: Card | None) -> None:
        old = getattr(self.contact, field)
        if old != value:
            setattr(self.contact, field, value)
            self.log(field, old, value, card)

    def apply_name(self, fields: CardFields, card: Card | None) -> None:
        c = self.contact
        if fields.name:
            if not c.display_name:
                self._take_name(fields, card)
            elif _script(fields.name) != _script(c.display_name):
                if _script(fields.name) == "cyrillic" and not c.is_hand_edited("display_name"):
                    # The Russian name is the main one; the Latin form stays as an alias.
                    latin_name = c.display_name
                    self._take_name(fields, card, replace=True)
                    self.add_alias(latin_name, card)
                else:
                    self.add_alias(fields.name, card)
            elif _words(fields.name) > _words(c.display_name) and not c.is_hand_edited("display_name"):
                self._take_name(fields, card, replace=True)  # a fuller form: the patronymic, say
            elif not _words(fields.name) <= _words(c.display_name):  # a part of the name is a misreading, not an alias
                self.add_alias(fields.name, card)
        for alias in fields.aliases:
            self.add_alias(alias, card)

    def _take_name(self, fields: CardFields, card: Card | None, replace: bool = False) -> None:
        parts = fields.name_parts
        values = {"display_name": fields.name, "given_name": parts and parts.given,
                  "middle_name": parts and parts.middle, "family_name": parts and parts.family,
                  "prefix": parts and parts.prefix, "suffix": parts and parts.suffix}
        for field, value in values.items():
            if self.contact.is_hand_edited(field) or not value:
                continue
            if replace or not getattr(self.contact, field):
                self.set_field(field, value, card)

    def add_alias(self, name: str, card: Card | None) -> None:
        c = self.contact
        if name == c.display_name or any(a.name == name for a in c.aliases):
            return
        c.aliases.append(Alias(name=name, card=card))
        self.log("alias", None, name, card)

    def _items(self, fields: CardFields, card: Card | None) -> None:
        c = self.contact
        have = {p.e164 for p in c.phones}
        c.phones += [Phone(e164=p.number, extension=p.extension, type=p.type, card=card)
                     for p in fields.phones if p.number not in have]
        have = {e.address for e in c.emails}
        c.emails += [Email(address=e, card=card) for e in dict.fromkeys(fields.emails) if e not in have]
        have = {w.url for w in c.websites}
        c.websites += [Website(url=w, card=card) for w in dict.fromkeys(fields.websites) if w not in have]
        have = {s.url for s in c.socials}
        c.socials += [Social(url=s, network=social_network(s), card=card) for s in dict.fromkeys(fields.social)
                      if s not in have]
        if fields.address and not any(_same_text(fields.address, a.text) for a in c.addresses):
            c.addresses.append(Address(text=fields.address, card=card))

    def _position(self, fields: CardFields, card: Card | None) -> None:
        if not (fields.company or fields.title or fields.department):
            return
        current = self.contact.current_positions[-1] if self.contact.current_positions else None
        dated = _aware(card.taken_at) if card is not None and card.taken_at else None
        if current is None:
            self.open_position(fields.company, fields.title, fields.department, card, since=dated)
        elif not self._same_job(current, fields):
            if current.by_hand:
                self.log("position", _job(current.title, current.company), "kept (entered by hand); card says "
                         + _job(fields.title, fields.company), card)
            elif dated and dated < _aware(current.since):
                self._earlier_job(fields, card, dated, current)
            else:
                self.close_position(current, card, dated)
                self.open_position(fields.company or current.company, fields.title, fields.department, card,
                                   since=dated)
        elif not current.by_hand:
            self._prefer_russian(current, fields, card)
            if fields.company and current.organization is None:
                current.organization = find_organization(self.session, fields.company)
            current.title = current.title or fields.title
            current.department = current.department or fields.department

    def _earlier_job(self, fields: CardFields, card: Card | None, dated: datetime, current: Position) -> None:
        """A card photographed before the current job began is a past job: history, not the current one."""
        if any(self._same_job(p, fields) for p in self.contact.positions if p is not current):
            return  # that job is in the history already
        past = self.open_position(fields.company, fields.title, fields.department, card, since=dated)
        past.until = current.since

    def _prefer_russian(self, current: Position, fields: CardFields, card: Card | None) -> None:
        """The same job read from the Russian side of a card: as with names, the Russian form is the main one."""
        for field in ("title", "department"):
            new, old = getattr(fields, field), getattr(current, field)
            if new and old and _script(new) == "cyrillic" != _script(old):
                setattr(current, field, new)
                self.log(field, old, new, card)
        org = current.organization
        if org and fields.company and _script(fields.company) == "cyrillic" != _script(org.name):
            self.log("company", org.name, fields.company, card)
            org.name = fields.company

    def _same_job(self, current: Position, fields: CardFields) -> bool:
        if fields.company and current.company and organization_similarity(fields.company, current.company) < SAME_ORG:
            return False
        if not (fields.title and current.title):
            return True
        # A title in the other script is the same job translated (the English back of a Russian card).
        return _script(fields.title) != _script(current.title) or fuzz.ratio(
            fields.title.casefold(), current.title.casefold()) >= SAME_TITLE

    def open_position(self, company: str | None, title: str | None, department: str | None,
                      card: Card | None, by_hand: bool = False, since: datetime | None = None) -> Position:
        position = Position(title=title, department=department, card=card, by_hand=by_hand, since=since or utcnow())
        self.contact.positions.append(position)
        if company:  # linked after the position joined the session, so the organisation's side follows it
            position.organization = find_organization(self.session, company)
        self.log("position", None, _job(title, company), card)
        return position

    def close_position(self, position: Position, card: Card | None, when: datetime | None = None) -> None:
        position.until = when or utcnow()
        self.log("position", _job(position.title, position.company), None, card)


def find_organization(session: Session, name: str) -> Organization:
    """The stored organisation this name means, or a new one. A name without a legal form means the
    organisation of that name whatever its form; one with a form means the same kind, or one stored bare."""
    key = organization_identity(name) if organization_key(name) else f"{name.casefold()}|"
    stem, form = key.rsplit("|", 1)
    if form:
        found = _organization(session, key) or _organization(session, f"{stem}|")
    else:
        found = _organization(session, key, any_form=True)
    if found is None:
        found = Organization(name=name, match_key=key)
        session.add(found)
    return found


def _organization(session: Session, key: str, any_form: bool = False) -> Organization | None:
    def matches(stored: str) -> bool:
        return stored.startswith(key) if any_form else stored == key

    # Made earlier in this transaction and not flushed yet: the query below cannot see it.
    pending = next((o for o in session.new if isinstance(o, Organization) and matches(o.match_key)), None)
    condition = Organization.match_key.startswith(key, autoescape=True) if any_form else Organization.match_key == key
    with session.no_autoflush:
        stored = session.scalars(select(Organization).where(condition).order_by(Organization.id).limit(1)).first()
    return stored or pending


def refresh_name_keys(session: Session, contact: Contact) -> None:
    names = [contact.display_name or "", *(a.name for a in contact.aliases)]
    wanted = set().union(*(name_keys(n) for n in names))
    have = {k.key for k in contact.name_keys}
    for row in [k for k in contact.name_keys if k.key not in wanted]:
        contact.name_keys.remove(row)
    contact.name_keys += [NameKey(key=k) for k in sorted(wanted - have)]


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for what was stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _script(text: str) -> str:
    return "cyrillic" if _CYRILLIC.search(text) else "latin"


def _words(name: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in re.findall(r"\w+", name))


def _same_text(a: str, b: str) -> bool:
    return fuzz.ratio(" ".join(a.casefold().split()), " ".join(b.casefold().split())) >= 90


def _job(title: str | None, company: str | None) -> str:
    return " @ ".join(x for x in (title, company) if x) or "-"
