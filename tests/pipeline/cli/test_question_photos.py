"""A card photographed twice while its first photo waits for a same-person answer: one question, both photos its
evidence, and the answer files both (SQLite, PostgreSQL). The photos are drawn, photographed on a desk, and read
by the real pipeline; the answer is given through `cardscan review`, as a person gives it."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from models.database import connect, sessions
from pipeline import Settings, scan
from pipeline.book.filing import Filing
from pipeline.book.store import next_working_day, store_result
from pipeline.cli import main
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult
from tests.conftest import draw_card

CARD = [("Anna Lee", 64), ("Sales Director", 40), ("Globex Corp", 44), ("+1 415 555 0199", 40),
        ("anna.lee@globex.com", 40)]
FAIR = "Web Summit 2026"
SCANNED = date(2026, 12, 4)  # a Friday: a new contact's follow-up is on Monday


@cache
def _photos(folder: str) -> tuple[ScanResult, ScanResult]:
    """Two photos of one card (turned, on two desks), each read once for every test in this process."""
    first = draw_card(Path(folder) / "anna-1.png", CARD, turn=2.0)
    second = draw_card(Path(folder) / "anna-2.png", CARD, turn=-3.0, background=(90, 60, 40))
    return scan(first, Settings(region="US")), scan(second, Settings(region="US"))


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScanResult, ScanResult]:
    return _photos(str(tmp_path_factory.mktemp("photos")))


def _run(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _file_both(db_url: str, photos: tuple[ScanResult, ScanResult]) -> list[CardResult]:
    """Anna Lee at Initech is in the book; the card of an Anna Lee at Globex is scanned, twice, at a fair."""
    stored = ScanResult("/initech.jpg", "i" * 64, "ok", [CardResult(CardFields(
        name="Anna Lee", company="Initech LLC", phones=[Phone("+14155550100", "work")]))])
    filing = Filing(met_at=FAIR, follow_up=True, today=SCANNED)
    with sessions(connect(db_url)).begin() as session:
        store_result(session, stored)
        for photo in photos:
            store_result(session, photo, filing=filing)
    return [photo.cards[0] for photo in photos]


def test_the_second_photo_joins_the_question_and_keeping_apart_makes_one_contact(
        db_url: str, photos: tuple[ScanResult, ScanResult]) -> None:
    first, second = _file_both(db_url, photos)
    assert first.fields.name == second.fields.name == "Anna Lee"
    assert (first.outcome, first.candidates) == (second.outcome, second.candidates) == ("needs_review", [1])
    assert second.in_review  # it waits: on the first photo's question

    queue = json.loads(_run("review", "--db", db_url, "--json").stdout)
    assert len(queue) == 1, queue  # one question, not one per photo
    (question,) = queue
    assert [c["contact"] for c in question["candidates"]] == [1]
    assert [p["card"] for p in question["photos"]] == [question["card"] + 1]  # the other photo, as evidence
    text = _run("review", "--db", db_url).stdout
    assert "anna-2.png" in text and text.count("may be contact 1") == 1

    # Answered on either photo, the answer is the question's: both photos go to one new contact.
    said = _run("review", "apart", str(question["card"] + 1), "--db", db_url).stdout
    assert "is now contact 2" in said
    assert json.loads(_run("review", "--db", db_url, "--json").stdout) == []
    listed = json.loads(_run("contacts", "list", "--db", db_url, "--json").stdout)
    assert [(c["id"], c["cards"]) for c in listed] == [(1, 1), (2, 2)]  # not three contacts
    shown = json.loads(_run("contacts", "show", "2", "--db", db_url, "--json").stdout)
    assert shown["company"].startswith("Globex Corp") and "+14155550199" in [p["number"] for p in shown["phones"]]

    # Kept apart, it is a new contact met at the fair: its follow-up, as any new contact's (the scan's next
    # working day), and where you met.
    assert (shown["met_at"], shown["met_on"]) == (FAIR, SCANNED.isoformat())
    assert shown["follow_up"] == next_working_day(SCANNED).isoformat() == "2026-12-07"

    again = _run("scan", str(Path(photos[1].source)), "--db", db_url, "--json", "--region", "US")
    card = json.loads(again.stdout)["cards"][0]
    assert (card["outcome"], card["contact_id"], card["needs_review"]) == ("unchanged", 2, False)


def test_the_same_person_answer_files_both_photos_under_the_contact(
        db_url: str, photos: tuple[ScanResult, ScanResult]) -> None:
    _file_both(db_url, photos)
    (question,) = json.loads(_run("review", "--db", db_url, "--json").stdout)
    rescan = json.loads(_run("scan", str(Path(photos[1].source)), "--db", db_url, "--json", "--region", "US").stdout)
    card = rescan["cards"][0]
    assert (card["outcome"], card["needs_review"], card["candidates"]) == ("unchanged", True, [1])

    _run("review", "merge", str(question["card"]), "1", "--db", db_url)
    listed = json.loads(_run("contacts", "list", "--db", db_url, "--json").stdout)
    assert [(c["id"], c["cards"]) for c in listed] == [(1, 3)]
    shown = json.loads(_run("contacts", "show", "1", "--db", db_url, "--json").stdout)
    assert shown["met_at"] == FAIR and shown["follow_up"] is None  # met again; no follow-up for a known contact
    assert sorted(p["company"][:11] for p in shown["positions"]) == ["Globex Corp", "Initech LLC"]
