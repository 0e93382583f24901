"""CardDAV against a hostile server, a real one on localhost (issue 17, item 11): a total deadline per request,
a cap on the reply, XML parsed safely, every failure one line, and nothing sent when the listing is unusable."""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.formats.carddav import CardDavClient, CardDavError

VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ivan Petrov\r\nN:Petrov;Ivan;;;\r\nTEL:+79161234567\r\nEND:VCARD\r\n"
Behaviour = Callable[[BaseHTTPRequestHandler], None]


class Server:
    def __init__(self, behave: Behaviour) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def handle_one_request(self) -> None:
                try:
                    super().handle_one_request()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def do_any(self) -> None:
                outer.requests.append(self.command)
                behave(self)

            do_PROPFIND = do_PUT = do_DELETE = do_MKCOL = do_GET = do_any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/dav/contacts/"
        # shutdown() waits for the loop to look at its flag: every 0.05 s, not every 0.5 s, at each teardown
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Callable[[Behaviour], Server]]:
    started: list[Server] = []

    def start(behave: Behaviour) -> Server:
        started.append(Server(behave))
        return started[-1]

    yield start
    for s in started:
        s.close()


@pytest.fixture
def empty_db(sqlite_url: str) -> str:
    return sqlite_url


def _drip_body(h: BaseHTTPRequestHandler) -> None:
    h.send_response(207)
    h.send_header("Content-Length", "100000")
    h.end_headers()
    for _ in range(200):
        h.wfile.write(b"<")
        h.wfile.flush()
        time.sleep(0.5)


def _drip_headers(h: BaseHTTPRequestHandler) -> None:
    for byte in b"HTTP/1.1 207 Multi-Status\r\nX-Slow: " + b"y" * 200:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(0.5)


@pytest.mark.parametrize("behave", [_drip_body, _drip_headers])
def test_a_server_dripping_bytes_is_stopped_at_the_deadline(server, behave: Behaviour) -> None:  # type: ignore[no-untyped-def]
    s = server(behave)
    start = time.monotonic()
    with CardDavClient(s.url, deadline=2.0) as client, pytest.raises(CardDavError, match="took over 2 s"):
        client.etags()
    assert time.monotonic() - start < 4


def test_a_huge_reply_is_cut_at_the_cap(server) -> None:  # type: ignore[no-untyped-def]
    def huge(h: BaseHTTPRequestHandler) -> None:
        h.send_response(207)
        h.send_header("Content-Length", str(800 * 2**20))
        h.end_headers()
        chunk = b"x" * 2**20
        for _ in range(800):
            h.wfile.write(chunk)

    s = server(huge)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with CardDavClient(s.url) as client, pytest.raises(CardDavError, match="reply to PROPFIND is over 50 MB"):
        client.etags()
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 300_000  # KiB; 1.7 GB before


def _reply(body: bytes, status: int = 207) -> Behaviour:
    def behave(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return behave


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><d:multistatus xmlns:d="DAV:">&c;</d:multistatus>')


@pytest.mark.parametrize("body", [b"<html><body>Login page</body></html", b"\x00\xff garbage", LAUGHS])
def test_a_reply_that_is_not_webdav_xml_is_one_line(server, body: bytes, empty_db: str) -> None:  # type: ignore[no-untyped-def]
    s = server(_reply(body))
    result = CliRunner().invoke(main, ["sync", "carddav", s.url, "--db", empty_db])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "is not WebDAV XML" in result.output and len(result.output.strip().splitlines()) == 1


def test_an_overlong_etag_stops_the_sync_before_anything_is_sent(server, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vcf = tmp_path / "one.vcf"
    vcf.write_text(VCARD, encoding="utf-8")
    assert CliRunner().invoke(main, ["import", str(vcf), "--db", db_url]).exit_code == 0
    listing = ('<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>/dav/contacts/x.vcf</d:href>'
               f'<d:propstat><d:prop><d:getetag>"{"e" * 300}"</d:getetag></d:prop></d:propstat></d:response>'
               '</d:multistatus>').encode()
    s = server(_reply(listing))
    result = CliRunner().invoke(main, ["sync", "carddav", s.url, "--db", db_url])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "ETags of 302 characters, over the 200 cardscan keeps; nothing was sent" in result.output
    assert s.requests == ["PROPFIND"]


@pytest.mark.parametrize("url", ["http://[::1", "ftp://example.org/dav/", "not a url"])
def test_a_malformed_url_is_one_line(url: str, empty_db: str) -> None:
    result = CliRunner().invoke(main, ["sync", "carddav", url, "--db", empty_db])
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert "URL" in result.output and len(result.output.strip().splitlines()) == 1, result.output
