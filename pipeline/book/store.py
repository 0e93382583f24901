"""Stage 5: file the cards of a scan into the contact database.

Each card is matched (pipeline.book.dedupe) and then creates a contact, merges into one
(pipeline.book.merge), or waits in `cardscan review` when it is ambiguous. A card stored before
(same file sha256 and position in it) is never filed twice.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Card, Contact, ReviewCandidate
from pipeline.book.dedupe import Match, match_card, waiting_question
from pipeline.book.filing import Filing
from pipeline.book.merge import Merger, refresh_index
from pipeline.book.review import confirm_known, held, held_fields, mark, trusted_fields
from pipeline.core.types import CardResult, ScanResult
from pipeline.extract.searchtext import fold_text
from pipeline.stages.report import card_to_dict


def next_working_day(day: date) -> date:
    """The next day that is not a Saturday or Sunday (public holidays are not known here)."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def store_result(session: Session, result: ScanResult, into: Contact | None = None,
                 filing: Filing | None = None) -> None:
    """Store every card of `result` and set its contact_id and outcome. The caller commits.
    `into`: the contact the cards are known to belong to (a vCard carrying our own UID), no matching needed."""
    for index, card in enumerate(result.cards):
        _store_card(session, result, index, card, into, filing)
        contact = session.get(Contact, card.contact_id) if card.contact_id and card.outcome != "unchanged" else None
        if filing is not None and contact is not None:
            # A contact made by a card that holds a field for review is as new as any: it gets its follow-up.
            file_meeting(session, contact, filing, new="created" in (card.outcome, card.filed))


def filing_of(card: Card) -> Filing | None:
    """What the person scanning said about a card that waited for a same-person answer (kept on it, as its contact
    was not known then): applied when the answer files it, as it would have been at once."""
    kept = (card.fields or {}).get(FILING)
    if not isinstance(kept, dict):
        return None
    met_on, today = kept.get("met_on"), kept.get("today")
    return Filing(met_at=kept.get("met_at"), met_on=date.fromisoformat(met_on) if met_on else None,
                  follow_up=bool(kept.get("follow_up")), today=date.fromisoformat(today) if today else None)


def file_meeting(session: Session, contact: Contact, filing: Filing, new: bool) -> None:
    """Where you met: kept on the contact (the first meeting stays; a later one is in the history) and
    searchable. A new contact gets its follow-up date."""
    today = filing.today or date.today()
    merger = Merger(session, contact, "scan")
    if filing.met_at:
        met_on = filing.met_on or today
        if contact.met_at is None:
            merger.set_field("met_at", filing.met_at, None)
            merger.set_field("met_on", met_on, None)
        elif fold_text(contact.met_at) != fold_text(filing.met_at):
            merger.log("met_again", None, f"{filing.met_at} ({met_on.isoformat()})", None)
    if new and filing.follow_up and contact.follow_up is None:
        merger.set_field("follow_up", next_working_day(today), None)
    refresh_index(session, contact)
    session.flush()


def _store_card(session: Session, result: ScanResult, index: int, card: CardResult, into: Contact | None,
                filing: Filing | None) -> None:
    known = session.scalar(select(Card).where(Card.sha256 == result.sha256, Card.card_index == index))
    if known is not None:
        # As stored: a card reviewed since its first scan waits for no one, whatever this reading would hold.
        # Another photo of a card asking a same-person question waits on that question, whose candidates it shows.
        asking = known.waits_on or known
        card.contact_id, card.outcome = known.contact_id, "unchanged"
        card.in_review, card.held = known.to_review or asking is not known, held(known.fields or {})
        card.candidates = [c.contact_id for c in asking.candidates]
        return
    row_path = absolute_path(result.source)
    row = Card(source_path=row_path, sha256=result.sha256, card_index=index, page=card.page,
               bbox=list(card.bbox) if card.bbox else None, ocr_text=card.fields.text,
               fields=card_to_dict(card), crop=card.crop, taken_at=result.taken_at or _file_time(row_path),
               lines=[asdict(line) for line in card.lines] if card.lines else None)
    # Matched on what the card would give its contact, and on what it holds as weaker evidence (the same card
    # photographed twice holds the same doubtful phone twice); a held reading never goes into the contact here.
    match = (Match("merged", into.id) if into is not None
             else match_card(session, trusted_fields(row.fields), held_fields(row.fields)))
    # A second photo of a card that waits for a same-person answer joins that question rather than ask another
    # (or make a contact the answer would duplicate): one question, both photos as its evidence.
    question = (waiting_question(session, trusted_fields(row.fields), held_fields(row.fields))
                if into is None and match.outcome != "merged" else None)
    session.add(row)
    if question is not None or match.outcome == "needs_review":
        row.review = "pending"
        if filing is not None:  # applied when the answer files it: its contact is not known yet
            row.fields = {**row.fields, FILING: _kept(filing)}
    if question is not None:
        row.waits_on = question
        mark(row)
        have = {c.contact_id for c in question.candidates}
        question.candidates += [ReviewCandidate(contact_id=c.contact_id, score=c.score, reason=c.reason)
                                for c in match.candidates if c.contact_id not in have]
        session.flush()
        card.outcome, card.candidates = "needs_review", [c.contact_id for c in question.candidates]
        card.in_review, card.held = True, held(row.fields)
        return
    if match.outcome == "needs_review":
        mark(row)
        row.candidates = [ReviewCandidate(contact_id=c.contact_id, score=c.score, reason=c.reason)
                          for c in match.candidates]
        session.flush()
        card.outcome, card.candidates = "needs_review", [c.contact_id for c in match.candidates]
        card.in_review, card.held = True, held(row.fields)
        return
    contact = session.get(Contact, match.contact_id) if match.contact_id else None
    if contact is None:
        contact = Contact()
        session.add(contact)
    else:
        confirm_known(row, contact)  # a held phone the contact already has (accepted on the first photo) is no doubt
    file_card(session, contact, row)
    card.contact_id, card.outcome = contact.id, ("merged" if match.contact_id else "created")
    card.in_review, card.held = row.to_review, held(row.fields)
    # Filed, but some fields wait for a person before they go into the contact. A doubtful name alone is filed
    # (`created`/`merged`) and its card waits in the queue all the same: in_review says so.
    if held(row.fields):
        card.filed, card.outcome = card.outcome, "needs_review"


FILING = "filing"  # the key of a waiting card's JSON that keeps what the person scanning said (filing_of)


def _kept(filing: Filing) -> dict[str, object]:
    return {"met_at": filing.met_at, "met_on": filing.met_on.isoformat() if filing.met_on else None,
            "follow_up": filing.follow_up, "today": (filing.today or date.today()).isoformat()}


def absolute_path(source: str) -> str:
    """The file a card came from, whole: a path relative to the folder a command ran in means nothing to the
    next command run elsewhere (`contacts delete --with-files` would look in the wrong place)."""
    return str(Path(source).resolve())


def _file_time(path: str) -> datetime | None:
    """Without an EXIF date, the image file's time dates the card (then, if there is no file, the scan):
    a folder of old photos scanned today still goes into the history in the order they were taken.
    A vCard file's time is when it was exported, which says nothing about a job."""
    if Path(path).suffix.lower() in (".vcf", ".vcard"):
        return None
    try:
        moment = datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
    except OSError:
        return None
    # To the minute: files copied or checked out together get times a few milliseconds apart in no meaningful
    # order; as a tie, the order of scanning decides between them (jobs are sorted by date, then by scan).
    return moment.replace(second=0, microsecond=0)


def file_card(session: Session, contact: Contact, row: Card, source: str = "scan") -> None:
    """Put a stored card under `contact` and merge what it says into it."""
    row.contact, row.review = contact, None
    mark(row)
    Merger(session, contact, source).apply(trusted_fields(row.fields), row)
    session.flush()
