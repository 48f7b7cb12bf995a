"""Working days in the Netherlands, for deadlines of service norms.

The public holidays are those of the Algemene termijnenwet (art. 3), the law that extends statutory
deadlines: New Year's Day, Easter Monday, Ascension Day, Whit Monday, Christmas Day and Boxing Day,
King's Day and 5 May. Good Friday is not among them. Saturdays and Sundays are never working days.
"""

from datetime import date, timedelta
from functools import cache


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous algorithm, also known as Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741  (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def kings_day(year: int) -> date:
    """27 April, or the 26th when the 27th falls on a Sunday."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


@cache
def public_holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter + timedelta(days=1),
            easter + timedelta(days=39),  # Ascension Day
            easter + timedelta(days=50),  # Whit Monday
            kings_day(year),
            date(year, 5, 5),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The working day that lies `days` working days after `start` (a norm of 2 days on Friday → Tuesday).

    With days == 0 it is `start` itself when that is a working day, else the next working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while not is_working_day(day):
        day += timedelta(days=1)
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
