"""Background work for payments: what follows a payment, refunds, and the fallbacks for a
webhook that is late or lost (polling) and for work whose message was lost (the sweep)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from singleportal.agencies.models import Task, TaskStatus
from singleportal.payments import actions
from singleportal.payments.models import (
    EventHandling,
    EventOutcome,
    Invoice,
    InvoiceStatus,
    Refund,
    RefundStatus,
)
from singleportal.payments.providers import ProviderUnavailable


@shared_task
def after_payment(invoice_id: int) -> None:
    """The fee is paid: MEF's rules confirm it, which starts the other agencies' work."""
    from singleportal.agencies.actions import decide_straight_through

    invoice = Invoice.objects.get(pk=invoice_id)
    for task_id in Task.objects.filter(
        application_id=invoice.application_id, agency__code="MEF", status=TaskStatus.OPEN
    ).values_list("pk", flat=True):
        decide_straight_through(task_id)


@shared_task
def apply_waiting_events(bill_number: str) -> int:
    return actions.apply_waiting_events(bill_number)


@shared_task(bind=True, max_retries=8, default_retry_delay=60)
def send_refund(self, refund_id: int) -> bool:  # type: ignore[no-untyped-def]
    try:
        return actions.send_refund(refund_id)
    except ProviderUnavailable as exc:
        Refund.objects.filter(pk=refund_id).update(last_error=str(exc)[:200])
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task
def poll_open_invoices() -> int:
    """Ask the provider about open invoices whose payment was not notified in time."""
    now = timezone.now()
    quiet = now - timedelta(seconds=settings.PAYMENT_POLL_AFTER_SECONDS)
    found = 0
    for invoice in Invoice.objects.filter(
        status=InvoiceStatus.OPEN, issued_at__lte=quiet, expires_at__gte=now - timedelta(days=1)
    ):
        try:
            found += actions.check_payments(invoice)
        except ProviderUnavailable:
            break  # the provider is down: the next run asks again
    return found


@shared_task
def sweep() -> None:
    """Finish what a lost message left undone: events that came before their invoice, refunds
    not yet confirmed, and paid files whose MEF task still waits."""
    week = timezone.now() - timedelta(days=7)
    waiting = (
        EventHandling.objects.filter(at__gte=week, outcome=EventOutcome.UNMATCHED)
        .values_list("event__bill_number", flat=True)
        .distinct()
    )
    for bill_number in waiting:
        actions.apply_waiting_events(bill_number)
    for refund_id in Refund.objects.filter(
        status=RefundStatus.REQUESTED, requested_at__lte=timezone.now() - timedelta(minutes=30)
    ).values_list("pk", flat=True):
        send_refund.delay(refund_id)
    for invoice_id in Invoice.objects.filter(
        status=InvoiceStatus.PAID,
        application__tasks__agency__code="MEF",
        application__tasks__status=TaskStatus.OPEN,
    ).values_list("pk", flat=True):
        after_payment.delay(invoice_id)
