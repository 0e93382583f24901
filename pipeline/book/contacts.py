"""Reading contacts back out of the database, for the CLI and for scripts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy import text as text_sql
from sqlalchemy.orm import Session, aliased, selectinload

from models import Card, Contact, Email, NameKey, Organization, Phone, Position
from pipeline.book.merge import aware, sorted_jobs
from pipeline.book.reach import ITEM_CARDS, Rank, card_date, newest_first, ordered_phones, rank
from pipeline.book.reminders import birthday_text
from pipeline.core.errors import CardscanError
from pipeline.extract.namekeys import name_keys
from pipeline.extract.searchtext import fold_text, query_forms

TRIGRAM = 3  # the shortest needle a trigram index can answer
MAX_SEARCH_CHARS = 1000  # no name or company is this long; SQLite refuses LIKE patterns past 50,000 bytes

# Not the cards: a summary counts them (_summaries), and loading them would read every card's OCR text.
_SUMMARY_LOADS = (*ITEM_CARDS, selectinload(Contact.positions).joinedload(Position.organization))


def list_contacts(session: Session, met_at: str | None = None, tag: str | None = None) -> list[dict[str, Any]]:
    """Every contact; with `met_at`, everyone met at that event or place (any case, part of its name); with `tag`,
    everyone having it among their interests or hobbies (whole, any case)."""
    query = select(Contact).options(*_SUMMARY_LOADS).order_by(Contact.id)
    if met_at or tag:
        return _summaries(session, query.where(Contact.id.in_(filtered_ids(session, tag, met_at))))
    return _summaries(session, query)


def filtered_ids(session: Session, tag: str | None = None, met_at: str | None = None) -> set[int]:
    """Contacts having a tag (one of their interests or hobbies, whole, in any case) and met at an event or
    place (part of its name, any case): the list's filters, combined with a search or the whole book."""
    query = select(Contact.id, Contact.interests, Contact.hobbies, Contact.met_at)
    if met_at:
        query = query.where(Contact.met_at.is_not(None))
    wanted_tag = fold_text(tag) if tag else None
    wanted_met = fold_text(met_at) if met_at else None
    return {cid for cid, interests, hobbies, met in session.execute(query)
            if (wanted_tag is None or wanted_tag in {fold_text(t) for t in [*(interests or []), *(hobbies or [])]})
            and (wanted_met is None or wanted_met in fold_text(met or ""))}


def all_tags(session: Session) -> list[str]:
    """Every tag in the book (interests and hobbies), once each in any case, for the list's tag filter."""
    tags: dict[str, str] = {}
    for interests, hobbies in session.execute(select(Contact.interests, Contact.hobbies)):
        for tag in [*(interests or []), *(hobbies or [])]:
            tags.setdefault(fold_text(tag), tag)
    return sorted(tags.values(), key=str.casefold)


def search_contacts(session: Session, text: str, limit: int = 100) -> list[dict[str, Any]]:
    """Contacts whose name (in any script or spelling), alias, organisation or title (any job, either language),
    e-mail, phone (international or national form), address, notes, interests or where met contain `text`,
    in any case and either script."""
    if len(text) > MAX_SEARCH_CHARS:
        raise CardscanError(f"the search text has {len(text)} characters; search for at most {MAX_SEARCH_CHARS}")
    ids: set[int] = set()
    for needle in query_forms(text):
        ids |= _containing(session, needle, limit)
    ids |= _by_name_keys(session, sorted(name_keys(text)), limit)
    return summaries_by_id(session, sorted(ids))


def _by_name_keys(session: Session, keys: list[str], limit: int) -> set[int]:
    """Contacts having every name key of the query. One join per key on the (contact, key) primary key, so the
    database starts from the rarest key (a surname) and probes the others, instead of counting every row of a
    common given name and patronymic (a GROUP BY over them took 250-380 ms at 100k contacts on PostgreSQL)."""
    if not keys:
        return set()
    tables = [aliased(NameKey) for _ in keys]
    query = select(tables[0].contact_id).where(tables[0].key == keys[0])
    for table, key in zip(tables[1:], keys[1:], strict=True):
        query = query.join(table, (table.contact_id == tables[0].contact_id) & (table.key == key))
    return set(session.scalars(query.limit(limit)))


def summaries_by_id(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """The same rows as contact_summary, read as plain tuples in five queries: building ORM objects for a hundred
    contacts with their phones, e-mails and jobs costs more than the search that found them."""
    if not ids:
        return []
    jobs: dict[int, tuple[Any, int, str | None, str | None, int | None]] = {}
    for cid, since, job_id, title, company, card_id in session.execute(
            select(Position.contact_id, Position.since, Position.id, Position.title, Organization.name,
                   Position.card_id)
            .outerjoin(Organization).where(Position.contact_id.in_(ids), Position.until.is_(None))):
        key = (aware(since), job_id, title, company, card_id)
        if cid not in jobs or key[:2] > jobs[cid][:2]:
            jobs[cid] = key
    # The current job's phones and e-mails first (reach.rank), the preferred phone before all.
    preferred = dict(session.execute(select(Contact.id, Contact.preferred_phone).where(Contact.id.in_(ids))).all())
    phones: dict[int, list[tuple[tuple[bool, Rank], dict[str, Any]]]] = {i: [] for i in ids}
    for cid, number, kind, extension, item_id, card_id, taken, scanned in session.execute(
            select(Phone.contact_id, Phone.e164, Phone.type, Phone.extension, Phone.id, Card.id, Card.taken_at,
                   Card.scanned_at).outerjoin(Card, Phone.card_id == Card.id).where(Phone.contact_id.in_(ids))):
        phones[cid].append(((number != preferred.get(cid), _rank(cid, item_id, card_id, taken, scanned, jobs)),
                            {"number": number, "type": kind, "extension": extension}))
    emails: dict[int, list[tuple[Rank, str]]] = {i: [] for i in ids}
    for cid, address, item_id, card_id, taken, scanned in session.execute(
            select(Email.contact_id, Email.address, Email.id, Card.id, Card.taken_at, Card.scanned_at)
            .outerjoin(Card, Email.card_id == Card.id).where(Email.contact_id.in_(ids))):
        emails[cid].append((_rank(cid, item_id, card_id, taken, scanned, jobs), address))
    counts = dict(session.execute(select(Card.contact_id, func.count()).where(Card.contact_id.in_(ids))
                                  .group_by(Card.contact_id)).all())
    rows = session.execute(select(Contact.id, Contact.display_name, Contact.birthday).where(Contact.id.in_(ids))
                           .order_by(Contact.id))
    return [{"id": cid, "name": name, "title": jobs[cid][2] if cid in jobs else None,
             "company": jobs[cid][3] if cid in jobs else None,
             "phones": [p for _, p in sorted(phones[cid], key=lambda x: x[0])],
             "emails": [e for _, e in sorted(emails[cid], key=lambda x: x[0])],
             "birthday": birthday_text(born), "cards": counts.get(cid, 0)} for cid, name, born in rows]


def _rank(cid: int, item_id: int, card_id: int | None, taken: datetime | None, scanned: datetime | None,
          jobs: dict[int, tuple[Any, int, str | None, str | None, int | None]]) -> Rank:
    dated = card_date(taken, scanned) if scanned is not None else None
    return rank(item_id, card_id, dated, jobs[cid][4] if cid in jobs else None)


def _summaries(session: Session, query: Select[Contact]) -> list[dict[str, Any]]:
    return _summaries_of(session, list(session.scalars(query)))


def _summaries_of(session: Session, contacts: list[Contact]) -> list[dict[str, Any]]:
    counts = dict(session.execute(select(Card.contact_id, func.count()).where(
        Card.contact_id.in_([c.id for c in contacts])).group_by(Card.contact_id)).all()) if contacts else {}
    return [contact_summary(c, counts.get(c.id, 0)) for c in contacts]


def people_at(session: Session, organisation: str) -> list[dict[str, Any]]:
    """Who do I know at `organisation`: everyone with a job there, now or formerly (job history keeps those who
    left), matched as jobs are (any script, legal form or not, OCR slips) or by part of the name."""
    from pipeline.book.dedupe import SAME_ORG
    from pipeline.book.merge import organizations_alike

    wanted = fold_text(organisation)
    found = []
    query = select(Position).join(Position.contact).options(selectinload(Position.contact)).order_by(
        Position.contact_id, Position.id)
    for job in session.scalars(query):
        names = [n for n in (job.company, job.alt_company) if n]
        if not any(wanted in fold_text(n) or organizations_alike(organisation, n) >= SAME_ORG for n in names):
            continue
        found.append({"id": job.contact_id, "name": job.contact.display_name, "company": job.company,
                      "title": job.title, "since": _iso(job.since), "until": _iso(job.until),
                      "now": job.until is None})
    return found


def _containing(session: Session, needle: str, limit: int) -> set[int]:
    """Contacts whose search text contains `needle`. On SQLite a needle of three characters or more is looked up
    in the FTS5 trigram index (migration 0006), which reads a few index pages instead of every contact; on
    PostgreSQL the pg_trgm index serves the LIKE itself."""
    if len(needle) >= TRIGRAM and session.get_bind().dialect.name == "sqlite" and _has_fts(session):
        phrase = '"' + needle.replace('"', '""') + '"'
        rows = session.execute(text_sql("SELECT rowid FROM contact_search WHERE contact_search MATCH :phrase "
                                        "ORDER BY rowid LIMIT :limit"), {"phrase": phrase, "limit": limit})
        return {row[0] for row in rows}
    query = select(Contact.id).where(Contact.search_text.contains(needle, autoescape=True)).limit(limit)
    if len(needle) >= TRIGRAM and session.get_bind().dialect.name == "postgresql":
        # With a LIMIT the planner likes to read the table until it has found enough rows, betting a word is
        # common; for a word in a few hundred of 100k contacts that read 37k rows (140 ms). The trigram index
        # answers either kind in milliseconds, so the bet is taken off the table for this one statement.
        session.execute(text_sql("SET LOCAL enable_seqscan = off"))
        try:
            return set(session.scalars(query))
        finally:
            session.execute(text_sql("SET LOCAL enable_seqscan = on"))
    return set(session.scalars(query.order_by(Contact.id)))


def _has_fts(session: Session) -> bool:
    return session.execute(text_sql("SELECT 1 FROM sqlite_master WHERE name = 'contact_search'")).first() is not None


def contact_summary(contact: Contact, cards: int | None = None) -> dict[str, Any]:
    jobs = sorted_jobs(contact.current_positions)
    current = jobs[-1] if jobs else None
    return {
        "id": contact.id,
        "name": contact.display_name,
        "title": current.title if current else None,
        "company": current.company if current else None,
        "phones": [{"number": p.e164, "type": p.type, "extension": p.extension} for p in ordered_phones(contact)],
        "emails": [e.address for e in newest_first(contact.emails, contact)],
        "birthday": birthday_text(contact.birthday),
        "cards": len(contact.cards) if cards is None else cards,
    }


def contact_detail(contact: Contact) -> dict[str, Any]:
    """Everything stored about a contact, history included."""
    return contact_summary(contact) | {
        "given": contact.given_name, "middle": contact.middle_name, "family": contact.family_name,
        "prefix": contact.prefix, "suffix": contact.suffix,
        "aliases": [a.name for a in contact.aliases],
        "birthday": birthday_text(contact.birthday), "interests": list(contact.interests or []), "notes": contact.notes,
        "met_at": contact.met_at, "met_on": _iso(contact.met_on), "follow_up": _iso(contact.follow_up),
        "family_status": contact.family_status, "spouse": contact.spouse, "children": list(contact.children or []),
        "hobbies": list(contact.hobbies or []), "facts": dict(contact.facts or {}),
        "introduced_by": contact.introduced_by_id,
        "preferred_phone": contact.preferred_phone,
        "websites": [w.url for w in contact.websites], "social": [s.url for s in contact.socials],
        "addresses": [a.text for a in contact.addresses],
        "positions": [{"id": p.id, "title": p.title, "company": p.company, "department": p.department,
                       "alt_title": p.alt_title, "alt_company": p.alt_company, "since": _iso(p.since),
                       "until": _iso(p.until), "by_hand": p.by_hand, "ended_by_hand": p.ended_by_hand,
                       "card_id": p.card_id}
                      for p in sorted_jobs(contact.positions)],
        "edited_by_hand": list(contact.edited_fields or []),
        "card_list": [_card(c) for c in contact.cards],
        "waiting": _waiting(contact),
        "history": [{"at": _iso(h.at), "source": h.source, "field": h.field, "old": h.old_value, "new": h.new_value,
                     "card_id": h.card_id} for h in contact.changes],
        "created_at": _iso(contact.created_at), "updated_at": _iso(contact.updated_at),
    }


def _waiting(contact: Contact) -> list[dict[str, Any]]:
    """Fields its cards read with doubt, held from the contact until a person accepts them (`cardscan review`)."""
    out = []
    for card in contact.cards:
        fields = card.fields or {}
        for key in fields.get("held") or []:
            value = fields.get(key)
            if isinstance(value, list):
                value = "; ".join(v["number"] if isinstance(v, dict) else str(v) for v in value)
            out.append({"card_id": card.id, "field": key, "value": value,
                        "confidence": (fields.get("confidence") or {}).get(key)})
    return out


def _card(card: Card) -> dict[str, Any]:
    return {"id": card.id, "source": card.source_path, "sha256": card.sha256, "index": card.card_index,
            "scanned_at": _iso(card.scanned_at)}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
