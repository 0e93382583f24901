"""The closing summary of `cardscan batch`, on a card read from a real image and filed in a real database."""

from pathlib import Path

import pipeline
from models.database import connect, sessions
from pipeline.book.store import store_result
from pipeline.jobs.batch import BatchSummary, FileDone
from pipeline.jobs.progress import summary_lines
from tests.conftest import SAMPLES

# Read with its address held for review (confidence under 0.6): filed, a contact created, and in the queue.
HELD = SAMPLES / "ru_portrait_rotated90.png"


def test_a_card_filed_with_held_fields_counts_as_the_contact_it_created(tmp_path: Path, sqlite_url: str) -> None:
    """The totals said "0 created, 1 needs review" for a card that made a contact (of 10 real photos: "3 created,
    9 needs review" and 11 contacts in the book): a held field does not stop the filing, it adds a card to check."""
    result = pipeline.scan(HELD, pipeline.Settings(region="RU"))
    with sessions(connect(sqlite_url)).begin() as session:
        store_result(session, result)
    (card,) = result.cards
    assert (card.outcome, card.filed) == ("needs_review", "created")
    summary = BatchSummary(found=1)
    summary.add(FileDone(result, 0, 0))
    lines = summary_lines(summary, sqlite_url)
    contacts = next(line for line in lines if line.startswith("contacts: "))
    assert contacts.startswith("contacts: 1 created, 0 merged, 0 same-person question, 0 unchanged"), lines
    assert "1 card(s) to check: `cardscan review`" in lines


def test_the_watch_log_says_a_card_filed_with_held_fields_created_its_contact(sqlite_url: str) -> None:
    """The watcher's line said "needs_review contact 1" of a card that had made contact 1."""
    from pipeline.jobs.inbox import done_line

    result = pipeline.scan(HELD, pipeline.Settings(region="RU"))
    with sessions(connect(sqlite_url)).begin() as session:
        store_result(session, result)
    (card,) = result.cards
    assert done_line(result) == f"1 card(s): created contact {card.contact_id} (to check: `cardscan review`)"
    assert done_line(None) == "already stored"


def test_a_blank_pdf_page_is_no_card_found_in_batch_as_in_scan_and_watch(tmp_path: Path) -> None:
    """A blank page: `scan` said "no card found", `batch` "0 card(s)". One wording for the three."""
    from io import StringIO

    from PIL import Image
    from rich.console import Console

    from pipeline.jobs.inbox import done_line
    from pipeline.jobs.progress import LineReporter
    from pipeline.stages.report import summary_lines as scan_lines

    blank = tmp_path / "blank.pdf"
    Image.new("RGB", (1050, 600), "white").save(blank, "PDF", resolution=300)  # a card-sized page, nothing on it
    result = pipeline.scan(blank, pipeline.Settings(region="RU"))
    assert (result.status, result.cards) == ("no_card", [])
    out = StringIO()
    LineReporter(Console(file=out, width=200), 1).file_done(FileDone(result, 0, 0))
    assert out.getvalue().strip() == f"[1/1] {blank}: no card found"
    assert scan_lines(result) == [f"{blank}: no card found"]
    assert done_line(result) == "no card found"
