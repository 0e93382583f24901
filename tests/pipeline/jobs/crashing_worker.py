"""`cardscan worker` whose reader dies on a poison file, as a worker hit by a crashing decoder would.

The tests need a file that kills the process reading it every time. No real image does that to the
libraries we use today, so this stands in for one: the real worker, the real broker and the real
redelivery, with the one scan call replaced by a SIGKILL of the pool process when the bytes start
with POISON. Run as `python -m tests.pipeline.jobs.crashing_worker worker ...`.
"""

from __future__ import annotations

import os
import signal
from typing import Any

import pipeline.stages.run as run

POISON = b"POISON"
_real_scan = run.scan


def _scan(source: Any, *args: Any, **kwargs: Any) -> Any:
    if isinstance(source, bytes) and source.startswith(POISON):
        os.kill(os.getpid(), signal.SIGKILL)
    return _real_scan(source, *args, **kwargs)


run.scan = _scan  # type: ignore[assignment]

if __name__ == "__main__":
    from pipeline.cli import run as cli

    cli()
