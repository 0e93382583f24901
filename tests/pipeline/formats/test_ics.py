"""`cardscan remind --ics`: birthdays yearly and follow-ups as all-day events, with stable UIDs."""

from datetime import date

from icalendar import Calendar
from sqlalchemy.orm import Session

from pipeline.formats.ics import calendar, calendar_entries
from pipeline.formats.record import contact_uid

from .people import make_petrov, make_smith


def test_birthdays_repeat_yearly_and_follow_ups_are_all_day_events(session: Session) -> None:
    petrov, smith = make_petrov(session), make_smith(session)
    ics = calendar(calendar_entries(session, date(2026, 11, 27)))
    events = {str(e["UID"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}
    events = {uid: e for uid, e in events.items() if not uid.startswith("holiday-")}
    assert set(events) == {f"birthday-{contact_uid(petrov)}@cardscan", f"follow-up-{contact_uid(petrov)}@cardscan",
                           f"birthday-{contact_uid(smith)}@cardscan"}
    no_year = events[f"birthday-{contact_uid(petrov)}@cardscan"]
    assert no_year.decoded("DTSTART") == date(2026, 5, 17)  # not the placeholder year
    assert no_year.decoded("DTEND") == date(2026, 5, 18)
    assert no_year["RRULE"]["FREQ"] == ["YEARLY"]
    assert str(no_year["SUMMARY"]) == "Birthday: Петров Иван Сергеевич"
    leap = events[f"birthday-{contact_uid(smith)}@cardscan"]
    assert leap.decoded("DTSTART") == date(1980, 2, 29)
    assert leap["RRULE"]["BYMONTHDAY"] == [-1]  # the last day of February in common years
    follow = events[f"follow-up-{contact_uid(petrov)}@cardscan"]
    assert follow.decoded("DTSTART") == date(2026, 12, 1) and "RRULE" not in follow
    assert str(follow["DESCRIPTION"]) == "Met at Иннопром 2026"
    again = calendar(calendar_entries(session, date(2026, 11, 27)))
    assert {str(e["UID"]) for e in Calendar.from_ical(again).walk("VEVENT")} >= set(events)


def test_professional_holidays_recur_by_their_rule_with_an_alarm(session: Session) -> None:
    make_petrov(session)  # sales department: День работников торговли, the 4th Saturday of July
    make_smith(session)  # CTO: Programmer's Day, the 256th day of the year
    ics = calendar(calendar_entries(session, date(2026, 11, 27)))
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}
    trade, programmers = events["День работников торговли"], events["День программиста"]
    assert trade.decoded("DTSTART") == date(2027, 7, 24) and trade["RRULE"]["BYDAY"] == ["4SA"]
    assert programmers.decoded("DTSTART") == date(2027, 9, 13) and programmers["RRULE"]["BYYEARDAY"] == [256]
    assert "Jane Smith (+14155550123)" in str(programmers["DESCRIPTION"])
    for event in events.values():
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER").total_seconds() == 9 * 3600
