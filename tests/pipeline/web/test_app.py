"""The web app's routes through FastAPI's test client, on SQLite and PostgreSQL, with real card images."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from models.database import connect, sessions
from pipeline import Settings, scan
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult
from pipeline.web.app import create_app
from pipeline.web.display import day
from pipeline.web.security import CSRF_FIELD, Guard
from tests.conftest import SAMPLES

CARD = SAMPLES / "ru_classic_scan.png"


@cache
def _read_card() -> ScanResult:
    """One real reading of a sample card, shared by the tests that need a stored card (OCR once)."""
    return scan(CARD, Settings(region="RU"))


def _label() -> dict[str, str]:
    return json.loads((SAMPLES / "ru_classic_scan.png.json").read_text(encoding="utf-8"))["cards"][0]


@pytest.fixture
def app_client(db_url: str) -> Iterator[tuple[TestClient, Guard, str]]:
    guard = Guard(None)
    with TestClient(create_app(db_url, guard, Settings(region="RU"))) as client:
        client.get("/contacts")  # the first page sets the CSRF cookie, as a browser's first visit does
        yield client, guard, db_url


def visible_text(page: str) -> str:
    """What a person reads on a page: its text, without tags or attributes (a form's date inputs keep ISO)."""
    from html.parser import HTMLParser

    parts: list[str] = []
    parser = HTMLParser()
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(page)
    return " ".join(" ".join(parts).split())


def _store(db_url: str, result: ScanResult) -> None:
    with sessions(connect(db_url)).begin() as session:
        store_result(session, result)


def test_an_uploaded_card_is_scanned_off_the_request_and_filed(app_client: tuple[TestClient, Guard, str]) -> None:
    client, guard, _ = app_client
    with CARD.open("rb") as image:
        response = client.post("/add", data={CSRF_FIELD: guard.csrf}, files={"files": (CARD.name, image, "image/png")},
                               follow_redirects=False)
    assert response.status_code == 303
    deadline = time.monotonic() + 120
    while "done" not in (jobs := client.get("/add/jobs").text) and time.monotonic() < deadline:
        assert "failed" not in jobs
        time.sleep(0.2)
    assert "/contacts/1" in jobs
    page = client.get("/contacts/1").text
    assert _label()["name"] in page
    assert CARD.name in client.get("/review/1").text  # the card is known by its file's name, not the temporary one
    image = client.get("/cards/1/image")
    assert image.status_code == 200 and image.content[:2] == b"\xff\xd8"  # the card picture, a JPEG
    # A new contact from an upload gets its follow-up on the next working day, as one from `cardscan scan`.
    from datetime import date

    from pipeline.book.store import next_working_day

    due = next_working_day(date.today())
    assert f'name="follow_up" value="{due.isoformat()}"' in page


def test_a_file_that_is_no_image_fails_with_the_cli_reason(app_client: tuple[TestClient, Guard, str]) -> None:
    client, guard, _ = app_client
    client.post("/add", data={CSRF_FIELD: guard.csrf}, files={"files": ("notes.jpg", b"not a picture", "image/jpeg")})
    deadline = time.monotonic() + 30
    while "failed" not in (jobs := client.get("/add/jobs").text) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "notes.jpg" in jobs and "not an image file" in jobs
    assert "No contact found" in client.get("/contacts").text


def test_an_upload_name_is_never_a_path_and_a_name_no_file_may_have_is_replaced(
        app_client: tuple[TestClient, Guard, str]) -> None:
    client, guard, _ = app_client
    for name in ("../../escape.jpg", "a" * 300 + ".jpg"):
        response = client.post("/add", data={CSRF_FIELD: guard.csrf}, files={"files": (name, b"no picture")})
        assert response.status_code == 200  # followed to the upload list
    deadline = time.monotonic() + 30
    while (client.get("/add/jobs").text.count("not an image file") < 2) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.get("/add/jobs").text.count("not an image file") == 2


def test_a_post_without_the_csrf_token_changes_nothing(app_client: tuple[TestClient, Guard, str]) -> None:
    client, _, db_url = app_client
    _store(db_url, _read_card())
    refused = client.post("/contacts/1/edit", data={"title": "Hacker", CSRF_FIELD: "forged"})
    assert refused.status_code == 403
    other_site = TestClient(client.app)  # no cookie: a form posted from another site
    assert other_site.post("/contacts/1/edit", data={"title": "Hacker"}).status_code == 403
    assert "Hacker" not in client.get("/contacts/1").text


def test_a_correction_shows_on_the_contact_page_and_in_its_history(app_client: tuple[TestClient, Guard, str]) -> None:
    client, guard, db_url = app_client
    _store(db_url, _read_card())
    before = client.get("/contacts/1").text
    assert "Главный инженер проекта" not in before
    response = client.post("/contacts/1/edit", data={CSRF_FIELD: guard.csrf, "title": "Главный инженер проекта",
                                                     "display_name": _label()["name"]}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get("/contacts/1").text
    assert page.count("Главный инженер проекта") >= 2  # the field, the job and the history's new value


def test_images_only_by_card_id_never_by_a_path(app_client: tuple[TestClient, Guard, str]) -> None:
    client, _, db_url = app_client
    _store(db_url, _read_card())
    assert client.get("/cards/1/image").status_code == 200
    for forged in ("/cards/2/image", "/cards/../../etc/passwd", "/cards/%2e%2e%2fetc%2fpasswd/image",
                   "/static/../models/database.py", "/cards/1/../../../../etc/passwd"):
        assert client.get(forged).status_code == 404, forged


def test_same_person_question_is_answered_from_the_review_page(app_client: tuple[TestClient, Guard, str]) -> None:
    client, guard, db_url = app_client
    first = CardFields(name="Anna Lee", company="Initech LLC", phones=[Phone("+14155550100", "work")])
    second = CardFields(name="Anna Lee", company="Globex Corp", phones=[Phone("+14155550199", "work")])
    _store(db_url, ScanResult("a.jpg", "a" * 64, "ok", [CardResult(first)]))
    _store(db_url, ScanResult("b.jpg", "b" * 64, "ok", [CardResult(second)]))
    queue = client.get("/review").text
    assert "same person?" in queue and "1 to review" in client.get("/contacts").text
    page = client.get("/review/2").text
    assert "Same person: merge" in page and "Initech" in page
    assert client.post("/review/2/merge/1", data={CSRF_FIELD: guard.csrf}, follow_redirects=False).status_code == 303
    assert "Nothing to review" in client.get("/review").text
    contact = client.get("/contacts/1").text
    assert "Globex" in contact and "Initech" in contact  # one person, both jobs
    assert client.get("/contacts/2").status_code == 404


def test_merge_then_split_again(app_client: tuple[TestClient, Guard, str]) -> None:
    client, guard, db_url = app_client
    _store(db_url, ScanResult("a.jpg", "a" * 64, "ok", [CardResult(CardFields(name="Ivan Petrov",
                                                                               emails=["ivan@a.ru"]))]))
    _store(db_url, ScanResult("b.jpg", "b" * 64, "ok", [CardResult(CardFields(name="Olga Smirnova",
                                                                               emails=["olga@b.ru"]))]))
    client.post("/contacts/1/merge", data={CSRF_FIELD: guard.csrf, "other": "2"})
    merged = client.get("/contacts/1").text
    assert "olga@b.ru" in merged and client.get("/contacts/2").status_code == 404
    response = client.post("/contacts/1/split/2", data={CSRF_FIELD: guard.csrf}, follow_redirects=False)
    new_page = response.headers["location"]
    assert "olga@b.ru" in client.get(new_page).text


def test_off_the_loopback_a_token_is_asked_for_once(db_url: str) -> None:
    guard = Guard("s3cret-token")
    with TestClient(create_app(db_url, guard)) as client:
        assert client.get("/contacts").status_code == 403
        assert client.get("/contacts?token=wrong").status_code == 403
        first = client.get("/contacts?token=s3cret-token")
        assert first.status_code == 200
        assert client.get("/review").status_code == 200  # the cookie carries it from now on
        assert "script-src 'self'" in first.headers["content-security-policy"]
        assert "unsafe-inline" not in first.headers["content-security-policy"]


def test_export_respects_the_search(app_client: tuple[TestClient, Guard, str]) -> None:
    client, _, db_url = app_client
    for n, name in enumerate(("Ivan Petrov", "Olga Smirnova")):
        fields = CardFields(name=name, emails=[f"{name.split()[0].lower()}@example.com"])
        _store(db_url, ScanResult(f"{n}.jpg", str(n) * 64, "ok", [CardResult(fields)]))
    response = client.get("/export?fmt=vcard&q=Petrov")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    assert "ivan@example.com" in response.text and "olga@" not in response.text
    assert client.get("/export?fmt=../../etc").status_code == 400


def test_the_lists_export_links_download_the_contacts_its_filters_show(
        app_client: tuple[TestClient, Guard, str]) -> None:
    """Petrov has the tag яхты and was met at Иннопром 2026; Smith works at Globex and has neither."""
    import re
    from html import unescape

    from tests.pipeline.formats.people import make_petrov, make_smith

    client, _, db_url = app_client
    with sessions(connect(db_url)).begin() as session:
        make_petrov(session)
        make_smith(session)
    for filters, wanted, other in (("tag=%D0%AF%D0%A5%D0%A2%D0%AB", "Петров", "Smith"), ("met_at=иннопром", "Петров",
                                   "Smith"), ("company=globex", "Smith", "Петров")):
        page = client.get(f"/contacts?{filters}").text
        links = [unescape(h) for h in re.findall(r'href="(/export\?[^"]+)"', page)]
        assert len(links) == 3, page
        for link in links:
            body = client.get(link).content.decode("utf-8-sig")
            assert wanted in body and other not in body, (link, body)


def test_an_accepted_correction_is_kept_and_exported_as_a_labelled_card(
        app_client: tuple[TestClient, Guard, str], tmp_path: Path) -> None:
    from devtools.evaluate import discover
    from pipeline.formats.corrections import export_corrections

    client, guard, db_url = app_client
    _store(db_url, _read_card())
    form = {CSRF_FIELD: guard.csrf, "display_name": "Кириллов Николай Львович", "title": "Главный инженер",
            "company": "ООО «Север»"}
    assert client.post("/review/1/accept", data=form, follow_redirects=False).status_code == 303
    with sessions(connect(db_url)).begin() as session:
        assert export_corrections(session, tmp_path / "fixed") == 1
    (item,) = discover(tmp_path / "fixed")
    assert item.condition == "correction" and not (tmp_path / "fixed").stat().st_mode & 0o077
    card = item.cards[0]
    assert (card["name"], card["title"], card["company"]) == ("Кириллов Николай Львович", "Главный инженер",
                                                              "ООО «Север»")
    read = [p.number for p in _read_card().cards[0].fields.phones]
    assert [p["number"] for p in card["phones"]] == read  # the phones as read, not corrected
    assert 'href="/review/1"' not in client.get("/review").text  # accepted: out of the queue


def _jobs(db_url: str) -> list[tuple[str | None, str | None, str, str | None, bool]]:
    from sqlalchemy import select

    from models import Position
    from pipeline.book.merge import sorted_jobs

    with sessions(connect(db_url))() as session:
        return [(p.company, p.title, p.since.date().isoformat(), p.until.date().isoformat() if p.until else None,
                 p.by_hand) for p in sorted_jobs(list(session.scalars(select(Position))))]


def _anna(sha: str, title: str) -> ScanResult:
    fields = CardFields(name="Anna Lee", company="Initech LLC", title=title, emails=["anna.lee@initech.com"],
                        phones=[Phone("+14155550100", "work")])
    return ScanResult(f"{sha}.jpg", sha * 64, "ok", [CardResult(fields)])


def test_a_job_is_dated_corrected_added_and_deleted_on_the_contact_page_and_a_rescan_keeps_it(
        app_client: tuple[TestClient, Guard, str]) -> None:
    client, guard, db_url = app_client
    _store(db_url, _anna("a", "Engineer"))
    page = client.get("/contacts/1").text
    assert 'action="/contacts/1/jobs/1"' in page and 'name="since"' in page
    response = client.post("/contacts/1/jobs/1", data={CSRF_FIELD: guard.csrf, "title": "Senior Engineer",
                                                       "company": "Initech LLC", "since": "2019-05-01", "until": ""},
                           follow_redirects=False)
    assert response.status_code == 303
    assert _jobs(db_url) == [("Initech LLC", "Senior Engineer", "2019-05-01", None, True)]
    page = client.get("/contacts/1").text
    assert "1 May 2019 – now" in visible_text(page) and "set by hand" in page and "job_since" in page  # and history

    again = _anna("b", "Engineer")  # the same card scanned again, from another photo
    _store(db_url, again)
    assert again.cards[0].outcome == "merged"
    assert _jobs(db_url) == [("Initech LLC", "Senior Engineer", "2019-05-01", None, True)]

    client.post("/contacts/1/jobs", data={CSRF_FIELD: guard.csrf, "company": "Globex Corp", "title": "CTO",
                                          "since": "2021-02-01"})
    assert _jobs(db_url) == [("Initech LLC", "Senior Engineer", "2019-05-01", "2021-02-01", True),
                             ("Globex Corp", "CTO", "2021-02-01", None, True)]  # the new job ends the old one
    assert "1 May 2019 – 1 Feb 2021" in visible_text(client.get("/contacts/1").text)
    client.post("/contacts/1/jobs/2/delete", data={CSRF_FIELD: guard.csrf})
    assert _jobs(db_url) == [("Initech LLC", "Senior Engineer", "2019-05-01", None, True)]


def test_the_contact_page_shows_dates_as_days_never_as_iso_timestamps(
        app_client: tuple[TestClient, Guard, str]) -> None:
    import re

    client, guard, db_url = app_client
    _store(db_url, _anna("a", "Engineer"))
    client.post("/contacts/1/jobs", data={CSRF_FIELD: guard.csrf, "company": "Globex Corp", "title": "CTO"})
    client.post("/contacts/1/jobs/1", data={CSRF_FIELD: guard.csrf, "since": "2019-05-01"})
    client.post("/contacts/1/edit", data={CSRF_FIELD: guard.csrf, "display_name": "Anna Lee", "birthday": "1990-03-04",
                                          "company": "Globex Corp", "title": "CTO"})
    text = visible_text(client.get("/contacts/1").text)
    assert not re.search(r"\d{4}-\d\d-\d\d", text), text  # no ISO date or timestamp anywhere a person reads
    today = day(datetime.now(UTC).date())
    assert f"1 May 2019 – {today}" in text and f"{today} – now" in text  # the old job, the one added today
    assert f"Engineer @ Initech LLC ended {today}" in text and "4 Mar 1990" in text  # the history's values
    assert re.search(rf"card 1 · {today}", text)


def test_a_past_job_is_marked_current_and_a_rescan_of_the_later_job_does_not_undo_it(
        app_client: tuple[TestClient, Guard, str]) -> None:
    client, guard, db_url = app_client
    _store(db_url, _anna("a", "Engineer"))
    client.post("/contacts/1/jobs/1", data={CSRF_FIELD: guard.csrf, "since": "2019-05-01"})
    client.post("/contacts/1/jobs", data={CSRF_FIELD: guard.csrf, "company": "Globex Corp", "title": "CTO",
                                          "since": "2021-02-01"})
    page = client.get("/contacts/1").text
    assert 'action="/contacts/1/jobs/1/current"' in page  # the past job has the button
    assert 'action="/contacts/1/jobs/2/current"' not in page  # the current one has none
    response = client.post("/contacts/1/jobs/1/current", data={CSRF_FIELD: guard.csrf}, follow_redirects=False)
    assert response.status_code == 303
    today = datetime.now(UTC).date().isoformat()
    assert _jobs(db_url) == [("Initech LLC", "Engineer", "2019-05-01", None, True),
                             ("Globex Corp", "CTO", "2021-02-01", today, True)]
    page = client.get("/contacts/1").text
    assert "1 May 2019 – now" in visible_text(page) and f"1 Feb 2021 – {day(today)}" in visible_text(page)
    assert "(current again)" in page
    listed = client.get("/contacts").text
    assert "Initech LLC" in listed and "Globex Corp" not in listed  # the list shows the job made current

    later = _anna("c", "CTO")  # a card of the later job, scanned again
    later.cards[0].fields.company = "Globex Corp"
    _store(db_url, later)
    assert later.cards[0].outcome == "merged"
    assert _jobs(db_url)[0][3] is None and _jobs(db_url)[1][3] == today
    assert client.post("/contacts/1/jobs/9/current", data={CSRF_FIELD: guard.csrf}).status_code == 404
    assert client.post("/contacts/1/jobs/2/current", data={CSRF_FIELD: "forged"}).status_code == 403
    assert _jobs(db_url)[1][3] == today


def test_the_list_filters_by_tag_and_by_the_event_where_met(app_client: tuple[TestClient, Guard, str]) -> None:
    from models import Contact
    from pipeline.book.editing import edit_contact

    client, _, db_url = app_client
    people = {"Anna Lee": ("Fintech, Golf", "Web Summit 2025"), "Boris Orlov": ("финтех", "ЦИПР, Нижний Новгород"),
              "Carl Berg": ("", "Web Summit 2024")}
    for sha, (name, (tags, met)) in zip("abc", people.items(), strict=True):
        result = ScanResult(f"{sha}.jpg", sha * 64, "ok", [CardResult(CardFields(
            name=name, emails=[f"{name.split()[0].lower()}@example.com"]))])
        _store(db_url, result)
        with sessions(connect(db_url)).begin() as session:
            contact = session.get(Contact, result.cards[0].contact_id)
            assert contact is not None
            edit_contact(session, contact, {"interests": tags or None, "met_at": met})

    def listed(**params: str) -> set[str]:
        page = client.get("/contacts", params=params).text
        return {name for name in people if name in page}

    assert listed() == set(people)
    assert 'value="Golf"' in client.get("/contacts").text  # the tags offered to pick from
    assert listed(tag="fintech") == {"Anna Lee"}  # a whole tag, any case
    assert listed(tag="ФИНТЕХ") == {"Boris Orlov"}
    assert listed(tag="fin") == set()  # part of a tag is no tag
    assert listed(met_at="web summit") == {"Anna Lee", "Carl Berg"}  # part of the event's name
    assert listed(met_at="ципр") == {"Boris Orlov"}
    assert listed(met_at="summit 2025", tag="golf") == {"Anna Lee"}
    assert listed(met_at="Summit", q="Carl") == {"Carl Berg"}  # with a search
    assert listed(tag="golf", met_at="2024") == set()


def test_a_wrong_job_edit_is_refused_with_a_reason_and_changes_nothing(
        app_client: tuple[TestClient, Guard, str]) -> None:
    client, guard, db_url = app_client
    _store(db_url, _anna("a", "Engineer"))
    before = _jobs(db_url)
    bad_date = client.post("/contacts/1/jobs/1", data={CSRF_FIELD: guard.csrf, "since": "01.05.2019"})
    assert "is not a date" in bad_date.text and _jobs(db_url) == before
    assert "needs its start date" in client.post("/contacts/1/jobs/1", data={CSRF_FIELD: guard.csrf,
                                                                             "since": ""}).text
    assert "needs a company" in client.post("/contacts/1/jobs", data={CSRF_FIELD: guard.csrf, "since": ""}).text
    assert client.post("/contacts/1/jobs/99", data={CSRF_FIELD: guard.csrf, "title": "x"}).status_code == 404
    assert client.post("/contacts/1/jobs/1/delete", data={CSRF_FIELD: "forged"}).status_code == 403
    assert _jobs(db_url) == before


def test_the_card_picture_carries_a_box_for_every_line_read(app_client: tuple[TestClient, Guard, str]) -> None:
    import re

    client, _, db_url = app_client
    result = _read_card()
    _store(db_url, result)
    lines = result.cards[0].lines
    assert lines and any("emails" in line.fields for line in lines)
    for path in ("/review/1", "/contacts/1"):
        page = client.get(path).text
        assert page.count("<rect ") == len(lines), path
        (shown,) = re.findall(r'data-fields="emails"', page)
        assert shown and 'viewBox="0 0 ' in page


def test_the_review_list_shows_a_page_of_cards_and_counts_them_all(
        app_client: tuple[TestClient, Guard, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.web.app

    monkeypatch.setattr(pipeline.web.app, "REVIEW_PAGE", 2)
    client, _, db_url = app_client
    for n, name in enumerate(("Ivan Petrov", "Olga Smirnova", "Anna Lee")):
        fields = CardFields(name=name, emails=[f"{n}@example.com"], confidence={"name": 0.3})
        _store(db_url, ScanResult(f"{n}.jpg", str(n) * 64, "ok", [CardResult(fields)]))
    page = client.get("/review").text
    assert "3 to review" in page and page.count('href="/review/') == 2 and "The first 2 of 3" in page


def test_a_held_field_is_shown_and_accepting_the_card_puts_it_into_the_contact(
        app_client: tuple[TestClient, Guard, str]) -> None:
    """The web review uses the book's accept: a held e-mail is on the card and the contact page, not in the export,
    until the card is accepted; a held company the person typed in is taken as a correction."""
    client, guard, db_url = app_client
    fields = CardFields(name="Ricardo Nogueira", emails=["rn@gmail.com"], company="as Sociais",
                        guesses=["company"], confidence={"name": 0.9, "emails": 0.001, "company": 0.3})
    _store(db_url, ScanResult("/r.jpg", "r" * 64, "ok", [CardResult(fields)]))
    page = client.get("/review/1").text
    assert "held: not in the contact until accepted" in page and "rn@gmail.com" in page
    assert 'value="as Sociais"' in page  # the held company is in the form, to accept as shown or type over
    assert 'id="waiting"' in client.get("/contacts/1").text
    assert "rn@gmail.com" not in client.get("/export?fmt=vcard").text
    form = {CSRF_FIELD: guard.csrf, "display_name": "Ricardo Nogueira", "company": "Nog Design"}
    assert client.post("/review/1/accept", data=form, follow_redirects=False).status_code == 303
    exported = client.get("/export?fmt=vcard").text
    assert "rn@gmail.com" in exported and "ORG:Nog Design" in exported and "as Sociais" not in exported
    assert 'id="waiting"' not in client.get("/contacts/1").text


def test_accepting_a_held_company_as_shown_puts_it_into_the_contact(app_client: tuple[TestClient, Guard, str]) -> None:
    client, guard, db_url = app_client
    fields = CardFields(name="Zorblat Quenn", company="Nimbus Orbital", guesses=["company"],
                        confidence={"name": 0.9, "company": 0.3})
    _store(db_url, ScanResult("/z.jpg", "z" * 64, "ok", [CardResult(fields)]))
    assert "ORG" not in client.get("/export?fmt=vcard").text
    form = {CSRF_FIELD: guard.csrf, "display_name": "Zorblat Quenn", "company": "Nimbus Orbital"}  # as shown
    assert client.post("/review/1/accept", data=form, follow_redirects=False).status_code == 303
    assert "ORG:Nimbus Orbital" in client.get("/export?fmt=vcard").text
    assert 'href="/review/1"' not in client.get("/review").text


BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"}


def test_a_browser_is_told_in_a_page_what_was_not_found_and_led_back(
        app_client: tuple[TestClient, Guard, str]) -> None:
    client, _, db_url = app_client
    _store(db_url, _anna("a", "Engineer"))
    for path, says, back in (("/contacts/99", "No contact 99.", "/contacts"), ("/no-such-page", "There is no page "
                             "at /no-such-page.", "/contacts"), ("/review/42", "No card 42.", "/review"),
                             ("/contacts/abc", "There is no page at /contacts/abc.", "/contacts")):
        response = client.get(path, headers=BROWSER)
        assert response.status_code == 404 and response.headers["content-type"].startswith("text/html"), path
        page = visible_text(response.text)
        assert "Not found" in page and says in page, page
        assert f'<a href="{back}" id="error-back">' in response.text
        assert "script-src 'self'" in response.headers["content-security-policy"]  # the app's headers, as any page
    stale = client.post("/contacts/1/edit", data={"title": "x", CSRF_FIELD: "forged"}, headers=BROWSER)
    assert stale.status_code == 403 and "reload the page and try again" in visible_text(stale.text)


def test_the_file_and_fragment_routes_and_scripts_keep_json_errors(
        app_client: tuple[TestClient, Guard, str]) -> None:
    client, _, _ = app_client
    for path, headers in (("/contacts/99", {}), ("/contacts/99", {"accept": "application/json"}),
                          ("/cards/7/image", BROWSER), ("/export?fmt=pdf", BROWSER),
                          ("/contacts/99", {**BROWSER, "hx-request": "true"})):
        response = client.get(path, headers=headers)
        assert response.status_code in (400, 404) and response.headers["content-type"] == "application/json", path
        assert response.json()["detail"]


def test_the_favicon_is_served_and_linked_from_every_page(app_client: tuple[TestClient, Guard, str]) -> None:
    from xml.etree import ElementTree

    client, _, _ = app_client
    for path in ("/favicon.ico", "/static/favicon.svg"):
        icon = client.get(path)
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
        assert ElementTree.fromstring(icon.content).tag == "{http://www.w3.org/2000/svg}svg"  # a well-formed SVG
    for page in ("/contacts", "/review", "/add", "/reminders", "/no-such-page"):
        assert '<link rel="icon" href="/static/favicon.svg"' in client.get(page, headers=BROWSER).text, page


def test_a_contact_is_deleted_from_its_page_once_the_box_is_ticked(app_client: tuple[TestClient, Guard, str]) -> None:
    """The web app had no way to delete a contact (a logo-only card's nameless contact, a stranger's card): only
    `cardscan contacts delete` did it."""
    client, guard, db_url = app_client
    _store(db_url, ScanResult("a.jpg", "a" * 64, "ok", [CardResult(CardFields(name="Ivan Petrov",
                                                                               emails=["ivan@a.ru"]))]))
    page = client.get("/contacts/1").text
    assert 'action="/contacts/1/delete"' in page and "Delete contact" in page
    unticked = client.post("/contacts/1/delete", data={CSRF_FIELD: guard.csrf}, follow_redirects=False)
    assert unticked.status_code == 303 and "tick" in unticked.headers["location"]
    assert client.get("/contacts/1").status_code == 200
    assert client.post("/contacts/1/delete", data={"confirm": "yes"}).status_code == 403  # no CSRF token
    done = client.post("/contacts/1/delete", data={CSRF_FIELD: guard.csrf, "confirm": "yes"}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/contacts?deleted=1")
    assert "Contact 1 was deleted." in visible_text(client.get(done.headers["location"]).text)
    assert client.get("/contacts/1").status_code == 404
    assert client.get("/cards/1/image").status_code == 404
    with sessions(connect(db_url)).begin() as session:
        from models import Card, Contact

        assert session.query(Contact).count() == 0 and session.query(Card).count() == 0


def test_an_upload_over_the_size_limit_says_the_limit_and_what_to_do(db_url: str) -> None:
    image = SAMPLES / "multi_page_6cards.jpg"  # 839 KB
    guard = Guard(None)
    with TestClient(create_app(db_url, guard, Settings(max_file_bytes=512 * 1024))) as client:
        client.get("/contacts")
        with image.open("rb") as f:
            client.post("/add", data={CSRF_FIELD: guard.csrf}, files={"files": (image.name, f, "image/jpeg")})
        jobs = visible_text(client.get("/add/jobs").text)
    assert ("file is over the 512 KB limit: downscale it or save it as a smaller JPEG (a photo of a card needs a "
            "few MB)") in jobs


def test_two_photos_of_a_card_waiting_on_one_question_are_one_review_with_both_pictures(
        app_client: tuple[TestClient, Guard, str]) -> None:
    client, guard, db_url = app_client
    _store(db_url, _anna("a", "Engineer"))
    photo = CardFields(name="Anna Lee", company="Globex Corp", phones=[Phone("+14155550199", "work")])
    for sha in ("b", "c"):  # the same card photographed twice: one question about contact 1
        _store(db_url, ScanResult(f"{sha}.jpg", sha * 64, "ok", [CardResult(photo)]))
    assert "1 to review" in client.get("/contacts").text and client.get("/review").text.count('href="/review/') == 1
    opened = client.get("/review/3", follow_redirects=False)  # the second photo leads to the question
    assert (opened.status_code, opened.headers["location"]) == (303, "/review/2")
    page = visible_text(client.get("/review/2").text)
    assert "Another photo of this card card 3, c.jpg" in page and "Same person: merge" in page
    assert client.post("/review/3/apart", data={CSRF_FIELD: guard.csrf}, follow_redirects=False).status_code == 303
    assert "Nothing to review" in client.get("/review").text
    from sqlalchemy import select

    from models import Card

    with sessions(connect(db_url))() as session:  # one new contact with both photos, not two
        filed = [(c.id, c.contact_id) for c in session.scalars(select(Card).order_by(Card.id))]
    assert filed == [(1, 1), (2, 2), (3, 2)]


@cache
def _read_adachi() -> ScanResult:
    """A real photo (../shared/real_cards) whose two phones are read with doubt and held, read as BR."""
    from tests.conftest import SHARED

    photo = SHARED / "real_cards" / "images" / "806010510_264886.jpg"
    if not photo.exists():
        pytest.skip("the shared real photos are not here")
    return scan(photo, Settings(region="BR", ocr_engine="auto"))  # the router holds both; Tesseract reads others


def test_the_review_form_offers_held_phones_as_read_and_takes_a_correction_of_them(
        app_client: tuple[TestClient, Guard, str]) -> None:
    """As `cardscan review` lists held phones to accept, fix or reject, the form shows them in a field of their
    own: left as shown they are accepted, typed over they are the card's correction, emptied they stay out."""
    client, guard, db_url = app_client
    _store(db_url, _read_adachi())
    office, mobile = "+551122949484", "+5511996799468"
    page = client.get("/review/1").text
    assert f'name="held_phones" value="{office}, {mobile}"' in page
    form = {CSRF_FIELD: guard.csrf, "held_phones": f"{office}, +55 11 99679-9469",
            "company": "Eletrônica ADACHI Ltda."}
    assert client.post("/review/1/accept", data=form, follow_redirects=False).status_code == 303
    assert 'href="/review/1"' not in client.get("/review").text
    from sqlalchemy import select

    from models import Card
    from pipeline.book.corrections import label_of

    with sessions(connect(db_url))() as session:
        card = session.scalars(select(Card)).one()
        assert card.contact is not None
        assert sorted(p.e164 for p in card.contact.phones) == [office, "+5511996799469"]  # typed, not the reading
        assert [p["number"] for p in label_of(card)["phones"]] == [office, "+5511996799469"]  # kept as corrected


def test_the_edit_and_review_forms_offer_the_contacts_own_region_for_a_phone_typed_without_it(
        app_client: tuple[TestClient, Guard, str]) -> None:
    """A contact whose card gave a São Paulo number: the forms offer BR, and a mobile typed as printed is read in
    it (before: in RU, refused); a region typed in the form decides, an unknown one is refused with a reason."""
    client, guard, db_url = app_client
    fields = CardFields(name="Ricardo Nogueira", phones=[Phone("+551122949484", "work")])
    _store(db_url, ScanResult("r.jpg", "r" * 64, "ok", [CardResult(fields)]))
    assert 'name="region" value="BR"' in client.get("/contacts/1").text
    assert 'name="region" value="BR"' in client.get("/review/1").text
    client.post("/contacts/1/edit", data={CSRF_FIELD: guard.csrf, "phone": "11 97412-1100", "region": "BR"})
    client.post("/contacts/1/edit", data={CSRF_FIELD: guard.csrf, "phone": "11 3456-7890"})  # no region: derived
    client.post("/contacts/1/edit", data={CSRF_FIELD: guard.csrf, "phone": "495 123-45-67", "region": "ru"})
    refused = client.post("/contacts/1/edit", data={CSRF_FIELD: guard.csrf, "phone": "1", "region": "XX"},
                          follow_redirects=False)
    assert refused.status_code == 303 and "libphonenumber" in refused.headers["location"]
    page = client.get("/contacts/1").text
    for number in ("+5511974121100", "+551134567890", "+74951234567"):
        assert f'href="tel:{number}"' in page, number
    form = {CSRF_FIELD: guard.csrf, "display_name": "Ricardo Nogueira", "phone": "11 2222-3333", "region": "BR"}
    assert client.post("/review/1/accept", data=form, follow_redirects=False).status_code == 303
    assert 'href="tel:+551122223333"' in client.get("/contacts/1").text
