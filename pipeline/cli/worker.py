"""`cardscan worker`: a Celery worker that reads queued files and files their cards in PostgreSQL."""

from __future__ import annotations

import click

from models.database import shown_url
from pipeline.cli.common import broker_option, broker_url, db_option, err, queue_name_option
from pipeline.core.config import resolve_db_url


@click.command()
@broker_option
@db_option
@click.option("--concurrency", "-c", type=click.IntRange(min=1), default=None,
              help="Files read at once, one process each (default: all CPUs).")
@click.option("--redelivery-after", type=click.FloatRange(min=1.0), default=None, metavar="SECONDS",
              help="Redis only: a file taken by a worker that died is handed out again after this long "
                   "(default: 1200; RabbitMQ does it when the connection drops).")
@click.option("--loglevel", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@queue_name_option
def worker(broker: str | None, db_url: str | None, concurrency: int | None, redelivery_after: float | None,
           loglevel: str, queue_name: str) -> None:
    """Read files from the scan queue and file their cards into one shared PostgreSQL contact book.

    Start one per machine (or `docker compose up --scale worker=N`); `cardscan batch DIR --queue URL` and
    `cardscan watch INBOX --queue URL` send the files. SIGTERM or Ctrl-C finishes the files in hand; a worker
    that is killed loses nothing: its files are handed to another.
    """
    import os

    from pipeline.jobs.queue import QueueError, check_database, run_worker

    url, broker = resolve_db_url(db_url), broker_url(broker)
    try:
        check_database(url)
    except QueueError as exc:
        raise click.UsageError(str(exc)) from None
    err.print(f"cardscan worker: broker {shown_url(broker)}, database {shown_url(url)}", markup=False,
              highlight=False)
    try:
        run_worker(broker, url, concurrency or os.cpu_count() or 1, redelivery_after, loglevel.upper(), queue_name)
    except Exception as exc:  # the database cannot be opened: one line, not Celery's traceback
        if loglevel.upper() == "DEBUG":
            err.print_exception()
        raise click.ClickException(f"cannot start the worker: {str(exc).strip().splitlines()[0]}") from None
