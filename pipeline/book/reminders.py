"""Birthdays, professional holidays and follow-ups coming up: what `cardscan remind` lists, each with the
phone (or e-mail) to reach the person by and, for a greeting, a short draft in the contact's language."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Contact, Position
from pipeline.book.reach import ITEM_CARDS, first_email, first_phone
from pipeline.core.types import NO_YEAR
from pipeline.extract.names import proper_case

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def birthday_text(born: date | None) -> str | None:
    """A birthday as people and every output show it: 1980-05-17, or --05-17 when the year is unknown (the
    ISO 8601 / vCard form, which `contacts edit --birthday` also takes); never the placeholder year."""
    if born is None:
        return None
    return born.isoformat() if born.year != NO_YEAR else born.strftime("--%m-%d")


@dataclass(frozen=True)
class Reminder:
    on: date
    kind: Literal["birthday", "holiday", "follow-up"]
    contact_id: int
    name: str | None
    detail: str
    phone: str | None = None  # the preferred phone, else a mobile, else any
    email: str | None = None
    greeting: str | None = None  # a draft to send, in the contact's language
    # False: `name` is a name read with doubt (not yet checked in `cardscan review`), or stands in for a name no
    # card gave (the company, an e-mail, a phone): pipeline.book.naming.
    name_confirmed: bool = True


def upcoming(session: Session, today: date, days: int) -> list[Reminder]:
    """Birthdays and professional holidays in the next `days` days, and follow-ups due by then (overdue ones
    included)."""
    horizon = today + timedelta(days=days)
    from pipeline.book.naming import shown_names

    found = [*_birthdays(session, today, horizon), *_holidays(session, today, horizon),
             *_follow_ups(session, today, horizon)]
    # Every contact is listed by the best name there is, marked when unconfirmed, never as a blank.
    contacts = [c for c in (session.get(Contact, i) for i in sorted({r.contact_id for r in found})) if c is not None]
    names = shown_names(session, contacts)
    found = [replace(r, name=names[r.contact_id].text, name_confirmed=names[r.contact_id].confirmed)
             if r.contact_id in names else r for r in found]
    return sorted(found, key=lambda r: (r.on, r.kind, r.contact_id))


def _birthdays(session: Session, today: date, horizon: date) -> list[Reminder]:
    from pipeline.book.holidays import contact_language

    query = select(Contact).where(Contact.birthday.is_not(None)).options(*_REACH)
    found = []
    for contact in session.scalars(query):
        born = contact.birthday
        if born is None:  # the query excludes it; this tells the type checker
            continue
        next_one = next_birthday(born, today)
        if next_one <= horizon:
            age = f"turns {next_one.year - born.year}" if born.year != NO_YEAR else "birthday (year unknown)"
            language = contact_language(contact)
            named = f", {_first_name(contact)}" if _first_name(contact) else ""
            draft = (_addressed(contact, "с днём рождения! Желаю здоровья, радости и удачи во всём.")
                     if language == "ru" else f"Happy birthday{named}! All the best for the year.")
            found.append(Reminder(next_one, "birthday", contact.id, contact.display_name, age,
                                  preferred_phone(contact), _email(contact), draft))
    return found


def _holidays(session: Session, today: date, horizon: date) -> list[Reminder]:
    """The professional days of every contact with a current job (pipeline.book.holidays)."""
    from pipeline.book.holidays import contact_language, days_of

    query = select(Contact).where(Contact.positions.any(Position.until.is_(None))).options(
        *_REACH, selectinload(Contact.positions).joinedload(Position.organization))
    found = []
    for contact in session.scalars(query):
        language = contact_language(contact)
        for day in days_of(contact):
            on = day.next_on(today)
            if on <= horizon:
                found.append(Reminder(on, "holiday", contact.id, contact.display_name, day.name(language),
                                      preferred_phone(contact), _email(contact),
                                      _addressed(contact, day.greeting(language))))
    return found


_REACH = ITEM_CARDS


def preferred_phone(contact: Contact) -> str | None:
    """The preferred phone, else a mobile, else any; the newest card's first (the current job's, not the old)."""
    return first_phone(contact, mobile_first=True)


def _email(contact: Contact) -> str | None:
    return first_email(contact)


def _addressed(contact: Contact, greeting: str) -> str:
    """The greeting after the person's name; without a name (a shop's card), the greeting alone."""
    name = _first_name(contact)
    return f"{name}, {greeting}" if name else greeting[:1].upper() + greeting[1:]


def _first_name(contact: Contact) -> str:
    """Whom a greeting is addressed to: Russians by name and patronymic, others by given name; a name the card
    printed in capitals is written as in a letter (Иван Петрович, not ИВАН ПЕТРОВИЧ)."""
    if contact.given_name and contact.middle_name and _CYRILLIC.search(contact.given_name):
        return proper_case(f"{contact.given_name} {contact.middle_name}")
    return proper_case(contact.given_name or contact.display_name or "")


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
    query = select(Contact).where(Contact.follow_up <= horizon).options(*_REACH)
    found = []
    for contact in session.scalars(query):
        due = contact.follow_up
        if due is None:  # the query excludes it; this tells the type checker
            continue
        detail = ("overdue" if due < today else "due") + (f"; met at {contact.met_at}" if contact.met_at else "")
        found.append(Reminder(due, "follow-up", contact.id, contact.display_name, detail,
                              preferred_phone(contact), _email(contact)))
    return found
