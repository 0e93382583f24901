"""What the person scanning says about a batch of cards, apart from the storing code: `cardscan scan
--no-store` builds one too, and importing the store (SQLAlchemy, the models, dedupe) cost it ~1 s of start-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Filing:
    """What the person scanning knows about a batch of cards: where and when they met these people, and whether
    a new contact gets a follow-up on the next working day (the networker's rule: write the next day)."""

    met_at: str | None = None
    met_on: date | None = None  # None with met_at: today
    follow_up: bool = False
    today: date | None = None  # None: the real today (tests fix it)
