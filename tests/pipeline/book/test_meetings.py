"""Where you met and the next day's follow-up: `scan --met-at`, `contacts list --met-at`, `remind`, `contacts done`."""

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from models import Contact
from pipeline.book.contacts import list_contacts, search_contacts
from pipeline.book.filing import Filing
from pipeline.book.store import next_working_day, store_result
from pipeline.cli import main
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult
from tests.conftest import SAMPLES

FRIDAY = date(2026, 12, 4)


def card(sha: str, name: str, phone: str) -> ScanResult:
    return ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok",
                      [CardResult(CardFields(name=name, phones=[Phone(phone, "mobile")], emails=[f"{sha}@x.ru"]))])


def test_the_next_working_day_skips_the_weekend() -> None:
    assert next_working_day(FRIDAY) == date(2026, 12, 7)
    assert next_working_day(date(2026, 12, 6)) == date(2026, 12, 7)  # Sunday
    assert next_working_day(date(2026, 12, 7)) == date(2026, 12, 8)


def test_a_new_contact_gets_where_you_met_and_a_follow_up(session: Session) -> None:
    fair = Filing(met_at="Иннопром 2026", follow_up=True, today=FRIDAY)
    first = card("a", "Иван Петров", "+79161234567")
    store_result(session, first, filing=fair)
    petrov = session.get_one(Contact, first.cards[0].contact_id)
    assert (petrov.met_at, petrov.met_on, petrov.follow_up) == ("Иннопром 2026", FRIDAY, date(2026, 12, 7))
    # met again elsewhere: the first meeting stays, the second is in the history; no new follow-up
    petrov.follow_up = None
    again = card("b", "Ivan Petrov", "+79161234567")
    store_result(session, again, filing=Filing(met_at="ЦИПР", follow_up=True, today=date(2026, 12, 10)))
    assert again.cards[0].outcome == "merged"
    assert (petrov.met_at, petrov.follow_up) == ("Иннопром 2026", None)
    assert any(c.field == "met_again" and c.new_value == "ЦИПР (2026-12-10)" for c in petrov.changes)
    other = card("c", "Анна Сидорова", "+79035551234")
    store_result(session, other, filing=Filing(met_at="иннопром 2026", follow_up=False))
    assert [r["name"] for r in list_contacts(session, met_at="ИННОПРОМ")] == ["Иван Петров", "Анна Сидорова"]
    assert [r["name"] for r in search_contacts(session, "иннопром")] == ["Иван Петров", "Анна Сидорова"]
    assert session.get_one(Contact, other.cards[0].contact_id).follow_up is None


@pytest.mark.slow
def test_after_an_event_scan_then_follow_up_then_done(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, [*args, "--db", db], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    run("scan", str(SAMPLES / "ru_classic_scan.png"), "--met-at", "Иннопром 2026", "--met-on", "2026-07-07")
    (kirillov,) = json.loads(run("contacts", "list", "--met-at", "иннопром", "--json"))
    shown = json.loads(run("contacts", "show", str(kirillov["id"]), "--json"))
    assert (shown["met_at"], shown["met_on"]) == ("Иннопром 2026", "2026-07-07")
    assert shown["follow_up"] == next_working_day(date.today()).isoformat()
    (due,) = [r for r in json.loads(run("remind", "--days", "3", "--json")) if r["kind"] == "follow-up"]
    assert due["contact_id"] == kirillov["id"] and due["email"] == kirillov["emails"][0]
    assert "met at Иннопром 2026" in due["detail"]
    run("contacts", "done", str(kirillov["id"]))
    assert [r for r in json.loads(run("remind", "--days", "3", "--json")) if r["kind"] == "follow-up"] == []
