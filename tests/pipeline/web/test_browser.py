"""The web app end to end in a real browser: Playwright driving Debian's chromium against a served app."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.database import connect, sessions
from pipeline import Settings
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult
from pipeline.web.app import create_app
from pipeline.web.security import Guard
from tests.conftest import SAMPLES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags a root user in a closed network needs (no sandbox, nothing fetched in the background).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
CARD = SAMPLES / "ru_classic_scan.png"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    import uvicorn

    db_url = f"sqlite:///{tmp_path / 'contacts.db'}"
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db_url, Guard(None), Settings(region="RU")),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", db_url
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(served: tuple[str, str]) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: `make setup` installs Debian's package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page()
        tab.set_default_timeout(60_000)
        yield tab
        browser.close()


def test_a_person_adds_a_card_corrects_it_and_finds_it_again(page: object, served: tuple[str, str]) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    base, _ = served
    label = json.loads((SAMPLES / "ru_classic_scan.png.json").read_text(encoding="utf-8"))["cards"][0]
    page.goto(f"{base}/add")
    page.set_input_files("input[type=file]", str(CARD))
    page.click("#upload button[type=submit]")
    page.locator("#jobs a", has_text="contact").first.click(timeout=120_000)  # htmx shows it once filed
    expect(page.locator("#contact-name")).to_have_text(label["name"])
    expect(page.locator(".cards img").first).to_be_visible()

    page.fill("#edit input[name=title]", "Главный инженер проекта")
    page.click("#edit button[type=submit]")
    expect(page.locator("#edit input[name=title]")).to_have_value("Главный инженер проекта")
    expect(page.locator("#history")).to_contain_text("Главный инженер проекта")

    page.goto(f"{base}/contacts")
    page.fill("input[name=q]", label["company"].split("«")[-1].rstrip("»").lower())  # lower case, Cyrillic
    page.click("form.filters button")
    expect(page.locator("#contacts tbody")).to_contain_text(label["name"])


def test_a_same_person_question_is_settled_by_clicking(page: object, served: tuple[str, str]) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    base, db_url = served
    with sessions(connect(db_url)).begin() as session:
        for n, company in enumerate(("Initech LLC", "Globex Corp")):
            fields = CardFields(name="Anna Lee", company=company, phones=[Phone(f"+1415555010{n}", "work")])
            store_result(session, ScanResult(f"{n}.jpg", str(n) * 64, "ok", [CardResult(fields)]))
    page.goto(f"{base}/contacts")
    expect(page.locator("#nav-review")).to_contain_text("1 to review")
    page.click("#nav-review")
    page.click("text=card 2")
    page.click("text=Same person: merge")
    expect(page.locator("#review")).to_contain_text("Nothing to review")
    page.goto(f"{base}/contacts/1")
    expect(page.locator("#jobs")).to_contain_text("Globex")
    expect(page.locator("#jobs")).to_contain_text("Initech")


def test_the_boxes_sit_on_the_card_and_a_job_dated_by_hand_outlives_a_rescan(
        page: object, served: tuple[str, str], tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    from tests.conftest import draw_card, red_box
    from tests.pipeline.stages.test_read_lines import EMAIL, LINES

    assert isinstance(page, Page)
    base, _ = served
    first = draw_card(tmp_path / "card.png", LINES, red=EMAIL, turn=3.0)
    again = draw_card(tmp_path / "again.png", LINES, red=EMAIL, turn=-2.0)  # another photo of the same card

    def upload(path: Path) -> None:
        page.goto(f"{base}/add")
        page.set_input_files("input[type=file]", str(path))
        page.click("#upload button[type=submit]")
        page.locator("#jobs tr", has_text=path.name).locator("a", has_text="contact").click(timeout=120_000)

    upload(first)
    expect(page.locator("#contact-name")).to_have_text("Margaret Peacock")
    # The e-mail's box, in the picture's own pixels, is where the red print is in the picture served.
    picture = page.locator("figure.picture img").first
    box = page.locator('svg.boxes g[data-fields~="emails"] rect').first.bounding_box()
    shown = picture.bounding_box()
    natural = picture.evaluate("img => img.naturalWidth")
    assert box is not None and shown is not None
    scale = natural / shown["width"]
    drawn = ((box["x"] - shown["x"]) * scale, (box["y"] - shown["y"]) * scale,
             (box["x"] + box["width"] - shown["x"]) * scale, (box["y"] + box["height"] - shown["y"]) * scale)
    printed = red_box(page.request.get(f"{base}/cards/1/image").body())
    assert max(abs(a - b) for a, b in zip(drawn, printed, strict=True)) <= 12, (drawn, printed)
    # Clicking a box puts its text into the field being edited.
    page.click("#edit input[name=department]")
    page.click('svg.boxes g[data-fields~="title"]')
    expect(page.locator("#edit input[name=department]")).to_have_value("Sales Representative")

    page.goto(page.url)  # nothing of the click was saved
    page.locator("li.job summary").first.click()
    page.locator("li.job input[name=since]").first.fill("2019-05-01")
    with page.expect_navigation():  # the form posts and is redirected: reloading before that lands races it
        page.locator("li.job button", has_text="Save job").first.click()
    page.reload()
    expect(page.locator("li.job .dates").first).to_have_text("1 May 2019 – now")

    upload(again)
    expect(page.locator("#contact-name")).to_have_text("Margaret Peacock")
    expect(page.locator("figure.picture")).to_have_count(2)  # both photos on one contact
    expect(page.locator("li.job .dates")).to_have_text(["1 May 2019 – now"])
    expect(page.locator("li.job .what")).to_have_text(["Sales Representative @ Northwind Traders Ltd"])


def test_two_contacts_are_merged_and_split_again_by_clicking(page: object, served: tuple[str, str]) -> None:
    from playwright.sync_api import Page, expect

    from pipeline import scan

    assert isinstance(page, Page)
    base, db_url = served
    other = SAMPLES / "en_left_logo_scan.jpg"
    with sessions(connect(db_url)).begin() as session:
        for image in (CARD, other):
            store_result(session, scan(image, Settings(region="RU")))
    names = [json.loads(image.with_name(image.name + ".json").read_text(encoding="utf-8"))["cards"][0]["name"]
             for image in (CARD, other)]

    page.goto(f"{base}/contacts/1")
    expect(page.locator("#contact-name")).to_have_text(names[0])
    page.fill("input[name=other]", "2")
    page.locator('form[action="/contacts/1/merge"] button').click()
    expect(page.locator("figure.picture")).to_have_count(2)  # both cards on one contact
    expect(page.locator("body")).to_contain_text("cdraper@silverline-systems.com")
    assert page.request.get(f"{base}/contacts/2").status == 404

    page.locator('form[action="/contacts/1/split/2"] button').click()
    expect(page.locator("#contact-name")).to_have_text(names[1])  # the card split off is a contact again
    expect(page.locator("figure.picture")).to_have_count(1)
    page.goto(f"{base}/contacts/1")
    expect(page.locator("#contact-name")).to_have_text(names[0])
    expect(page.locator("figure.picture")).to_have_count(1)
    expect(page.locator("body")).not_to_contain_text("cdraper@silverline-systems.com")


def test_a_missing_contact_is_a_page_with_a_way_back_and_no_request_of_the_browser_fails(
        page: object, served: tuple[str, str], tmp_path: Path) -> None:
    from playwright.sync_api import Page, Response, expect

    assert isinstance(page, Page)
    base, db_url = served
    with sessions(connect(db_url)).begin() as session:
        fields = CardFields(name="Anna Lee", company="Initech LLC", phones=[Phone("+14155550100", "work")])
        store_result(session, ScanResult("a.jpg", "a" * 64, "ok", [CardResult(fields)]))
    answers: list[Response] = []
    page.on("response", lambda response: answers.append(response))
    opened = page.goto(f"{base}/contacts/99")
    assert opened is not None and opened.status == 404
    expect(page.locator("h1")).to_have_text("Not found")
    expect(page.locator("#error-detail")).to_have_text("No contact 99.")
    page.screenshot(path=str(tmp_path / "not-found.png"))
    page.click("#error-back")
    expect(page.locator("#contacts tbody")).to_contain_text("Anna Lee")
    # The icon the pages link is there, drawn (an SVG the browser renders, not a 404 body).
    icon = page.evaluate("""async () => { const img = new Image(); img.src = '/favicon.ico';
                                          await img.decode(); return [img.naturalWidth, img.naturalHeight]; }""")
    assert icon[0] > 0 and icon[1] > 0
    failed = [(r.url, r.status) for r in answers if r.status >= 400 and r.url != f"{base}/contacts/99"]
    assert failed == [], failed


def test_held_phones_are_offered_in_the_review_form_and_typed_over(page: object, served: tuple[str, str]) -> None:
    """A real photo whose phones are read with doubt: the review form shows them as read, as `cardscan review`
    lists them; the person corrects one and accepts with Alt+A; the contact has the number typed."""
    from playwright.sync_api import Page, expect

    from pipeline import scan
    from tests.conftest import SHARED

    assert isinstance(page, Page)
    base, db_url = served
    photo = SHARED / "real_cards" / "images" / "806010510_264886.jpg"
    if not photo.exists():
        pytest.skip("the shared real photos are not here")
    with sessions(connect(db_url)).begin() as session:
        store_result(session, scan(photo, Settings(region="BR", ocr_engine="auto")))  # the router holds both phones
    page.goto(f"{base}/review/1")
    held = page.locator("#accept input[name=held_phones]")
    expect(held).to_have_value("+551122949484, +5511996799468")
    held.fill("+551122949484, +55 11 99679-9469")
    page.keyboard.press("Alt+a")
    expect(page.locator("#review")).to_contain_text("Nothing to review")
    page.goto(f"{base}/contacts/1")
    expect(page.locator("body")).to_contain_text("+5511996799469")
    expect(page.locator("body")).not_to_contain_text("+5511996799468")
