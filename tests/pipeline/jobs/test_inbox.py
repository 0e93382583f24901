"""`cardscan watch` as a real process: complete files only, kill-safe, and nothing outside the inbox touched."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Card, Contact, Email, Phone
from models.database import connect, sessions
from tests.conftest import SAMPLES

# Clean scans with phones and e-mails: copies of one card must merge into one contact.
CARDS = ("ru_classic_scan.png", "bilingual_icons_scan.jpg", "en_left_logo_scan.jpg", "ru_extension_inn_scan.jpg")


class Watch:
    def __init__(self, inbox: Path, url: str, *extra: str) -> None:
        cmd = [sys.executable, "-m", "pipeline", "watch", str(inbox), "--db", url, "--settle", "0.3", *extra]
        self.log = inbox.parent / "watch.log"
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=inbox.parent)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        self.proc.send_signal(signum)
        return self.proc.wait(timeout=60)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'contacts.db'}"


@pytest.fixture
def watch(inbox: Path, url: str) -> Iterator[Callable[..., Watch]]:
    started: list[Watch] = []

    def start(*extra: str) -> Watch:
        started.append(Watch(inbox, url, *extra))
        return started[-1]

    yield start
    for w in started:
        if w.proc.poll() is None:
            w.proc.kill()
            w.proc.wait()


def _wait_for(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _processed(inbox: Path) -> list[Path]:
    return sorted(p for p in (inbox / "processed").rglob("*") if p.is_file())


def _count(url: str, column) -> int:  # type: ignore[no-untyped-def]
    with sessions(connect(url)).begin() as session:
        return session.scalar(select(func.count(column))) or 0


@pytest.mark.slow
def test_a_file_copied_slowly_is_taken_only_once_complete(inbox: Path, url: str, watch) -> None:  # type: ignore[no-untyped-def]
    w = watch()
    data = (SAMPLES / CARDS[0]).read_bytes()
    target = inbox / CARDS[0]
    with target.open("wb") as out:
        step = len(data) // 8 + 1
        for i in range(0, len(data), step):
            out.write(data[i:i + step])
            out.flush()
            time.sleep(0.15)  # below --settle: the copy is still going
    _wait_for(lambda: len(_processed(inbox)) == 1)
    assert w.stop() == 0
    assert _processed(inbox)[0].read_bytes() == data
    assert not any((inbox / "failed").iterdir())
    assert _count(url, Contact.id) == 1 and _count(url, Card.id) == 1
    with sessions(connect(url)).begin() as session:  # where the image is now, for `contacts delete --with-files`
        assert session.scalar(select(Card.source_path)) == str(_processed(inbox)[0])


@pytest.mark.slow
def test_killed_watcher_restarted_loses_nothing_and_duplicates_nothing(inbox: Path, url: str, watch) -> None:  # type: ignore[no-untyped-def]
    names = []
    for copy in range(5):
        for card in CARDS:
            name = f"{copy}-{card}"
            # Same picture, different bytes (trailing padding): another file, the same person.
            (inbox / name).write_bytes((SAMPLES / card).read_bytes() + b"\0" * copy)
            names.append(name)
    w = watch()
    _wait_for(lambda: len(_processed(inbox)) >= 3)
    w.stop(signal.SIGKILL)
    left = {p.name for p in inbox.iterdir() if p.is_file()}
    moved = {p.name for p in _processed(inbox)}
    assert left | moved == set(names) and not left & moved
    assert 0 < len(left) < 20

    w = watch()
    _wait_for(lambda: not any(p.is_file() for p in inbox.iterdir()), seconds=180)
    assert w.stop(signal.SIGINT) == 0
    assert sorted(p.name for p in _processed(inbox)) == sorted(names)
    assert not any((inbox / "failed").iterdir())
    assert _count(url, Card.id) == 20
    assert _count(url, Contact.id) == len(CARDS)
    with sessions(connect(url)).begin() as session:  # no phone or e-mail filed under two contacts
        for column, key in ((Phone.contact_id, Phone.e164), (Email.contact_id, Email.address)):
            owners = session.execute(select(key, func.count(func.distinct(column))).group_by(key)).all()
            assert all(n == 1 for _, n in owners)


@pytest.mark.slow
def test_symlinks_fifos_and_temp_files_are_refused_or_left_alone(inbox: Path, url: str, tmp_path: Path,
                                                                 watch) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "private.png"
    outside.write_bytes((SAMPLES / CARDS[0]).read_bytes())
    (inbox / "link.png").symlink_to(outside)
    os.mkfifo(inbox / "pipe.jpg")
    (inbox / ".sync-in-progress.jpg").write_bytes(b"partial")
    (inbox / "card.jpg.part").write_bytes(b"partial")
    (inbox / "broken.png").write_bytes(b"not a picture")
    w = watch()
    _wait_for(lambda: (inbox / "failed" / "broken.png.error.txt").exists())
    assert w.stop() == 0
    failed = inbox / "failed"
    assert (failed / "link.png").is_symlink() and os.readlink(failed / "link.png") == str(outside)
    assert "symbolic link" in (failed / "link.png.error.txt").read_text()
    assert "FIFO" in (failed / "pipe.jpg.error.txt").read_text()
    assert "not an image" in (failed / "broken.png.error.txt").read_text()
    assert (failed / "broken.png.error.txt").stat().st_mode & 0o777 == 0o600
    assert failed.stat().st_mode & 0o777 == 0o700
    assert (inbox / ".sync-in-progress.jpg").exists() and (inbox / "card.jpg.part").exists()
    assert outside.exists() and _count(url, Card.id) == 0  # the link's target was never read
    assert "broken.png: not an image" in w.log.read_text()


@pytest.mark.slow
def test_names_never_collide(inbox: Path, url: str, watch) -> None:  # type: ignore[no-untyped-def]
    w = watch("--poll", "0.2")
    (inbox / "sub").mkdir()
    for folder in (inbox, inbox / "sub"):
        (folder / "scan.jpg").write_bytes(b"junk " + folder.name.encode())
    _wait_for(lambda: len(list((inbox / "failed").glob("*.error.txt"))) == 2, seconds=60)
    assert w.stop() == 0
    failed = sorted(p.name for p in (inbox / "failed").iterdir())
    assert failed == ["scan-1.jpg", "scan-1.jpg.error.txt", "scan.jpg", "scan.jpg.error.txt"]
    contents = {(inbox / "failed" / n).read_bytes() for n in ("scan.jpg", "scan-1.jpg")}
    assert contents == {b"junk inbox", b"junk sub"}


@pytest.mark.slow
def test_a_cut_off_pdf_fails_with_what_to_do(inbox: Path, url: str, tmp_path: Path, watch) -> None:  # type: ignore[no-untyped-def]
    """A PDF whose copy stopped half-way went to failed/ as "Failed to load document (PDFium: Data format
    error)": it says the file is cut off and to copy it again, as a cut-off image says it is truncated."""
    from PIL import Image

    whole = tmp_path / "scan.pdf"
    Image.open(SAMPLES / CARDS[0]).convert("RGB").save(whole, "PDF", resolution=300)
    (inbox / "scan.pdf").write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    w = watch()
    _wait_for(lambda: (inbox / "failed" / "scan.pdf.error.txt").exists(), seconds=180)  # 30 settle periods, then read
    assert w.stop() == 0
    reason = (inbox / "failed" / "scan.pdf.error.txt").read_text()
    assert "the PDF is cut off" in reason and "copy it again" in reason and "PDFium" not in reason, reason
    assert "scan.pdf: the PDF is cut off" in w.log.read_text()
