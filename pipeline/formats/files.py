"""Writing exported contacts: personal data, so files are created readable by their owner only."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def write_private(target: str, data: bytes) -> None:
    """Write `data` to the file `target` (mode 0600, replaced whole), or to standard output for '-'."""
    if target == "-":
        sys.stdout.flush()  # text written before must come first
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    # mkstemp: an unpredictable name opened O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, in the target's folder
    # (so the rename is atomic). A fixed name such as .NAME.tmpPID let anyone who can write to a shared
    # folder plant a symlink there and have the contacts written over a file of their choosing.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # the data is on disk before the name points at it
        os.replace(tmp, path)  # an existing file (or symlink) is replaced, never written through
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
