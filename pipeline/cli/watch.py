"""`cardscan watch INBOX`: file every card dropped into a folder, then move the file away."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from models.database import shown_url
from pipeline.cli.common import db_option, err, filing_options, open_engine, queue_name_option, read_options
from pipeline.core.config import Settings, resolve_db_url

if TYPE_CHECKING:
    from pipeline.book.filing import Filing


@click.command()
@click.argument("inbox", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--processed", type=click.Path(file_okay=False, path_type=Path),
              help="Where files go once their cards are stored, by day (default: INBOX/processed).")
@click.option("--failed", type=click.Path(file_okay=False, path_type=Path),
              help="Where unreadable or refused files go, each with a .error.txt (default: INBOX/failed).")
@db_option
@click.option("--poll", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="Look for new files every SECONDS instead of waiting for OS events (network shares).")
@click.option("--settle", type=click.FloatRange(min=0.0), default=1.0, show_default=True, metavar="SECONDS",
              help="A file is taken once its size and time stayed unchanged this long.")
@click.option("--queue", "queue_url", metavar="URL", help="Send each file to the scan queue at this broker "
              "(amqp://... or redis://...) for `cardscan worker`s to read; it is moved once filed. --db must be "
              "their PostgreSQL database.")
@queue_name_option
@read_options
@filing_options
def watch(inbox: Path, processed: Path | None, failed: Path | None, db_url: str | None, poll: float | None,
          settle: float, queue_url: str | None, queue_name: str, settings: Settings, filing: Filing) -> None:
    """File every card put into INBOX, then move the file to processed/YYYY-MM-DD/ (or failed/).

    Files already there are taken first. Symlinks, FIFOs, devices, dotfiles and temp files are left
    alone or refused. SIGTERM or Ctrl-C finishes the file in hand and exits 0.
    """
    import signal
    from datetime import datetime

    from models.database import sessions
    from pipeline.jobs.inbox import Watcher, WatchOptions

    url = resolve_db_url(db_url)
    # --met-at here is the inbox's default: every card dropped in while it runs was met there.
    options = WatchOptions(inbox, processed or inbox / "processed", failed or inbox / "failed", poll, settle,
                           filing=filing)

    def log(message: str) -> None:
        err.print(f"{datetime.now():%Y-%m-%d %H:%M:%S} {message}", markup=False, highlight=False)

    if queue_url:
        from pipeline.cli.batch import _queue_book
        from pipeline.jobs.queue import QueuedWatcher, QueueError, make_app, open_book

        watcher: Watcher = QueuedWatcher(options, settings, sessions(_queue_book(url, open_book, QueueError)), log,
                                         make_app(queue_url, queue_name=queue_name))
    else:
        watcher = Watcher(options, settings, sessions(open_engine(url, to_store="")), log)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: watcher.stop.set())
    how = f"polling every {poll:g} s" if poll else "OS events"
    via = f"; queue {shown_url(queue_url)}" if queue_url else ""
    log(f"watching {watcher.root} ({how}); database {shown_url(url)}{via}")
    stats = watcher.run()
    log(f"stopped: {stats.processed} file(s) processed, {stats.failed} failed, {stats.cards} card(s)")


