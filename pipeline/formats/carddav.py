"""`cardscan sync carddav URL`: push contacts into an address book on a CardDAV server (RFC 6352).

One PROPFIND lists the server's vCards and their ETags; a contact whose vCard has not changed since the
last push (same hash, kept in `sync_state`) is not sent again; a changed one is sent with If-Match, so an
edit made on the phone meanwhile is never overwritten (it is reported as a conflict); a deleted contact's
vCard is deleted. Credentials are used for the requests only and never stored.
"""

from __future__ import annotations

import hashlib
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import unquote
from xml.etree.ElementTree import ParseError

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import SyncState
from pipeline.core.errors import CardscanError
from pipeline.formats.record import build_record, select_contacts
from pipeline.formats.vcard import Version, vcard3, vcard4

DAV = "{DAV:}"
PROPFIND_ETAGS = (b'<?xml version="1.0" encoding="utf-8"?>'
                  b'<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>')
MKCOL_ADDRESSBOOK = (
    b'<?xml version="1.0" encoding="utf-8"?><d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
    b'<d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>'
    b'<d:displayname>cardscan</d:displayname></d:prop></d:set></d:mkcol>')
_REV = re.compile(r"^REV[;:].*\r\n", re.MULTILINE)
# A hostile or broken server must not hold us or our memory: every request has a total deadline (not
# per read: one byte every 5 s kept the old client connected for ever) and its reply a size cap.
REQUEST_DEADLINE = 120.0  # seconds, connect to last byte
MAX_REPLY_BYTES = 50 * 1024 * 1024  # a PROPFIND listing 10,000 vCards is about 3 MB
MAX_ETAG_CHARS = 200  # what sync_state.etag holds


class CardDavError(CardscanError):
    """The server could not be reached or refused a request; the message says what to check."""


class _Expired(Exception):
    pass


@dataclass(frozen=True)
class Reply:
    """A whole, size-checked reply."""

    status_code: int
    reason_phrase: str
    headers: httpx.Headers
    content: bytes


@dataclass
class SyncReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    conflicts: list[str] = field(default_factory=list)  # hrefs changed on the server since the last push
    requests: Counter[str] = field(default_factory=Counter)  # HTTP method -> requests sent


class CardDavClient:
    """The few WebDAV requests a push needs, on one address book collection."""

    def __init__(self, url: str, user: str | None = None, password: str | None = None,
                 transport: httpx.BaseTransport | None = None, timeout: float = 30.0,
                 deadline: float = REQUEST_DEADLINE) -> None:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise CardDavError(f"not a URL cardscan can use: {url!r} ({exc})") from None
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise CardDavError(f"not an http:// or https:// URL with a host: {url!r}")
        self.deadline = deadline
        user = user or unquote(parsed.username) or None
        password = password if password is not None else (unquote(parsed.password) or None)
        self.url = str(parsed.copy_with(username=None, password=None)).rstrip("/") + "/"
        self.path = httpx.URL(self.url).path
        auth = httpx.BasicAuth(user, password or "") if user else None
        self.http = httpx.Client(auth=auth, timeout=timeout, transport=transport, follow_redirects=False)
        self.sent: Counter[str] = Counter()

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> CardDavClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def href_for(self, uid: str) -> str:
        return f"{self.path}{uid}.vcf"

    def etags(self) -> dict[str, str | None]:
        """href -> ETag of every vCard in the collection."""
        response = self._send("PROPFIND", self.url, content=PROPFIND_ETAGS,
                              headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"})
        self._check(response, "list the address book", ok=(207,))
        try:  # defusedxml: no entity expansion (a billion laughs), no external entities
            root = fromstring(response.content)
        except (ParseError, DefusedXmlException, ValueError) as exc:
            raise CardDavError(f"the server's listing of {self.url} is not WebDAV XML ({exc}); "
                               "check the URL is an address book") from None
        found = {}
        for item in root.iter(f"{DAV}response"):
            try:
                href = unquote(item.findtext(f"{DAV}href") or "")
                href = httpx.URL(href).path if href.startswith("http") else href
            except (httpx.InvalidURL, ValueError) as exc:
                raise CardDavError(f"the server listed an href cardscan cannot use ({exc})") from None
            if href.rstrip("/") == self.path.rstrip("/"):
                continue  # the collection itself
            etag = item.findtext(f"{DAV}propstat/{DAV}prop/{DAV}getetag")
            if etag and len(etag) > MAX_ETAG_CHARS:  # said before anything is sent, not after the PUTs
                raise CardDavError(f"the server gives ETags of {len(etag)} characters, over the {MAX_ETAG_CHARS} "
                                   "cardscan keeps; nothing was sent")
            found[href] = etag
        return found

    def put(self, href: str, vcard: str, etag: str | None, new: bool) -> tuple[bool, str | None]:
        """(stored, new ETag); not stored when the server's copy changed since `etag` (412)."""
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        if new:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        response = self._send("PUT", self._absolute(href), content=vcard.encode("utf-8"), headers=headers)
        if response.status_code == 412:
            return False, None
        self._check(response, f"store {href}", ok=(200, 201, 204))
        etag = response.headers.get("ETag")
        # One too long to keep is as good as none: the next listing asks for it (and refuses it, before sending).
        return True, etag if etag and len(etag) <= MAX_ETAG_CHARS else None

    def delete(self, href: str, etag: str | None) -> bool:
        response = self._send("DELETE", self._absolute(href), headers={"If-Match": etag} if etag else {})
        if response.status_code == 412:
            return False
        if response.status_code != 404:  # already gone is what we wanted
            self._check(response, f"delete {href}", ok=(200, 204))
        return True

    def create_addressbook(self) -> None:
        response = self._send("MKCOL", self.url, content=MKCOL_ADDRESSBOOK,
                              headers={"Content-Type": "application/xml; charset=utf-8"})
        self._check(response, "create the address book", ok=(201,))

    def _absolute(self, href: str) -> str:
        return str(httpx.URL(self.url).copy_with(path=href))

    def _send(self, method: str, url: str, **kwargs: object) -> Reply:
        self.sent[method] += 1
        start = time.monotonic()
        try:
            with _deadline(self.deadline), self.http.stream(method, url, **kwargs) as response:  # type: ignore[arg-type]
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_REPLY_BYTES:
                        raise CardDavError(f"the server's reply to {method} is over {MAX_REPLY_BYTES // 2**20} MB; "
                                           "stopped reading it")
                    if time.monotonic() - start > self.deadline:
                        raise _Expired
                return Reply(response.status_code, response.reason_phrase, response.headers, bytes(body))
        except _Expired:
            raise CardDavError(f"the server took over {self.deadline:.0f} s to answer {method}; stopped") from None
        except httpx.HTTPError as exc:
            raise CardDavError(f"cannot reach {self.url}: {exc}; check the URL and that the server is up") from None

    def _check(self, response: Reply, what: str, ok: tuple[int, ...]) -> None:
        if response.status_code in ok:
            return
        if response.status_code in (401, 403):
            raise CardDavError(f"the server refused to {what} ({response.status_code}); check --user and the password")
        if response.status_code == 404:
            raise CardDavError(f"no address book at {self.url}; check the URL, or add --create")
        raise CardDavError(f"the server could not {what}: HTTP {response.status_code} {response.reason_phrase}")


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt a read blocked on a server that sends a byte now and then: SIGALRM, in the main thread
    (where the CLI runs); elsewhere the deadline is checked between chunks of the body."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(*_: object) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def vcard_hash(vcard: str) -> str:
    """REV changes whenever anything does; left out, the hash says whether the content changed."""
    return hashlib.sha256(_REV.sub("", vcard).encode("utf-8")).hexdigest()


def sync(session: Session, client: CardDavClient, version: Version = "3.0", with_photo: bool = False) -> SyncReport:
    """Push every contact to the client's address book; only what changed since the last push is sent."""
    report, sent_before = SyncReport(), client.sent.copy()
    server = client.etags()
    states = {s.contact_id: s for s in session.scalars(select(SyncState).where(SyncState.collection == client.url))}
    write = vcard4 if version == "4.0" else vcard3
    for contact in select_contacts(session, with_photo=with_photo):
        record = build_record(contact, with_photo=with_photo)
        text = write(record)
        state = states.pop(contact.id, None)
        if state is None:
            _push_new(session, client, contact.id, record.uid, text, server, report)
        elif state.vcard_hash == vcard_hash(text):
            report.unchanged += 1
        else:
            _push_change(client, state, text, report)
    for orphan in states.values():  # contacts deleted (or merged away) since the last push
        if orphan.contact_id is None:
            _delete(session, client, orphan, report)
    _fill_missing_etags(session, client)
    report.requests = client.sent - sent_before
    session.flush()
    return report


def _push_new(session: Session, client: CardDavClient, contact_id: int, uid: str, text: str,
              server: dict[str, str | None], report: SyncReport) -> None:
    href = client.href_for(uid)
    # Already there (pushed before this database's sync state was made): replace it if unchanged since listed.
    stored, etag = client.put(href, text, server.get(href), new=href not in server)
    if not stored:
        report.conflicts.append(href)
        return
    session.add(SyncState(contact_id=contact_id, collection=client.url, href=href, etag=etag,
                          vcard_hash=vcard_hash(text)))
    report.created += 1


def _push_change(client: CardDavClient, state: SyncState, text: str, report: SyncReport) -> None:
    stored, etag = client.put(state.href, text, state.etag, new=False)
    if not stored:
        report.conflicts.append(state.href)
        return
    state.etag, state.vcard_hash = etag, vcard_hash(text)
    report.updated += 1


def _delete(session: Session, client: CardDavClient, state: SyncState, report: SyncReport) -> None:
    if client.delete(state.href, state.etag):
        session.delete(state)
        report.deleted += 1
    else:
        report.conflicts.append(state.href)


def _fill_missing_etags(session: Session, client: CardDavClient) -> None:
    """Some servers answer a PUT without an ETag; without one the next change could not be sent safely."""
    missing = [s for s in session.new | session.dirty if isinstance(s, SyncState) and s.etag is None]
    if missing:
        server = client.etags()
        for state in missing:
            state.etag = server.get(state.href)
