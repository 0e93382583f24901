"""What runs inside a batch worker process (`cardscan batch`, and the scan queue's pool processes).

Kept apart from `jobs.batch`, which the parent runs: a spawned worker imports only what reading a file
needs. With the database layer too (SQLAlchemy and the models, for the parent's storing) each worker
took 0.25 s more CPU to start and 23 MB more memory for its whole life.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import resource
import signal
from pathlib import Path

from pipeline.core.config import Settings
from pipeline.core.types import ScanResult
from pipeline.jobs.memory import return_free_memory
from pipeline.stages.run import scan

WORKER_MEMORY_ENV = "CARDSCAN_WORKER_MEMORY_MB"
DEFAULT_WORKER_MEMORY_MB = 2560
MIB = 1024 * 1024
PR_SET_PDEATHSIG = 1  # from linux/prctl.h


def worker_memory_limit() -> int:
    """Bytes of data a worker may allocate: `CARDSCAN_WORKER_MEMORY_MB`, else 2560 MB (the largest input
    the limits let through, one 80 MP page, peaks at about 1.5 GB)."""
    return int(os.environ.get(WORKER_MEMORY_ENV) or DEFAULT_WORKER_MEMORY_MB) * MIB


def init_worker() -> None:
    # A worker dies with its parent (SIGKILL included) instead of waiting for ever on its pipe.
    _die_with_parent()
    # Over the limit an allocation fails with MemoryError, which scan turns into a one-line error
    # for that file; without it the OOM killer picks a process, perhaps not ours.
    with contextlib.suppress(ValueError, OSError):
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = worker_memory_limit()
        resource.setrlimit(resource.RLIMIT_DATA, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    # Parallelism is the worker processes: one engine thread each, so N workers use N cores.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import cv2

    cv2.setNumThreads(1)
    # Ctrl-C reaches the whole process group: the parent decides, workers just finish or get cancelled.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _die_with_parent() -> None:
    name = ctypes.util.find_library("c")
    if not name:
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent was gone before the call
        os._exit(1)


def scan_in_worker(path: Path, settings: Settings) -> tuple[ScanResult, int, int]:
    """One file read, with the worker's pid and its peak resident memory so far (kB)."""
    result = scan(path, settings)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return_free_memory()  # the file's buffers, back to the system before the next file
    return result, os.getpid(), peak
