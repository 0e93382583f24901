"""`cardscan serve`: the local web app for reviewing cards and keeping the contact book."""

from __future__ import annotations

import errno
import socket

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
    sock = _listening_socket(host, port)  # before saying "serving": a port in use is one line, exit 1
    link = where + (f"?token={guard.token}" if guard.token else "")
    shown = shown_url(url)
    err.print(f"cardscan: serving {shown} at {link}", markup=False, highlight=False)
    uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning")).run(sockets=[sock])


def _listening_socket(host: str, port: int) -> socket.socket:
    """The socket uvicorn would bind (the same options), bound here first: uvicorn, on a port in use, logged
    `ERROR: [Errno 98]` after we had printed the address, and exited 3."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        hint = "; another program (another `cardscan serve`?) has it: give another --port" if (
            exc.errno == errno.EADDRINUSE) else ""
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from None
    return sock
