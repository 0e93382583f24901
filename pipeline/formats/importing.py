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

from sqlalchemy.orm import Session

from models import Contact
from pipeline.book.merge import Merger
from pipeline.book.store import store_result
from pipeline.core.config import DEFAULT_EDIT_REGION
from pipeline.core.types import CardResult, ScanResult
from pipeline.extract.vcard import Extras, ImportedCard, VCardError, read_vcards

__all__ = ["VCardError", "import_vcards", "read_vcards"]


def import_vcards(session: Session, path: Path, region: str = DEFAULT_EDIT_REGION) -> list[ImportedCard]:
    """File every vCard of `path` into the database. The caller commits."""
    cards = read_vcards(path.read_text(encoding="utf-8-sig"), region)
    for card in cards:
        result = ScanResult(str(path), _fingerprint(card), "ok", [CardResult(card.fields)])
        store_result(session, result)
        card.outcome, card.contact_id = result.cards[0].outcome, result.cards[0].contact_id
        contact = session.get(Contact, card.contact_id) if card.contact_id is not None else None
        if card.outcome in ("created", "merged") and contact is not None:
            _add_extras(Merger(session, contact, "import"), card.extras)
    session.flush()
    return cards


def _fingerprint(card: ImportedCard) -> str:
    """The same contact exported again (a new REV, another order of lines) is the same card."""
    doc = {"fields": asdict(card.fields), "extras": asdict(card.extras)}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def _add_extras(merger: Merger, extras: Extras) -> None:
    contact = merger.contact
    if extras.birthday and contact.birthday is None:
        contact.birthday = extras.birthday
        merger.log("birthday", None, extras.birthday.isoformat(), None)
    if extras.notes and not contact.notes:
        merger.set_field("notes", extras.notes, None)
    new = [i for i in extras.interests if i not in (contact.interests or [])]
    if new:
        old = list(contact.interests or [])
        contact.interests = [*old, *new]
        merger.log("interests", ", ".join(old) or None, ", ".join(contact.interests), None)
    if extras.preferred_phone and not contact.preferred_phone and extras.preferred_phone in {
            p.e164 for p in contact.phones}:
        merger.set_field("preferred_phone", extras.preferred_phone, None)
