"""Where each file sent to the scan queue stands (`cardscan queue status`).

Kept in the contact database, not in the broker or Redis: a job turns `filed` in the same transaction
that stores its cards, so "filed" can never be said of a file whose cards were lost, nor the other way round,
whichever broker carries the messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

# queued: sent, no worker has it yet; running: a worker is reading it (or died reading it and the broker
# will hand it out again); filed: its cards are stored; failed: given up, `error` says why in one line.
JOB_STATES = ("queued", "running", "filed", "failed")


class QueueJob(Base):
    __tablename__ = "queue_job"

    # The file's content names the job: the same bytes sent twice, from any machine, are one job.
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(1000))
    state: Mapped[str] = mapped_column(String(10), index=True, default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # deliveries a worker started on
    error: Mapped[str | None] = mapped_column(String(1000))
    result: Mapped[str | None] = mapped_column(String(10))  # ok | no_card, once filed
    outcomes: Mapped[list[Any]] = mapped_column(JSON, default=list)  # per card: [outcome, contact id, filed]
    worker: Mapped[str | None] = mapped_column(String(200))  # host:pid of the last worker that took it
    enqueued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
