"""Keep a long-running worker's memory near one image's worth.

glibc keeps freed memory in its heap, which fragments and never shrinks on its own: a worker that had read a
few big photos sat at 440 MB where one photo needs 350. Each file's memory is handed back once the file is
read (`malloc_trim`), so a worker starts every file from about its resting size.

It used to be done by a fixed 1 MB mmap threshold (every buffer over 1 MB in its own mapping, unmapped when
freed), which made the kernel fault in and zero every large buffer afresh: a card's grey copies, Tesseract's
page images, the float planes of finding cards. On tuning seed 3 (60 images, one worker-like process) that was
2.55 million page faults and 5.7 s of system CPU against 0.63 million and 2.1 s trimming once a file, for the
same peak (368 against 378 MB): 40.2 -> 37.6 CPU s in all (docs/speed.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any


@cache
def _libc() -> Any | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def return_free_memory() -> bool:
    """Hand the heap's free pages back to the system (glibc's malloc_trim, which also releases free pages in
    the middle of the heap); call it between files. True when done; elsewhere (musl, macOS) nothing to do."""
    libc = _libc()
    if libc is None:  # not glibc: no malloc_trim
        return False
    libc.malloc_trim(0)
    return True
