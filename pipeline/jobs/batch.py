"""`cardscan batch`: a folder of images over N worker processes, stored from one place.

OCR runs in the workers; every database write happens here, in the parent, one transaction
per file: SQLite never sees two writers, and an interrupted batch leaves only whole files stored.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import resource
import signal
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pipeline.core.config import Settings
from pipeline.core.types import ScanResult
from pipeline.jobs.memory import return_large_buffers
from pipeline.stages.load import IMAGE_SUFFIXES
from pipeline.stages.run import scan

HASH_CHUNK = 1 << 20
QUERY_CHUNK = 500  # sha256 values per IN (...) query
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

    def add(self, item: FileDone) -> None:
        r = item.result
        self.done += 1
        self.cards += len(r.cards)
        self.no_card += r.status == "no_card"
        self.outcomes.update(c.outcome for c in r.cards if c.outcome)
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
    """Images and PDFs by suffix, dotfiles and dot-folders left out, in a stable order."""
    pattern = directory.rglob("*") if recursive else directory.iterdir()
    found = [p for p in pattern if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(directory).parts)]
    return sorted(found)


def file_sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(HASH_CHUNK):
                digest.update(chunk)
    except OSError:
        return None  # the scan will say why, as a failure of its own
    return digest.hexdigest()


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


def _init_worker() -> None:
    # Parallelism is the worker processes: one engine thread each, so N workers use N cores.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import cv2

    cv2.setNumThreads(1)
    return_large_buffers()
    # Ctrl-C reaches the whole process group: the parent decides, workers just finish or get cancelled.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _scan_in_worker(path: Path, settings: Settings) -> tuple[ScanResult, int, int]:
    result = scan(path, settings)
    return result, os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_batch(paths: list[Path], settings: Settings, store: Callable[[ScanResult], None] | None,
              jobs: int, on_file: Callable[[FileDone], None] = lambda _: None) -> BatchSummary:
    """Scan `paths` over `jobs` processes; store each result here as it arrives (skipped when
    `store` is None). Ctrl-C stops the batch after the file being stored: the summary says so."""
    summary = BatchSummary(found=len(paths))
    start = perf_counter()
    # Fresh interpreters, not forks: a fork of a process whose OpenCV or OpenMP threads hold a lock hangs.
    pool = ProcessPoolExecutor(max_workers=max(1, jobs), initializer=_init_worker,
                               mp_context=multiprocessing.get_context("spawn"))
    try:
        pending: set[Future[tuple[ScanResult, int, int]]] = {
            pool.submit(_scan_in_worker, p, settings) for p in paths}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                item = _store(future.result(), store)
                summary.add(item)
                on_file(item)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        summary.seconds = perf_counter() - start
    return summary


def _store(scanned: tuple[ScanResult, int, int], store: Callable[[ScanResult], None] | None) -> FileDone:
    result, pid, rss = scanned
    t0 = perf_counter()
    if store and result.cards:
        try:
            store(result)
        except SQLAlchemyError as exc:  # this file is not stored; a rerun takes it again
            result.status, result.error = "error", f"not stored: {str(exc).strip().splitlines()[0]}"
            for card in result.cards:
                card.contact_id, card.outcome = None, None
    return FileDone(result, pid, rss, perf_counter() - t0)
