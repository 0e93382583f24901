"""CardDAV sync against a real Radicale server started on localhost for these tests."""

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
import vobject
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import SyncState
from pipeline.book.editing import delete_contact, edit_contact
from pipeline.cli import main
from pipeline.formats.carddav import CardDavClient, sync
from pipeline.formats.record import contact_uid

from .people import make_petrov, make_smith

STARTUP_SECONDS = 20



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Radicale server on a free localhost port, its storage in a temp dir; no authentication."""
    folder = tmp_path_factory.mktemp("radicale")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", "", "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(folder / "storage"), "--auth-type", "none", "--logging-level", "error"],
        stdout=subprocess.DEVNULL, stderr=(folder / "log").open("wb"))
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Radicale did not start: {(folder / 'log').read_text()}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def book(radicale: str) -> Iterator[CardDavClient]:
    """A new, empty address book of user alice (credentials in the URL, as a user may give them)."""
    host = radicale.removeprefix("http://")
    with CardDavClient(f"http://alice:secret@{host}/alice/{uuid.uuid4().hex}/") as client:
        client.create_addressbook()
        yield client


def _server_cards(client: CardDavClient) -> dict[str, vobject.base.Component]:
    with httpx.Client(auth=("alice", "secret")) as http:
        return {href: vobject.readOne(http.get(client._absolute(href)).text) for href in client.etags()}


def test_first_sync_puts_every_contact_and_the_server_holds_them(session: Session, book: CardDavClient) -> None:
    petrov, smith = make_petrov(session), make_smith(session)
    report = sync(session, book)
    assert (report.created, report.updated, report.unchanged, report.requests["PUT"]) == (2, 0, 0, 2)
    cards = _server_cards(book)
    assert set(cards) == {book.href_for(contact_uid(petrov)), book.href_for(contact_uid(smith))}
    pushed = cards[book.href_for(contact_uid(petrov))]
    assert pushed.fn.value == "Петров Иван Сергеевич"
    assert pushed.n.value.additional == "Сергеевич"
    assert pushed.org.value == ["ООО «Ромашка»", "Отдел продаж"]
    states = session.scalars(select(SyncState)).all()
    assert {s.collection for s in states} == {book.url} and all(s.etag for s in states)
    assert "secret" not in book.url  # credentials are never stored


def test_a_second_sync_sends_nothing_and_an_edit_sends_exactly_one_put(session: Session,
                                                                       book: CardDavClient) -> None:
    petrov, smith = make_petrov(session), make_smith(session)
    sync(session, book)
    before = book.etags()

    again = sync(session, book)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert again.requests["PUT"] == 0 and book.etags() == before

    edit_contact(session, smith, {"notes": "met at the booth", "title": "CEO"})
    changed = sync(session, book)
    assert (changed.created, changed.updated, changed.unchanged, changed.requests["PUT"]) == (0, 1, 1, 1)
    after = book.etags()
    smith_href, petrov_href = book.href_for(contact_uid(smith)), book.href_for(contact_uid(petrov))
    assert after[petrov_href] == before[petrov_href] and after[smith_href] != before[smith_href]
    pushed = _server_cards(book)[smith_href]
    assert pushed.note.value == "met at the booth" and pushed.title.value == "CEO"


def test_a_deleted_contact_is_deleted_and_a_server_edit_is_never_overwritten(session: Session,
                                                                             book: CardDavClient) -> None:
    petrov, smith = make_petrov(session), make_smith(session)
    sync(session, book)
    smith_href = book.href_for(contact_uid(smith))
    with httpx.Client(auth=("alice", "secret")) as http:  # the user edits Smith on the phone
        text = http.get(book._absolute(smith_href)).text.replace("FN:Jane Smith", "FN:Jane Smith-Jones")
        assert http.put(book._absolute(smith_href), content=text.encode(),
                        headers={"Content-Type": "text/vcard"}).status_code in (201, 204)
    edit_contact(session, smith, {"notes": "changed here too"})
    delete_contact(session, petrov)
    session.expire_all()

    report = sync(session, book)
    assert report.deleted == 1 and report.conflicts == [smith_href] and report.requests["PUT"] == 1
    cards = _server_cards(book)
    assert set(cards) == {smith_href}
    assert cards[smith_href].fn.value == "Jane Smith-Jones"  # the phone's edit stays
    assert session.scalar(select(SyncState.href).where(SyncState.contact_id.is_(None))) is None


def test_sync_command_with_user_and_password_from_the_environment(radicale: str, sqlite_url: str) -> None:
    db = sqlite_url
    runner = CliRunner()
    url = f"{radicale}/bob/{uuid.uuid4().hex}/"
    from models.database import connect, sessions

    engine = connect(db)
    with sessions(engine).begin() as s:
        make_smith(s)
    engine.dispose()
    env = {"CARDSCAN_CARDDAV_PASSWORD": "pw"}
    result = runner.invoke(main, ["sync", "carddav", url, "--user", "bob", "--create", "--db", db], env=env)
    assert result.exit_code == 0, result.output
    assert "1 created, 0 updated, 0 unchanged, 0 deleted" in result.stdout
    result = runner.invoke(main, ["sync", "carddav", url, "--user", "bob", "--db", db], env=env)
    assert "0 created, 0 updated, 1 unchanged" in result.stdout
    missing = runner.invoke(main, ["sync", "carddav", f"{radicale}/bob/nothing-here/", "--user", "bob", "--db", db],
                            env=env)
    assert missing.exit_code == 1 and "add --create" in missing.output
