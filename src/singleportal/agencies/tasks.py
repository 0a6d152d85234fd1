"""Background work for the agencies: straight-through decisions, telling the applicant, the
heads' daily deadline report."""

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from singleportal.accounts.messaging import send_message
from singleportal.accounts.models import OfficerLevel, Role, User
from singleportal.agencies import sla
from singleportal.agencies.models import Agency, Task
from singleportal.applications.models import Application
from singleportal.core.calendar import is_working_day
from singleportal.core.links import absolute
from singleportal.registry.models import Business


@shared_task
def decide_straight_through(task_id: int) -> bool:
    """Queued when a task opens; idempotent (a task no longer open is left alone)."""
    from singleportal.agencies import actions

    return actions.decide_straight_through(task_id)


# A mail or SMS gateway that is down (OSError covers SMTP and socket errors) is tried again.
@shared_task(autoretry_for=(OSError,), max_retries=5, default_retry_delay=60)
def tell_applicant(application_id: int, status: str) -> None:
    """The file's status changed (correction needed, registered, rejected): email or SMS the
    owner in their language, with a link to the file."""
    application = Application.objects.select_related("owner").get(pk=application_id)
    if application.status != status:  # moved on again before this ran: that move tells
        return
    tasks = list(application.tasks.select_related("agency").prefetch_related("decisions__reason"))
    path = reverse("applications:progress", args=[application.public_id])
    send_message(
        application.owner,
        "agencies/messages/status",
        {
            "application": application,
            "status": status,
            "tasks": tasks,
            "business": Business.objects.filter(
                application_reference=application.reference
            ).first(),
            "link": absolute(path),
        },
    )


@shared_task
def report_deadlines() -> int:
    """Celery beat, each working morning: each agency's heads get the tasks near or past their
    deadline. Returns the number of reports sent (none on a public holiday)."""
    today = timezone.localdate()
    if not is_working_day(today):
        return 0
    sent = 0
    bounds = sla.risk_bounds(today)
    for agency in Agency.objects.all():
        tasks = Task.objects.filter(agency=agency).select_related("application", "assignee")
        late = list(tasks.filter(bounds.where(sla.LATE)))
        near = list(tasks.filter(bounds.where(sla.NEAR)))
        if not (late or near):
            continue
        heads = User.objects.filter(
            role_assignments__role=Role.OFFICER,
            role_assignments__agency=agency,
            role_assignments__level=OfficerLevel.HEAD,
            is_active=True,
        )
        path = reverse("agencies:queue", args=[agency.code.lower()])
        for head in heads:
            send_message(
                head,
                "agencies/messages/deadlines",
                {
                    "agency": agency,
                    "late": late,
                    "near": near,
                    "link": absolute(path + "?risk=late"),
                },
            )
            sent += 1
    return sent
