"""`cardscan batch`: a folder of images over N worker processes, stored from one place.

OCR runs in the workers; every database write happens here, in the parent, one transaction
per file: SQLite never sees two writers, and an interrupted batch leaves only whole files stored.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter, thread_time

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pipeline.core.config import Settings
from pipeline.core.display import printable
from pipeline.core.types import ScanResult
from pipeline.jobs.worker import init_worker, scan_in_worker
from pipeline.stages.load import file_digest, is_image_file, sha256_of
from pipeline.stages.report import filing, waits_for_review

QUERY_CHUNK = 500  # sha256 values per IN (...) query
WORKER_DIED = ("its worker process died reading it (killed, or out of memory): the file may be too large or "
               "damaged; the other files were read")
STAGES = ("load", "preprocess", "ocr", "orientation", "extract", "store")


@dataclass(frozen=True)
class FileDone:
    """One file through the pipeline, as the parent sees it once it is stored."""

    result: ScanResult
    worker_pid: int
    worker_peak_rss_kb: int
    store_seconds: float = 0.0


@dataclass
class BatchSummary:
    found: int = 0
    skipped: int = 0  # already stored on an earlier run
    done: int = 0
    no_card: int = 0
    cards: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_kb: dict[int, int] = field(default_factory=dict)  # per worker pid
    seconds: float = 0.0
    interrupted: bool = False
    to_review: int = 0  # cards `cardscan review` will list: needs_review ones, and filed ones with a doubtful name

    def add(self, item: FileDone) -> None:
        r = item.result
        self.done += 1
        self.cards += len(r.cards)
        self.to_review += sum(waits_for_review(c) for c in r.cards if c.outcome)
        self.no_card += r.status == "no_card"
        self.outcomes.update(f for f in map(filing, r.cards) if f)
        if r.status == "error":
            self.failures.append((r.source, r.error or "unknown error"))
        for stage, seconds in {**r.timings, "store": item.store_seconds}.items():
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds
        pid = item.worker_pid
        self.peak_rss_kb[pid] = max(self.peak_rss_kb.get(pid, 0), item.worker_peak_rss_kb)

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failures else 0


def find_images(directory: Path, recursive: bool = False) -> list[Path]:
    """Images and PDFs, by suffix or else by content (a camera's file without one), dotfiles and dot-folders left
    out, in a stable order. FIFOs and devices are never opened. Symlinks: see `find_files`."""
    return find_files(directory, recursive)[0]


def find_files(directory: Path, recursive: bool = False) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files to scan, and the symlinks skipped with the reason. A symlink is read when what it points to is an
    image or PDF by its content, wherever it is (a folder of links to one's photos; batch runs as its user, on
    folders the user chose, unlike `watch`'s shared inbox, which refuses every link); its own name decides
    nothing, so `passwd.jpg -> /etc/passwd` is skipped, not failed as "not an image". Links to folders are not
    followed (rglob does not descend them either)."""
    pattern = directory.rglob("*") if recursive else directory.iterdir()
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in pattern:
        if any(part.startswith(".") for part in path.relative_to(directory).parts):
            continue
        if not path.is_symlink():
            if is_image_file(path):
                found.append(path)
            continue
        target = os.path.realpath(path)
        if os.path.isdir(target):
            continue
        if not os.path.exists(target):
            skipped.append((path, f"a symbolic link to {printable(target)}, which does not exist"))
        elif is_image_file(Path(target), by_name=False):
            found.append(path)
        else:
            skipped.append((path, f"a symbolic link to {printable(target)}, which is not an image or PDF"))
    return sorted(found), sorted(skipped)


def file_sha256(path: Path, max_bytes: int = Settings().max_file_bytes) -> str | None:
    """Streamed; None for a file over the size limit (from stat, unread) or unreadable: the scan says why."""
    return file_digest(path, max_bytes)


def stored_digests(session: Session, digests: Iterable[str]) -> set[str]:
    from models import Card

    wanted = sorted(set(digests))
    known: set[str] = set()
    for i in range(0, len(wanted), QUERY_CHUNK):
        chunk = wanted[i:i + QUERY_CHUNK]
        known.update(session.scalars(select(Card.sha256).where(Card.sha256.in_(chunk)).distinct()))
    return known


def not_yet_stored(paths: list[Path], maker: sessionmaker[Session]) -> list[Path]:
    """The files whose content is not in the database. Files without a card store nothing and are
    read again on a rerun (cheap next to a folder of cards)."""
    digests = {p: file_sha256(p) for p in paths}
    with maker() as session:
        known = stored_digests(session, (d for d in digests.values() if d))
    return [p for p in paths if digests[p] not in known]


def run_batch(paths: list[Path], settings: Settings, store: Callable[[ScanResult], None] | None,
              jobs: int, on_file: Callable[[FileDone], None] = lambda _: None) -> BatchSummary:
    """Scan `paths` over `jobs` processes; store each result here as it arrives (skipped when
    `store` is None). Ctrl-C stops the batch after the file being stored: the summary says so.

    A worker killed under us (the OOM killer, a segfault in a decoder) breaks the whole pool and every
    file in it; the files not done are then read again one at a time, so the one that kills its worker
    is found, reported as failed, and the rest are read as usual."""
    summary = BatchSummary(found=len(paths))
    start = perf_counter()
    todo, workers = list(paths), max(1, jobs)
    try:
        while todo:
            left = _run_pool(todo, settings, store, workers, summary, on_file)
            if not left:
                break
            if workers > 1:
                todo, workers = left, 1
                continue
            # One worker, files in order: the one it was reading when it died is the first not done.
            culprit, todo, workers = left[0], left[1:], max(1, jobs)
            died = FileDone(_failed(culprit, settings, WORKER_DIED), 0, 0)
            summary.add(died)
            on_file(died)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        summary.seconds = perf_counter() - start
    return summary


def _run_pool(paths: list[Path], settings: Settings, store: Callable[[ScanResult], None] | None, workers: int,
              summary: BatchSummary, on_file: Callable[[FileDone], None]) -> list[Path]:
    """Scan `paths` in one pool; the files not done when a worker died (none if none did), in order."""
    # Fresh interpreters, not forks: a fork of a process whose OpenCV or OpenMP threads hold a lock hangs.
    pool = ProcessPoolExecutor(max_workers=workers, initializer=init_worker,
                               mp_context=multiprocessing.get_context("spawn"))
    futures: dict[Future[tuple[ScanResult, int, int]], Path] = {}
    handled: set[Future[tuple[ScanResult, int, int]]] = set()

    def handle(future: Future[tuple[ScanResult, int, int]]) -> None:
        handled.add(future)
        exc = future.exception()
        if exc is None:
            item = _store(future.result(), store)
        else:  # scan never raises; its result may still fail to come back (too large to pickle ...)
            item = FileDone(_failed(futures[future], settings, f"internal error ({type(exc).__name__}: "
                                                               f"{str(exc)[:200]}); please report it"), 0, 0)
        summary.add(item)
        on_file(item)

    try:
        futures = {pool.submit(scan_in_worker, p, settings): p for p in paths}
        pending = set(futures)
        broken = False
        while pending and not broken:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                if isinstance(future.exception(), BrokenProcessPool):
                    broken = True
                else:
                    handle(future)
        if broken:  # results that came in before the break are kept
            for future in futures:
                if future not in handled and future.done() and future.exception() is None:
                    handle(future)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [path for future, path in futures.items() if future not in handled]


def _failed(path: Path, settings: Settings, reason: str) -> ScanResult:
    digest = file_sha256(path, settings.max_file_bytes) or sha256_of(b"")
    return ScanResult(printable(str(path)), digest, "error", [], error=reason)


def _store(scanned: tuple[ScanResult, int, int], store: Callable[[ScanResult], None] | None) -> FileDone:
    result, pid, rss = scanned
    t0 = thread_time()  # CPU, as the stage times are
    if store and result.cards:
        try:
            store(result)
        except SQLAlchemyError as exc:  # this file is not stored; a rerun takes it again
            result.status, result.error = "error", f"not stored: {str(exc).strip().splitlines()[0]}"
            for card in result.cards:
                card.contact_id, card.outcome = None, None
    return FileDone(result, pid, rss, thread_time() - t0)
