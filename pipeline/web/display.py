"""Dates as the web pages show them: 6 Dec 2026, not 2026-12-06T10:15:02.123456+00:00.

The book hands dates over in ISO form (what `--json` and the forms' date inputs use); these are the Jinja
filters that turn them into what a person reads. Month names are English, as is the rest of the app, and do
not follow the process's locale (`%b` would, were a locale set).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# An ISO date, perhaps with a time and an offset, as the history keeps dates in its old and new values.
ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b")


def day(value: str | date | None, weekday: bool = False) -> str:
    """A day: '6 Dec 2026' ('Sun 6 Dec 2026' with `weekday`). A job's dates and a card's are days: the
    time of day they carry is not shown, nor moved into another time zone (a job that began on 1 May began on
    1 May wherever the page is read)."""
    if value is None or value == "":
        return ""
    found = _parsed(value)
    if found is None:
        return str(value)
    the_day = found.date() if isinstance(found, datetime) else found
    text = f"{the_day.day} {MONTHS[the_day.month - 1]} {the_day.year}"
    return f"{WEEKDAYS[the_day.weekday()]} {text}" if weekday else text


def moment(value: str | datetime | None) -> str:
    """When a change was made: '6 Dec 2026, 10:15', in the local time of the machine serving the pages (stored
    in UTC; the app serves its owner's own browser)."""
    if value is None or value == "":
        return ""
    found = _parsed(value)
    if not isinstance(found, datetime):
        return day(value)
    local = (found if found.tzinfo else found.replace(tzinfo=UTC)).astimezone()
    return f"{day(local)}, {local:%H:%M}"


def dates_in(text: str | None) -> str:
    """Text with each ISO date in it shown as a day ('ended 2025-06-01' -> 'ended 1 Jun 2025'): the old and new
    values of the history, where older rows also hold full timestamps."""
    if not text:
        return ""
    return ISO.sub(lambda m: day(m.group(1)) if _parsed(m.group(1)) else m.group(0), text)


def _parsed(value: str | date) -> date | datetime | None:
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
    except ValueError:
        return None
