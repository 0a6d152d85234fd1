"""Deadlines in Cambodian working days: each task's due date across weekends and public
holidays, the risk flag at its boundaries, and the dates the applicant is shown.

April 2026, with Khmer New Year on Tuesday 14 to Thursday 16 (holidays this test enters):

    Mo Tu We Th Fr Sa Su
           1  2  3  4  5
     6  7  8  9 10 11 12
    13 [14 15 16] 17 18 19
    20 21 22 23 24 25 26
    27 28 29 30
"""

from datetime import date, datetime, time
from unittest import mock

import pytest
from django.utils import timezone

from singleportal.agencies import actions, sla
from singleportal.agencies.models import Task, TaskStatus
from singleportal.core.models import PublicHoliday
from tests.agencies.flow import filed, submit, tasks_of

pytestmark = pytest.mark.django_db

APRIL = {day: date(2026, 4, day) for day in range(1, 31)}


@pytest.fixture(autouse=True)
def khmer_new_year():
    """Only the holidays this test enters, whatever the seeded table holds."""
    PublicHoliday.objects.all().delete()
    for day in (14, 15, 16):
        PublicHoliday.objects.create(date=APRIL[day], name_km="ចូលឆ្នាំខ្មែរ", name_en="Khmer New Year")


def at(day: date, hour: int = 10) -> mock._patch:
    """Freeze the clock on `day` in Phnom Penh."""
    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    return mock.patch("django.utils.timezone.now", return_value=moment)


def task(status: str = TaskStatus.OPEN, due_on: date | None = None) -> Task:
    return Task(status=status, due_on=due_on, sla_working_days=3)


# -- due dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opened", "days", "due"),
    [
        (APRIL[1], 1, APRIL[2]),  # counting starts the next day
        (APRIL[2], 3, APRIL[7]),  # Friday, then Monday and Tuesday
        (APRIL[3], 1, APRIL[6]),  # Friday to Monday
        (APRIL[4], 1, APRIL[6]),  # opened on a Saturday: Monday is the first day
        (APRIL[10], 3, APRIL[20]),  # Monday 13, then Friday 17 and Monday 20
        (APRIL[13], 1, APRIL[17]),  # the whole of the New Year is skipped
        (APRIL[14], 1, APRIL[17]),  # opened on a holiday
        (APRIL[13], 4, APRIL[22]),
    ],
)
def test_task_deadlines_skip_weekends_and_public_holidays(opened, days, due):
    assert sla.task_due_on(opened, days) == due


def test_the_whole_file_is_due_eight_working_days_after_submission(settings):
    assert settings.FILE_SLA_WORKING_DAYS == 8
    # 13, 17, 20, 21, 22, 23, 24, 27
    assert sla.file_due_on(APRIL[10]) == APRIL[27]
    # Without the holidays it would be due a week earlier.
    PublicHoliday.objects.all().delete()
    assert sla.file_due_on(APRIL[10]) == APRIL[22]


def test_a_holiday_the_operator_adds_moves_deadlines_at_once():
    assert sla.task_due_on(APRIL[20], 3) == APRIL[23]
    PublicHoliday.objects.create(date=APRIL[22], name_km="ថ្ងៃឈប់", name_en="Day off")
    assert sla.task_due_on(APRIL[20], 3) == APRIL[24]


def test_tasks_get_their_deadlines_when_they_open():
    with at(APRIL[10]):  # submitted on Friday 10 April, the payment confirmed the same day
        app = submit(filed())
        assert tasks_of(app)["MEF"].due_on == APRIL[13]  # 1 working day
        actions.decide_straight_through(tasks_of(app)["MEF"].pk)
    moc = tasks_of(app)["MOC"]
    assert (timezone.localdate(moc.opened_at), moc.due_on) == (APRIL[10], APRIL[20])  # 3 days

    with at(APRIL[17], hour=16):  # MOC approves on Friday 17 April
        actions.decide_straight_through(moc.pk)
    tasks = tasks_of(app)
    assert tasks["GDT"].due_on == APRIL[23]  # 4 working days after MOC: 20, 21, 22, 23
    assert tasks["MLVT"].due_on == tasks["MOI"].due_on == APRIL[22]


def test_a_task_opened_late_in_the_evening_counts_from_its_day_in_phnom_penh():
    evening = timezone.make_aware(datetime.combine(APRIL[13], time(23, 30)))
    assert evening.astimezone(timezone.get_fixed_timezone(0)).date() == APRIL[13]
    with mock.patch("django.utils.timezone.now", return_value=evening):
        app = submit(filed())
    assert tasks_of(app)["MEF"].due_on == APRIL[17]


# -- the risk flag ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (APRIL[13], sla.ON_TIME),  # two working days left (17, 20)
        (APRIL[16], sla.ON_TIME),  # a holiday: still two
        (APRIL[17], sla.NEAR),  # the working day before
        (APRIL[18], sla.NEAR),  # Saturday: Monday is the next working day, and the last
        (APRIL[20], sla.NEAR),  # the last day
        (APRIL[21], sla.LATE),  # past it
        (APRIL[30], sla.LATE),
    ],
)
def test_risk_at_its_boundaries(today, expected):
    assert sla.risk(task(due_on=APRIL[20]), today) == expected
    assert sla.risk(task(TaskStatus.IN_REVIEW, APRIL[20]), today) == expected


def test_how_near_is_near_is_a_setting(settings):
    settings.SLA_NEAR_WORKING_DAYS = 2
    assert sla.risk(task(due_on=APRIL[20]), APRIL[13]) == sla.NEAR
    assert sla.risk(task(due_on=APRIL[20]), APRIL[10]) == sla.ON_TIME


@pytest.mark.parametrize(
    "status",
    [
        TaskStatus.APPROVED,
        TaskStatus.REJECTED,
        TaskStatus.CANCELLED,
        TaskStatus.WAITING,
        TaskStatus.CORRECTION_REQUESTED,  # the applicant's turn, not the agency's delay
    ],
)
def test_only_tasks_the_agency_is_working_on_run_late(status):
    assert sla.risk(task(status, due_on=APRIL[1]), APRIL[30]) == sla.ON_TIME


def test_a_task_without_a_deadline_is_on_time():
    assert sla.risk(task(due_on=None), APRIL[30]) == sla.ON_TIME


def test_risk_reads_the_day_in_phnom_penh_when_not_given():
    with at(APRIL[21], hour=1):
        assert sla.risk(task(due_on=APRIL[20])) == sla.LATE
    with at(APRIL[20], hour=23):
        assert sla.risk(task(due_on=APRIL[20])) == sla.NEAR


# -- what the applicant is shown -------------------------------------------------------------


def planned_file() -> list[Task]:
    """Submitted on Friday 10 April; the payment confirmed at once, MOC open, due 20 April."""
    with at(APRIL[10]) as now:
        app = submit(filed(incentives=True))
        actions.decide_straight_through(tasks_of(app)["MEF"].pk)
    # A decision's time is the model field's default, which the frozen clock does not reach.
    Task.objects.filter(application=app, agency__code="MEF").update(finished_at=now())
    return list(Task.objects.filter(application=app).prefetch_related("after", "agency"))


def by_code(tasks: list[Task], dates: dict[int, date | None]) -> dict[str, date | None]:
    return {t.agency.code: dates[t.pk] for t in tasks}


def test_waiting_tasks_are_expected_after_their_prerequisites():
    tasks = planned_file()

    expected = sla.expected(tasks, today=APRIL[10])

    assert by_code(tasks, expected.by_task) == {
        "MEF": APRIL[10],  # done that day
        "MOC": APRIL[20],  # its due date
        "GDT": APRIL[24],  # MOC's day, then 4 working days
        "MLVT": APRIL[23],
        "MOI": APRIL[23],
        "CDC": APRIL[27],  # 5 working days
    }
    assert expected.completion == APRIL[27]


def test_an_overdue_task_is_expected_no_earlier_than_today():
    tasks = planned_file()

    expected = sla.expected(tasks, today=APRIL[22])  # MOC, due on the 20th, is still open

    dates = by_code(tasks, expected.by_task)
    assert dates["MOC"] == APRIL[22]
    assert dates["GDT"] == APRIL[28]  # 23, 24, 27, 28
    assert expected.completion == APRIL[29]  # CDC: 5 working days after today


def test_finished_tasks_count_at_their_day_and_cancelled_ones_not_at_all():
    tasks = planned_file()
    cdc = next(t for t in tasks if t.agency.code == "CDC")
    cdc.status = TaskStatus.CANCELLED
    cdc.finished_at = timezone.make_aware(datetime.combine(APRIL[13], time(9)))

    expected = sla.expected(tasks, today=APRIL[10])

    assert expected.completion == APRIL[24]  # GDT is last without the CDC


def test_the_expected_day_is_unknown_when_the_plan_has_a_cycle():
    tasks = planned_file()
    moc = next(t for t in tasks if t.agency.code == "MOC")
    gdt = next(t for t in tasks if t.agency.code == "GDT")
    Task.objects.filter(pk=moc.pk).update(status=TaskStatus.WAITING, due_on=None)
    moc.after.add(gdt)
    tasks = list(Task.objects.filter(pk__in=[t.pk for t in tasks]).prefetch_related("after"))

    expected = sla.expected(tasks, today=APRIL[10])

    assert expected.by_task[moc.pk] is None
    assert expected.completion is None
