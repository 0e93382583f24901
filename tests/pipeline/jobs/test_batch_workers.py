"""Batch workers that die or run out of memory (issue 17, item 10): a one-line error for the file, a summary,
the other files read; workers that do not outlive a killed parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from models import Card
from models.database import connect, sessions
from tests.conftest import SAMPLES

CARDS = ("ru_classic_scan.png", "bilingual_icons_scan.jpg", "en_left_logo_scan.jpg", "ru_extension_inn_scan.jpg")
ROOT = Path(__file__).resolve().parents[3]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _batch(folder: Path, url: str, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "batch", str(folder), "--db", url, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "cards"
    folder.mkdir()
    for name in CARDS:
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    return folder


def _wait_for_workers(pid: int, n: int) -> list[int]:
    deadline = time.monotonic() + 60
    while len([c for c in _children(pid) if _alive(c)]) < n:
        assert time.monotonic() < deadline, "no workers"
        time.sleep(0.1)
    time.sleep(2)  # started, imported, and busy with a file
    return [c for c in _children(pid) if _alive(c)]


@pytest.mark.slow  # four cards by OCR, in workers
def test_a_worker_killed_mid_batch_loses_no_file_and_the_summary_comes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'contacts.db'}"
    proc = _batch(_folder(tmp_path), url, "-j", "2")
    workers = _wait_for_workers(proc.pid, 2)
    os.kill(max(workers), signal.SIGKILL)  # what the OOM killer does
    _, err = proc.communicate(timeout=300)
    assert "Traceback" not in err and "BrokenProcessPool" not in err, err
    assert proc.returncode == 0, err
    assert "4 image(s): 0 already stored (skipped), 4 scanned" in err, err
    with sessions(connect(url)).begin() as session:
        assert session.scalar(select(func.count(func.distinct(Card.sha256)))) == 4


@pytest.mark.slow
def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    proc = _batch(_folder(tmp_path), f"sqlite:///{tmp_path / 'contacts.db'}", "-j", "2")
    workers = _wait_for_workers(proc.pid, 2)
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [w for w in workers if _alive(w)]
    for w in alive:  # do not leave them behind for the next test
        os.kill(w, signal.SIGKILL)
    assert not alive, "orphaned workers"


@pytest.mark.slow  # an 80 MP page
def test_a_file_over_the_worker_memory_limit_is_one_line_and_the_rest_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    Image.new("L", (8900, 8900), 255).save(folder / "poster.png")  # 79 MP: within the pixel limit
    (folder / CARDS[0]).write_bytes((SAMPLES / CARDS[0]).read_bytes())
    url = f"sqlite:///{tmp_path / 'contacts.db'}"
    proc = _batch(folder, url, "-j", "1", env={"CARDSCAN_WORKER_MEMORY_MB": "600"})
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1 and "Traceback" not in err, err
    assert f"failed {folder / 'poster.png'}: out of memory reading it; split it or lower its resolution" in err
    assert "1 created" in err
