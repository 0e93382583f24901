"""`make bench-queue`: the scan queue against the local batch, and the filing path alone.

1. Cards per second for the same folder read by `run_batch` (local, N processes, filing in the parent) and by
   one `cardscan worker --concurrency N` (N pool processes) fed by `enqueue` + `follow`, N = 1 and 2, each
   into a fresh PostgreSQL schema. The worker is started and ready before the clock starts, as a standing
   worker is; its OCR engines load on their first file, as the local pool's do.
2. The filing rate alone: the folder's scan results filed again and again (new sha256 each round, so every
   card goes through dedupe and merge) by one process under the filing lock: how many OCR processes one
   filing path can serve before it is the bottleneck.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter

from sqlalchemy import create_engine
from sqlalchemy import text as sql

from models.database import connect, sessions, shown_url
from pipeline.book.store import store_result
from pipeline.core.config import Settings
from pipeline.core.types import ScanResult
from pipeline.jobs.batch import find_images, run_batch
from pipeline.jobs.queue import enqueue, follow, lock_filing, make_app, open_book

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def schema(pg: str) -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg)
    with admin.begin() as conn:
        conn.execute(sql(f"CREATE SCHEMA {name}"))
    try:
        yield f"{pg}?options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(sql(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


def local(paths: list[Path], pg: str, jobs: int, results: list[ScanResult]) -> tuple[float, int]:
    with schema(pg) as url:
        maker = sessions(connect(url))

        def store(result: ScanResult) -> None:
            with maker.begin() as session:
                store_result(session, result)
            results.append(result)

        summary = run_batch(paths, Settings(), store, jobs)
        return summary.seconds, summary.cards


def queued(paths: list[Path], pg: str, broker: str, jobs: int) -> tuple[float, int]:
    queue = f"cardscan.bench.{uuid.uuid4().hex[:8]}"
    with schema(pg) as url:
        maker = sessions(open_book(url))
        log = Path(os.environ.get("TMPDIR", "/tmp")) / f"{queue}.log"
        with log.open("w") as out:
            worker = subprocess.Popen([sys.executable, "-m", "pipeline", "worker", "--broker", broker, "--db", url,
                                       "--queue-name", queue, "--concurrency", str(jobs), "--loglevel", "INFO"],
                                      stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True,
                                      env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            deadline = time.monotonic() + 120
            while " ready." not in log.read_text(errors="replace"):
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the worker did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.2)
            app = make_app(broker, queue_name=queue)
            start = perf_counter()
            sent = enqueue(app, maker, paths, Settings())
            cards = 0

            def done(job) -> None:  # type: ignore[no-untyped-def]
                nonlocal cards
                cards += len(job.outcomes)

            left = follow(maker, sent.sent, done, poll=0.1, timeout=1800)
            seconds = perf_counter() - start
            if left:
                raise SystemExit(f"{len(left)} file(s) not done in time")
            with app.connection_for_write() as conn:
                conn.default_channel.queue_delete(queue)
            return seconds, cards
        finally:
            os.killpg(worker.pid, 15)  # SIGTERM: a warm shutdown, nothing in hand by now
            worker.wait(timeout=60)
            log.unlink(missing_ok=True)


def filing_rate(results: list[ScanResult], pg: str, rounds: int) -> tuple[int, float]:
    with schema(pg) as url:
        maker = sessions(connect(url))
        files, start = 0, perf_counter()
        for round_no in range(rounds):
            for result in results:
                copy = dataclasses.replace(result, sha256=f"{round_no:04d}{result.sha256[4:]}",
                                           cards=[dataclasses.replace(c) for c in result.cards])
                with maker.begin() as session:
                    lock_filing(session)
                    store_result(session, copy)
                files += 1
        return files, perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pg", default=os.environ.get("CARDSCAN_TEST_PG",
                                                       "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=10, help="filing rounds over the folder's results")
    args = parser.parse_args()
    paths = find_images(args.folder)
    print(f"{len(paths)} files from {args.folder}; PostgreSQL, broker {shown_url(args.broker)}; "
          f"{os.cpu_count()} CPUs", flush=True)
    print("\n| processes | local batch cards/s | queue cards/s | queue cost |\n|---:|---:|---:|---:|")
    results: list[ScanResult] = []
    per_process_rate = 0.0
    for jobs in args.jobs:
        run: list[ScanResult] = []
        local_s, local_cards = local(paths, args.pg, jobs, run)
        queue_s, queue_cards = queued(paths, args.pg, args.broker, jobs)
        results = results or run
        if jobs == 1:
            per_process_rate = local_cards / local_s
        cost = (queue_s - local_s) / local_s
        print(f"| {jobs} | {local_cards / local_s:.2f} ({local_cards} cards, {local_s:.1f} s) | "
              f"{queue_cards / queue_s:.2f} ({queue_cards} cards, {queue_s:.1f} s) | {cost:+.1%} |", flush=True)
    files, seconds = filing_rate(results, args.pg, args.rounds)
    cards = sum(len(r.cards) for r in results) * args.rounds
    print(f"\nfiling alone (one process, under the lock, dedupe + merge into a growing book): {files} files, "
          f"{cards} cards in {seconds:.1f} s = {cards / seconds:.1f} cards/s, {1000 * seconds / files:.1f} ms a file")
    if per_process_rate:
        print(f"one OCR process reads {per_process_rate:.2f} cards/s: one filing path serves about "
              f"{cards / seconds / per_process_rate:.0f} OCR processes before it is the bottleneck")


if __name__ == "__main__":
    main()
