"""Background work: the PDF sheets of label runs, and who is told about reports of copies."""

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from singleportal.accounts.messaging import send_message
from singleportal.accounts.models import Role, User
from singleportal.core.calendar import is_working_day
from singleportal.core.links import absolute
from singleportal.labels import actions, selectors
from singleportal.labels.models import ReportReview, ReportStatus

DIGEST_LENGTH = 20  # reports listed in the morning message; the page has them all


@shared_task
def render_sheet(sheet_id: int) -> None:
    """Idempotent: a sheet already made is left alone; a failed one is marked failed (the
    owner's page offers to try again) and the error reaches the worker's log."""
    actions.render_sheet(sheet_id)


@shared_task
def report_waiting_copies() -> int:
    """Celery beat, each working morning: programme staff get the reports of suspected copies
    not reviewed yet. A daily message, not one per report: anyone may report, and a flood of
    reports must not become a flood of mail. Returns how many people were told."""
    if not is_working_day(timezone.localdate()):
        return 0
    waiting = selectors.report_queue(ReportStatus.NEW)
    count = waiting.count()
    if not count:
        return 0
    context = {
        "count": count,
        "reports": list(waiting[:DIGEST_LENGTH]),
        "link": absolute(f"{reverse('labels:reports')}?status={ReportStatus.NEW}"),
    }
    staff = User.objects.filter(
        role_assignments__role=Role.PROGRAMME_STAFF, is_active=True
    ).distinct()
    told = 0
    for person in staff:
        send_message(person, "labels/messages/waiting", context)
        told += 1
    return told


# A mail or SMS gateway that is down (OSError covers SMTP and socket errors) is tried again.
@shared_task(autoretry_for=(OSError,), max_retries=5, default_retry_delay=60)
def tell_member_of_copy(review_id: int, user_id: int) -> None:
    """A member of the profile whose label was found likely copied: what staff found, where,
    and a link to the report. Nothing if a later review has changed the finding."""
    review = ReportReview.objects.select_related("report__label__run").get(pk=review_id)
    report = review.report
    if report.status != ReportStatus.LIKELY_COPY or report.label is None:
        return
    member = User.objects.get(pk=user_id)
    send_message(
        member,
        "labels/messages/likely_copy",
        {
            "report": report,
            "review": review,
            "product": report.label.run.facts["product"],  # as printed on the label
            "link": absolute(reverse("labels:report_detail", args=[report.pk])),
        },
    )
