"""What a card adds to a contact: new items are added, nothing is replaced, hand edits win.

A new organisation or title closes the contact's current position (kept as history) and opens
the next; a Russian name becomes the main one with the Latin form kept as an alias. Every change
is written to the contact's history with the card that caused it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

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
from pipeline.book.reminders import birthday_text
from pipeline.book.search import refresh_search_text
from pipeline.core.types import CardFields
from pipeline.extract.namekeys import name_keys, organization_identity, organization_key, organization_similarity
from pipeline.extract.text import LAT_TO_CYR
from pipeline.extract.web import social_network

SAME_TITLE = 85.0
OCR_SLIP_ORG = 75.0  # organisation names this close are one misread letter apart, when the title agrees
LOW_CONFIDENCE = 0.5  # a company read worse than this never opens a new job
_DIGITS_CYR = str.maketrans("0368", "озбв")
_DIGITS_LAT = str.maketrans("0158", "olsb")
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
        refresh_index(self.session, self.contact)

    def set_field(self, field: str, value: Any, card: Card | None) -> None:
        old = getattr(self.contact, field)
        if old != value:
            setattr(self.contact, field, value)
            self.log(field, _shown(field, old), _shown(field, value), card)

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
        if fields.address and not any(same_text(fields.address, a.text) for a in c.addresses):
            c.addresses.append(Address(text=fields.address, card=card))

    def _position(self, fields: CardFields, card: Card | None) -> None:
        company = trusted_company(fields)
        if not (company or fields.title or fields.department):
            return
        dated = aware(card.taken_at) if card is not None and card.taken_at else None
        match = self._matching_job(company, fields.title)
        if match is not None:
            self._same_job_again(match, fields, company, card, dated)
        else:
            latest = self.latest_job()
            if latest is not None and latest.by_hand and (dated is None or dated >= aware(latest.since)):
                self.log("position", _job(latest.title, latest.company), "kept (entered by hand); card says "
                         + _job(fields.title, company), card)
                return
            # A new title without a company on the card: a promotion where the person works now.
            where = company or (latest.company if latest is not None and fields.title else None)
            self.open_position(where, fields.title, fields.department, card, since=dated)
        self.settle_jobs(card)

    def apply_job(self, fields: CardFields, card: Card | None) -> None:
        """The card's job alone: a card split off takes its job along, even one its old contact kept once."""
        self._position(fields, card)

    def latest_job(self) -> Position | None:
        jobs = sorted_jobs(self.contact.positions)
        return jobs[-1] if jobs else None

    def _matching_job(self, company: str | None, title: str | None) -> Position | None:
        """The stored job this card shows, the current one first: the same card photographed twice, or its
        other side, or an older card of a job kept in the history."""
        for position in reversed(sorted_jobs(self.contact.positions)):
            if jobs_alike(company, title, position):
                return position
        return None

    def _same_job_again(self, job: Position, fields: CardFields, company: str | None, card: Card | None,
                        dated: datetime | None) -> None:
        if dated is not None and dated < aware(job.since) and not job.by_hand:
            job.since = dated  # an older photo of the same job: it began at least then
        if job.by_hand:
            return
        self._other_language(job, fields, company, card)
        if company and job.organization is None:
            job.organization = find_organization(self.session, company)
        job.title = job.title or fields.title
        job.department = job.department or fields.department

    def _other_language(self, job: Position, fields: CardFields, company: str | None, card: Card | None) -> None:
        """The same job read from the card's other side. As with names, the Russian form is the main one; the
        other is kept as the job's second-language form, so it is searched and exported, not lost."""
        if fields.title and job.title and _script(fields.title) != _script(job.title):
            if _script(fields.title) == "cyrillic":
                job.alt_title = job.title
                self.log("title", job.title, fields.title, card)
                job.title = fields.title
            elif not job.alt_title:
                job.alt_title = fields.title
                self.log("alt_title", None, fields.title, card)
        if fields.department and job.department and _script(fields.department) == "cyrillic" != _script(
                job.department):
            self.log("department", job.department, fields.department, card)
            job.department = fields.department
        org = job.organization
        if org and company and _script(company) != _script(org.name):
            if _script(company) == "cyrillic":
                job.alt_company = job.alt_company or org.name
                self.log("company", org.name, company, card)
                org.name = company
            elif not job.alt_company:
                job.alt_company = company
                self.log("alt_company", None, company, card)

    def settle_jobs(self, card: Card | None = None) -> None:
        """Jobs in the order of their dates: each ends where the next begins, the latest is current (unless
        its end was set by hand). So the order cards are scanned in never decides which job is current."""
        jobs = sorted_jobs(self.contact.positions)
        for index, job in enumerate(jobs):
            if job.ended_by_hand:
                continue
            until = aware(jobs[index + 1].since) if index + 1 < len(jobs) else None
            was = aware(job.until) if job.until else None
            if was == until:
                continue
            job.until = until
            if was is None and until is not None:  # the job's one row as it ends: what it was and the day
                self.log("position", _job(job.title, job.company), f"ended {until.date().isoformat()}", card)
            elif until is None:
                self.log("position", None, _job(job.title, job.company) + " (current again)", card)

    def open_position(self, company: str | None, title: str | None, department: str | None,
                      card: Card | None, by_hand: bool = False, since: datetime | None = None) -> Position:
        position = Position(title=title, department=department, card=card, by_hand=by_hand, since=since or utcnow())
        self.contact.positions.append(position)
        if company:  # linked after the position joined the session, so the organisation's side follows it
            position.organization = find_organization(self.session, company)
        self.log("position", None, _job(title, company), card)
        return position


def trusted_company(fields: CardFields) -> str | None:
    """The card's company, unless it was picked by layout alone or read poorly: such a guess may fill a gap,
    never open a new job."""
    if not fields.company or "company" in fields.guesses:
        return None
    if fields.confidence.get("company", 1.0) < LOW_CONFIDENCE:
        return None
    return fields.company


def sorted_jobs(positions: list[Position]) -> list[Position]:
    return sorted(positions, key=lambda p: (aware(p.since) if p.since else datetime.max.replace(tzinfo=UTC),
                                            p.id or 0))


def jobs_alike(company: str | None, title: str | None, job: Position) -> bool:
    """The same job: organisations alike (in either script, through OCR slips) and titles alike (or one
    missing, or in the other language)."""
    names = [n for n in (job.company, job.alt_company) if n]
    org = max((organizations_alike(company, n) for n in names), default=None) if company else None
    titles = [t for t in (job.title, job.alt_title) if t]
    same_title = not (title and titles) or any(_titles_alike(title, t) for t in titles)
    if org is None:  # nothing to compare organisations by: the title decides
        return same_title and bool(title or company is None)
    if org >= SAME_ORG:
        return same_title
    # A closer look at a near miss: one or two letters read wrong in a short name, with the same title.
    return org >= OCR_SLIP_ORG and bool(title) and same_title


def organizations_alike(a: str, b: str) -> float:
    """0..100, organisation names compared the way dedupe does (namekeys: legal form and quotes out, any script),
    after undoing the slips OCR makes inside words: Latin look-alikes in a Cyrillic word, 0 for О, 3 for З."""
    ka, kb = organization_key(_unslipped(a)), organization_key(_unslipped(b))
    if not ka or not kb:
        return 0.0
    return max(organization_similarity(a, b), fuzz.token_set_ratio(ka, kb),
               fuzz.ratio(ka.replace(" ", ""), kb.replace(" ", "")))


def _unslipped(name: str) -> str:
    def word(match: re.Match[str]) -> str:
        w = match.group()
        if not any(ch.isalpha() for ch in w):
            return w
        return w.translate(LAT_TO_CYR).translate(_DIGITS_CYR) if _CYRILLIC.search(w) else w.translate(_DIGITS_LAT)

    return re.sub(r"\w+", word, name)


def _titles_alike(a: str, b: str) -> bool:
    # A title in the other script is the same job translated (the English back of a Russian card).
    return _script(a) != _script(b) or fuzz.ratio(a.casefold(), b.casefold()) >= SAME_TITLE


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


def refresh_index(session: Session, contact: Contact) -> None:
    """After any change to a contact: its name keys (dedupe, search by name) and its search text."""
    _refresh_name_keys(contact)
    refresh_search_text(contact)


def _refresh_name_keys(contact: Contact) -> None:
    names = [contact.display_name or "", *(a.name for a in contact.aliases)]
    wanted = set().union(*(name_keys(n) for n in names))
    have = {k.key for k in contact.name_keys}
    for row in [k for k in contact.name_keys if k.key not in wanted]:
        contact.name_keys.remove(row)
    contact.name_keys += [NameKey(key=k) for k in sorted(wanted - have)]


def _shown(field: str, value: Any) -> str | None:
    """A value as the history keeps it: a birthday without a year never as the placeholder year."""
    if field == "birthday" and isinstance(value, date):
        return birthday_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return None if value is None else str(value)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for what was stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _script(text: str) -> str:
    return "cyrillic" if _CYRILLIC.search(text) else "latin"


def _words(name: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in re.findall(r"\w+", name))


def same_text(a: str, b: str) -> bool:
    return fuzz.ratio(" ".join(a.casefold().split()), " ".join(b.casefold().split())) >= 90


def _job(title: str | None, company: str | None) -> str:
    return " @ ".join(x for x in (title, company) if x) or "-"
