"""File operations for a folder that less-trusted users can write to (a shared scanner inbox).

Everything goes through directory file descriptors opened without following symlinks, so a
path swapped for a symlink mid-way cannot make us read or move anything outside the tree; a
move never overwrites (hard link onto a new name, then unlink); what we create is private.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path, PurePath

from pipeline.core.display import printable
from pipeline.stages.load import kind_of  # one wording for a FIFO or device, here and in `scan`

DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
COPY_CHUNK = 1 << 20
NAME_MAX = 255  # bytes in one file name, on every Linux filesystem we may be given
MAX_NAME_TRIES = 10_000


class Refused(Exception):
    """Not a file we take: a symlink, FIFO, device, or a path leaving the tree. One-line reason."""


def open_dir(root_fd: int, relative: PurePath) -> int:
    """The folder `relative` below `root_fd`, every step refusing a symlink."""
    fd = os.dup(root_fd)
    try:
        for part in relative.parts:
            if part in ("..", ".", "/"):
                raise Refused(f"path {relative} leaves the inbox")
            try:
                next_fd = os.open(part, DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise Refused(f"folder {part!r} is a symbolic link or not a folder") from None
                raise
            os.close(fd)
            fd = next_fd
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_regular(dir_fd: int, name: str) -> int:
    """A read-only descriptor on a regular file; a symlink, FIFO or device is refused unopened."""
    st = os.lstat(name, dir_fd=dir_fd)
    if not stat.S_ISREG(st.st_mode):
        raise Refused(f"{kind_of(st.st_mode)}, not a regular file")
    try:
        fd = os.open(name, FILE_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("a symbolic link, not a regular file") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between lstat and open
        os.close(fd)
        raise Refused("not a regular file")
    return fd


def private_dir(path: Path) -> None:
    """Create `path` (and its parents) readable by the owner only."""
    old = os.umask(0o077)
    try:
        path.mkdir(parents=True, exist_ok=True)
    finally:
        os.umask(old)


def private_subdir(parent_fd: int, name: str) -> int:
    with contextlib.suppress(FileExistsError):
        os.mkdir(name, 0o700, dir_fd=parent_fd)
    return os.open(name, DIR_FLAGS, dir_fd=parent_fd)


def candidate_names(name: str, reserve: int = 0) -> Iterator[str]:
    """card.jpg, card-1.jpg, card-2.jpg ...: a free name is found, nothing is overwritten.

    Every name is valid UTF-8 on one line (a cp1251 name from a Windows share becomes %C2%E8...), and
    fits NAME_MAX with `reserve` bytes to spare: the stem is shortened, never the suffix, so a 255-byte
    name that collides still finds a free one (its "-1" once ran past the limit: ENAMETOOLONG, and the
    watcher fell over on it again on every restart)."""
    path = PurePath(printable(name))
    suffix = path.suffix if len(path.suffix.encode()) <= 16 else ""
    stem = path.name[: len(path.name) - len(suffix)]
    for n in range(MAX_NAME_TRIES):
        tail = (f"-{n}" if n else "") + suffix
        yield _shorten(stem, NAME_MAX - reserve - len(tail.encode())) + tail


def move_no_clobber(src_dir_fd: int, name: str, dst_dir_fd: int, extra_free: tuple[str, ...] = ()) -> str:
    """Move `name` into the destination folder under a free name and return that name.

    A hard link onto a new name fails rather than overwrite, and only then is the source unlinked;
    across filesystems the data is copied, fsynced, and only then the source unlinked. With
    `extra_free`, the name plus each of those suffixes must be free too (for a side file).
    """
    for candidate in candidate_names(name, max((len(s.encode()) for s in extra_free), default=0)):
        if any(_exists(dst_dir_fd, candidate + suffix) for suffix in extra_free):
            continue
        try:
            os.link(name, candidate, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            if not _copy_across(src_dir_fd, name, dst_dir_fd, candidate):
                continue
        os.unlink(name, dir_fd=src_dir_fd)
        return candidate
    raise OSError(f"no free name for {name} in the destination folder")


def _shorten(text: str, max_bytes: int) -> str:
    """`text` cut to at most `max_bytes` of UTF-8, never inside a character."""
    return text.encode()[:max(max_bytes, 1)].decode(errors="ignore")


def write_private(dir_fd: int, name: str, text: str) -> None:
    fd = os.open(name, NEW_FILE_FLAGS, 0o600, dir_fd=dir_fd)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


def _exists(dir_fd: int, name: str) -> bool:
    try:
        os.lstat(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return False
    return True


def _copy_across(src_dir_fd: int, name: str, dst_dir_fd: int, candidate: str) -> bool:
    """Copy to a new private file, fsync it; False when the name was taken meanwhile."""
    src = open_regular(src_dir_fd, name)
    try:
        try:
            dst = os.open(candidate, NEW_FILE_FLAGS, 0o600, dir_fd=dst_dir_fd)
        except FileExistsError:
            return False
        with os.fdopen(dst, "wb") as out:
            while chunk := os.read(src, COPY_CHUNK):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    finally:
        os.close(src)
    return True
