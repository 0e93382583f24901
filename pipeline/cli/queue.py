"""`cardscan queue status`: where the files sent to the scan queue stand."""

from __future__ import annotations

import json

import click

from models.database import shown_url
from pipeline.cli.common import broker_option, db_option, open_engine, queue_name_option
from pipeline.core.config import default_broker_url, resolve_db_url


@click.group()
def queue() -> None:
    """The scan queue shared by `cardscan worker`s."""


@queue.command()
@db_option
@broker_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
@click.option("--failed", "failed_limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="List this many failed files with their reasons.")
@queue_name_option
def status(db_url: str | None, broker: str | None, as_json: bool, failed_limit: int, queue_name: str) -> None:
    """Files queued, running, filed and failed (kept in the database), and messages waiting in the broker."""
    from models.database import sessions
    from pipeline.jobs.queue import make_app
    from pipeline.jobs.queue import status as queue_status

    url = resolve_db_url(db_url)
    broker = broker or default_broker_url()
    app = make_app(broker, queue_name=queue_name) if broker else None
    found = queue_status(sessions(open_engine(url, create=False)), app, failed_limit)
    if as_json:
        click.echo(json.dumps({**found.counts, "in_broker": found.in_broker,
                               "failed_files": [{"file": f, "reason": r} for f, r in found.failed]},
                              ensure_ascii=False))
        return
    c = found.counts
    click.echo(f"queued {c['queued']}, running {c['running']}, filed {c['filed']}, failed {c['failed']}; "
               f"database {shown_url(url)}")
    if broker:
        waiting = "cannot be asked" if found.in_broker is None else f"{found.in_broker} message(s) waiting"
        click.echo(f"broker {shown_url(broker)}: {waiting}")
    for source, reason in found.failed:
        click.echo(f"failed {source}: {reason}")
