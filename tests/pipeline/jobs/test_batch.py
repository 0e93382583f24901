"""`cardscan batch`: every good file stored from one place, every bad one reported, reruns skip what is stored."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from models import Card, Contact
from models.database import connect, sessions
from pipeline.cli import main
from pipeline.jobs.batch import find_files, find_images
from tests.conftest import SAMPLES

GOOD = ("ru_classic_scan.png", "bilingual_icons_scan.jpg")


def _corrupt_files(folder: Path) -> list[Path]:
    jpeg = (SAMPLES / GOOD[1]).read_bytes()
    files = {"empty.jpg": b"", "notes.png": b"not a picture\n", "cut.jpg": jpeg[: len(jpeg) // 4],
             "noise.webp": bytes(range(256)) * 40, "broken.pdf": b"%PDF-1.7\n%garbage"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / n for n in files]


def _count(url: str, column) -> int:  # type: ignore[no-untyped-def]
    with sessions(connect(url)).begin() as session:
        return session.scalar(select(func.count(column))) or 0


@pytest.mark.slow
def test_batch_reads_every_good_file_and_reports_the_bad_ones(tmp_path: Path, db_url: str) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    for name in GOOD:
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    bad = _corrupt_files(folder)
    out = tmp_path / "scan.jsonl"
    result = CliRunner().invoke(main, ["batch", str(folder), "--jobs", "2", "--db", db_url, "--jsonl", str(out)])
    assert result.exit_code == 1, result.output
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed ")]
    assert sorted(line.split(":")[0].removeprefix("failed ") for line in failed) == sorted(str(p) for p in bad)
    assert "7 image(s): 0 already stored (skipped), 7 scanned" in result.stderr
    assert "2 created" in result.stderr
    docs = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(d["status"] for d in docs) == ["error"] * 5 + ["ok"] * 2
    assert _count(db_url, Contact.id) == 2
    assert all(p.exists() for p in bad)  # read only, never moved or deleted

    again = CliRunner().invoke(main, ["batch", str(folder), "--db", db_url])
    assert "7 image(s): 2 already stored (skipped), 5 scanned" in again.stderr
    assert _count(db_url, Contact.id) == 2 and _count(db_url, Card.id) == 2


@pytest.mark.slow
def test_rescan_reads_stored_files_again_without_new_contacts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    folder = tmp_path / "cards"
    folder.mkdir()
    (folder / GOOD[0]).write_bytes((SAMPLES / GOOD[0]).read_bytes())
    assert CliRunner().invoke(main, ["batch", str(folder), "--db", url, "-j", "1"]).exit_code == 0
    again = CliRunner().invoke(main, ["batch", str(folder), "--db", url, "-j", "1", "--rescan"])
    assert again.exit_code == 0
    assert "1 unchanged" in again.stderr and "0 created" in again.stderr
    assert _count(url, Contact.id) == 1


def test_find_images_skips_dotfiles_and_other_files_and_recurses_on_request(tmp_path: Path) -> None:
    (tmp_path / "a.JPG").write_bytes(b"x")
    (tmp_path / ".hidden.png").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "a.JPG.json").write_text("{}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.pdf").write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.png").write_bytes(b"x")
    assert find_images(tmp_path) == [tmp_path / "a.JPG"]
    assert find_images(tmp_path, recursive=True) == [tmp_path / "a.JPG", tmp_path / "sub" / "b.pdf"]


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_a_rerun_finishes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    folder = tmp_path / "cards"
    folder.mkdir()
    names = (*GOOD, "en_left_logo_scan.jpg", "ru_extension_inn_scan.jpg")
    for copy in range(2):
        for name in names:
            (folder / f"{copy}-{name}").write_bytes((SAMPLES / name).read_bytes() + b"\0" * copy)
    log = tmp_path / "done.jsonl"
    cmd = [sys.executable, "-m", "pipeline", "batch", str(folder), "-j", "1", "--db", url, "--jsonl", str(log)]
    # Its own process group, signalled whole, as a terminal's Ctrl-C is: the workers get it too.
    proc = _started_until(cmd, log, files_done=2)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    stored = _count(url, Card.id)
    assert 2 <= stored < 8
    assert stored == sum(1 for line in log.read_text().splitlines() if json.loads(line)["cards"])

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"8 image(s): {stored} already stored (skipped)" in again.stderr
    assert _count(url, Card.id) == 8 and _count(url, Contact.id) == len(names)


def _started_until(cmd: list[str], log: Path, files_done: int) -> subprocess.Popen[str]:
    """The batch started in a process group of its own, once `files_done` files are in its --jsonl log."""
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not (log.exists() and log.read_text().count("\n") >= files_done):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)
    return proc


@pytest.mark.slow
def test_sigterm_stops_it_as_ctrl_c_does_with_the_summary(tmp_path: Path) -> None:
    """`kill PID`, `timeout` and `docker stop` signal the batch process alone with SIGTERM: it died at once with
    no summary and a resource_tracker warning of leaked semaphores; now it stops as on Ctrl-C."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    folder = tmp_path / "cards"
    folder.mkdir()
    for name in (*GOOD, "en_left_logo_scan.jpg", "ru_extension_inn_scan.jpg"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    log = tmp_path / "done.jsonl"
    cmd = [sys.executable, "-m", "pipeline", "batch", str(folder), "-j", "1", "--db", url, "--jsonl", str(log)]
    proc = _started_until(cmd, log, files_done=1)
    proc.send_signal(signal.SIGTERM)  # the parent only, as `kill` does
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "leaked semaphore" not in stderr and "Traceback" not in stderr, stderr
    stored = _count(url, Card.id)
    assert 1 <= stored < 4
    assert stored == sum(1 for line in log.read_text().splitlines() if json.loads(line)["cards"])


def test_find_images_decides_by_content_when_the_name_has_no_image_suffix(tmp_path: Path) -> None:
    """`scan` reads a camera's `IMG_0042` with no suffix (the content decides its type); `batch` skipped it."""
    import os
    import shutil

    from tests.conftest import SAMPLES

    shutil.copy(SAMPLES / "ru_classic_scan.png", tmp_path / "IMG_0042")
    shutil.copy(next(SAMPLES.glob("*.jpg")), tmp_path / "scan.dat")
    (tmp_path / "page").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    (tmp_path / "README").write_text("cards from the fair\n")
    (tmp_path / "labels.json").write_text('{"name": "x"}')
    (tmp_path / "empty").write_bytes(b"")
    os.mkfifo(tmp_path / "pipe")  # never opened: it would wait for a writer
    assert find_images(tmp_path) == [tmp_path / "IMG_0042", tmp_path / "page", tmp_path / "scan.dat"]


def test_a_worker_process_loads_no_database_layer() -> None:
    """A spawned worker imports jobs.worker (and the benchmark's, its __main__): SQLAlchemy there cost
    every worker 0.25 s of start-up and 23 MB. vobject waits for a vCard to read."""
    probe = ("import sys, pipeline.jobs.worker, devtools.benchmark; "
             "print(sorted(m for m in ('sqlalchemy', 'models', 'alembic', 'vobject') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[3]).stdout
    assert out.strip() == "[]"


def test_a_symlink_is_read_when_it_points_to_an_image_and_skipped_with_a_line_otherwise(tmp_path: Path) -> None:
    """A folder of links to one's photos is read, wherever the photos are; `passwd.jpg -> /etc/passwd` used to be
    followed and failed as "not an image file": a link is judged by what it points to, and skipped with a line."""
    photos, folder = tmp_path / "photos", tmp_path / "links"
    photos.mkdir()
    folder.mkdir()
    (photos / "IMG_0042").write_bytes((SAMPLES / "ru_classic_scan.png").read_bytes())  # no suffix: the header says
    (photos / "notes.jpg").write_text("not a picture")
    (folder / "card.png").symlink_to(photos / "IMG_0042")
    (folder / "passwd.jpg").symlink_to("/etc/passwd")
    (folder / "notes.jpg").symlink_to(photos / "notes.jpg")
    (folder / "gone.jpg").symlink_to(photos / "gone.jpg")
    (folder / "photos").symlink_to(photos)  # a folder: not followed, with or without --recursive
    found, skipped = find_files(folder, recursive=True)
    assert found == [folder / "card.png"]
    not_image = "which is not an image or PDF"
    assert skipped == [(folder / "gone.jpg", f"a symbolic link to {photos / 'gone.jpg'}, which does not exist"),
                       (folder / "notes.jpg", f"a symbolic link to {photos / 'notes.jpg'}, {not_image}"),
                       (folder / "passwd.jpg", f"a symbolic link to /etc/passwd, {not_image}")]

    (folder / "card.png").unlink()
    result = CliRunner().invoke(main, ["batch", str(folder), "--db", f"sqlite:///{tmp_path / 'c.db'}"])
    assert result.exit_code == 0, result.output  # nothing failed: nothing was read
    assert f"skipped {folder / 'passwd.jpg'}: a symbolic link to /etc/passwd, which is not an image or PDF" \
        in result.stderr.splitlines()
    assert "0 image(s)" in result.stderr and "failed " not in result.stderr
