"""Background work for payments: what follows a payment, refunds, and the fallbacks for a
webhook that is late or lost (polling) and for work whose message was lost (the sweep)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from singleportal.accounts.messaging import send_message
from singleportal.agencies.models import Task, TaskStatus
from singleportal.core.links import absolute
from singleportal.payments import actions
from singleportal.payments.models import (
    EventHandling,
    EventOutcome,
    Invoice,
    InvoiceStatus,
    Payment,
    Refund,
    RefundStatus,
)
from singleportal.payments.providers import ProviderUnavailable
from singleportal.payments.selectors import money


@shared_task
def start_agencies(invoice_id: int) -> None:
    """The fee is paid: MEF's rules confirm it, which starts the other agencies' work.
    Idempotent (a MEF task no longer open is left alone)."""
    from singleportal.agencies.actions import decide_straight_through

    invoice = Invoice.objects.get(pk=invoice_id)
    for task_id in Task.objects.filter(
        application_id=invoice.application_id, agency__code="MEF", status=TaskStatus.OPEN
    ).values_list("pk", flat=True):
        decide_straight_through(task_id)


# A mail or SMS gateway that is down (OSError covers SMTP and socket errors) is tried again.
@shared_task(autoretry_for=(OSError,), max_retries=5, default_retry_delay=60)
def tell_applicant(payment_id: int, what: str) -> None:
    """What: "paid" or "refunded". Email or SMS the file's owner, with a link to the receipt."""
    payment = Payment.objects.select_related("invoice__application__owner").get(pk=payment_id)
    application = payment.invoice.application
    refund = payment.refunds.filter(status=RefundStatus.CONFIRMED).first()
    path = reverse("payments:receipt", args=[payment.public_id])
    amount = refund.amount if what == "refunded" and refund else payment.amount
    send_message(
        application.owner,
        f"payments/messages/{what}",
        {
            "application": application,
            "invoice": payment.invoice,
            "refund": refund,
            "amount": money(amount, "KHR"),
            "link": absolute(path),
        },
    )


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
    # Paid today, MEF's task still open: its start was lost (or MEF's rules left it to an
    # officer, whom asking again does not bother).
    for invoice_id in Invoice.objects.filter(
        status=InvoiceStatus.PAID,
        paid_at__gte=timezone.now() - timedelta(days=1),
        application__tasks__agency__code="MEF",
        application__tasks__status=TaskStatus.OPEN,
    ).values_list("pk", flat=True):
        start_agencies.delay(invoice_id)
