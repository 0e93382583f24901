"""`cardscan watch`: file every card dropped into an inbox folder, then move the file away.

Order of work for one file, chosen so that a kill at any moment loses nothing and stores nothing
twice: wait until the file is complete -> read it through a descriptor that cannot leave the
inbox -> commit its cards -> move it to processed/YYYY-MM-DD/ (or failed/ with the reason). A
file still in the inbox after a crash is simply taken again: its sha256 is then already stored
and it goes to processed/ without a second contact.
"""

from __future__ import annotations

import hashlib
import os
import queue
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pipeline.book.filing import Filing
from pipeline.book.store import store_result
from pipeline.core.config import Settings
from pipeline.core.display import printable
from pipeline.core.types import ScanResult
from pipeline.jobs import safe_files
from pipeline.jobs.batch import stored_digests
from pipeline.jobs.memory import return_free_memory
from pipeline.stages.load import size_text
from pipeline.stages.report import NO_CARD, filing, waits_for_review
from pipeline.stages.run import scan

TEMP_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", ".swp", ".swx", "~")
RESCAN_EVERY = 60.0  # seconds: a full look at the tree, in case the OS dropped an event
TICK = 0.2
GRACE_FACTOR = 30  # a complete-looking file that will not decode is given this many settle periods
RETRY_FACTOR = 5  # ... and tried again every this many
HASH_CHUNK = 1 << 20


def done_line(result: ScanResult | None) -> str:
    """What filing a file did, for the log: a card filed with held fields created or merged its contact (the
    line said "needs_review contact 2" of a card that had made contact 2), and waits in the review queue."""
    if result is None:
        return "already stored"
    if not result.cards:
        return NO_CARD
    said = []
    for card in result.cards:
        filed = filing(card) or "read"
        text = f"{filed} contact {card.contact_id}" if card.contact_id is not None else filed
        said.append(text + (" (to check: `cardscan review`)" if waits_for_review(card) else ""))
    return f"{len(result.cards)} card(s): " + ", ".join(said)


@dataclass(frozen=True)
class WatchOptions:
    inbox: Path
    processed: Path
    failed: Path
    poll: float | None = None  # seconds between polls; None = inotify
    settle: float = 1.0  # size and mtime unchanged this long before a file is taken
    max_bytes: int = Settings().max_file_bytes
    filing: Filing | None = None  # the inbox's default: where its cards' people were met, follow-ups

    @property
    def grace(self) -> float:
        return GRACE_FACTOR * self.settle


@dataclass
class Seen:
    """What a waiting file looked like, and since when it has looked like that."""

    size: int
    mtime_ns: int
    since: float
    retry_at: float = 0.0  # a file that would not decode is tried again from then on


@dataclass
class WatchStats:
    processed: int = 0
    failed: int = 0
    cards: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)


def ignored_name(name: str) -> bool:
    """Dotfiles, editors' and browsers' temp files: never ours to take."""
    return name.startswith((".", "#", "~")) or name.lower().endswith(TEMP_SUFFIXES)


class Watcher:
    def __init__(self, options: WatchOptions, settings: Settings, maker: sessionmaker[Session],
                 log: Callable[[str], None]) -> None:
        self.options, self.settings, self.maker = options, settings, maker
        # Every line names a file, and a file name may hold a newline, an escape sequence or bytes that
        # are not UTF-8: one line each, printable, whatever the name.
        self.log: Callable[[str], None] = lambda message: log(printable(message))
        self.root = options.inbox.resolve()
        self.root_fd = os.open(self.root, safe_files.DIR_FLAGS)
        for folder in (options.processed, options.failed):
            safe_files.private_dir(folder)
        self.processed_fd = os.open(options.processed, safe_files.DIR_FLAGS)
        self.failed_fd = os.open(options.failed, safe_files.DIR_FLAGS)
        self.excluded = {options.processed.resolve(), options.failed.resolve()}
        self.waiting: dict[PurePath, Seen] = {}
        self.left_alone: set[PurePath] = set()  # refused but could not be moved: said once, not again
        self.events: queue.SimpleQueue[PurePath] = queue.SimpleQueue()
        self.stop = threading.Event()
        self.stats = WatchStats()

    # ---- finding files ------------------------------------------------------------------

    def relative(self, path: str | Path) -> PurePath | None:
        """`path` relative to the inbox, or None when it is outside it, excluded, or ignored."""
        absolute = Path(os.path.abspath(path))
        if absolute == self.root or not absolute.is_relative_to(self.root):
            return None
        if any(absolute == ex or absolute.is_relative_to(ex) for ex in self.excluded):
            return None
        rel = absolute.relative_to(self.root)
        return None if any(ignored_name(part) for part in rel.parts) else rel

    def notice(self, path: str | Path) -> None:
        rel = self.relative(path)
        if rel is not None:
            self.events.put(rel)

    def scan_tree(self) -> None:
        """Everything already in the inbox: taken at start, and now and then as a safety net."""
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            dirnames[:] = [d for d in dirnames if self.relative(Path(dirpath, d)) is not None]
            for name in filenames:
                self.notice(Path(dirpath, name))

    # ---- the loop -----------------------------------------------------------------------

    def run(self) -> WatchStats:
        observer = self._observer()
        observer.start()
        try:
            self.scan_tree()
            last_scan = time.monotonic()
            while not self.stop.is_set():
                self._drain_events()
                for rel in self._ready():
                    if self.stop.is_set():
                        break
                    self._take(rel)
                if time.monotonic() - last_scan > RESCAN_EVERY:
                    self.scan_tree()
                    last_scan = time.monotonic()
                self.stop.wait(TICK)
        finally:
            observer.stop()
            observer.join()
        return self.stats

    def _observer(self) -> Any:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.is_directory:
                    if event.event_type in ("created", "moved"):
                        watcher.events.put(PurePath("."))  # a folder moved in: look at the tree again
                    return
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path:
                        watcher.notice(os.fsdecode(path))

        observer = PollingObserver(timeout=self.options.poll) if self.options.poll else Observer()
        observer.schedule(Handler(), str(self.root), recursive=True)
        return observer

    def _drain_events(self) -> None:
        rescan = False
        while True:
            try:
                rel = self.events.get_nowait()
            except queue.Empty:
                break
            if rel == PurePath("."):
                rescan = True
            elif rel not in self.left_alone:
                self.waiting.setdefault(rel, Seen(-1, -1, time.monotonic()))
        if rescan:
            self.scan_tree()
            self._drain_events()

    def _ready(self) -> list[PurePath]:
        """Files whose size and mtime have stood still for `settle` seconds; the others wait."""
        now, ready = time.monotonic(), []
        for rel, seen in list(self.waiting.items()):
            try:
                st = os.lstat(self.root / rel)
            except OSError:
                del self.waiting[rel]  # gone (moved away by its owner, or by us)
                continue
            if stat.S_ISDIR(st.st_mode):
                del self.waiting[rel]
                continue
            if (st.st_size, st.st_mtime_ns) != (seen.size, seen.mtime_ns):
                self.waiting[rel] = Seen(st.st_size, st.st_mtime_ns, now)
            elif now - seen.since >= self.options.settle and now >= seen.retry_at:
                ready.append(rel)
        return sorted(ready)

    # ---- one file -----------------------------------------------------------------------

    def _take(self, rel: PurePath) -> None:
        seen = self.waiting[rel]
        try:
            dir_fd = safe_files.open_dir(self.root_fd, rel.parent)
        except (safe_files.Refused, OSError) as exc:
            self._forget(rel, f"skipped {rel}: {exc}")
            return
        try:
            self._take_in(dir_fd, rel, seen)
        except SQLAlchemyError as exc:  # the database is down or locked: the file stays and is tried again
            self.waiting[rel] = Seen(seen.size, seen.mtime_ns, time.monotonic())
            self.log(f"{rel}: not stored, will try again: {_first_line(exc)}")
        except Exception as exc:  # one odd file must never stop the watcher (nor, by a
            # restart that meets it again, make it a crash loop): it is left where it is, said once.
            self._forget(rel, f"{rel}: left in the inbox: {type(exc).__name__}: {_first_line(exc)}")
        finally:
            os.close(dir_fd)

    def _take_in(self, dir_fd: int, rel: PurePath, seen: Seen) -> None:
        fd = self._open(dir_fd, rel)
        if fd is None:
            return
        opened = os.fstat(fd)
        try:
            if opened.st_size > self.options.max_bytes:
                self._fail(dir_fd, rel, f"refused: {size_text(opened.st_size)}, over the "
                                        f"{size_text(self.options.max_bytes)} limit")
                return
            if self._already_stored(fd):
                self._done(dir_fd, rel, None)
                return
            result = self._scan(fd, rel)
        finally:
            os.close(fd)
            return_free_memory()  # a watcher runs for months: its memory must not creep up photo by photo
        if _changed(dir_fd, rel.name, opened):  # written to or replaced while we read it: not the file we read
            self.waiting[rel] = Seen(-1, -1, time.monotonic())
            return
        if result.status == "error":
            self._unreadable(dir_fd, rel, seen, result)
            return
        if result.cards:
            with self.maker.begin() as session:  # committed before the move: a kill in between is harmless
                store_result(session, result, filing=self.options.filing)
        self._done(dir_fd, rel, result)

    def _open(self, dir_fd: int, rel: PurePath) -> int | None:
        """A descriptor on the file to take in; None when it is gone (forgotten) or refused (moved to failed/)."""
        try:
            return safe_files.open_regular(dir_fd, rel.name)
        except FileNotFoundError:
            self.waiting.pop(rel, None)
        except safe_files.Refused as exc:
            self._fail(dir_fd, rel, f"refused: {exc}")
        return None

    def _already_stored(self, fd: int) -> bool:
        """Stored before a crash or a restart, or the same file dropped twice: no second contact."""
        digest, offset = hashlib.sha256(), 0  # streamed: the file may be up to max_bytes
        while chunk := os.pread(fd, HASH_CHUNK, offset):
            digest.update(chunk)
            offset += len(chunk)
        with self.maker() as session:
            return bool(stored_digests(session, [digest.hexdigest()]))

    def _scan(self, fd: int, rel: PurePath) -> ScanResult:
        """Read through our own descriptor, so what is scanned is what we checked, wherever the name points now."""
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(self.settings.max_file_bytes + 1)  # one byte over is enough to say it is too big
        # The name is made printable by scan: the database and JSON take UTF-8 only.
        return scan(data, self.settings, name=str(self.root / rel))

    def _unreadable(self, dir_fd: int, rel: PurePath, seen: Seen, result: ScanResult) -> None:
        """A copy still arriving looks like a corrupt file: give it time before calling it bad."""
        if self.stop.is_set():
            return  # stopped in the middle (Ctrl-C reaches the OCR engine too): leave it for next time
        now = time.monotonic()
        if now - seen.since < self.options.grace:
            self.waiting[rel] = Seen(seen.size, seen.mtime_ns, seen.since, now + RETRY_FACTOR * self.options.settle)
            return
        self._fail(dir_fd, rel, result.error or "cannot be read")

    def _done(self, dir_fd: int, rel: PurePath, result: ScanResult | None) -> None:
        """Move a file whose cards are committed (`result` None: stored on an earlier run)."""
        day_fd = safe_files.private_subdir(self.processed_fd, date.today().isoformat())
        try:
            moved = safe_files.move_no_clobber(dir_fd, rel.name, day_fd)
        finally:
            os.close(day_fd)
        self.waiting.pop(rel, None)
        self._record_move(printable(str(self.root / rel)),
                          # whole, as cards are stored: a relative --processed means nothing to a later command
                          printable(str(self.options.processed.resolve() / date.today().isoformat() / moved)))
        self.stats.processed += 1
        cards = result.cards if result else []
        self.stats.cards += len(cards)
        for card in cards:
            if filed := filing(card):
                self.stats.outcomes[filed] = self.stats.outcomes.get(filed, 0) + 1
        self.log(f"{rel}: {done_line(result)} -> {self.options.processed / date.today().isoformat() / moved}")

    def _record_move(self, old: str, new: str) -> None:
        """The cards say where their image is now, so `contacts delete --with-files` finds it there."""
        from models import Card

        try:
            with self.maker.begin() as session:
                session.execute(update(Card).where(Card.source_path == old).values(source_path=new))
        except SQLAlchemyError as exc:  # the cards are stored and the file is safe: only the path is stale
            self.log(f"moved {old} to {new}, but the database still says {old}: {_first_line(exc)}")

    def _fail(self, dir_fd: int, rel: PurePath, reason: str) -> None:
        self.waiting.pop(rel, None)
        try:
            moved = safe_files.move_no_clobber(dir_fd, rel.name, self.failed_fd, extra_free=(".error.txt",))
            safe_files.write_private(self.failed_fd, moved + ".error.txt", printable(f"{rel}: {reason}") + "\n")
        except (OSError, safe_files.Refused) as exc:
            self._forget(rel, f"{rel}: {reason}; left in the inbox ({exc})")
            return
        self.stats.failed += 1
        self.log(f"{rel}: {reason} -> {self.options.failed / moved}")

    def _forget(self, rel: PurePath, message: str) -> None:
        self.waiting.pop(rel, None)
        self.left_alone.add(rel)
        self.log(message)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _changed(dir_fd: int, name: str, opened: os.stat_result) -> bool:
    try:
        now = os.lstat(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return True
    return (now.st_ino, now.st_size, now.st_mtime_ns) != (opened.st_ino, opened.st_size, opened.st_mtime_ns)
