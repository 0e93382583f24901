"""Writing exported contacts: personal data, so files are created readable by their owner only."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def write_private(target: str, data: bytes) -> None:
    """Write `data` to the file `target` (mode 0600, replaced whole), or to standard output for '-'."""
    if target == "-":
        sys.stdout.flush()  # text written before must come first
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)  # an existing file with wider permissions is replaced, not rewritten in place
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
