"""Cambodian working days: deadlines (SLAs) are counted in them.

A working day is Monday to Friday and not a date in the PublicHoliday table. Holidays are read
from the database on each call (one query for the range a call needs), never kept in a
process-wide cache, so an operator's edit counts from the next call on every node.
"""

from collections.abc import Iterable
from datetime import date, timedelta

import holidays
from django.db import transaction

from singleportal.core.models import HolidaySeedYear, PublicHoliday

ONE_DAY = timedelta(days=1)
WEEKEND = frozenset({5, 6})  # date.weekday(): Saturday, Sunday
HOLIDAYS_COUNTRY = "KH"


def _holidays_between(first: date, last: date) -> set[date]:
    """The holiday dates in [first, last], in one query."""
    return set(
        PublicHoliday.objects.filter(date__range=(first, last)).values_list("date", flat=True)
    )


class _HolidayWindow:
    """Answers "is this a working day?" walking forward, loading holidays a window at a time.

    A deadline's end is not known before walking, so holidays are loaded for a window sized
    from the number of days asked for, and for a further window only if the walk runs past it.
    """

    def __init__(self, start: date, working_days: int) -> None:
        # n working days span about 7/5 n calendar days plus holidays; twice n plus two weeks
        # covers even the Khmer New Year and Pchum Ben clusters in one query.
        self._span = timedelta(days=2 * working_days + 14)
        self._loaded_until = start - ONE_DAY
        self._holidays: set[date] = set()

    def is_working_day(self, day: date) -> bool:
        if day.weekday() in WEEKEND:
            return False
        while day > self._loaded_until:
            first = self._loaded_until + ONE_DAY
            self._loaded_until = first + self._span
            self._holidays |= _holidays_between(first, self._loaded_until)
        return day not in self._holidays


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday (no query for a weekend day)."""
    if day.weekday() in WEEKEND:
        return False
    return not PublicHoliday.objects.filter(date=day).exists()


def add_working_days(start: date, n: int) -> date:
    """The date n working days after `start`: the deadline of an n-working-day SLA.

    Counting starts the day after `start` (a file received on Monday with a 3-day SLA is due
    on Thursday); weekends and holidays are skipped. n=0 means "today if it is a working day,
    else the next working day", the first day on which work can be done.
    """
    if n < 0:
        raise ValueError("n must be zero or more working days")
    window = _HolidayWindow(start, n)
    day = start
    if n == 0:
        while not window.is_working_day(day):
            day += ONE_DAY
        return day
    remaining = n
    while remaining:
        day += ONE_DAY
        if window.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """The number of working days in (a, b]: after a, up to and including b.

    This is the inverse of add_working_days: working_days_between(d, add_working_days(d, n))
    is n. When b is before a the count is negative (how far past a deadline b lies).
    """
    if b < a:
        return -working_days_between(b, a)
    if a == b:
        return 0
    first = a + ONE_DAY
    days_off = _holidays_between(first, b)
    span = (b - a).days
    return sum(
        1
        for offset in range(span)
        if (day := first + timedelta(days=offset)).weekday() not in WEEKEND and day not in days_off
    )


def holidays_from_package(year: int) -> list[tuple[date, str, str]]:
    """(date, Khmer name, English name) for each public holiday the `holidays` package lists.

    Two holidays on one date (1 May 2026: Labour Day and Visak Bochea) come as one row with
    the names joined by "; ", as the package joins them.
    """
    khmer = holidays.country_holidays(HOLIDAYS_COUNTRY, years=year, language="km")
    english = holidays.country_holidays(HOLIDAYS_COUNTRY, years=year, language="en_US")
    return [(day, khmer[day], english[day]) for day in sorted(khmer)]


def seed_public_holidays(years: Iterable[int], *, again: bool = False) -> list[PublicHoliday]:
    """Add the package's holidays for each of `years` not seeded before.

    A seeded year is skipped, so the operator's deletions and edits stand; `again=True` takes
    a newer package's dates for such a year too. Either way a date already in the table is
    left as it is, whatever its source.
    """
    done = set(HolidaySeedYear.objects.values_list("year", flat=True))
    years = sorted({year for year in years if again or year not in done})
    rows = [row for year in years for row in holidays_from_package(year)]
    present = set(
        PublicHoliday.objects.filter(date__in=[day for day, _, _ in rows]).values_list(
            "date", flat=True
        )
    )
    missing = [
        PublicHoliday(date=day, name_km=km, name_en=en, source=PublicHoliday.Source.SEED)
        for day, km, en in rows
        if day not in present
    ]
    with transaction.atomic():
        # ignore_conflicts: two seeders running at once must not fail on the unique date.
        PublicHoliday.objects.bulk_create(missing, ignore_conflicts=True)
        HolidaySeedYear.objects.bulk_create(
            [HolidaySeedYear(year=year) for year in years], ignore_conflicts=True
        )
    return missing
