"""Reads on tasks, restricted to what an officer may see: their own agency's tasks only."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from singleportal.accounts.models import OfficerLevel, Role, RoleAssignment, User
from singleportal.agencies.models import Agency, Task


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
