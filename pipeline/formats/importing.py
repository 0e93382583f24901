"""`cardscan import FILE.vcf`: contacts from a phone or another tool, filed like scanned cards.

Each vCard becomes the CardFields a scan would give and goes through the same dedupe and merge
(pipeline.book.store); what a card cannot say (birthday, note, categories, preferred phone) is then added
to the contact where it has none, never replacing anything. A vCard filed before is `unchanged`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Address, Contact
from pipeline.book.merge import Merger, refresh_index, same_text, sorted_jobs
from pipeline.book.reminders import birthday_text
from pipeline.book.store import store_result
from pipeline.core.config import DEFAULT_EDIT_REGION
from pipeline.core.types import CardResult, ScanResult
from pipeline.extract.vcard import Extras, ImportedCard, VCardError, read_vcards
from pipeline.formats.record import uid_of

__all__ = ["VCardError", "import_vcards", "read_vcards"]


def import_vcards(session: Session, path: Path, region: str = DEFAULT_EDIT_REGION) -> list[ImportedCard]:
    """File every vCard of `path` into the database. The caller commits."""
    cards = read_vcards(path.read_text(encoding="utf-8-sig"), region)
    ours = _our_uids(session) if any(c.extras.uid for c in cards) else {}
    for card in cards:
        result = ScanResult(str(path), _fingerprint(card), "ok", [CardResult(card.fields)])
        # Our own export coming back: its UID names the contact, whatever the name says (or lacks).
        known = ours.get(card.extras.uid or "")
        store_result(session, result, into=session.get(Contact, known) if known else None)
        card.outcome, card.contact_id = result.cards[0].outcome, result.cards[0].contact_id
        if card.outcome in ("created", "merged") and card.contact_id is not None:
            contact = session.get_one(Contact, card.contact_id)
            _add_extras(Merger(session, contact, "import"), card.extras)
            refresh_index(session, contact)
    session.flush()
    return cards


def _our_uids(session: Session) -> dict[str, int]:
    """UID -> contact id for every stored contact (UIDs are derived, not stored: see record.contact_uid)."""
    rows = session.execute(select(Contact.id, Contact.created_at))
    return {uid_of(contact_id, created): contact_id for contact_id, created in rows}


def _fingerprint(card: ImportedCard) -> str:
    """The same contact exported again (a new REV, another order of lines) is the same card."""
    doc = {"fields": asdict(card.fields), "extras": asdict(card.extras)}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def _add_extras(merger: Merger, extras: Extras) -> None:
    contact = merger.contact
    if extras.birthday and contact.birthday is None:
        contact.birthday = extras.birthday
        merger.log("birthday", None, birthday_text(extras.birthday), None)
    if extras.notes and not contact.notes:
        merger.set_field("notes", extras.notes, None)
    new = [i for i in extras.interests if i not in (contact.interests or [])]
    if new:
        old = list(contact.interests or [])
        contact.interests = [*old, *new]
        merger.log("interests", ", ".join(old) or None, ", ".join(contact.interests), None)
    for text in extras.addresses:
        if not any(same_text(text, a.text) for a in contact.addresses):
            contact.addresses.append(Address(text=text))
            merger.log("address", None, text, None)
    jobs = sorted_jobs(contact.current_positions)
    if jobs and not jobs[-1].by_hand:
        job = jobs[-1]
        if extras.alt_company and not job.alt_company and extras.alt_company != job.company:
            job.alt_company = extras.alt_company
        if extras.alt_title and not job.alt_title and extras.alt_title != job.title:
            job.alt_title = extras.alt_title
    if extras.preferred_phone and not contact.preferred_phone and extras.preferred_phone in {
            p.e164 for p in contact.phones}:
        merger.set_field("preferred_phone", extras.preferred_phone, None)
