"""Writes on invoices, payments and refunds.

The invoice is issued in the submission's transaction (the hook). A provider event is stored
first, uniquely by its id, and applied in the same transaction: a replay changes nothing, an
event for an invoice we do not have yet waits and is applied when the invoice commits (or by the
sweep), and one that does not fit its invoice is held for the operator. Only a recorded payment
starts the agencies' work (tasks.start_agencies, on commit).
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.agencies.models import TaskStatus
from singleportal.applications.models import Application, ApplicationVersion
from singleportal.applications.selectors import visible_to
from singleportal.audit import chain as audit
from singleportal.core.counters import next_number
from singleportal.payments import fees, khqr, schedule
from singleportal.payments.models import (
    EntryKind,
    EventHandling,
    EventOutcome,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LedgerEntry,
    Payment,
    ProviderEvent,
    Refund,
    RefundReason,
    RefundRule,
    RefundStatus,
)
from singleportal.payments.providers import (
    PAYMENT,
    ProviderEventData,
    ProviderUnavailable,
    provider,
)

# -- invoices -----------------------------------------------------------------------------


def payment_code(invoice: Invoice) -> str:
    """The invoice's dynamic KHQR: the platform's account, the total in riel, the invoice
    reference as bill number, valid until the invoice's pay-by time."""
    return khqr.encode(
        khqr.KhqrCode(
            account_id=settings.KHQR_ACCOUNT_ID,
            merchant_name=settings.KHQR_MERCHANT_NAME,
            merchant_name_km=settings.KHQR_MERCHANT_NAME_KM,
            merchant_city=settings.KHQR_MERCHANT_CITY,
            currency="KHR",
            amount=invoice.total,
            bill_number=invoice.reference,
            created_ms=int(timezone.now().timestamp() * 1000),
            expires_ms=int(invoice.expires_at.timestamp() * 1000),
        )
    )


def issue_invoice(application: Application, version: ApplicationVersion) -> Invoice | None:
    """On submission (the hook, inside its transaction): one invoice with a line per fee due.
    A resubmission after a correction keeps the first invoice; a file owing nothing gets none."""
    existing = Invoice.objects.filter(application=application).first()
    if existing is not None:
        return existing
    now = timezone.now()
    day = timezone.localdate(now)
    charges = schedule.charges_for(application, version.snapshot, day)
    if not charges.lines:
        return None
    invoice = Invoice(
        reference=f"INV-{day.year}-{next_number(f'invoice-{day.year}'):07d}",
        application=application,
        total=charges.total,
        khr_per_usd=charges.rate.khr_per_usd if charges.rate else None,
        rate_day=charges.rate.day if charges.rate else None,
        issued_at=now,
        expires_at=now + timedelta(hours=settings.INVOICE_PAY_WITHIN_HOURS),
    )
    invoice.khqr = payment_code(invoice)
    invoice.save()
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            agency=c.fee.agency,
            fee=c.fee,
            name_km=c.fee.name_km,
            name_en=c.fee.name_en,
            fee_amount=c.fee.amount,
            fee_currency=c.fee.currency,
            discount_percent=c.fee.online_discount_percent,
            amount=c.amount,
            refund_rule=c.fee.refund_rule,
        )
        for c in charges.lines
    )
    audit.record(
        None, "invoice.issued", invoice, {"reference": invoice.reference, "total": invoice.total}
    )
    reference = invoice.reference
    transaction.on_commit(lambda: _apply_waiting_later(reference))
    return invoice


def _apply_waiting_later(reference: str) -> None:
    from singleportal.payments.tasks import apply_waiting_events

    apply_waiting_events.delay(reference)


def renew_code(invoice: Invoice, user: Any) -> Invoice:
    """A new payment code for an open invoice whose code expired; the amounts stay as issued."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if not visible_to(user).filter(pk=invoice.application_id).exists():
            raise PermissionDenied
        if invoice.status != InvoiceStatus.OPEN:
            raise ValidationError(_("Only an invoice awaiting payment gets a new code."))
        if invoice.expires_at > timezone.now():
            return invoice
        invoice.expires_at = timezone.now() + timedelta(hours=settings.INVOICE_PAY_WITHIN_HOURS)
        invoice.khqr = payment_code(invoice)
        invoice.save(update_fields=["expires_at", "khqr"])
        audit.record(user, "invoice.code_renewed", invoice, {"expires_at": invoice.expires_at})
    return invoice


def invoice_unpaid(application: Application) -> bool:
    """The fee question MEF's check asks (applications.hooks.fee_questions)."""
    return Invoice.objects.filter(application=application, status=InvoiceStatus.OPEN).exists()


# -- what providers tell us ----------------------------------------------------------------


def receive_event(provider_name: str, data: ProviderEventData) -> tuple[ProviderEvent, str, bool]:
    """Store a verified provider event and apply it, once. Returns (event, outcome, new):
    a replay of a stored event returns its last outcome with new=False and changes nothing."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = ProviderEvent.objects.create(
                    provider=provider_name,
                    event_id=data.event_id,
                    kind=data.kind,
                    transaction_id=data.transaction_id,
                    bill_number=data.bill_number,
                    amount=data.amount,
                    currency=data.currency,
                    occurred_at=data.occurred_at,
                    body=data.body,
                )
        except IntegrityError:
            # Stored already: a replay, or the same event delivered twice at once (the second
            # insert waits for the first to commit, then fails here).
            event = ProviderEvent.objects.get(provider=provider_name, event_id=data.event_id)
            return event, _last_outcome(event), False
        return event, _apply(event), True


def _last_outcome(event: ProviderEvent) -> str:
    handling = event.handlings.order_by("-at", "-pk").first()
    return handling.outcome if handling else EventOutcome.UNMATCHED


def _handled(event: ProviderEvent, outcome: str, problem: str = "", invoice: Any = None) -> str:
    EventHandling.objects.create(event=event, outcome=outcome, problem=problem, invoice=invoice)
    if outcome in (EventOutcome.HELD, EventOutcome.UNMATCHED):
        audit.record(
            None,
            f"payment_event.{outcome}",
            event,
            {"event_id": event.event_id, "bill_number": event.bill_number, "problem": problem},
        )
    return outcome


def _apply(event: ProviderEvent) -> str:
    if event.kind == PAYMENT:
        return _apply_payment(event)
    return _apply_refund(event)


def _apply_payment(event: ProviderEvent) -> str:
    invoice = Invoice.objects.select_for_update().filter(reference=event.bill_number).first()
    if invoice is None:
        return _handled(event, EventOutcome.UNMATCHED, "no invoice with this reference")
    problem = ""
    if event.currency != "KHR":
        problem = f"paid in {event.currency}, the invoice is in KHR"
    elif event.amount != invoice.total:
        problem = f"paid {event.amount}, the invoice total is {invoice.total}"
    elif invoice.status == InvoiceStatus.PAID:
        if invoice.payment.transaction_id == event.transaction_id:
            # The provider told the same payment again under another event id: not a second
            # payment, nothing to hold.
            return _handled(event, EventOutcome.DUPLICATE, invoice=invoice)
        problem = f"the invoice was already paid ({invoice.payment.transaction_id})"
    elif invoice.status == InvoiceStatus.CANCELLED:
        problem = "the invoice was cancelled (the file was withdrawn)"
    elif Payment.objects.filter(
        provider=event.provider, transaction_id=event.transaction_id
    ).exists():
        problem = "this transaction was already recorded for another invoice"
    if problem:
        return _handled(event, EventOutcome.HELD, problem, invoice)
    payment = Payment.objects.create(
        invoice=invoice,
        event=event,
        provider=event.provider,
        transaction_id=event.transaction_id,
        amount=event.amount,
        payer_account=str(event.body.get("data", {}).get("payer_account") or "")[:100],
        paid_at=event.occurred_at,
    )
    invoice.status = InvoiceStatus.PAID
    invoice.paid_at = event.occurred_at
    invoice.save(update_fields=["status", "paid_at"])
    lines = invoice.lines.select_related("agency")
    day = timezone.localdate(event.occurred_at)
    agencies = {line.agency.code: line.agency for line in lines}
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            agency=agencies[share.agency],
            invoice=invoice,
            payment=payment,
            kind=EntryKind.SHARE,
            amount=share.amount,
            day=day,
        )
        for share in fees.split((line.agency.code, line.amount) for line in lines)
    )
    audit.record(
        None,
        "payment.recorded",
        payment,
        {
            "invoice": invoice.reference,
            "amount": payment.amount,
            "transaction": event.transaction_id,
        },
    )
    invoice_id, payment_id = invoice.pk, payment.pk
    transaction.on_commit(lambda: _after_payment_later(invoice_id, payment_id))
    return _handled(event, EventOutcome.APPLIED, invoice=invoice)


def _after_payment_later(invoice_id: int, payment_id: int) -> None:
    from singleportal.payments.tasks import start_agencies, tell_applicant

    start_agencies.delay(invoice_id)
    tell_applicant.delay(payment_id, "paid")


def _apply_refund(event: ProviderEvent) -> str:
    """The provider confirms a refund we asked for (matched by transaction, invoice, currency
    and amount)."""
    if event.currency != "KHR":
        return _handled(event, EventOutcome.HELD, f"refunded in {event.currency}, paid in KHR")
    refund = (
        Refund.objects.select_for_update()
        .filter(
            payment__provider=event.provider,
            payment__transaction_id=event.body.get("data", {}).get("refund_of") or "",
            payment__invoice__reference=event.bill_number,
            amount=event.amount,
            status=RefundStatus.REQUESTED,
        )
        .order_by("requested_at")
        .first()
    )
    if refund is None:
        return _handled(event, EventOutcome.HELD, "a refund we did not ask for")
    refund.status = RefundStatus.CONFIRMED
    refund.confirmed_at = event.occurred_at
    refund.event = event
    refund.save(update_fields=["status", "confirmed_at", "event"])
    payment = refund.payment
    agencies = {
        line.agency.code: line.agency for line in payment.invoice.lines.select_related("agency")
    }
    day = timezone.localdate(event.occurred_at)
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            agency=agencies[code],
            invoice=payment.invoice,
            payment=payment,
            refund=refund,
            kind=EntryKind.REFUND,
            amount=-amount,
            day=day,
        )
        for code, amount in sorted(refund.shares.items())
    )
    audit.record(None, "refund.confirmed", refund, {"amount": refund.amount})
    payment_id = payment.pk
    transaction.on_commit(lambda: _tell_refunded_later(payment_id))
    return _handled(event, EventOutcome.APPLIED, invoice=payment.invoice)


def _tell_refunded_later(payment_id: int) -> None:
    from singleportal.payments.tasks import tell_applicant

    tell_applicant.delay(payment_id, "refunded")


def apply_waiting_events(bill_number: str) -> int:
    """Apply the events that arrived before their invoice existed. Returns how many applied."""
    applied = 0
    for event_id in ProviderEvent.objects.filter(bill_number=bill_number).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            event = ProviderEvent.objects.select_for_update().get(pk=event_id)
            if _last_outcome(event) == EventOutcome.UNMATCHED:
                applied += _apply(event) == EventOutcome.APPLIED
    return applied


def check_payments(invoice: Invoice) -> int:
    """Ask the provider about the invoice (when its webhook is late) and apply what it tells.
    Returns how many events were new; raises ProviderUnavailable when it cannot be asked."""
    gateway = provider()
    if gateway is None:
        return 0
    return sum(
        receive_event(gateway.name, data)[2] for data in gateway.events_for(invoice.reference)
    )


# -- refunds ------------------------------------------------------------------------------


def cancel_invoice(application: Application, user: Any) -> None:
    """On withdrawal (the hook): an unpaid invoice is cancelled; a paid one is refunded."""
    _close(application, user, RefundReason.WITHDRAWN)


def refund_rejected(application: Application) -> None:
    """On rejection (the hook)."""
    _close(application, None, RefundReason.REJECTED)


def _close(application: Application, user: Any, reason: str) -> None:
    invoice = Invoice.objects.select_for_update().filter(application=application).first()
    if invoice is None:
        return
    if invoice.status == InvoiceStatus.OPEN:
        invoice.status = InvoiceStatus.CANCELLED
        invoice.save(update_fields=["status"])
        audit.record(user, "invoice.cancelled", invoice, {"reason": reason})
    elif invoice.status == InvoiceStatus.PAID:
        request_refund(invoice, user, reason)


def refundable_shares(invoice: Invoice) -> dict[str, int]:
    """Per agency, what the schedule's rules give back: a line is refunded unless its rule says
    never, or its agency already approved its part of the file."""
    approved = set(
        invoice.application.tasks.filter(status=TaskStatus.APPROVED).values_list(
            "agency__code", flat=True
        )
    )
    shares: dict[str, int] = {}
    for line in invoice.lines.select_related("agency"):
        if line.refund_rule == RefundRule.UNLESS_APPROVED and line.agency.code not in approved:
            shares[line.agency.code] = shares.get(line.agency.code, 0) + line.amount
    return shares


def request_refund(invoice: Invoice, user: Any, reason: str) -> Refund | None:
    """Refund what the rules give back, once per payment (never more than was paid); the
    provider is asked after commit, and again until it confirms."""
    payment = invoice.payment
    if payment.refunds.exists():
        return None
    shares = refundable_shares(invoice)
    amount = sum(shares.values())
    if amount == 0:
        return None
    if amount > payment.amount:  # whole invoice lines add up to the payment at most
        raise ValueError(f"A refund of {amount} exceeds the payment of {payment.amount}.")
    refund = Refund.objects.create(
        reference=f"RF-{invoice.reference.removeprefix('INV-')}",
        payment=payment,
        amount=amount,
        shares=shares,
        reason=reason,
    )
    audit.record(user, "refund.requested", refund, {"amount": amount, "shares": shares})
    refund_id = refund.pk
    transaction.on_commit(lambda: _send_refund_later(refund_id))
    return refund


def _send_refund_later(refund_id: int) -> None:
    from singleportal.payments.tasks import send_refund as send_refund_task

    send_refund_task.delay(refund_id)


def send_refund(refund_id: int) -> bool:
    """Ask the provider to pay the refund (idempotent by its reference) and record the
    confirmation. Returns whether it is confirmed; raises ProviderUnavailable to be retried."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status == RefundStatus.CONFIRMED:
        return True
    gateway = provider(refund.payment.provider)
    if gateway is None:
        raise ProviderUnavailable(f"no provider {refund.payment.provider} is configured")
    Refund.objects.filter(pk=refund_id).update(attempts=refund.attempts + 1)
    data = gateway.refund(refund.payment.transaction_id, refund.amount, refund.reference)
    receive_event(gateway.name, data)
    refund.refresh_from_db()
    return refund.status == RefundStatus.CONFIRMED
