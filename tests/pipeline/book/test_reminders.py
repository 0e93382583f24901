"""Which birthdays and follow-ups `cardscan remind` lists."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from pipeline.book.reminders import next_birthday


def test_a_leap_day_birthday_is_kept_on_the_28th_in_common_years() -> None:
    assert next_birthday(date(1604, 2, 29), date(2027, 1, 1)) == date(2027, 2, 28)
    assert next_birthday(date(1604, 2, 29), date(2028, 1, 1)) == date(2028, 2, 29)


def test_a_birthday_already_past_this_year_is_next_year() -> None:
    assert next_birthday(date(1980, 3, 1), date(2026, 11, 27)) == date(2027, 3, 1)
    assert next_birthday(date(1980, 11, 27), date(2026, 11, 27)) == date(2026, 11, 27)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_the_next_birthday_is_within_a_year_and_on_the_day(born: date, today: date) -> None:
    nxt = next_birthday(born, today)
    assert 0 <= (nxt - today).days <= 366
    assert (nxt.month, nxt.day) == (born.month, born.day) or (born.month, born.day, nxt.day) == (2, 29, 28)
