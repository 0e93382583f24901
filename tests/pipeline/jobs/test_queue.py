"""The scan queue with real Celery worker processes, real brokers (RabbitMQ and Redis) and PostgreSQL.

No eager mode: `cardscan worker` runs as separate processes, `cardscan batch --queue` sends and waits, as a
team would run them. Every wait has a deadline, so a hang fails the test instead of blocking CI.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Card, Contact, QueueJob
from models.database import connect, sessions, shown_url
from pipeline.book.store import store_result
from pipeline.cli import main
from pipeline.core.types import CardFields, CardResult, NameParts, Phone, ScanResult
from pipeline.jobs.queue import MAX_ATTEMPTS, lock_filing, make_app, process
from tests.conftest import PG_URL, ROOT, SAMPLES, pg_schema

BROKERS = {"rabbitmq": os.environ.get("CARDSCAN_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672//"),
           "redis": os.environ.get("CARDSCAN_TEST_REDIS", "redis://127.0.0.1:6379/0")}
# Three people over eight distinct files: a Russian front and English back, old and new jobs, two
# unrelated cards, and one file twice under another name (one job, filed once).
FILES = {**{n: SAMPLES / "people" / n for n in ("ru_front.jpg", "en_back.jpg", "ru_oldjob.jpg", "en_oldjob.jpg",
                                                "ru_newjob.jpg", "en_newjob.jpg")},
         "ru_classic_scan.png": SAMPLES / "ru_classic_scan.png",
         "bilingual_icons_scan.jpg": SAMPLES / "bilingual_icons_scan.jpg",
         "ru_front_again.jpg": SAMPLES / "people" / "ru_front.jpg"}
REDELIVERY = 20  # seconds: Redis hands out a dead worker's message again after this
DEADLINE = 300  # seconds for any one run of the queue


def _reachable(url: str) -> bool:
    try:
        with make_app(url).connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
        return True
    except Exception:
        return False


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A schema of its own on the PostgreSQL server (the queue files into PostgreSQL only)."""
    with pg_schema("q") as url:
        yield url


@pytest.fixture(params=sorted(BROKERS))
def broker(request: pytest.FixtureRequest) -> str:
    url = BROKERS[request.param]
    if os.environ.get("CI") != "true" and not _reachable(url):
        pytest.skip(f"no {request.param} at {url}")
    return url


@pytest.fixture
def queue_name(broker: str) -> Iterator[str]:
    """A queue of its own on the shared broker, deleted afterwards."""
    name = f"cardscan.test.{uuid.uuid4().hex[:10]}"
    yield name
    try:
        with make_app(broker, queue_name=name).connection_for_write() as conn:
            conn.default_channel.queue_delete(name)
    except Exception:
        pass  # never declared (the test failed before sending): nothing to delete


class Workers:
    """`cardscan worker` processes, each in a process group of its own (the worker and its pool process),
    all killed at the end whatever happened."""

    def __init__(self, broker: str, db: str, queue: str, log_dir: Path, module: str = "pipeline") -> None:
        self.args = [sys.executable, "-m", module, "worker", "--broker", broker, "--db", db, "--queue-name", queue,
                     "--concurrency", "1", "--redelivery-after", str(REDELIVERY), "--loglevel", "WARNING"]
        self.log_dir, self.procs = log_dir, []  # type: ignore[var-annotated]

    def start(self, count: int) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for _ in range(count):
            log = (self.log_dir / f"worker-{len(self.procs)}.log").open("w")
            self.procs.append(subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env,
                                               start_new_session=True))

    def kill_group_of(self, pid: int) -> None:
        os.killpg(os.getpgid(pid), signal.SIGKILL)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.log_dir.glob("worker-*.log")))

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


@pytest.fixture
def workers(broker: str, pg_url: str, queue_name: str, tmp_path: Path) -> Iterator[Workers]:
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    group = Workers(broker, pg_url, queue_name, log_dir)
    try:
        yield group
    finally:
        group.stop()


def _folder(tmp_path: Path, names: dict[str, Path] = FILES) -> Path:
    folder = tmp_path / "cards"
    folder.mkdir()
    for name, source in names.items():
        shutil.copyfile(source, folder / name)
    return folder


def _batch(folder: Path, broker: str, db: str, queue: str) -> subprocess.CompletedProcess[str]:
    """`cardscan batch DIR --queue URL`, as a user runs it; a run past the deadline fails the test."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pipeline", "batch", str(folder), "--queue", broker, "--db", db,
                           "--queue-name", queue], capture_output=True, text=True, timeout=DEADLINE, cwd=ROOT,
                          env=env)


def book_of(url: str) -> set[tuple[Any, ...]]:
    """The contact book, free of ids and of filing order: per contact, its cards (by content and position),
    phones, e-mails, jobs (organisation, title) and how many of them are current; a card waiting for review on
    its own. Which of two jobs is the current one is left out: for cards without an EXIF date it is the one
    filed last, and the order of filing is not fixed in a local batch of two processes either."""
    maker = sessions(connect(url, upgrade=False))
    with maker() as session:
        book = set()
        for contact in session.scalars(select(Contact)):
            book.add((frozenset((c.sha256, c.card_index) for c in contact.cards),
                      frozenset(p.e164 for p in contact.phones), frozenset(e.address for e in contact.emails),
                      frozenset((p.organization.name if p.organization else None, p.title)
                                for p in contact.positions),
                      sum(p.until is None for p in contact.positions)))
        for card in session.scalars(select(Card).where(Card.contact_id.is_(None))):
            book.add((frozenset({(card.sha256, card.card_index)}), "pending review"))
    return book


@pytest.fixture(scope="module")
def local_book(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[Any, ...]]:
    """What a local `cardscan batch` of the same folder files (SQLite, one process: the reference)."""
    tmp = tmp_path_factory.mktemp("local")
    url = f"sqlite:///{tmp / 'local.db'}"
    result = CliRunner().invoke(main, ["batch", str(_folder(tmp)), "--db", url, "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return book_of(url)


@pytest.mark.slow
def test_queued_folder_files_the_same_book_as_a_local_batch(broker: str, pg_url: str, queue_name: str,
                                                            workers: Workers, local_book: set[Any],
                                                            tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    workers.start(2)
    done = _batch(folder, broker, pg_url, queue_name)
    assert done.returncode == 0, done.stderr + workers.logs()
    assert "8 file(s) sent" in done.stderr and "1 more with the same content" in done.stderr
    assert book_of(pg_url) == local_book
    assert len(local_book) == 5  # three people on two cards each, two people on one: the reference is no accident
    with sessions(connect(pg_url))() as session:
        jobs = session.scalars(select(QueueJob)).all()
    assert sorted(j.state for j in jobs) == ["filed"] * 8
    assert shown_url(broker) in done.stderr and "guest:guest" not in done.stderr + workers.logs()

    again = _batch(folder, broker, pg_url, queue_name)  # a rerun sends nothing: all is filed
    assert again.returncode == 0, again.stderr
    assert "9 image(s): 9 already stored (skipped)" in again.stderr
    assert book_of(pg_url) == local_book


@pytest.mark.slow
def test_a_worker_killed_mid_file_loses_nothing_and_files_nothing_twice(broker: str, pg_url: str, queue_name: str,
                                                                        workers: Workers, local_book: set[Any],
                                                                        tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    workers.start(3)
    batch = subprocess.Popen([sys.executable, "-m", "pipeline", "batch", str(folder), "--queue", broker, "--db",
                              pg_url, "--queue-name", queue_name], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        maker = sessions(connect(pg_url))
        victim = _wait_for_running_job(maker, time.monotonic() + DEADLINE)
        workers.kill_group_of(int(victim.worker.rpartition(":")[2]))  # the worker and its pool process, at once
        _, stderr = batch.communicate(timeout=DEADLINE)
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode == 0, stderr + workers.logs()
    with maker() as session:
        killed = session.get(QueueJob, victim.sha256)
        assert killed is not None and killed.state == "filed" and killed.attempts == 2  # handed out again, once
        assert sorted(j.state for j in session.scalars(select(QueueJob))) == ["filed"] * 8
        cards = session.scalars(select(Card.sha256)).all()
    assert len(cards) == 8 and len(set(cards)) == 8  # every file filed, each exactly once
    assert book_of(pg_url) == local_book  # no duplicate contact, no lost card


def _wait_for_running_job(maker: sessionmaker[Session], deadline: float) -> QueueJob:
    """A job a worker has started reading but not filed: killing its worker now loses a file in hand."""
    while time.monotonic() < deadline:
        with maker() as session:
            running = session.scalars(select(QueueJob).where(QueueJob.state == "running")).first()
            filed = session.scalars(select(QueueJob).where(QueueJob.state == "filed")).first()
        if running is not None and filed is not None:  # mid-run: some filed already, one in hand
            return running
        time.sleep(0.05)
    raise AssertionError("no worker started on a file before the deadline")


@pytest.mark.slow
def test_a_file_that_kills_its_worker_ends_failed_after_the_retry_limit(broker: str, pg_url: str, queue_name: str,
                                                                        tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"ru_classic_scan.png": SAMPLES / "ru_classic_scan.png"})
    (folder / "poison.jpg").write_bytes(b"POISON" + os.urandom(64))
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    crashing = Workers(broker, pg_url, queue_name, log_dir, module="tests.pipeline.jobs.crashing_worker")
    try:
        crashing.start(1)
        done = _batch(folder, broker, pg_url, queue_name)
    finally:
        crashing.stop()
    assert done.returncode == 1, done.stderr + crashing.logs()
    failed = [line for line in done.stderr.splitlines() if line.startswith("failed ")]
    assert failed == [f"failed {folder / 'poison.jpg'}: its worker died {MAX_ATTEMPTS} times while reading it "
                      f"(a crash, the OOM killer, or a kill); last on {failed[0].rpartition(' on ')[2]}"]
    assert "1 created" in done.stderr  # the good file beside it is filed all the same
    status = CliRunner().invoke(main, ["queue", "status", "--db", pg_url, "--broker", broker,
                                       "--queue-name", queue_name])
    assert status.exit_code == 0, status.output
    assert status.output.splitlines()[0].startswith("queued 0, running 0, filed 1, failed 1;")
    assert f"broker {shown_url(broker)}: 0 message(s) waiting" in status.output
    assert f"failed {folder / 'poison.jpg'}: its worker died {MAX_ATTEMPTS} times" in status.output


# ---- filing, without a broker: the lock and idempotency ------------------------------------------


def _result(sha: str, name: str, mobile: str) -> ScanResult:
    fields = CardFields(name=name, name_parts=NameParts(given=name.split()[0], family=name.split()[1]),
                        company="ООО «Ромашка»", phones=[Phone(mobile, "mobile")])
    return ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)])


def _file_at_once(maker: sessionmaker[Session], results: list[ScanResult], lock: bool) -> None:
    """File each result in its own thread and transaction, all matching before any commits (without the
    lock) -- the moment two workers file the same person."""
    matched = threading.Barrier(len(results), timeout=30)
    errors: list[BaseException] = []

    def file(result: ScanResult) -> None:
        try:
            with maker.begin() as session:
                if lock:
                    lock_filing(session)
                store_result(session, result)
                if not lock:
                    matched.wait()  # hold the commit until every other thread has matched too
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=file, args=(r,)) for r in results]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and not any(t.is_alive() for t in threads)


@pytest.mark.parametrize("lock", [True, False])
def test_two_workers_filing_one_person_at_once_make_one_contact_under_the_lock(pg_url: str, lock: bool) -> None:
    maker = sessions(connect(pg_url))
    front = _result("a", "Иван Петров", "+79161234567")
    back = _result("b", "Ivan Petrov", "+79161234567")
    _file_at_once(maker, [front, back], lock)
    with maker() as session:
        contacts = len(session.scalars(select(Contact.id)).all())
    # Without the lock both dedupe before either commits and the same mobile makes two people: the race is real.
    assert contacts == (1 if lock else 2)


@pytest.mark.slow
def test_the_same_file_delivered_twice_is_filed_once(pg_url: str) -> None:
    maker = sessions(connect(pg_url))
    data = (SAMPLES / "ru_classic_scan.png").read_bytes()
    from pipeline.core.config import Settings
    from pipeline.stages.load import sha256_of

    digest = sha256_of(data)
    assert process(maker, digest, "a.png", data, Settings()) == "filed"
    assert process(maker, digest, "a-copy.png", data, Settings()) == "filed"  # a redelivery: does nothing
    with maker() as session:
        assert len(session.scalars(select(Card.id)).all()) == 1
        job = session.get(QueueJob, digest)
        assert job is not None and job.attempts == 1 and job.outcomes[0][0] == "created"


def test_a_damaged_message_fails_with_its_reason_and_a_dead_worker_is_counted(pg_url: str) -> None:
    from pipeline.core.config import Settings

    maker = sessions(connect(pg_url))
    assert process(maker, "0" * 64, "x.jpg", b"not what was sent", Settings()) == "failed"
    with maker() as session:
        job = session.get(QueueJob, "0" * 64)
        assert job is not None and job.error == "the bytes received do not match their sha256 (damaged message)"
        # a job whose workers died MAX_ATTEMPTS times is failed on its next delivery, not read again
        session.add(QueueJob(sha256="1" * 64, source="y.jpg", state="running", attempts=MAX_ATTEMPTS, outcomes=[],
                             worker="host:42"))
        session.commit()
    assert process(maker, "1" * 64, "y.jpg", b"", Settings()) == "failed"
    with maker() as session:
        job = session.get(QueueJob, "1" * 64)
        assert job is not None and job.attempts == MAX_ATTEMPTS and "last on host:42" in (job.error or "")


def test_the_queue_refuses_sqlite_and_a_missing_broker_in_one_line(tmp_path: Path) -> None:
    sqlite = f"sqlite:///{tmp_path / 'c.db'}"
    result = CliRunner().invoke(main, ["worker", "--broker", "redis://127.0.0.1:1/0", "--db", sqlite])
    assert result.exit_code == 2 and "files into PostgreSQL" in result.output
    result = CliRunner(env={"CARDSCAN_BROKER": ""}).invoke(main, ["worker", "--db", PG_URL])
    assert result.exit_code == 2 and "no broker: give --broker" in result.output


@pytest.mark.parametrize(("url", "shown"), [
    ("amqp://guest:guest@127.0.0.1:5672//", "amqp://guest:***@127.0.0.1:5672//"),
    ("redis://:s3cr%40t@cache:6379/0", "redis://:***@cache:6379/0"),
    ("postgresql://scan:pw@db/cards?options=-csearch_path%3Dx", "postgresql://scan:***@db/cards?options=-csearch_path%3Dx"),
    ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
    ("sqlite:////home/me/contacts.db", "sqlite:////home/me/contacts.db"),
])
def test_shown_url_hides_passwords_only(url: str, shown: str) -> None:
    assert shown_url(url) == shown


@pytest.mark.slow
def test_watch_sends_the_inbox_and_moves_each_file_once_its_job_is_finished(broker: str, pg_url: str,
                                                                           queue_name: str, workers: Workers,
                                                                           tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(SAMPLES / "ru_classic_scan.png", inbox / "card.png")
    (inbox / "notes.jpg").write_bytes(b"not a picture\n")
    workers.start(1)
    log = tmp_path / "watch.log"
    with log.open("w") as out:
        watcher = subprocess.Popen([sys.executable, "-m", "pipeline", "watch", str(inbox), "--queue", broker, "--db",
                                    pg_url, "--queue-name", queue_name, "--settle", "0.3"], stdout=out,
                                   stderr=subprocess.STDOUT, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + DEADLINE
        while not (list((inbox / "processed").rglob("card.png")) and (inbox / "failed" / "notes.jpg").exists()):
            assert time.monotonic() < deadline and watcher.poll() is None, log.read_text() + workers.logs()
            time.sleep(0.2)
        watcher.send_signal(signal.SIGTERM)
        assert watcher.wait(timeout=60) == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
    text = log.read_text()
    assert "card.png: sent to the queue" in text and "1 card(s): created contact" in text
    assert (inbox / "failed" / "notes.jpg.error.txt").read_text().startswith("notes.jpg: not an image file")
    assert "guest:guest" not in text
    with sessions(connect(pg_url))() as session:
        card = session.scalars(select(Card)).one()
    assert "/processed/" in card.source_path and card.source_path.endswith("/card.png")  # the card says where it went


def test_the_command_list_shows_the_queue_commands_without_loading_celery() -> None:
    code = ("import sys; from click.testing import CliRunner; from pipeline.cli import main; "
            "out = CliRunner().invoke(main, ['--help']).output; "
            "print('worker' in out, 'queue' in out, 'celery' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.split() == ["True", "True", "False"], done.stderr
