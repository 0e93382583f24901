"""The web pages' dates as people read them (pipeline/web/display.py)."""

from datetime import UTC, date, datetime

import pytest

from pipeline.web.display import dates_in, day, moment


@pytest.mark.parametrize(("value", "shown"), [
    ("2026-12-06T10:15:02.123456", "6 Dec 2026"), ("2026-12-06T10:15:02.123456+00:00", "6 Dec 2026"),
    ("2019-05-01T00:00:00+00:00", "1 May 2019"), ("2019-05-01", "1 May 2019"), (date(2027, 1, 31), "31 Jan 2027"),
    (datetime(2021, 2, 1, 23, 59, tzinfo=UTC), "1 Feb 2021"), (None, ""), ("", ""), ("soon", "soon")])
def test_a_day_is_written_as_people_read_it(value: str | date | None, shown: str) -> None:
    assert day(value) == shown


def test_a_reminder_day_names_the_weekday() -> None:
    assert day(date(2026, 12, 6), weekday=True) == "Sun 6 Dec 2026"


def test_a_change_is_shown_to_the_minute_without_the_iso_t(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Moscow")  # UTC+3 all year
    time.tzset()
    try:
        assert moment("2026-12-06T10:15:02.123456+00:00") == "6 Dec 2026, 13:15"
        assert moment("2026-12-06T22:15:02") == "7 Dec 2026, 01:15"  # SQLite's naive UTC
    finally:
        monkeypatch.undo()
        time.tzset()


def test_dates_inside_history_values_are_shown_as_days() -> None:
    assert dates_in("ended 2025-06-01") == "ended 1 Jun 2025"
    assert dates_in("2026-12-06T10:15:02.123456+00:00") == "6 Dec 2026"
    assert dates_in("Engineer @ Initech LLC") == "Engineer @ Initech LLC"
    assert dates_in("--05-17") == "--05-17" and dates_in("2026-13-45") == "2026-13-45" and dates_in(None) == ""
