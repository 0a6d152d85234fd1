"""Reads on invoices and payments, restricted to the files the user may see."""

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone

from singleportal.applications.selectors import visible_to
from singleportal.payments import providers
from singleportal.payments.models import Invoice, InvoiceStatus, Payment, RefundStatus


def invoice_of(application: Any) -> Invoice | None:
    """The file's invoice (the caller has checked the user may see the file)."""
    return (
        Invoice.objects.select_related("application", "payment")
        .prefetch_related("lines__agency")
        .filter(application=application)
        .first()
    )


def payment_for(user: Any, public_id: Any) -> Payment:
    """A payment of a file the user may see; 404 otherwise."""
    payment = (
        Payment.objects.select_related("invoice__application__owner")
        .filter(public_id=public_id, invoice__application__in=visible_to(user))
        .first()
    )
    if payment is None:
        raise Http404
    return payment


def money(amount: int, currency: str) -> str:
    """Minor units as people read them: "1,140,000 ៛" or "20.00 USD" (never a float)."""
    if currency == "USD":
        return f"{amount // 100:,}.{amount % 100:02d} USD"
    return f"{amount:,} ៛"


@dataclass(frozen=True)
class Share:
    agency: Any
    amount: int


def shares_of(invoice: Invoice) -> list[Share]:
    totals: dict[int, Share] = {}
    for line in invoice.lines.select_related("agency"):
        before = totals.get(line.agency_id)
        totals[line.agency_id] = Share(line.agency, line.amount + (before.amount if before else 0))
    return sorted(totals.values(), key=lambda s: s.agency.code)


def invoice_context(invoice: Invoice, page_url: str) -> dict[str, Any]:
    is_open = invoice.status == InvoiceStatus.OPEN
    expired = is_open and invoice.expires_at <= timezone.now()
    gateway = providers.provider() if is_open and not expired else None
    payment = getattr(invoice, "payment", None)
    return {
        "invoice": invoice,
        "application": invoice.application,
        "lines": [
            {
                "line": line,
                "fee": money(line.fee_amount, line.fee_currency),
                "amount": money(line.amount, "KHR"),
                "converted": line.fee_currency != "KHR",
            }
            for line in invoice.lines.all()
        ],
        "total": money(invoice.total, "KHR"),
        "expired": expired,
        "pay_url": gateway.pay_url(invoice.khqr, page_url) if gateway else None,
        "payment": payment,
        "refunds": [
            {"refund": r, "amount": money(r.amount, "KHR")}
            for r in (payment.refunds.all() if payment else [])
        ],
    }


def receipt_context(payment: Payment) -> dict[str, Any]:
    invoice = payment.invoice
    refunds = list(payment.refunds.filter(status=RefundStatus.CONFIRMED))
    return {
        "payment": payment,
        "invoice": invoice,
        "application": invoice.application,
        "shares": [
            {"agency": s.agency, "amount": money(s.amount, "KHR")} for s in shares_of(invoice)
        ],
        "amount": money(payment.amount, "KHR"),
        "refunds": [{"refund": r, "amount": money(r.amount, "KHR")} for r in refunds],
    }
