"""Background work for names: the scheduled expiry and the reminders before it."""

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from singleportal.accounts.sms import send_sms
from singleportal.core.links import absolute
from singleportal.names.models import NameReservation, ReservationAction, ReservationStatus


@shared_task
def expire_name_reservations() -> int:
    """Celery beat, hourly: expire reservations past their date."""
    from singleportal.names import actions

    return actions.expire_reservations()


@shared_task
def remind_name_reservations() -> int:
    """Celery beat, daily: queue reminders for reservations that expire soon."""
    from singleportal.names import actions

    return actions.remind_expiring_reservations()


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_reservation_reminder(self, reservation_id: int) -> None:  # type: ignore[no-untyped-def]
    """Tell the applicant their reservation ends soon; once (marked under the row lock)."""
    with transaction.atomic():
        reservation = (
            NameReservation.objects.select_for_update()
            .select_related("applicant")
            .filter(pk=reservation_id, status=ReservationStatus.ACTIVE, reminded_at__isnull=True)
            .first()
        )
        if reservation is None:
            return
        user = reservation.applicant
        with translation.override(user.preferred_language):
            context = {
                "reservation": reservation,
                "user": user,
                "link": absolute(reverse("names:reservations")),
            }
            text = render_to_string("names/messages/reminder.txt", context).strip()
            if user.email:
                subject = render_to_string("names/messages/reminder_subject.txt", context).strip()
                send_mail(subject, text, None, [user.email])
            elif user.phone:
                send_sms(user.phone, text)
        reservation.reminded_at = timezone.now()
        reservation.save(update_fields=["reminded_at"])
        reservation.apply(ReservationAction.REMIND, note="email" if user.email else "sms")
