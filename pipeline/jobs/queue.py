"""Scanning on many machines: Celery workers read the files, one PostgreSQL contact book files them.

A task carries one file's bytes (base64 in JSON), named by their sha256, the reading settings and the filing
options (where the people were met, follow-ups); the
worker runs the same `pipeline.scan` as `cardscan scan` and files the result with `store_result`.
Where each file stands is a `queue_job` row in the contact database (`models.queue`), so:

- nothing is lost: messages are acknowledged late (after filing) and handed out again when a worker
  dies (`task_reject_on_worker_lost`; RabbitMQ on the dropped connection, Redis after its visibility
  timeout);
- nothing is filed twice: the job turns `filed` in the transaction that stores its cards, and a
  delivery of a job already filed or failed does nothing; `store_result` itself keeps one card per
  (sha256, position);
- two workers filing the same person at once give one contact: filing (dedupe + store) runs under one
  PostgreSQL advisory transaction lock, so the book has a single filing path; OCR, 99% of the work,
  runs in parallel (README, Scanning on many machines, has the measurement);
- a poison file ends: every delivery a worker starts on is counted first, in its own transaction,
  and a file whose worker died `MAX_ATTEMPTS` times is failed with that reason, not read again.
"""

from __future__ import annotations

import base64
import dataclasses
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from models import QueueJob
from models.base import utcnow
from models.database import shown_url
from pipeline.book.filing import Filing
from pipeline.book.store import store_result
from pipeline.core.config import Settings
from pipeline.core.errors import InputError
from pipeline.core.types import CardFields, CardResult, ScanResult
from pipeline.jobs import safe_files
from pipeline.jobs.batch import BatchSummary, FileDone, stored_digests
from pipeline.jobs.inbox import RETRY_FACTOR, Seen, Watcher, WatchOptions, _changed
from pipeline.stages.load import open_regular, sha256_of, too_big

if TYPE_CHECKING:
    from celery import Celery, Task
    from sqlalchemy import Engine

QUEUE_NAME = "cardscan.scan"
TASK_NAME = "cardscan.scan_file"
# Deliveries a worker may start on one file. A worker killed mid-file (a machine shut down, the OOM
# killer) costs one; a file that crashes its reader every time uses them all and is then failed.
MAX_ATTEMPTS = 3
# A queued file travels inside its message: RabbitMQ 3.x refuses messages over 128 MiB, and base64
# adds a third. Larger files are refused before sending, with that reason.
QUEUE_MAX_FILE_BYTES = 64 * 1024 * 1024
# Redis has no connection-bound acknowledgement: a message taken by a worker that died comes back after
# this many seconds. Longer than any one file may take (Settings.max_seconds, 600 s, stops a file between pages),
# or a slow file would be handed out a second time while still being read.
DEFAULT_REDELIVERY_SECONDS = 1200
# One key for the filing lock (any 64-bit number no other program on the database uses).
FILING_LOCK = 0x63617264_7363616E  # "cardscan"
DONE_STATES = ("filed", "failed")
COLLECT_EVERY = 0.5  # seconds between looks at the jobs a watcher sent
REJECT_PAUSE = 5.0  # seconds before a message is put back because the database is unreachable


class QueueError(Exception):
    """The queue cannot be used as asked (no PostgreSQL, broker unreachable); one-line reason."""


def check_database(db_url: str) -> None:
    from sqlalchemy.engine import make_url

    if make_url(db_url).get_backend_name() != "postgresql":
        raise QueueError("the scan queue files into PostgreSQL (--db postgresql://...), the one contact book all "
                         "workers share; on one machine `cardscan batch --jobs N` does the same with SQLite")


def open_book(db_url: str) -> Engine:
    """The shared PostgreSQL database, migrated to the newest schema (`upgrade_schema` takes an advisory lock,
    so workers and senders starting together on a new database migrate it one at a time)."""
    from models.database import connect

    check_database(db_url)
    return connect(db_url)


def make_app(broker_url: str, db_url: str | None = None, redelivery_after: float | None = None,
             queue_name: str = QUEUE_NAME) -> Celery:
    """The Celery app of producers and workers alike; `db_url` only where tasks run. Several contact books
    can share a broker under different `queue_name`s."""
    from celery import Celery

    app = Celery("cardscan", broker=broker_url, set_as_current=False)
    redelivery = redelivery_after or DEFAULT_REDELIVERY_SECONDS
    app.conf.update(
        task_serializer="json", accept_content=["json"], task_ignore_result=True,
        task_default_queue=queue_name,
        # Acknowledge after filing, and give the message back when the process reading it dies:
        # at-least-once delivery; the queue_job row makes the filing happen once.
        task_acks_late=True, task_reject_on_worker_lost=True,
        # One message in hand per process: a killed worker strands no backlog, and a long file does not
        # hold others back while idle workers wait.
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": redelivery, "unacked_restore_interval": 1,
                                  "unacked_restore_throttle": max(1, round(redelivery / 10))},
        worker_hijack_root_logger=False,
        cardscan_db_url=db_url,
    )
    app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True)(_scan_file_task)
    return app


def _init_pool_process(**_: Any) -> None:
    """Each pool process set up as a local batch's worker: one OpenCV and Tesseract thread, big buffers given
    back to the OS, a memory limit (a file over it fails with MemoryError, not the OOM killer), and death with
    its parent, so a worker killed whole leaves no orphan reading on."""
    from pipeline.jobs.worker import init_worker

    init_worker()


# ---- the producer's side: enqueue, follow, report -----------------------------------------------


@dataclass
class Enqueued:
    sent: dict[str, Path] = field(default_factory=dict)  # sha256 -> the first path with that content
    refused: list[tuple[Path, str]] = field(default_factory=list)  # never sent, with the reason
    duplicates: int = 0  # the same content under a second name: one job


def enqueue(app: Celery, maker: sessionmaker[Session], paths: Iterable[Path], settings: Settings,
            filing: Filing | None = None, max_bytes: int | None = None) -> Enqueued:
    """Send each file once, named by its content. A job already filed is not sent again; a failed one is
    (a rerun tries failures again, as a local batch does); one queued or running is sent again too, in case
    its message was lost with a broker: a second delivery of a job already filed does nothing."""
    limit = min(settings.max_file_bytes, max_bytes or QUEUE_MAX_FILE_BYTES)
    out = Enqueued()
    for path in paths:
        try:
            with open_regular(path) as f:  # a FIFO is refused, not waited on
                size = os.fstat(f.fileno()).st_size
                if size > limit:
                    out.refused.append((path, too_big(size, limit, " of a queued file")))
                    continue
                data = f.read()
        except InputError as exc:
            out.refused.append((path, str(exc)))
            continue
        except OSError as exc:
            out.refused.append((path, f"cannot read it: {exc.strerror or exc}"))
            continue
        digest = sha256_of(data)
        if digest in out.sent:
            out.duplicates += 1
            continue
        if claim(maker, digest, str(path)):
            send(app, digest, str(path), data, settings, filing)
        out.sent[digest] = path  # a job filed before is counted as done at once by `follow`
    return out


def claim(maker: sessionmaker[Session], digest: str, source: str) -> bool:
    """Write the job's row before its message goes out; False when the file is filed already (send nothing)."""
    with maker.begin() as session:
        job = session.get(QueueJob, digest, with_for_update=True)
        if job is None:
            session.add(QueueJob(sha256=digest, source=source, state="queued", attempts=0, outcomes=[]))
        elif job.state == "filed":
            return False
        elif job.state in ("failed", "queued"):
            job.state, job.attempts, job.error, job.source = "queued", 0, None, source
            job.enqueued_at = utcnow()
    return True


def send(app: Celery, digest: str, source: str, data: bytes, settings: Settings, filing: Filing | None = None) -> None:
    app.send_task(TASK_NAME, args=[digest, source, base64.b64encode(data).decode("ascii"),
                                   dataclasses.asdict(settings), filing_to_json(filing)],
                  task_id=digest, queue=app.conf.task_default_queue)


def filing_to_json(filing: Filing | None) -> dict[str, Any] | None:
    if filing is None:
        return None
    return {"met_at": filing.met_at, "met_on": filing.met_on.isoformat() if filing.met_on else None,
            "follow_up": filing.follow_up}


def filing_from_json(data: dict[str, Any] | None) -> Filing | None:
    if data is None:
        return None
    met_on = date.fromisoformat(data["met_on"]) if data.get("met_on") else None
    return Filing(met_at=data.get("met_at"), met_on=met_on, follow_up=bool(data.get("follow_up")))


def follow(maker: sessionmaker[Session], digests: Iterable[str], on_done: Callable[[QueueJob], None],
           poll: float = 0.5, timeout: float | None = None) -> list[str]:
    """Wait until every job is filed or failed, calling `on_done` once for each as it gets there.
    Returns the digests still not done when `timeout` ran out (empty when all are)."""
    waiting = set(digests)
    deadline = None if timeout is None else time.monotonic() + timeout
    while waiting:
        with maker() as session:
            for job in _jobs(session, waiting, DONE_STATES):
                waiting.discard(job.sha256)
                on_done(job)
        if not waiting or (deadline is not None and time.monotonic() > deadline):
            break
        time.sleep(poll)
    return sorted(waiting)


def _jobs(session: Session, digests: set[str], states: tuple[str, ...]) -> Iterator[QueueJob]:
    wanted = sorted(digests)
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        yield from session.scalars(select(QueueJob).where(QueueJob.sha256.in_(chunk), QueueJob.state.in_(states)))


def file_done(job: QueueJob) -> FileDone:
    """A finished job as the local batch's progress and summary see a file (outcomes and contact ids only:
    the fields are in the database)."""
    if job.state == "failed":
        result = ScanResult(job.source, job.sha256, "error", error=job.error or "failed")
    else:
        # [outcome, contact id, filed]; jobs filed before `filed` was kept have two items
        cards = [CardResult(CardFields(), contact_id=card[1], outcome=card[0], filed=(card[2:] or [None])[0])
                 for card in job.outcomes]
        result = ScanResult(job.source, job.sha256, "ok" if job.result == "ok" else "no_card", cards)
    return FileDone(result, 0, 0)


def refused_done(path: Path, reason: str) -> FileDone:
    return FileDone(ScanResult(str(path), "", "error", error=reason), 0, 0)


def filed_before(maker: sessionmaker[Session], paths: list[Path]) -> list[Path]:
    """Files whose content is already in the book (by the queue or a local scan): a rerun skips them."""
    from pipeline.jobs.batch import file_sha256

    digests = {p: file_sha256(p) for p in paths}
    with maker() as session:
        known = stored_digests(session, (d for d in digests.values() if d))
        known |= {j.sha256 for j in _jobs(session, {d for d in digests.values() if d}, ("filed",))}
    return [p for p in paths if digests[p] in known]


@dataclass
class QueueStatus:
    counts: dict[str, int]
    failed: list[tuple[str, str]]  # (file, reason), newest first
    in_broker: int | None  # messages waiting in the broker, None when it cannot be asked


def status(maker: sessionmaker[Session], app: Celery | None, failed_limit: int = 20) -> QueueStatus:
    with maker() as session:
        by_state = select(QueueJob.state, func.count()).group_by(QueueJob.state)
        counts = {state: n for state, n in session.execute(by_state)}
        failed = session.execute(select(QueueJob.source, QueueJob.error).where(QueueJob.state == "failed")
                                 .order_by(QueueJob.finished_at.desc()).limit(failed_limit)).all()
    in_broker = None
    if app is not None:
        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=5)
                channel, name = conn.default_channel, app.conf.task_default_queue
                if hasattr(channel, "_size"):  # Redis: an emptied queue is no key at all, so it cannot be declared
                    in_broker = int(channel._size(name))
                else:
                    in_broker = channel.queue_declare(name, passive=True).message_count
        except Exception:  # no such queue yet, or the broker is down: the database still answers
            in_broker = None
    return QueueStatus({s: counts.get(s, 0) for s in ("queued", "running", "filed", "failed")},
                       [(s, e or "") for s, e in failed], in_broker)


def summary_of(done: list[FileDone], seconds: float, skipped: int) -> BatchSummary:
    summary = BatchSummary(found=len(done), skipped=skipped)
    for item in done:
        summary.add(item)
    summary.seconds = seconds
    return summary


# ---- the worker's side -----------------------------------------------------------------------


_makers: dict[int, sessionmaker[Session]] = {}


def _maker(db_url: str) -> sessionmaker[Session]:
    """One engine per process: a forked pool process must not share its parent's connections."""
    from models.database import connect, sessions

    pid = os.getpid()
    if pid not in _makers:
        _makers.clear()
        _makers[pid] = sessions(connect(db_url, upgrade=False))
    return _makers[pid]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _scan_file_task(task: Task, digest: str, source: str, data_b64: str, settings: dict[str, Any],
                    filing: dict[str, Any] | None = None) -> str:
    maker = _maker(task.app.conf.cardscan_db_url)
    try:
        return process(maker, digest, source, base64.b64decode(data_b64), Settings(**settings),
                       filing_from_json(filing))
    except SQLAlchemyError as exc:  # the database is down or restarting: later, a bounded number of times
        reason = f"not filed: {str(exc).strip().splitlines()[0]}"
        if task.request.retries < MAX_ATTEMPTS - 1:
            raise task.retry(countdown=2 ** task.request.retries, max_retries=MAX_ATTEMPTS) from None
        try:
            return _finish_failed(maker, digest, source, reason)
        except SQLAlchemyError:
            # Not even the failure can be written: keep the message (back in the queue, after a pause) rather
            # than acknowledge a file that no row says anything about.
            from celery.exceptions import Reject

            time.sleep(REJECT_PAUSE)
            raise Reject(reason, requeue=True) from None


def process(maker: sessionmaker[Session], digest: str, source: str, data: bytes, settings: Settings,
            filing: Filing | None = None) -> str:
    """One delivery of one job: count it, read the file, file it under the lock. Returns the job's state."""
    from pipeline.stages.run import scan

    with maker.begin() as session:  # committed before reading, so a worker that dies reading is counted
        job = session.get(QueueJob, digest, with_for_update=True)
        if job is None:  # sent by a producer that could not write its row: the message alone is enough
            job = QueueJob(sha256=digest, source=source, state="queued", attempts=0, outcomes=[])
            session.add(job)
        if job.state in DONE_STATES:
            return job.state  # a second delivery (redelivered, or sent twice): done already
        if job.attempts >= MAX_ATTEMPTS:
            _fail(job, f"its worker died {job.attempts} times while reading it (a crash, the OOM killer, or a kill); "
                       f"last on {job.worker}")
            return "failed"
        job.state, job.attempts, job.worker, job.started_at = "running", job.attempts + 1, worker_name(), utcnow()
    if sha256_of(data) != digest:
        return _finish_failed(maker, digest, source, "the bytes received do not match their sha256 (damaged message)")
    result = scan(data, settings, name=source)
    if result.status == "error":  # the same bytes fail the same way every time: no point in retrying
        return _finish_failed(maker, digest, source, result.error or "cannot be read")
    with maker.begin() as session:
        lock_filing(session)
        job = session.get(QueueJob, digest, with_for_update=True)
        if job is not None and job.state in DONE_STATES:
            return job.state  # another delivery of the same file filed it while this one was reading
        store_result(session, result, filing=filing)
        if job is None:
            job = QueueJob(sha256=digest, source=source, attempts=1)
            session.add(job)
        job.state, job.result, job.error, job.finished_at = "filed", result.status, None, utcnow()
        job.outcomes = [[c.outcome, c.contact_id, c.filed] for c in result.cards]
    return "filed"


def lock_filing(session: Session) -> None:
    """Dedupe + store one file at a time across every worker: held until this transaction ends."""
    session.execute(select(func.pg_advisory_xact_lock(FILING_LOCK)))


def _finish_failed(maker: sessionmaker[Session], digest: str, source: str, reason: str) -> str:
    with maker.begin() as session:
        job = session.get(QueueJob, digest, with_for_update=True)
        if job is None:
            job = QueueJob(sha256=digest, source=source, attempts=1, outcomes=[])
            session.add(job)
        if job.state != "filed":
            _fail(job, reason)
    return "failed"


def _fail(job: QueueJob, reason: str) -> None:
    job.state, job.error, job.finished_at = "failed", reason[:1000], utcnow()


def run_worker(broker_url: str, db_url: str, concurrency: int, redelivery_after: float | None = None,
               loglevel: str = "INFO", queue_name: str = QUEUE_NAME) -> None:
    """`cardscan worker`: migrate the database once, then consume until stopped (SIGTERM: finish the files in
    hand; their messages are acknowledged only once filed)."""
    open_book(db_url).dispose()  # migrations run here, once, not in every pool process at the same moment
    from celery.signals import worker_process_init

    app = make_app(broker_url, db_url, redelivery_after, queue_name)
    worker_process_init.connect(_init_pool_process, weak=False)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # parallelism is the pool processes: one engine thread each
    app.worker_main(["worker", f"--concurrency={concurrency}", f"--queues={queue_name}", f"--loglevel={loglevel}",
                     f"--hostname=cardscan.{os.getpid()}@%h", "--without-gossip", "--without-mingle",
                     "--pool=prefork"])


def describe_broker(url: str) -> str:
    return shown_url(url)


# ---- `cardscan watch INBOX --queue URL` -------------------------------------------------------


class QueuedWatcher(Watcher):
    """The inbox watcher, with the reading done by the queue's workers: a settled file is sent (its bytes,
    read through the watcher's safe descriptor), stays in the inbox while the workers have it, and is moved
    to processed/ once its job is filed (or to failed/ with the job's reason). A watcher stopped meanwhile
    finds the files still in the inbox on its next start: their jobs are filed by then, or sent again."""

    def __init__(self, options: WatchOptions, settings: Settings, maker: sessionmaker[Session],
                 log: Callable[[str], None], app: Celery) -> None:
        super().__init__(options, settings, maker, log)
        self.app = app
        self.sent: dict[str, tuple[PurePath, os.stat_result]] = {}  # sha256 -> (file, how it looked when read)
        self.last_collect = 0.0

    def _ready(self) -> list[PurePath]:
        in_hand = {rel for rel, _ in self.sent.values()}
        return [rel for rel in super()._ready() if rel not in in_hand]

    def _drain_events(self) -> None:
        super()._drain_events()
        if self.sent and time.monotonic() - self.last_collect >= COLLECT_EVERY:
            self.last_collect = time.monotonic()
            self._collect()

    def _take_in(self, dir_fd: int, rel: PurePath, seen: Seen) -> None:
        fd = self._open(dir_fd, rel)
        if fd is None:
            return
        try:
            opened = os.fstat(fd)
            limit = min(self.options.max_bytes, QUEUE_MAX_FILE_BYTES)
            if opened.st_size > limit:
                self._fail(dir_fd, rel, "refused: " + too_big(opened.st_size, limit, " of a queued file"))
                return
            data = os.pread(fd, limit + 1, 0)
        finally:
            os.close(fd)
        digest = sha256_of(data)
        if digest in self.sent:  # the same content under another name, still with the workers: wait for it
            self.waiting[rel] = Seen(seen.size, seen.mtime_ns, seen.since, time.monotonic() + self.options.settle)
            return
        source = str(self.root / rel)
        if not claim(self.maker, digest, source):
            self._done(dir_fd, rel, None)  # filed on an earlier run
            return
        try:
            send(self.app, digest, source, data, self.settings, self.options.filing)
        except Exception as exc:  # the broker is down (Celery has retried): the file stays and is tried again
            now = time.monotonic()
            self.waiting[rel] = Seen(seen.size, seen.mtime_ns, seen.since, now + RETRY_FACTOR * self.options.settle)
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            self.log(f"{rel}: not sent, will try again: {reason}")
            return
        self.waiting.pop(rel, None)
        self.sent[digest] = (rel, opened)
        self.log(f"{rel}: sent to the queue")

    def _collect(self) -> None:
        """Move the files whose jobs are finished."""
        with self.maker() as session:
            finished = list(_jobs(session, set(self.sent), DONE_STATES))
        for job in finished:
            rel, opened = self.sent.pop(job.sha256)
            try:
                dir_fd = safe_files.open_dir(self.root_fd, rel.parent)
            except (safe_files.Refused, OSError) as exc:
                self._forget(rel, f"{rel}: {job.state}, but cannot be moved: {exc}")
                continue
            try:
                if _changed(dir_fd, rel.name, opened):  # rewritten since it was sent: the new content is another job
                    self.waiting[rel] = Seen(-1, -1, time.monotonic())
                elif job.state == "failed":
                    self._fail(dir_fd, rel, job.error or "failed")
                else:
                    self._done(dir_fd, rel, file_done(job).result)
            finally:
                os.close(dir_fd)
