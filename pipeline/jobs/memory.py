"""Keep a long-running worker's memory near one image's worth.

glibc raises its mmap threshold after the first large free, so later 60 MB photo buffers come from
the heap, which fragments and never shrinks: a worker that has read a few big photos sat at 440 MB
where one photo needs 350. A fixed threshold keeps every large buffer in its own mapping, returned
to the system when freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3  # from glibc's malloc.h
MMAP_THRESHOLD_BYTES = 1 << 20


def return_large_buffers() -> bool:
    """True when set (glibc); elsewhere nothing to do and False."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):  # not glibc (musl, macOS): no mallopt
        return False
