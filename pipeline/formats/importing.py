"""`cardscan import FILE.vcf`: contacts from a phone or another tool, filed like scanned cards.

Each vCard becomes the CardFields a scan would give and goes through the same dedupe and merge
(pipeline.book.store); what a card cannot say (birthday, note, categories, preferred phone) is then added
to the contact where it has none, never replacing anything. A vCard filed before is `unchanged`.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import charset_normalizer
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Address, Contact
from pipeline.book.merge import Merger, refresh_index, same_text, sorted_jobs
from pipeline.book.reminders import birthday_text
from pipeline.book.store import store_result
from pipeline.core.config import DEFAULT_EDIT_REGION
from pipeline.core.types import CardResult, ScanResult
from pipeline.extract.vcard import Extras, ImportedCard, VCardError, read_vcards
from pipeline.formats.record import build_record, uid_of
from pipeline.formats.vcard import vcard3, vcard4

__all__ = ["VCardError", "import_vcards", "read_vcard_file", "read_vcards"]


def read_vcard_file(path: Path, region: str = DEFAULT_EDIT_REGION) -> list[ImportedCard]:
    """The vCards of `path`, read before any database is opened: a file that is no vCard file is one line."""
    text = vcard_file_text(path)
    if not _VCARD_BEGIN.search(text):
        # vobject would skip every line, logging each, and find nothing: a CSV or an empty file is no vCard file.
        what = "is empty" if not text.strip() else "holds no vCard (no BEGIN:VCARD line)"
        raise VCardError(f"{path.name} {what}: cardscan import reads vCard files (.vcf); nothing was imported")
    return read_vcards(text, region)


def import_vcards(session: Session, path: Path, region: str = DEFAULT_EDIT_REGION,
                  cards: list[ImportedCard] | None = None) -> list[ImportedCard]:
    """File every vCard of `path` (`cards`, when read already) into the database. The caller commits."""
    cards = read_vcard_file(path, region) if cards is None else cards
    ours = _our_uids(session) if any(c.extras.uid for c in cards) else {}
    for card in cards:
        # Our own export coming back: its UID names the contact, whatever the name says (or lacks).
        known = ours.get(card.extras.uid or "")
        ours_again = session.get(Contact, known) if known else None
        if ours_again is not None:
            if _adds_nothing(card, ours_again, region):
                card.outcome, card.contact_id = "unchanged", ours_again.id
                continue
            _without_our_extras(card.extras, ours_again, region)
        result = ScanResult(str(path), _fingerprint(card), "ok", [CardResult(card.fields)])
        store_result(session, result, into=ours_again)
        card.outcome, card.contact_id = result.cards[0].outcome, result.cards[0].contact_id
        if card.outcome in ("created", "merged") and card.contact_id is not None:
            contact = session.get_one(Contact, card.contact_id)
            _add_extras(Merger(session, contact, "import"), card.extras)
            refresh_index(session, contact)
    session.flush()
    return cards


def _our_exports(contact: Contact, region: str) -> list[ImportedCard]:
    """The contact as our export writes it now, in either vCard version, read back as an import reads it."""
    record = build_record(contact)
    return [read_vcards(render(record), region)[0] for render in (vcard4, vcard3)]


def _adds_nothing(card: ImportedCard, contact: Contact, region: str) -> bool:
    """A vCard of ours that says nothing the contact does not say already (our export, perhaps an older one,
    imported again): every value it holds is in what we would export now, in one version or the other."""
    theirs = {"fields": asdict(card.fields), "extras": asdict(card.extras) | {"uid": None}}
    return any(_within(theirs, {"fields": asdict(ours.fields), "extras": asdict(ours.extras)})
               for ours in _our_exports(contact, region))


def _within(theirs: Any, ours: Any) -> bool:
    if isinstance(theirs, dict):
        return all(_within(value, ours.get(key) if isinstance(ours, dict) else None) for key, value in theirs.items())
    if isinstance(theirs, list):
        return all(item in (ours or []) for item in theirs)
    return theirs in (None, "") or theirs == ours


def _without_our_extras(extras: Extras, contact: Contact, region: str) -> None:
    """An edited export of ours (a phone added on the phone): what our export folds into the vCard's NOTE and
    CATEGORIES (family status, facts, spouse, children; hobbies) goes back where it came from, not into the
    notes and interests."""
    if extras.notes and extras.notes in {c.extras.notes for c in _our_exports(contact, region)}:
        extras.notes = None
    extras.interests = [i for i in extras.interests if i not in (contact.hobbies or [])]


def _our_uids(session: Session) -> dict[str, int]:
    """UID -> contact id for every stored contact (UIDs are derived, not stored: see record.contact_uid)."""
    rows = session.execute(select(Contact.id, Contact.created_at))
    return {uid_of(contact_id, created): contact_id for contact_id, created in rows}


MIB = 1024 * 1024
MAX_FILE_BYTES = 100 * MIB  # a phone's whole address book with photos is a few MB
MAX_VALUE_CHARS = MIB  # one property's value once the photos are dropped (a NOTE of a million characters)
NOT_IMPORTED = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})  # binary: not imported, so not even parsed
_VCARD_BEGIN = re.compile(r"^\s*BEGIN\s*:\s*VCARD\s*$", re.IGNORECASE | re.MULTILINE)
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_FOLD = re.compile(r"(?:\r\n|\n|\r)[ \t]")


def vcard_file_text(path: Path) -> str:
    """The text of a .vcf file in whatever encoding it came in, its photos dropped, every value bounded:
    a cp1251, UTF-16 or Latin-1 file was a UnicodeDecodeError traceback, and a 40 MB PHOTO (never
    imported) made vobject take 5.8 GB."""
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise VCardError(f"{path.name} is {size / MIB:.0f} MB, over the {MAX_FILE_BYTES // MIB} MB limit "
                                 "for a vCard file; split it")
            data = f.read(MAX_FILE_BYTES)
    except OSError as exc:
        raise VCardError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    kept = []
    # NUL is no character of any name or note, and PostgreSQL refuses text holding one.
    for line in _LINE_BREAK.split(_FOLD.sub("", decode_text(data).replace("\x00", ""))):
        name = line.split(":", 1)[0].split(";", 1)[0].rsplit(".", 1)[-1].strip().upper()
        if name in NOT_IMPORTED:
            continue
        if len(line) > MAX_VALUE_CHARS:
            raise VCardError(f"a {name or 'line'} of {len(line) / MIB:.0f} million characters in {path.name}, "
                             f"over the limit of {MAX_VALUE_CHARS // MIB} million per value; nothing was imported")
        kept.append(line)
    return "\r\n".join(kept) + "\r\n"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) and UTF-16 with a BOM as they say; anything else (cp1251 from an old
    Windows Outlook, Latin-1) as charset-normalizer finds it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        text = data.decode("utf-8-sig")
        if "\x00" not in text:  # UTF-16 without a BOM is valid UTF-8 too, one NUL in every other byte
            return text
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise VCardError("not a text file: no character encoding fits it")
    return str(best)


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
