"""The invoice of a file as an API: /api/v1/payments/. The applicant and their representatives
only (others get 404, never learning the file exists); the provider's webhook is a page
(payments.views.webhook), not part of this API."""

from datetime import date, datetime
from uuid import UUID

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from singleportal.applications.selectors import application_for
from singleportal.core.refusals import ErrorOut
from singleportal.payments import actions, selectors
from singleportal.payments.models import Invoice
from singleportal.payments.providers import ProviderUnavailable

router = Router(tags=["payments"])


class LineOut(Schema):
    agency: str
    agency_name: str
    name: str
    fee_amount: int
    fee_currency: str
    discount_percent: int
    amount: int


class RefundOut(Schema):
    reference: str
    amount: int
    status: str
    reason: str
    reason_label: str
    confirmed_at: datetime | None


class PaymentOut(Schema):
    id: UUID
    amount: int
    paid_at: datetime
    transaction_id: str
    receipt_url: str
    refunds: list[RefundOut]


class InvoiceOut(Schema):
    reference: str
    application_reference: str
    status: str
    status_label: str
    currency: str
    total: int
    khr_per_usd: int | None
    rate_day: date | None
    issued_at: datetime
    expires_at: datetime
    khqr: str
    lines: list[LineOut]
    payment: PaymentOut | None


def _invoice(request: HttpRequest, application_id: UUID) -> Invoice:
    try:
        application = application_for(request.auth, application_id)  # type: ignore[attr-defined]
    except Http404 as exc:
        raise HttpError(404, _("No such application.")) from exc
    found = selectors.invoice_of(application)
    if found is None:
        raise HttpError(404, _("This application has no invoice."))
    return found


def _out(invoice: Invoice) -> dict:
    payment = getattr(invoice, "payment", None)
    return {
        "reference": invoice.reference,
        "application_reference": invoice.application.reference,
        "status": invoice.status,
        "status_label": invoice.get_status_display(),
        "currency": "KHR",
        "total": invoice.total,
        "khr_per_usd": invoice.khr_per_usd,
        "rate_day": invoice.rate_day,
        "issued_at": invoice.issued_at,
        "expires_at": invoice.expires_at,
        "khqr": invoice.khqr,
        "lines": [
            {
                "agency": line.agency.code,
                "agency_name": line.agency.name,
                "name": line.name,
                "fee_amount": line.fee_amount,
                "fee_currency": line.fee_currency,
                "discount_percent": line.discount_percent,
                "amount": line.amount,
            }
            for line in invoice.lines.all()
        ],
        "payment": payment
        and {
            "id": payment.public_id,
            "amount": payment.amount,
            "paid_at": payment.paid_at,
            "transaction_id": payment.transaction_id,
            "receipt_url": reverse("payments:receipt", args=[payment.public_id]),
            "refunds": [
                {
                    "reference": r.reference,
                    "amount": r.amount,
                    "status": r.status,
                    "reason": r.reason,
                    "reason_label": r.get_reason_display(),
                    "confirmed_at": r.confirmed_at,
                }
                for r in payment.refunds.all()
            ],
        },
    }


@router.get(
    "/applications/{application_id}/invoice",
    response={200: InvoiceOut, 404: ErrorOut},
    summary="The file's one invoice, with its KHQR payment code",
    description=(
        "Amounts are integer riel (a fee set in USD shows its amount in cents and the rate "
        "used). `khqr` is the EMVCo/KHQR string to render as a QR code; its bill number is the "
        "invoice reference. Once paid, the payment, its receipt and any refunds."
    ),
)
def get_invoice(request: HttpRequest, application_id: UUID) -> dict:
    return _out(_invoice(request, application_id))


@router.post(
    "/applications/{application_id}/invoice/check",
    response={200: InvoiceOut, 404: ErrorOut, 503: ErrorOut},
    summary="Ask the bank now whether the invoice is paid",
    description="For when the bank's notification is late; safe to repeat.",
)
def check_invoice(request: HttpRequest, application_id: UUID) -> Status:
    invoice = _invoice(request, application_id)
    try:
        actions.check_payments(invoice)
    except ProviderUnavailable:
        return Status(
            503, {"detail": _("The bank could not be reached; try again in a few minutes.")}
        )
    return Status(200, _out(_invoice(request, application_id)))
