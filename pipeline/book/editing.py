"""Changes a person makes: edit a contact, merge two, split a card off, delete, settle a review.

A field set here is marked as edited by hand, so no later scan changes it. Every change is
logged in the contact's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import PurePath
from typing import Any

from email_validator import EmailNotValidError, validate_email
from rapidfuzz import fuzz
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models import Address, Alias, Card, Change, Contact, Email, Organization, Phone, Position, Social, Website
from models.base import utcnow
from models.contact import NAME_FIELDS
from pipeline.book.merge import (
    SAME_TITLE,
    Merger,
    aware,
    find_organization,
    jobs_alike,
    refresh_index,
    sorted_jobs,
)
from pipeline.book.reminders import birthday_text
from pipeline.core.config import DEFAULT_EDIT_REGION
from pipeline.core.errors import CardscanError
from pipeline.core.types import NO_YEAR, CardFields
from pipeline.extract.namekeys import organization_key
from pipeline.extract.phones import parse_phone, region_of

VCARD_SUFFIXES = (".vcf", ".vcard")
TEXT_FIELDS = (*NAME_FIELDS, "notes", "met_at", "family_status", "spouse")
DATE_FIELDS = ("birthday", "met_on", "follow_up")
JOB_FIELDS = ("company", "title", "department")
TAG_FIELDS = ("interests", "hobbies", "children")  # comma-separated lists, each replaced whole
# Items removed by hand: the value names the item (a number in any form, an address, part of an address).
REMOVALS = ("remove_phone", "remove_email", "remove_address", "remove_social", "remove_alias")
EDITABLE = (*TEXT_FIELDS, *DATE_FIELDS, *JOB_FIELDS, *TAG_FIELDS, "preferred_phone", "phone", "email", "alias",
            "social", "fact", "introduced_by", *REMOVALS)


class EditError(CardscanError):
    """A value the user gave cannot be stored; the message says what is expected."""


def edit_contact(session: Session, contact: Contact, changes: dict[str, str | None],
                 region: str | None = None) -> None:
    """Set fields by hand. `phone`, `email` and `alias` add one; an empty value clears a field. A phone typed
    without +CC is read in `region` when given, else in the contact's own country (`contact_region`)."""
    region = region or contact_region(contact)
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
        elif field in TAG_FIELDS:
            _set_tags(merger, field, value)
        elif field == "fact":
            _set_fact(merger, value)
        elif field == "introduced_by":
            _introduced_by(session, merger, value)
        elif field == "social" and value:
            _add_social(merger, value)
        elif field in REMOVALS:
            _remove(merger, field.removeprefix("remove_"), value, region)
        elif field in ("preferred_phone", "phone"):
            _phone(merger, field, value, region)
        elif field == "email":
            _add_email(merger, value)
        elif field == "alias" and value:
            merger.add_alias(value, None)
        if field not in (*JOB_FIELDS, *REMOVALS) and field not in contact.edited_fields:
            contact.edited_fields = [*contact.edited_fields, field]
    jobs = {f: changes[f] for f in JOB_FIELDS if f in changes}
    if jobs:
        _set_job(merger, jobs)
    refresh_index(session, contact)
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
        shown = birthday_text if field == "birthday" else _iso
        merger.log(field, shown(old), shown(parsed), None)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def _set_tags(merger: Merger, field: str, value: str | None) -> None:
    tags = list(dict.fromkeys(t.strip() for t in (value or "").split(",") if t.strip()))
    old = getattr(merger.contact, field) or []
    if tags != old:
        setattr(merger.contact, field, tags)
        merger.log(field, ", ".join(old) or None, ", ".join(tags) or None, None)


def _set_fact(merger: Merger, value: str | None) -> None:
    """key=value sets a fact (`dog=Бим`, `drinks=green tea`); key= removes it."""
    key, sep, fact = (value or "").partition("=")
    key, fact = key.strip(), fact.strip()
    if not sep or not key:
        raise EditError(f"fact: {value!r} is not KEY=VALUE (KEY= removes the fact)")
    facts = dict(merger.contact.facts or {})
    old = facts.get(key)
    if fact:
        facts[key] = fact
    else:
        facts.pop(key, None)
    if facts != (merger.contact.facts or {}):
        merger.contact.facts = facts
        merger.log(f"fact:{key}"[:40], old, fact or None, None)


def _introduced_by(session: Session, merger: Merger, value: str | None) -> None:
    if not value:
        merger.set_field("introduced_by_id", None, None)
        return
    if not value.isdigit() or session.get(Contact, int(value)) is None:
        raise EditError(f"introduced by: {value!r} is no contact id; `cardscan contacts search` finds it")
    if int(value) == merger.contact.id:
        raise EditError("a contact cannot have introduced themselves")
    merger.set_field("introduced_by_id", int(value), None)


def _add_social(merger: Merger, value: str) -> None:
    from pipeline.extract.web import social_network

    if value not in {s.url for s in merger.contact.socials}:
        merger.contact.socials.append(Social(url=value, network=social_network(value)))
        merger.log("social", None, value, None)


def _remove(merger: Merger, kind: str, value: str | None, region: str) -> None:
    """Remove one phone, e-mail, address, social profile or alias. A card that said it stays (it is the record of
    what the card said); a later scan of a new card may add it again."""
    contact = merger.contact
    if not value:
        raise EditError(f"remove {kind}: say which one")
    folded = " ".join(value.casefold().split())
    items: list[tuple[object, str]]
    if kind == "phone":
        wanted = e164_or_error(value, region)
        items = [(p, p.e164) for p in contact.phones if p.e164 == wanted]
    elif kind == "email":
        items = [(e, e.address) for e in contact.emails if e.address.casefold() == folded]
    elif kind == "address":
        items = [(a, a.text) for a in contact.addresses if folded in " ".join(a.text.casefold().split())]
    elif kind == "social":
        items = [(s, s.url) for s in contact.socials if folded in s.url.casefold()]
    else:
        items = [(a, a.name) for a in contact.aliases if a.name.casefold() == folded]
    if len(items) != 1:
        raise EditError(f"remove {kind}: {value!r} matches {len(items)} of contact {contact.id}'s {kind}s; "
                        "`cardscan contacts show` lists them")
    item, text = items[0]
    collections: dict[str, list[Any]] = {"phone": contact.phones, "email": contact.emails,
                                         "address": contact.addresses, "social": contact.socials,
                                         "alias": contact.aliases}
    collection = collections[kind]
    collection.remove(item)
    merger.log(kind, text, None, None)
    if kind == "phone" and contact.preferred_phone == text:
        merger.set_field("preferred_phone", None, None)


def contact_region(contact: Contact | None, card: Card | None = None) -> str:
    """The region a number typed for this contact without +CC is read in: the country most of its numbers are
    in (the card's own first, then the contact's), else DEFAULT_EDIT_REGION. The region a card was scanned in is
    not stored, but its numbers carry it: a São Paulo mobile typed as printed on a card read with `--region BR`
    was refused as Russian."""
    numbers = [p.get("number") for p in ((card.fields or {}).get("phones") or [])] if card is not None else []
    if contact is not None:
        numbers += [p.e164 for p in contact.phones]
        numbers += [p.get("number") for c in contact.cards if c is not card
                    for p in ((c.fields or {}).get("phones") or [])]
    regions = [r for r in map(region_of, numbers) if r]
    return max(regions, key=regions.count) if regions else DEFAULT_EDIT_REGION  # a tie: the card's own first


def e164_or_error(value: str, region: str) -> str:
    phone = parse_phone(value, region)
    if phone is None:
        # A number without its country code is read in `region` (RU unless told): a Brazilian mobile typed as
        # printed was refused with a Russian example and no word of the region it had been read in.
        where = "" if value.lstrip().startswith("+") else f" in region {region}"
        raise EditError(f"{value!r} is not a valid phone number{where}; write it with its country code "
                        "(+7 495 123-45-67, +55 11 97412-1100), or give its country with --region (BR, DE ...)")
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
    """`edit --company/--title/--department` puts the current job right (a misread company, a wrong title);
    it opens no new job: `add_job` records a job change. The job is then kept from scans (by hand)."""
    current = merger.latest_job()
    if current is None:
        if any(jobs.values()):  # dated as add_job dates a job typed without a start: today, a day
            merger.open_position(jobs.get("company"), jobs.get("title"), jobs.get("department"), None, by_hand=True,
                                 since=_today_after(merger.contact))
        return
    _change_job(merger, current, jobs)
    current.by_hand = True


def _change_job(merger: Merger, job: Position, values: dict[str, str | None]) -> None:
    old = _job_text(job)
    if "company" in values:
        company = values["company"] or None
        if company != job.company:
            wrong = job.organization_id
            job.organization = find_organization(merger.session, company) if company else None
            job.alt_company = None  # it named the organisation that was wrong
            merger.session.flush()
            _drop_unused_organizations(merger.session, {wrong})
    for field in ("title", "department"):
        if field in values and (values[field] or None) != getattr(job, field):
            setattr(job, field, values[field] or None)
            if field == "title":
                job.alt_title = None
    if _job_text(job) != old:
        merger.log("position", old, _job_text(job), None)


def _job_text(job: Position) -> str:
    return " @ ".join(x for x in (job.title, job.department, job.company) if x) or "-"


def job_of(contact: Contact, job_id: int) -> Position:
    job = next((p for p in contact.positions if p.id == job_id), None)
    if job is None:
        raise EditError(f"contact {contact.id} has no job {job_id}; `cardscan contacts show {contact.id}` lists them")
    return job


def add_job(session: Session, contact: Contact, values: dict[str, str | None]) -> Position:
    """A job entered by hand (a job change the cards do not show, or an old one): placed by its --since date
    (today when not given) among the others; the latest is the current one. The job the contact holds at that
    date entered again is no job change: nothing is written (an error says which job it is), and entered with an
    earlier start it is the same job begun earlier, so only its start moves."""
    if not any(values.get(f) for f in JOB_FIELDS):
        raise EditError("a job needs a company, a title or a department")
    merger = Merger(session, contact, "hand")
    since = _job_date("since", values.get("since")) or _today_after(contact)
    same = _same_job_at(contact, values, since)
    if same is not None:
        if aware(same.since) <= since:
            raise EditError(f"{_job_text(same)} is job {same.id} already, since {_iso(aware(same.since).date())}; "
                            "`contacts job edit` changes its dates")
        _log_date(merger, "job_since", same, _iso(aware(same.since).date()), _iso(since.date()))
        same.since, same.by_hand = since, True
        job = same
    else:
        job = merger.open_position(values.get("company"), values.get("title"), values.get("department"), None,
                                   by_hand=True, since=since)
    _set_until(job, values)
    session.flush()
    merger.settle_jobs()
    refresh_index(session, contact)
    session.flush()
    return job


def _today_after(contact: Contact) -> datetime:
    """When a job entered without a start begins: today, and never before a job the cards dated today, which
    would otherwise stay the current one (jobs dated alike are ordered as entered)."""
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    begun_today = [aware(p.since) for p in contact.positions if p.since and today <= aware(p.since) <= utcnow()]
    return max([today, *begun_today])


def _same_job_at(contact: Contact, values: dict[str, str | None], since: datetime) -> Position | None:
    """The job entered is one the contact holds at `since` (entered twice), or the next one, begun later with
    no other job between (the same job, begun earlier than a card showed)."""
    held = [p for p in sorted_jobs(contact.positions) if aware(p.since) <= since]
    later = [p for p in sorted_jobs(contact.positions) if aware(p.since) > since]
    near = [p for p in held[-1:] if p.until is None or aware(p.until) > since] + later[:1]
    return next((p for p in near if _typed_alike(values, p)), None)


def _typed_alike(values: dict[str, str | None], job: Position) -> bool:
    """The job a person typed is this stored one: each field typed names the same (an organisation in any legal
    form or case, a title or department in any case and spacing); a field left out is not compared."""
    def same(a: str | None, b: str | None) -> bool:
        return " ".join((a or "").casefold().split()) == " ".join((b or "").casefold().split())

    company = values.get("company")
    if company and not (same(company, job.company) or (
            job.company and organization_key(company) and organization_key(company) == organization_key(job.company))):
        return False
    return all(same(values.get(f), getattr(job, f)) for f in ("title", "department") if values.get(f))


def edit_job(session: Session, contact: Contact, job: Position, values: dict[str, str | None]) -> None:
    """Correct one job, past or current: its company, title, department, or its dates (--until ends it: the
    person left; an empty --until lets the next job's start end it again)."""
    merger = Merger(session, contact, "hand")
    _change_job(merger, job, {f: values[f] for f in JOB_FIELDS if f in values})
    since = _job_date("since", values.get("since"))
    if since is not None and since != aware(job.since):
        _log_date(merger, "job_since", job, _day(job.since), _day(since))
        job.since = since
    if "until" in values:
        was = _day(job.until) if job.ended_by_hand else None  # an end the next job's start gave is not changed
        _set_until(job, values)
        if was != _day(job.until):
            _log_date(merger, "job_until", job, was, _day(job.until))
    job.by_hand = True
    session.flush()
    merger.settle_jobs()
    refresh_index(session, contact)
    session.flush()


def delete_job(session: Session, contact: Contact, job: Position) -> None:
    merger = Merger(session, contact, "hand")
    merger.log("position", _job_text(job), "deleted", None)
    contact.positions.remove(job)
    session.flush()
    _drop_unused_organizations(session, {job.organization_id})
    merger.settle_jobs()
    refresh_index(session, contact)
    session.flush()


def mark_current(session: Session, contact: Contact, job: Position) -> None:
    """Make a past job the current one (the person went back, or a later job was read from an old card): the
    open jobs end today and this one is open again. Both ends are set by hand, so `settle_jobs` (which would end
    it where the next job begins) and later scans leave them as the person put them."""
    if job.until is None and all(p.until is not None for p in contact.positions if p is not job):
        return
    merger = Merger(session, contact, "hand")
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    for other in contact.positions:
        if other is not job and other.until is None:
            # A job begun later than today (a date typed ahead) cannot end before it began: it ends as it starts.
            other.until = max(today, aware(other.since)) if other.since else today
            other.ended_by_hand = True
            # The job's one row as it ends, as settle_jobs writes it: which job, and the day.
            merger.log("position", _job_text(other), f"ended {_iso(other.until.date())}", None)
    merger.log("position", _job_text(job), _job_text(job) + " (current again)", None)
    job.until, job.ended_by_hand, job.by_hand = None, True, True
    session.flush()
    merger.settle_jobs()
    refresh_index(session, contact)
    session.flush()


def _log_date(merger: Merger, field: str, job: Position, old: str | None, new: str | None) -> None:
    """A job's start or end in the history, naming the job ('Менеджер @ ООО «Ладога»: 2024-03-01'): a contact has
    several jobs, and a bare date said not which one moved. No date stays no value (an end taken away)."""
    text = _job_text(job)
    merger.log(field, f"{text}: {old}" if old else None, f"{text}: {new}" if new else None, None)


def _day(moment: datetime | None) -> str | None:
    """A job's date as its history shows it: the day (a job's dates are days; the time is midnight UTC)."""
    return moment.date().isoformat() if moment else None


def _set_until(job: Position, values: dict[str, str | None]) -> None:
    if "until" not in values:
        return
    until = _job_date("until", values["until"])
    job.until, job.ended_by_hand = until, until is not None


def _job_date(field: str, value: str | None) -> datetime | None:
    if not value:
        return None
    day = parse_date(field, value)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def follow_up_done(session: Session, contact: Contact) -> None:
    """The follow-up was written: it leaves `remind`, and the history says when it was done."""
    if contact.follow_up is None:
        raise EditError(f"contact {contact.id} has no follow-up due")
    Merger(session, contact, "hand").log("follow_up", contact.follow_up.isoformat(), "done", None)
    contact.follow_up = None
    session.flush()


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
    for field in TAG_FIELDS:
        setattr(keep, field, list(dict.fromkeys([*(getattr(keep, field) or []), *(getattr(other, field) or [])])))
    keep.facts = {**(other.facts or {}), **(keep.facts or {})}
    if keep.introduced_by_id is None and other.introduced_by_id not in (None, keep.id):
        keep.introduced_by_id = other.introduced_by_id
    keep.edited_fields = sorted({*keep.edited_fields, *other.edited_fields})
    _move_items(session, keep, other)
    merger.log("merged", f"contact {other.id}", None, None)
    session.flush()
    session.delete(other)
    session.flush()
    _one_of_each_job(session, merger)
    merger.settle_jobs()
    refresh_index(session, keep)
    session.flush()


def _one_of_each_job(session: Session, merger: Merger) -> None:
    """Two contacts of one person often hold the same job (both filed a card of it): keep it once, from its
    earliest date, with what either knew about it."""
    kept: list[Position] = []
    for job in sorted_jobs(merger.contact.positions):
        twin = next((k for k in kept if _twin_jobs(job, k)), None)
        if twin is None:
            kept.append(job)
            continue
        twin.title, twin.department = twin.title or job.title, twin.department or job.department
        twin.alt_title, twin.alt_company = twin.alt_title or job.alt_title, twin.alt_company or job.alt_company
        if twin.organization is None:
            twin.organization = job.organization
        twin.by_hand = twin.by_hand or job.by_hand
        merger.contact.positions.remove(job)
    session.flush()


def _twin_jobs(job: Position, kept: Position) -> bool:
    """The same job on both sides of a merge. With an organisation on each side, as a scan matches jobs (titles in
    either language). Without: the same title in the same language; a title in the other language proves nothing
    here (the demo's English designer without a company is not the Russian manager's job translated)."""
    if job.company and kept.company:
        return jobs_alike(job.company, job.title, kept)

    def titles(p: Position) -> list[str]:
        return [t.casefold() for t in (p.title, p.alt_title) if t]

    if titles(job) and titles(kept):
        return any(fuzz.ratio(a, b) >= SAME_TITLE for a in titles(job) for b in titles(kept))
    return not titles(job) and not titles(kept) and job.company == kept.company and job.department == kept.department


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
    from pipeline.book.review import trusted_fields  # review edits contacts through this module

    new = Contact()
    session.add(new)
    session.flush()
    for model in (Phone, Email, Website, Social, Address, Alias, Position):
        session.execute(update(model).where(model.card_id == card.id, model.contact_id == contact.id)
                        .values(contact_id=new.id))
    card.contact = new
    session.flush()
    session.expire_all()
    fields = trusted_fields(card.fields)
    taker = Merger(session, new, "split")
    taker.apply_name(fields, card)
    taker.apply_job(fields, card)  # a job the merge kept once, with a twin of the old contact's, comes along too
    _drop_own_name(new)
    taker.settle_jobs()
    refresh_index(session, new)
    merger = Merger(session, contact, "split")
    merger.log("split", f"card {card.id}", f"contact {new.id}", None)
    _give_back_name(merger, fields, [trusted_fields(c.fields) for c in contact.cards if c.id != card.id], card)
    for other in contact.cards:
        merger.apply(trusted_fields(other.fields), other)
    _drop_own_name(contact)
    merger.settle_jobs()
    refresh_index(session, contact)
    session.flush()
    return new


def _give_back_name(merger: Merger, fields: CardFields, remaining: list[CardFields], card: Card) -> None:
    """The split card's names leave the old contact: an alias a merge made of them (it names no card), or its
    main name when that came from this card alone; the remaining cards, applied again, name it afresh."""
    contact = merger.contact
    names = {n for n in (fields.name, *fields.aliases) if n}
    still = {n for f in remaining for n in (f.name, *f.aliases) if n}
    for alias in [a for a in contact.aliases if a.name in names - still]:
        contact.aliases.remove(alias)
        merger.log("alias", alias.name, None, card)
    if contact.display_name in names - still and not contact.is_hand_edited("display_name"):
        for field in NAME_FIELDS:
            merger.set_field(field, None, card)


def _drop_own_name(contact: Contact) -> None:
    """An alias that is the contact's main name again (after a split handed names back) says nothing."""
    for alias in [a for a in contact.aliases if a.name == contact.display_name]:
        contact.aliases.remove(alias)


@dataclass(frozen=True)
class SourceFile:
    """A file a deleted contact's card was read from, and whether it may go with the contact."""

    path: str
    kind: str  # "image" or "vCard file"
    used_by: tuple[int, ...] = ()  # other contacts whose cards come from the same file: it stays
    relative: bool = False  # stored relative to a folder no one remembers (before 0005): it stays

    @property
    def deletable(self) -> bool:
        return not self.used_by and not self.relative


def delete_contact(session: Session, contact: Contact) -> list[SourceFile]:
    """Delete the contact with its cards, crops, OCR text and history. Returns the files its cards came from,
    each saying whether another contact's card still comes from it (a page of several cards, a .vcf of many)."""
    sources = list(dict.fromkeys(c.source_path for c in contact.cards))
    organizations = {p.organization_id for p in contact.positions}
    session.delete(contact)
    session.flush()
    _drop_unused_organizations(session, organizations)
    users: dict[str, set[int]] = {}
    if sources:
        rows = session.execute(select(Card.source_path, Card.contact_id).where(Card.source_path.in_(sources)))
        for path, user in rows:
            users.setdefault(path, set()).add(user if user is not None else 0)  # 0: a card waiting for review
    return [SourceFile(path, "vCard file" if PurePath(path).suffix.lower() in VCARD_SUFFIXES else "image",
                       tuple(sorted(users.get(path, ()))), not PurePath(path).is_absolute()) for path in sources]


def _drop_unused_organizations(session: Session, ids: set[int | None]) -> None:
    """An organisation no job names any more goes too: a sole proprietor's is the person's own name
    (ИП Алексеева Инна Ильинична), which must not outlive the contact. One another contact works at stays."""
    wanted = [i for i in ids if i is not None]
    if wanted:
        used = select(Position.id).where(Position.organization_id == Organization.id).exists()
        session.execute(delete(Organization).where(Organization.id.in_(wanted), ~used),
                        execution_options={"synchronize_session": "fetch"})


def pending_reviews(session: Session) -> list[Card]:
    return list(session.scalars(select(Card).where(Card.review == "pending").order_by(Card.id)))


def resolve_review(session: Session, card: Card, contact: Contact | None) -> Contact:
    """File a card waiting for review under `contact`, or under a new contact when None (keep apart), with every
    other photo of it that waits on the same question. What the person scanning said (where you met, a follow-up
    for a new contact) is applied now, as it would have been had the card been filed at once."""
    from pipeline.book.review import confirm_known  # review edits contacts through this module
    from pipeline.book.store import file_card, file_meeting, filing_of

    question = card.waits_on or card
    if question.review != "pending":
        raise EditError(f"card {card.id} is not waiting for review")
    target = contact or Contact()
    if contact is None:
        session.add(target)
    photos = [question, *question.photos]
    for photo in photos:
        photo.candidates, photo.waits_on = [], None
    session.flush()
    for photo in photos:
        confirm_known(photo, target)  # a held phone the contact has (another photo read it surely) is no doubt
        file_card(session, target, photo, source="review")
    filing = next((f for f in map(filing_of, photos) if f is not None), None)
    if filing is not None:
        file_meeting(session, target, filing, new=contact is None)
    return target
