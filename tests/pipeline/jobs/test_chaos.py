"""Chaos (issue 17): the watcher SIGKILLed again and again across an inbox, batch workers SIGKILLed under a
batch; then a restart. No file lost, none filed twice, no duplicate contact, the database intact."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from models import Card, Contact, Email, Phone
from models.database import connect, sessions
from tests.conftest import SAMPLES
from tests.pipeline.jobs.test_batch_workers import _alive, _children

CARDS = ("ru_classic_scan.png", "bilingual_icons_scan.jpg", "en_left_logo_scan.jpg", "ru_extension_inn_scan.jpg")
ROOT = Path(__file__).resolve().parents[3]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _fill(folder: Path, copies: int) -> list[str]:
    names = []
    for copy in range(copies):
        for card in CARDS:  # the same picture, other bytes: another file, the same person
            name = f"{copy:03d}-{card}"
            (folder / name).write_bytes((SAMPLES / card).read_bytes() + b"\0" * copy)
            names.append(name)
    return names


def _check_database(url: str, files: int) -> None:
    with sessions(connect(url)).begin() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert session.scalar(select(func.count(Card.id))) == files  # every file filed once
        assert session.scalar(select(func.count(func.distinct(Card.sha256)))) == files
        assert session.scalar(select(func.count(Contact.id))) == len(CARDS)  # no duplicate contact
        for column, key in ((Phone.contact_id, Phone.e164), (Email.contact_id, Email.address)):
            owners = session.execute(select(key, func.count(func.distinct(column))).group_by(key)).all()
            assert all(n == 1 for _, n in owners)


@pytest.mark.slow  # about 5 minutes: 100 cards by OCR, 50 kills
def test_fifty_kills_of_the_watcher_lose_nothing_and_file_nothing_twice(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    names = _fill(inbox, 25)  # 100 files
    url = f"sqlite:///{tmp_path / 'contacts.db'}"
    cmd = [sys.executable, "-m", "pipeline", "watch", str(inbox), "--db", url, "--settle", "0.2"]
    rng = random.Random(17)
    log = (tmp_path / "watch.log").open("ab")
    for _ in range(50):
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=ENV)
        time.sleep(rng.uniform(1.0, 4.0))  # mid-import, mid-OCR, mid-commit, mid-move: wherever it is
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=ENV)
    deadline = time.monotonic() + 900
    while any(p.is_file() for p in inbox.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    processed = sorted(p.name for p in (inbox / "processed").rglob("*") if p.is_file())
    assert processed == sorted(names)  # none lost, none twice (a second copy would be NAME-1)
    assert not any((inbox / "failed").iterdir())
    _check_database(url, len(names))


@pytest.mark.slow  # 40 cards by OCR
def test_workers_killed_under_a_batch_then_a_rerun(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    names = _fill(folder, 10)  # 40 files
    url = f"sqlite:///{tmp_path / 'contacts.db'}"
    cmd = [sys.executable, "-m", "pipeline", "batch", str(folder), "--db", url, "-j", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    rng, kills = random.Random(18), 0
    while proc.poll() is None and kills < 10:
        time.sleep(rng.uniform(2.0, 5.0))
        workers = [c for c in _children(proc.pid) if _alive(c)]
        if workers:
            os.kill(rng.choice(workers), signal.SIGKILL)
            kills += 1
    _, err = proc.communicate(timeout=900)
    # CPython's multiprocessing resource tracker (a process of its own) may print a KeyError traceback
    # when a worker it tracked was killed; none may come from cardscan, nor a BrokenProcessPool.
    ours = [block for block in err.split("Traceback (most recent call last):")[1:]
            if "resource_tracker.py" not in block.split("\n", 2)[1]]
    assert not ours and "BrokenProcessPool" not in err, err[-2000:]
    rerun = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=900)
    assert rerun.returncode == 0 and "Traceback" not in rerun.stderr, rerun.stderr[-1000:]
    assert all((folder / n).exists() for n in names)  # batch only reads
    _check_database(url, len(names))
