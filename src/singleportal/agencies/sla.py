"""Deadlines in Cambodian working days (core.calendar): per task, and for the whole file."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from singleportal.agencies.models import FINISHED, WORKABLE, Task, TaskStatus
from singleportal.core.calendar import add_working_days

ON_TIME = "on_time"
NEAR = "near"
LATE = "late"
RISKS = {ON_TIME: _("On time"), NEAR: _("Due soon"), LATE: _("Late")}


def task_due_on(opened: date, sla_working_days: int) -> date:
    return add_working_days(opened, sla_working_days)


def file_due_on(submitted: date) -> date:
    """The legal promise for the whole file (settings.FILE_SLA_WORKING_DAYS, 8 by law)."""
    return add_working_days(submitted, settings.FILE_SLA_WORKING_DAYS)


def risk(task: Task, today: date | None = None) -> str:
    """Late past the due date; near on the last working day (or the one before). Only a task the
    agency is working on (WORKABLE) runs late: one waiting for another agency, or for the
    applicant's correction, is not the agency's delay (its clock starts again on reopening)."""
    return risk_bounds(today).of(task)


@dataclass(frozen=True)
class RiskBounds:
    """sla.risk for a whole page at once (the same answer, tested so): the day's two limits,
    computed once, so that a list of tasks costs no query per row. `near_until` is the first
    due date that is on time: a task due before it is at most SLA_NEAR_WORKING_DAYS working
    days away."""

    today: date
    near_until: date

    def of(self, task: Task) -> str:
        if task.status not in WORKABLE or task.due_on is None:
            return ON_TIME
        if task.due_on < self.today:
            return LATE
        if task.due_on < self.near_until:
            return NEAR
        return ON_TIME

    def where(self, risk: str) -> Q:
        """The tasks of one risk, as a filter (only tasks being worked on run late)."""
        running = Q(due_on__isnull=False, status__in=WORKABLE)
        if risk == LATE:
            return running & Q(due_on__lt=self.today)
        if risk == NEAR:
            return running & Q(due_on__gte=self.today, due_on__lt=self.near_until)
        return ~running | Q(due_on__gte=self.near_until)


def risk_bounds(today: date | None = None) -> RiskBounds:
    today = today or timezone.localdate()
    near_until = add_working_days(today, settings.SLA_NEAR_WORKING_DAYS + 1)
    return RiskBounds(today, near_until)


@dataclass(frozen=True)
class Expected:
    """When each agency and the whole file should be done, as the applicant sees it."""

    by_task: dict[int, date | None]
    completion: date | None


def expected(tasks: list[Task], today: date | None = None) -> Expected:
    """Finished tasks count at their day; open ones at their due date, or today once that has
    passed (work not done yet is not expected in the past); a waiting task after its latest
    prerequisite's expected day (or today) plus its own deadline. Tasks come with `after`
    prefetched."""
    today = today or timezone.localdate()
    known: dict[int, date | None] = {}
    pending = list(tasks)
    while pending:
        progressed = False
        for task in list(pending):
            if task.status in FINISHED:
                known[task.pk] = timezone.localdate(task.finished_at) if task.finished_at else None
            elif task.due_on is not None:
                known[task.pk] = max(task.due_on, today)
            else:
                before = [known.get(t.pk, ...) for t in task.after.all()]
                if any(b is ... for b in before):
                    continue
                start = max([today, *(b for b in before if isinstance(b, date))])
                known[task.pk] = add_working_days(start, task.sla_working_days)
            pending.remove(task)
            progressed = True
        if not progressed:  # a cycle in the plan data: say nothing rather than guess
            for task in pending:
                known[task.pk] = None
            break
    live = [t for t in tasks if t.status != TaskStatus.CANCELLED]
    dates = [known[t.pk] for t in live]
    completion = None if not live or None in dates else max(d for d in dates if d is not None)
    return Expected(known, completion)
