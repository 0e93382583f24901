"""`cardscan batch DIR`: every image and PDF in a folder, on every core."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli.common import db_option, err, filing_options, open_engine, read_options
from pipeline.cli.scan import store_into
from pipeline.core.config import Settings, resolve_db_url

if TYPE_CHECKING:
    from pipeline.book.store import Filing
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
@read_options
@filing_options
def batch(directory: Path, recursive: bool, jobs: int | None, jsonl_out: Path | None, db_url: str | None,
          rescan: bool, settings: Settings, filing: Filing) -> None:
    """Scan every image and PDF in DIRECTORY on every core and file the cards as contacts.

    Files already stored are skipped (by content), so a stopped batch goes on where it was.
    Exit code 0: every file read; 1: some failed (listed at the end); 130: stopped by Ctrl-C.
    """
    from models.database import sessions
    from pipeline.jobs.batch import find_images, not_yet_stored, run_batch
    from pipeline.jobs.progress import reporter, summary_lines

    url = resolve_db_url(db_url)
    maker = sessions(open_engine(url))
    paths = find_images(directory, recursive)
    todo = paths if rescan else not_yet_stored(paths, maker)
    store = store_into(maker, filing)
    with _jsonl_writer(jsonl_out) as write, reporter(err, len(todo)) as shown:
        def on_file(item: FileDone) -> None:
            shown.file_done(item)
            write(item.result)

        summary = run_batch(todo, settings, store, jobs or os.cpu_count() or 1, on_file)
    summary.skipped = len(paths) - len(todo)
    for line in summary_lines(summary, url):
        err.print(line, markup=False, highlight=False)
    sys.exit(summary.exit_code)


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


