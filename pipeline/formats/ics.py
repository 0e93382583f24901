"""Birthdays, professional holidays and follow-ups as an iCalendar file (RFC 5545) a calendar app imports.

Birthdays are all-day events repeating yearly; a professional holiday is one yearly event by its own rule
(the RRULE of pipeline/lexicons/professional_days.toml) naming the contacts to congratulate; a follow-up is
one all-day event. Each has an alarm at 09:00 on the day. UIDs are made from the contact's UID (or the
holiday's name), so importing a newer file updates the events instead of doubling them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vRecur
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Contact, Position
from pipeline.core.types import NO_YEAR
from pipeline.formats.record import contact_uid

PRODID = "-//cardscan//cardscan remind//EN"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    kind: str  # birthday | follow-up
    on: date
    summary: str
    description: str | None
    yearly: bool
    rule: str | None = None  # an RRULE of its own (a professional holiday); else yearly on the date


def calendar_entries(session: Session, today: date) -> list[CalendarEntry]:
    """Every birthday and every follow-up date stored, whatever their distance from today."""
    from pipeline.book.naming import shown_names

    rows = list(session.scalars(select(Contact).where(
        or_(Contact.birthday.is_not(None), Contact.follow_up.is_not(None))).order_by(Contact.id)))
    names = shown_names(session, rows)
    entries = []
    for contact in rows:
        uid, name = contact_uid(contact), names[contact.id].label() or f"contact {contact.id}"
        if contact.birthday:
            entries.append(_birthday(uid, name, contact.birthday, today))
        if contact.follow_up:
            met = f"Met at {contact.met_at}" + (f" on {contact.met_on.isoformat()}" if contact.met_on else "")
            entries.append(CalendarEntry(f"follow-up-{uid}@cardscan", "follow-up", contact.follow_up,
                                         f"Follow up: {name}", met if contact.met_at else contact.notes, False))
    return entries + _holidays(session, today)


def _holidays(session: Session, today: date) -> list[CalendarEntry]:
    """One event per professional holiday any contact has, listing whom to congratulate and how to reach them."""
    from pipeline.book.holidays import days_of
    from pipeline.book.reminders import preferred_phone

    people: dict[str, list[str]] = {}
    days = {}
    from pipeline.book.naming import shown_names

    query = select(Contact).where(Contact.positions.any(Position.until.is_(None))).order_by(Contact.id)
    contacts = list(session.scalars(query))
    names = shown_names(session, contacts)
    for contact in contacts:
        for day in days_of(contact):
            days[day.ru] = day
            phone = preferred_phone(contact)
            people.setdefault(day.ru, []).append(f"{names[contact.id].label() or f'contact {contact.id}'}"
                                                 + (f" ({phone})" if phone else ""))
    entries = []
    for key, day in days.items():
        uid = hashlib.sha256(key.encode()).hexdigest()[:16]
        entries.append(CalendarEntry(f"holiday-{uid}@cardscan", "holiday", day.next_on(today), day.ru,
                                     "Congratulate: " + "; ".join(people[key]), True, day.rule))
    return entries


def _birthday(uid: str, name: str, born: date, today: date) -> CalendarEntry:
    # A year-less birthday starts this year: calendars draw nothing useful from the placeholder year 1604.
    first = born if born.year != NO_YEAR else _in_year(born, today.year)
    return CalendarEntry(f"birthday-{uid}@cardscan", "birthday", first, f"Birthday: {name}", None, True)


def _in_year(born: date, year: int) -> date:
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February in a common year
        return born.replace(year=year - year % 4)


def calendar(entries: list[CalendarEntry], now: datetime | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    stamp = now or datetime.now(UTC)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("summary", entry.summary)
        event.add("dtstart", entry.on)  # a date, not a datetime: an all-day event
        event.add("dtend", entry.on + timedelta(days=1))
        event.add("categories", [entry.kind])
        if entry.description:
            event.add("description", entry.description)
        if entry.rule:
            event.add("rrule", vRecur.from_ical(entry.rule))
            event.add("transp", "TRANSPARENT")
        elif entry.yearly:
            rule: dict[str, str | int] = {"freq": "yearly"}
            if (entry.on.month, entry.on.day) == (2, 29):
                rule |= {"bymonth": 2, "bymonthday": -1}  # the last day of February, so common years have one too
            event.add("rrule", vRecur(rule))
            event.add("transp", "TRANSPARENT")
        alarm = Alarm()  # 09:00 on the day: an all-day event starts at midnight
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.summary)
        alarm.add("trigger", timedelta(hours=9))
        event.add_component(alarm)
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
