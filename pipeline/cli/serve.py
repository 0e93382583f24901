"""`cardscan serve`: the local web app for reviewing cards and keeping the contact book."""

from __future__ import annotations

import click

from pipeline.cli.common import db_option, err, open_engine, region_option
from pipeline.core.config import Settings, resolve_db_url


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but the loopback requires a token.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--token", default=None, help="Access token (default off the loopback: a new random one, printed).")
@region_option()
def serve(db_url: str | None, host: str, port: int, token: str | None, region: str | None) -> None:
    """Open the contact book in a browser: add cards, review doubtful readings, search, edit, merge, export."""
    import uvicorn

    from models.database import shown_url
    from pipeline.web.app import create_app
    from pipeline.web.security import guard_for

    url = resolve_db_url(db_url)
    open_engine(url).dispose()  # a bad URL or a database that cannot be opened is one line, before serving
    guard = guard_for(host, token)
    app = create_app(url, guard, Settings(region=region))
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    link = where + (f"?token={guard.token}" if guard.token else "")
    shown = shown_url(url)
    err.print(f"cardscan: serving {shown} at {link}", markup=False, highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")
