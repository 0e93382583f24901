"""Birthdays and follow-ups coming up: what `cardscan remind` lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Contact
from pipeline.core.types import NO_YEAR

# A birthday stored without a year (written MM-DD) is kept in this leap year, as Apple's and
# Google's address books do, so that 29 February fits.


@dataclass(frozen=True)
class Reminder:
    on: date
    kind: Literal["birthday", "follow-up"]
    contact_id: int
    name: str | None
    detail: str


def upcoming(session: Session, today: date, days: int) -> list[Reminder]:
    """Birthdays in the next `days` days, and follow-ups due by then (overdue ones included)."""
    horizon = today + timedelta(days=days)
    found = [*_birthdays(session, today, horizon), *_follow_ups(session, today, horizon)]
    return sorted(found, key=lambda r: (r.on, r.kind, r.contact_id))


def _birthdays(session: Session, today: date, horizon: date) -> list[Reminder]:
    rows = session.execute(select(Contact.id, Contact.display_name, Contact.birthday)
                           .where(Contact.birthday.is_not(None)))
    found = []
    for contact_id, name, born in rows:
        if born is None:  # the query excludes it; this tells the type checker
            continue
        next_one = next_birthday(born, today)
        if next_one <= horizon:
            age = f"turns {next_one.year - born.year}" if born.year != NO_YEAR else "birthday"
            found.append(Reminder(next_one, "birthday", contact_id, name, age))
    return found


def next_birthday(born: date, today: date) -> date:
    for year in (today.year, today.year + 1):
        try:
            day = date(year, born.month, born.day)
        except ValueError:  # 29 February in a common year: celebrated on the 28th
            day = date(year, 2, 28)
        if day >= today:
            return day
    raise AssertionError("unreachable: next year's birthday is always ahead")


def _follow_ups(session: Session, today: date, horizon: date) -> list[Reminder]:
    rows = session.execute(select(Contact.id, Contact.display_name, Contact.follow_up, Contact.met_at)
                           .where(Contact.follow_up <= horizon))
    return [Reminder(due, "follow-up", contact_id, name,
                     ("overdue" if due < today else "due") + (f"; met at {met}" if met else ""))
            for contact_id, name, due, met in rows if due is not None]
