"""Job history you can trust: one job per real job whatever OCR slips or scan order, fixed and dated by hand;
on SQLite and PostgreSQL."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from models import Contact
from pipeline.book.editing import (
    EditError,
    add_job,
    delete_job,
    edit_contact,
    edit_job,
    job_of,
    merge_contacts,
    split_card,
)
from pipeline.book.merge import sorted_jobs
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult

MOBILE = "+79278473487"
T1, T2, T3 = (datetime(2024, 3, 1, tzinfo=UTC), datetime(2025, 6, 1, tzinfo=UTC), datetime(2026, 9, 1, tzinfo=UTC))


def scan(session: Session, sha: str, company: str | None, title: str | None, *, taken: datetime | None = None,
         phone: str = MOBILE, name: str = "Диана Антонова", source: str | None = None,
         guessed: bool = False) -> Contact:
    fields = CardFields(name=name, company=company, title=title, phones=[Phone(phone, "mobile")],
                        guesses=["company"] if guessed else [])
    result = ScanResult(source or f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)], taken_at=taken)
    store_result(session, result)
    contact = session.get(Contact, result.cards[0].contact_id)
    assert contact is not None
    return contact


def jobs(contact: Contact) -> list[tuple[str | None, str | None, bool]]:
    return [(p.company, p.title, p.until is None) for p in sorted_jobs(contact.positions)]


@pytest.mark.parametrize("slip", ["ООО «Лад0га»", "ООО «Ладсга»", "OOO «Лaдoгa»", "000 «Ладога»"])
def test_the_same_card_photographed_twice_is_one_job_despite_an_ocr_slip(session: Session, slip: str) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер по персоналу", taken=T1)
    scan(session, "b", slip, "Менеджер по персоналу", taken=T2)
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер по персоналу", True)]


def test_another_company_with_a_similar_name_is_still_a_new_job(session: Session) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T1)
    scan(session, "b", "АО «Профиль»", "Менеджер", taken=T2)
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер", False), ("АО «Профиль»", "Менеджер", True)]


def test_a_guessed_company_never_opens_a_new_job(session: Session) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T1)
    scan(session, "b", "Отдел кадров и снабжения", "Менеджер", taken=T2, guessed=True)
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер", True)]


def test_the_newest_card_is_current_whatever_the_scan_order(session: Session) -> None:
    contact = scan(session, "a", "АО «Профиль»", "Арт-директор", taken=T3)  # the new job first
    scan(session, "b", "ООО «Ладога»", "Менеджер", taken=T1)
    scan(session, "c", "ООО «Гранит»", "Директор", taken=T2)
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер", False), ("ООО «Гранит»", "Директор", False),
                             ("АО «Профиль»", "Арт-директор", True)]
    ladoga, _, _ = sorted_jobs(contact.positions)
    assert ladoga.until is not None and ladoga.until.replace(tzinfo=UTC) == T2  # ends where the next began


def test_without_exif_the_file_time_orders_the_jobs(session: Session, tmp_path: Path) -> None:
    old, new = tmp_path / "old.jpg", tmp_path / "new.jpg"
    for path, moment in ((old, T1), (new, T2)):
        path.write_bytes(b"image")
        os.utime(path, (moment.timestamp(), moment.timestamp()))
    contact = scan(session, "a", "АО «Профиль»", "Арт-директор", source=str(new))
    scan(session, "b", "ООО «Ладога»", "Менеджер", source=str(old))
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер", False), ("АО «Профиль»", "Арт-директор", True)]


def test_editing_company_and_title_fixes_the_current_job(session: Session) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T1)
    scan(session, "b", "АО «Прафиль»", "Арт-директор", taken=T2)  # misread
    edit_contact(session, contact, {"company": "АО «Профиль»", "title": "Арт-директор по рекламе"})
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер", False), ("АО «Профиль»", "Арт-директор по рекламе", True)]


def test_split_leaves_each_job_once(session: Session) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T1)
    scan(session, "b", "АО «Профиль»", "Арт-директор", taken=T2)
    scan(session, "c", "ООО «Ладога»", "Менеджер", taken=T1)  # another photo of the first card
    wrong = next(c for c in contact.cards if c.sha256.startswith("b"))
    new = split_card(session, contact, wrong)
    session.expire_all()
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер", True)]
    assert jobs(new) == [("АО «Профиль»", "Арт-директор", True)]


def test_merge_leaves_one_current_job(session: Session) -> None:
    keep = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T1)
    other = scan(session, "b", "ООО «Ладога»", "Менеджер", taken=T2, phone="+79161234567", name="Диана Иванова")
    assert keep.id != other.id
    merge_contacts(session, keep, other)
    session.expire_all()
    assert jobs(keep) == [("ООО «Ладога»", "Менеджер", True)]
    assert sorted_jobs(keep.positions)[0].since.replace(tzinfo=UTC) == T1


def test_jobs_are_added_dated_ended_and_deleted_by_hand(session: Session) -> None:
    contact = scan(session, "a", "АО «Профиль»", "Арт-директор", taken=T2)
    old = add_job(session, contact, {"company": "ООО «Ладога»", "title": "Менеджер", "since": "2020-01-15"})
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер", False), ("АО «Профиль»", "Арт-директор", True)]
    current = sorted_jobs(contact.positions)[-1]
    edit_job(session, contact, current, {"since": "2022-02-01", "until": "2026-10-31"})  # the person left
    assert [p.until is None for p in sorted_jobs(contact.positions)] == [False, False]
    assert current.until is not None and current.until.date().isoformat() == "2026-10-31"
    # a new card of the job does not reopen it: its end was set by hand
    scan(session, "b", "АО «Профиль»", "Арт-директор", taken=T3)
    assert current.until is not None and len(contact.positions) == 2
    delete_job(session, contact, job_of(contact, old.id))
    assert jobs(contact) == [("АО «Профиль»", "Арт-директор", False)]
    with pytest.raises(EditError, match="no job"):
        job_of(contact, old.id)
    with pytest.raises(EditError, match="not a date"):
        edit_job(session, contact, current, {"since": "last spring"})


def test_jobs_by_hand_from_the_command_line(tmp_path: Path, sqlite_url: str) -> None:
    import json

    from click.testing import CliRunner

    from models.database import connect, sessions
    from pipeline.cli import main

    db = sqlite_url
    with sessions(connect(db)).begin() as session:
        contact_id = scan(session, "a", "АО «Профиль»", "Арт-директор", taken=T2).id

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, [*args, "--db", db], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    run("contacts", "job", "add", str(contact_id), "--company", "ООО «Ладога»", "--title", "Менеджер",
        "--since", "2020-01-15")
    shown = json.loads(run("contacts", "show", str(contact_id), "--json"))
    old, current = shown["positions"]
    assert (old["company"], old["until"][:10], current["company"], current["until"]) == (
        "ООО «Ладога»", T2.date().isoformat(), "АО «Профиль»", None)
    run("contacts", "job", "edit", str(contact_id), str(old["id"]), "--since", "2019-05-01")
    assert f"job {old['id']}" in run("contacts", "show", str(contact_id))
    assert "is current" in run("contacts", "job", "current", str(contact_id), str(old["id"]))
    shown = json.loads(run("contacts", "show", str(contact_id), "--json"))
    assert [(p["company"], p["until"] is None) for p in shown["positions"]] == [
        ("ООО «Ладога»", True), ("АО «Профиль»", False)]  # the old job open again, the later one ended
    run("contacts", "job", "delete", str(contact_id), str(old["id"]))
    shown = json.loads(run("contacts", "show", str(contact_id), "--json"))
    assert [p["company"] for p in shown["positions"]] == ["АО «Профиль»"]


def test_merge_then_split_keeps_a_job_in_the_other_language_and_gives_back_the_name(session: Session) -> None:
    """Two people: a Russian card with a company, and an English one with only a title (the demo's contacts 3
    and 13). A title in the other script is no proof of the same job without the same organisation: merging keeps
    both jobs, and splitting the card off again takes its job and its name with it."""
    from pipeline.book.contacts import search_contacts

    keep = scan(session, "a", "АО «Профиль»", "Менеджер по персоналу", taken=T1, name="Вадим Хлебников")
    other = scan(session, "b", None, "Lead UX Designer", taken=T1, phone="+4917702138829", name="Adrian Fischer")
    assert keep.id != other.id
    merge_contacts(session, keep, other)
    session.expire_all()
    assert sorted((p.company or "", p.title) for p in keep.positions) == [
        ("", "Lead UX Designer"), ("АО «Профиль»", "Менеджер по персоналу")]
    card = next(c for c in keep.cards if c.sha256.startswith("b"))
    new = split_card(session, keep, card)
    session.expire_all()
    assert jobs(new) == [(None, "Lead UX Designer", True)]
    assert jobs(keep) == [("АО «Профиль»", "Менеджер по персоналу", True)]
    assert [a.name for a in keep.aliases] == []
    assert new.display_name == "Adrian Fischer" and [a.name for a in new.aliases] == []
    assert [c["id"] for c in search_contacts(session, "Fischer")] == [new.id]


def _history(contact: Contact) -> list[tuple[str, str | None, str | None]]:
    return [(h.field, h.old_value, h.new_value) for h in contact.changes if h.source == "hand"]


def test_a_title_change_by_hand_ends_the_old_job_once_on_the_new_jobs_first_day(session: Session) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T1)
    add_job(session, contact, {"company": "ООО «Ладога»", "title": "Старший менеджер", "since": "2025-06-01"})
    old, new = sorted_jobs(contact.positions)
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер", False), ("ООО «Ладога»", "Старший менеджер", True)]
    assert old.until is not None and old.until.replace(tzinfo=UTC) == datetime(2025, 6, 1, tzinfo=UTC) == \
        new.since.replace(tzinfo=UTC)
    # One row for the new job, one for the old: what it was and the day it ended, never an empty value.
    assert _history(contact) == [("position", None, "Старший менеджер @ ООО «Ладога»"),
                                 ("position", "Менеджер @ ООО «Ладога»", "ended 2025-06-01")]


def test_a_job_added_without_a_date_begins_today_not_at_this_second(session: Session) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T1)
    add_job(session, contact, {"company": "АО «Профиль»", "title": "Арт-директор"})
    old, new = sorted_jobs(contact.positions)
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    assert new.since.replace(tzinfo=UTC) == today and old.until is not None and old.until.replace(tzinfo=UTC) == today
    assert _history(contact)[-1] == ("position", "Менеджер @ ООО «Ладога»", f"ended {today.date().isoformat()}")


def test_a_job_added_today_after_a_card_filed_today_is_the_current_one(session: Session) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер")  # no date on the card: filed now
    add_job(session, contact, {"company": "АО «Профиль»", "title": "Арт-директор"})
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер", False), ("АО «Профиль»", "Арт-директор", True)]


@pytest.mark.parametrize("typed", [{"company": "ООО «Ладога»", "title": "Менеджер"},
                                   {"company": "ладога", "title": " менеджер "},  # any case, legal form, spacing
                                   {"company": "ООО «Ладога»", "title": "Менеджер", "since": "2025-06-01"}])
def test_the_current_job_added_again_writes_nothing(session: Session, typed: dict[str, str | None]) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T1)
    before = len(contact.changes)
    with pytest.raises(EditError, match="already"):
        add_job(session, contact, typed)
    session.flush()
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер", True)] and len(contact.changes) == before


def test_the_same_job_added_with_an_earlier_start_only_moves_its_start(session: Session) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T2)
    job = add_job(session, contact, {"company": "ООО «Ладога»", "title": "Менеджер", "since": "2024-03-01"})
    assert len(contact.positions) == 1 and job.since.replace(tzinfo=UTC) == T1 and job.until is None
    assert _history(contact) == [("job_since", f"Менеджер @ ООО «Ладога»: {T2.date().isoformat()}",
                                  f"Менеджер @ ООО «Ладога»: {T1.date().isoformat()}")]


def test_going_back_to_an_earlier_job_is_a_new_row(session: Session) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T1)
    scan(session, "b", "АО «Профиль»", "Арт-директор", taken=T2)
    add_job(session, contact, {"company": "ООО «Ладога»", "title": "Менеджер", "since": "2026-09-01"})
    assert jobs(contact) == [("ООО «Ладога»", "Менеджер", False), ("АО «Профиль»", "Арт-директор", False),
                             ("ООО «Ладога»", "Менеджер", True)]


def test_a_job_edited_to_the_same_dates_writes_no_history(session: Session) -> None:
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T1)
    job = sorted_jobs(contact.positions)[0]
    edit_job(session, contact, job, {"since": "2024-03-01", "until": ""})
    assert _history(contact) == []
    edit_job(session, contact, job, {"since": "2024-02-01", "until": "2026-10-31"})
    job_text = "Менеджер @ ООО «Ладога»"
    assert _history(contact) == [("job_since", f"{job_text}: 2024-03-01", f"{job_text}: 2024-02-01"),
                                 ("job_until", None, f"{job_text}: 2026-10-31")]


def test_the_history_of_a_job_edit_names_the_job_it_changed(session: Session) -> None:
    """A contact has several jobs: each row of a job's dates says which job moved (title @ company), as it is
    after the edit, and an end taken away names it in its old value."""
    contact = scan(session, "a", "ООО «Ладога»", "Менеджер", taken=T1)
    scan(session, "b", "АО «Профиль»", "Арт-директор", taken=T3)
    old = sorted_jobs(contact.positions)[0]
    edit_job(session, contact, old, {"title": "Старший менеджер", "since": "2024-01-15", "until": "2025-12-31"})
    edit_job(session, contact, old, {"until": ""})
    assert _history(contact) == [
        ("position", "Менеджер @ ООО «Ладога»", "Старший менеджер @ ООО «Ладога»"),
        ("job_since", "Старший менеджер @ ООО «Ладога»: 2024-03-01", "Старший менеджер @ ООО «Ладога»: 2024-01-15"),
        ("job_until", None, "Старший менеджер @ ООО «Ладога»: 2025-12-31"),
        ("job_until", "Старший менеджер @ ООО «Ладога»: 2025-12-31", None),
        ("position", "Старший менеджер @ ООО «Ладога»", "ended 2026-09-01")]  # the next job's start ends it again
