"""`cardscan batch DIR`: every image and PDF in a folder, on every core."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from models.database import shown_url
from pipeline.cli.common import db_option, err, filing_options, open_engine, queue_name_option, read_options
from pipeline.cli.scan import store_into
from pipeline.core.config import Settings, resolve_db_url
from pipeline.core.display import printable

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from pipeline.book.filing import Filing
    from pipeline.core.types import ScanResult
    from pipeline.jobs.batch import FileDone


@click.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--recursive", "-r", is_flag=True, help="Also scan the folders inside DIRECTORY.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all CPUs).")
@click.option("--jsonl", "jsonl_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write one JSON object per scanned file to this file.")
@db_option
@click.option("--rescan", is_flag=True, help="Scan files already stored too (they come out unchanged).")
@click.option("--queue", "queue_url", metavar="URL", help="Send the files to the scan queue at this broker "
              "(amqp://... or redis://...) for `cardscan worker`s to read, instead of reading them here; "
              "--db must be their PostgreSQL database.")
@queue_name_option
@read_options
@filing_options
def batch(directory: Path, recursive: bool, jobs: int | None, jsonl_out: Path | None, db_url: str | None,
          rescan: bool, queue_url: str | None, queue_name: str, settings: Settings, filing: Filing) -> None:
    """Scan every image and PDF in DIRECTORY on every core and file the cards as contacts.

    Files already stored are skipped (by content), so a stopped batch goes on where it was.
    Exit code 0: every file read; 1: some failed (listed at the end); 130: stopped by Ctrl-C or SIGTERM.
    With --queue the workers read them; this waits until every file is filed or failed.
    """
    with _sigterm_as_ctrl_c():
        _batch(directory, recursive, jobs, jsonl_out, db_url, rescan, queue_url, queue_name, settings, filing)


@contextmanager
def _sigterm_as_ctrl_c() -> Iterator[None]:
    """`kill`, `timeout`, `docker stop` and systemd send SIGTERM: it stops the batch as Ctrl-C does (the file in
    hand stored whole or not at all, the summary, exit 130); it used to end it with no summary and a warning of
    leaked semaphores. Restored after, for callers that run the command in-process."""
    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: signals cannot be caught there
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _batch(directory: Path, recursive: bool, jobs: int | None, jsonl_out: Path | None, db_url: str | None,
           rescan: bool, queue_url: str | None, queue_name: str, settings: Settings, filing: Filing) -> None:
    from models.database import sessions
    from pipeline.jobs.batch import not_yet_stored, run_batch
    from pipeline.jobs.progress import reporter, summary_lines

    url = resolve_db_url(db_url)
    if queue_url:
        if jsonl_out or rescan or jobs:
            raise click.UsageError("--jsonl, --rescan and --jobs are for a local batch; the workers set their own "
                                   "--concurrency")
        _batch_queued(directory, recursive, url, queue_url, queue_name, settings, filing)
        return
    maker = sessions(open_engine(url, to_store="`cardscan scan --no-store` to read cards without filing them"))
    paths = _files(directory, recursive)
    todo = paths if rescan else not_yet_stored(paths, maker)
    store = store_into(maker, filing)
    with _jsonl_writer(jsonl_out) as write, reporter(err.console, len(todo)) as shown:
        def on_file(item: FileDone) -> None:
            shown.file_done(item)
            write(item.result)

        summary = run_batch(todo, settings, store, jobs or os.cpu_count() or 1, on_file)
    summary.skipped = len(paths) - len(todo)
    for line in summary_lines(summary, url):
        err.print(line, markup=False, highlight=False)
    sys.exit(summary.exit_code)


def _batch_queued(directory: Path, recursive: bool, url: str, queue_url: str, queue_name: str,
                  settings: Settings, filing: Filing) -> None:
    """Enqueue, then follow the jobs in the database with the local batch's progress and summary."""
    from time import perf_counter

    from models.database import sessions
    from pipeline.jobs.progress import reporter, summary_lines
    from pipeline.jobs.queue import (
        QueueError,
        enqueue,
        file_done,
        filed_before,
        follow,
        make_app,
        open_book,
        refused_done,
        summary_of,
    )

    maker = sessions(_queue_book(url, open_book, QueueError))
    paths = _files(directory, recursive)
    done_before = set(filed_before(maker, paths))
    todo = [p for p in paths if p not in done_before]
    start = perf_counter()
    done: list[FileDone] = []
    try:
        sent = enqueue(make_app(queue_url, queue_name=queue_name), maker, todo, settings, filing)
    except Exception as exc:  # the broker is down or refuses us: one line, and nothing was half-filed
        raise click.ClickException(f"cannot send to the queue at {shown_url(queue_url)}: "
                                   f"{str(exc).strip().splitlines()[0]}") from None
    err.print(f"{len(sent.sent)} file(s) sent to {shown_url(queue_url)}"
              + (f" ({sent.duplicates} more with the same content as another)" if sent.duplicates else "")
              + "; waiting for the workers", markup=False, highlight=False)
    interrupted = False
    with reporter(err.console, len(sent.sent) + len(sent.refused)) as shown:
        def on_done(item: FileDone) -> None:
            done.append(item)
            shown.file_done(item)

        for path, reason in sent.refused:
            on_done(refused_done(path, reason))
        try:
            follow(maker, sent.sent, lambda job: on_done(file_done(job)))
        except KeyboardInterrupt:
            interrupted = True
    summary = summary_of(done, perf_counter() - start, len(paths) - len(todo))
    summary.found = len(sent.sent) + len(sent.refused)
    if interrupted:
        summary.interrupted = True
        err.print("stopped waiting; the workers go on with the files sent (`cardscan queue status`)", markup=False)
    for line in summary_lines(summary, shown_url(url)):
        err.print(line, markup=False, highlight=False)
    sys.exit(summary.exit_code)


def _files(directory: Path, recursive: bool) -> list[Path]:
    """The files to read; each symlink skipped gets its line first (what it points to, and why not)."""
    from pipeline.jobs.batch import find_files

    paths, skipped = find_files(directory, recursive)
    for link, reason in skipped:
        err.print(f"skipped {printable(str(link))}: {reason}", markup=False, highlight=False)
    return paths


def _queue_book(url: str, open_book: Callable[[str], Engine], error: type[Exception]) -> Engine:
    try:
        return open_book(url)
    except error as exc:
        raise click.UsageError(str(exc)) from None
    except Exception as exc:  # the server is down, a password is wrong ...
        raise click.ClickException(f"cannot open the database {shown_url(url)!r}: "
                                   f"{str(exc).strip().splitlines()[0]}") from None


@contextmanager
def _jsonl_writer(path: Path | None) -> Iterator[Callable[[ScanResult], None]]:
    if path is None:
        yield lambda _result: None
        return
    from pipeline.stages.report import result_to_dict

    # The scan results are personal data: private like every file cardscan writes, appended, never a link's target.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        def write(result: ScanResult) -> None:
            out.write(json.dumps(result_to_dict(result), ensure_ascii=False) + "\n")
            out.flush()  # a stopped batch still leaves every stored file in the log

        yield write


