"""Inbox file names that killed the watcher, and killed it again on every restart (issue 17, items 1 and 2):
a cp1251 name that is not UTF-8, a 255-byte name whose "-1" ran past NAME_MAX, a newline in a name."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Card, Contact
from models.database import connect, sessions
from tests.conftest import SAMPLES

NAME_MAX = 255  # bytes in a file name (Linux)

CARD_A, CARD_B = SAMPLES / "ru_classic_scan.png", SAMPLES / "en_left_logo_scan.jpg"


def _wait_for(check, seconds: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_candidate_names_fit_name_max_and_are_utf8() -> None:
    from pipeline.jobs.safe_files import candidate_names

    long = "к" * 125 + ".jpg"  # 254 bytes
    names = [n for n, _ in zip(candidate_names(long, reserve=len(".error.txt")), range(3), strict=False)]
    assert all(len(n.encode()) <= NAME_MAX - len(".error.txt") for n in names)
    assert names[1].endswith("-1.jpg") and names[2].endswith("-2.jpg") and len(set(names)) == 3
    cp1251 = os.fsdecode("Визитка.jpg".encode("cp1251"))
    assert next(candidate_names(cp1251)) == "%C2%E8%E7%E8%F2%EA%E0.jpg"
    assert next(candidate_names("a\nb.jpg")) == "a%0Ab.jpg"


@pytest.mark.slow  # two cards read by OCR in a real watcher process
def test_the_watcher_files_cp1251_and_255_byte_names_and_keeps_running(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    url = f"sqlite:///{tmp_path / 'contacts.db'}"
    day = inbox / "processed" / date.today().isoformat()
    day.mkdir(parents=True)
    long_name = "в" * 125 + ".png"  # 254 bytes, and already taken in processed/: its '-1' must still fit
    (day / long_name).write_bytes(b"an earlier file of the same name")
    (inbox / "failed").mkdir()
    long_bad = "x" * 251 + ".jpg"  # 255 bytes; its .error.txt beside it would be 265
    cp1251 = os.fsencode(inbox) + b"/" + "Визитка.jpg".encode("cp1251")
    with open(cp1251, "wb") as out:
        out.write(CARD_B.read_bytes())
    (inbox / long_name).write_bytes(CARD_A.read_bytes())
    (inbox / long_bad).write_bytes(b"not a picture")
    (inbox / "two\nlines.jpg").write_bytes(b"not a picture either")
    log = tmp_path / "watch.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "watch", str(inbox), "--db", url,
                                 "--settle", "0.3"], stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for(lambda: not any(p.is_file() for p in inbox.iterdir()) or proc.poll() is not None)
        assert proc.poll() is None, log.read_text(errors="replace")  # still running: no crash
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    moved = sorted(p.name for p in day.iterdir())
    assert "%C2%E8%E7%E8%F2%EA%E0.jpg" in moved
    longer = [n for n in moved if n.endswith("-1.png")]
    assert len(longer) == 1 and len(longer[0].encode()) <= NAME_MAX
    assert (day / long_name).read_bytes() == b"an earlier file of the same name"  # never overwritten
    failed = sorted(p.name for p in (inbox / "failed").iterdir())
    assert "two%0Alines.jpg" in failed and "two%0Alines.jpg.error.txt" in failed
    assert sum(n.endswith(".jpg.error.txt") and n.startswith("xxx") for n in failed) == 1
    assert all(len(n.encode()) <= NAME_MAX for n in failed)
    with sessions(connect(url)).begin() as session:
        assert session.scalar(select(func.count(Contact.id))) == 2
        paths = set(session.scalars(select(Card.source_path)))
    assert str(day / "%C2%E8%E7%E8%F2%EA%E0.jpg") in paths  # where the file is now, as valid text
    text = log.read_text(encoding="utf-8")  # the log is UTF-8, one line per file
    assert "Traceback" not in text
    assert sum(line.startswith(tuple("0123456789")) for line in text.splitlines()) == len(text.splitlines())
    assert "two%0Alines.jpg: not an image" in text


@pytest.mark.slow  # one card read by OCR in a worker process
def test_batch_files_a_cp1251_name_and_sums_up(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    folder = tmp_path / "share"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/" + "Визитка.png".encode("cp1251"), "wb") as out:
        out.write(CARD_A.read_bytes())
    (folder / "bad\x1b[2Jname.jpg").write_bytes(b"not a picture")  # would clear the screen if printed raw
    url = f"sqlite:///{tmp_path / 'contacts.db'}"
    result = CliRunner().invoke(main, ["batch", str(folder), "--db", url, "-j", "1"])
    assert result.exit_code == 1, result.output  # the bad file failed, alone
    assert "1 card(s) read" in result.output and "1 created" in result.output
    assert "bad%1B[2Jname.jpg" in result.output and "\x1b" not in result.output
    with sessions(connect(url)).begin() as session:
        assert session.scalar(select(Card.source_path)) == str(folder / "%C2%E8%E7%E8%F2%EA%E0.png")
