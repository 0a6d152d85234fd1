from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from singleportal.core.calendar import add_working_days, is_working_day, working_days_between
from singleportal.core.models import PublicHoliday

pytestmark = pytest.mark.usefixtures("holidays_2026_2027")

FRIDAY = date(2026, 2, 6)  # no holiday near it
MONDAY_BEFORE_NEW_YEAR = date(2026, 4, 13)  # 14-16 April 2026 are Khmer New Year

# The holiday table is only read by these properties, so one fixture serves every example.
reads_only = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
starts = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30))
counts = st.integers(min_value=0, max_value=60)


def test_weekend_and_holidays_are_not_working_days():
    assert is_working_day(date(2026, 4, 13))
    assert not is_working_day(date(2026, 2, 7))  # Saturday
    assert not is_working_day(date(2026, 2, 8))  # Sunday
    assert not is_working_day(date(2026, 4, 14))  # Khmer New Year


def test_friday_plus_one_working_day_is_monday():
    assert add_working_days(FRIDAY, 1) == date(2026, 2, 9)
    assert add_working_days(FRIDAY, 3) == date(2026, 2, 11)


def test_khmer_new_year_is_skipped():
    assert add_working_days(MONDAY_BEFORE_NEW_YEAR, 1) == date(2026, 4, 17)
    # The whole-file SLA of 8 working days, filed on the Friday before the holiday.
    assert add_working_days(date(2026, 4, 10), 8) == date(2026, 4, 27)


def test_a_holiday_added_by_the_operator_moves_the_deadline():
    assert add_working_days(FRIDAY, 1) == date(2026, 2, 9)
    PublicHoliday.objects.create(date=date(2026, 2, 9), name_km="ថ្ងៃឈប់", name_en="Day off")
    assert add_working_days(FRIDAY, 1) == date(2026, 2, 10)


def test_zero_days_is_the_first_day_work_can_be_done():
    assert add_working_days(FRIDAY, 0) == FRIDAY
    assert add_working_days(date(2026, 2, 7), 0) == date(2026, 2, 9)  # Saturday -> Monday
    assert add_working_days(date(2026, 4, 14), 0) == date(2026, 4, 17)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(FRIDAY, -1)


def test_working_days_between_counts_after_the_first_date_up_to_the_second():
    assert working_days_between(MONDAY_BEFORE_NEW_YEAR, date(2026, 4, 17)) == 1
    assert working_days_between(date(2026, 4, 17), MONDAY_BEFORE_NEW_YEAR) == -1
    assert working_days_between(FRIDAY, FRIDAY) == 0
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 261 - 18


@pytest.mark.parametrize(
    "start", [FRIDAY, MONDAY_BEFORE_NEW_YEAR, date(2026, 9, 20), date(2026, 12, 20)]
)
def test_thirty_working_days_cost_one_query(start, django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(start, 30)


def test_a_year_of_working_days_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        working_days_between(date(2026, 1, 1), date(2027, 1, 1))
    with django_assert_num_queries(1):
        add_working_days(date(2026, 1, 1), 250)


def test_a_weekend_day_needs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert not is_working_day(date(2026, 2, 7))


@reads_only
@given(start=starts, n=counts)
def test_the_result_is_a_working_day_on_or_after_the_start(start, n):
    result = add_working_days(start, n)
    assert is_working_day(result)
    assert result >= start
    if n > 0:
        assert result > start


@reads_only
@given(start=starts, n=counts)
def test_counting_back_gives_the_days_added(start, n):
    if n == 0 and not is_working_day(start):
        # n=0 moves a non-working start to the next working day, one working day later.
        assert working_days_between(start, add_working_days(start, 0)) == 1
    else:
        assert working_days_between(start, add_working_days(start, n)) == n


@reads_only
@given(start=starts, n=counts)
def test_more_days_never_give_an_earlier_date(start, n):
    assert add_working_days(start, n) <= add_working_days(start, n + 1)
    if n > 0:
        assert add_working_days(start, n) < add_working_days(start, n + 1)


@reads_only
@given(start=starts, length=st.integers(min_value=0, max_value=40))
def test_working_days_between_matches_a_day_by_day_count(start, length):
    end = start + timedelta(days=length)
    by_day = sum(is_working_day(start + timedelta(days=i)) for i in range(1, length + 1))
    assert working_days_between(start, end) == by_day
