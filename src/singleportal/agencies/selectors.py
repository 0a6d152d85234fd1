"""Reads on tasks, restricted to what an officer may see: their own agency's tasks only."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from singleportal.accounts.models import OfficerLevel, Role, RoleAssignment, User
from singleportal.agencies import sla
from singleportal.agencies.models import FINISHED, Agency, PlanStep, Task, TaskStatus, When


def _involved(step: PlanStep, application: Any, snapshot: dict[str, Any]) -> bool:
    if step.when == When.ALWAYS:
        return True
    if step.when == When.INCENTIVES:
        return bool((snapshot.get("incentives") or {}).get("wanted"))
    return step.agency.code in application.legal_form.agencies


def plan_for(application: Any, snapshot: dict[str, Any]) -> list[PlanStep]:
    """The plan steps of the agencies that take part in this file (as submitted in
    `snapshot`): the tasks it gets, and the fees it owes."""
    steps = PlanStep.objects.select_related("agency").prefetch_related("after")
    return [s for s in steps if _involved(s, application, snapshot)]


def officer_level(user: Any, agency_code: str) -> str | None:
    """The user's officer level in the agency (clerk, reviewer, head), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = getattr(user, "_officer_levels", None)
    if cache is None:
        cache = dict(
            RoleAssignment.objects.filter(user=user, role=Role.OFFICER).values_list(
                "agency__code", "level"
            )
        )
        user._officer_levels = cache
    return cache.get(agency_code)


def is_head(user: Any, agency_code: str) -> bool:
    return officer_level(user, agency_code) == OfficerLevel.HEAD


def agency_for(user: Any, code: str) -> Agency:
    """The agency whose back office the user opens; 404 unless they are its officer (an
    officer never learns what another agency's pages hold)."""
    if officer_level(user, code.upper()) is None:
        raise Http404
    return Agency.objects.get(code=code.upper())


def tasks_of(user: Any, agency: Agency) -> QuerySet[Task]:
    """The agency's tasks with what a queue row shows, in one query."""
    if officer_level(user, agency.code) is None:
        return Task.objects.none()
    return Task.objects.filter(agency=agency).select_related(
        "application", "application__legal_form", "assignee", "agency"
    )


def task_for(user: Any, agency: Agency, task_id: int) -> Task:
    task = tasks_of(user, agency).select_related("version").filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task


def officers_of(agency: Agency) -> QuerySet[User]:
    """Who a head may assign the agency's tasks to."""
    return User.objects.filter(
        role_assignments__role=Role.OFFICER, role_assignments__agency=agency, is_active=True
    ).order_by("full_name")


def agencies_of(user: Any) -> QuerySet[Agency]:
    """The agencies whose back office the user may open (any officer level)."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    codes = RoleAssignment.objects.filter(user=user, role=Role.OFFICER).values("agency__code")
    return Agency.objects.filter(code__in=codes)


@dataclass(frozen=True)
class OfficerLoad:
    officer: User
    in_review: int
    late: int
    near: int


@dataclass(frozen=True)
class Workload:
    officers: list[OfficerLoad]
    unassigned_open: int
    escalated: list[Task]


def workload(agency: Agency, bounds: sla.RiskBounds) -> Workload:
    """What a head sees: each officer's files in review and how many of them are late or due
    soon, the open files nobody has taken, and the escalated files still undecided."""
    unfinished = Task.objects.filter(agency=agency).exclude(status__in=FINISHED)
    counts = {
        row["assignee"]: (row["in_review"], row["late"], row["near"])
        for row in unfinished.filter(status=TaskStatus.IN_REVIEW, assignee__isnull=False)
        .values("assignee")
        .annotate(
            in_review=Count("pk"),
            late=Count("pk", filter=bounds.where(sla.LATE)),
            near=Count("pk", filter=bounds.where(sla.NEAR)),
        )
    }
    officers = [
        OfficerLoad(officer, *counts.get(officer.pk, (0, 0, 0))) for officer in officers_of(agency)
    ]
    unassigned = unfinished.filter(status=TaskStatus.OPEN, assignee__isnull=True).count()
    escalated = list(
        unfinished.filter(escalated=True)
        .select_related("application", "assignee")
        .order_by("due_on", "pk")
    )
    return Workload(officers, unassigned, escalated)
