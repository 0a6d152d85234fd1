"""Pages: the invoice with its KHQR (applicant and representatives), the receipt, the
operator's daily reconciliation (MEF officers), and the provider's webhook (public, signed)."""

import contextlib
import logging
import time
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from singleportal.accounts.qr import qr_svg
from singleportal.agencies.selectors import agency_for
from singleportal.applications import selectors as applications
from singleportal.applications.models import Status
from singleportal.core.access import public, signed_in
from singleportal.payments import actions, providers, reconciliation, selectors
from singleportal.payments.models import Invoice, InvoiceStatus
from singleportal.payments.providers import ProviderUnavailable, WebhookRefused

logger = logging.getLogger(__name__)
MAX_WEBHOOK_BYTES = 64 * 1024


@signed_in
def invoice(request: HttpRequest, public_id: str) -> HttpResponse:
    """The one invoice of the file: lines per agency, the total, and the KHQR to scan. While
    it waits for payment htmx asks again every few seconds, so the page turns to "paid" by
    itself when the bank's notification arrives."""
    app = applications.application_for(request.user, public_id)
    if app.status == Status.DRAFT:
        raise Http404
    found = selectors.invoice_of(app)
    if found is None:
        return redirect("applications:progress", app.public_id)
    context = selectors.invoice_context(found, request.build_absolute_uri())
    context["khqr_svg"] = qr_svg(found.khqr) if found.status == InvoiceStatus.OPEN else ""
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "payments/_invoice_status.html", context)
    return render(request, "payments/invoice.html", context)


@signed_in
@require_POST
def check(request: HttpRequest, public_id: str) -> HttpResponse:
    """ "I have paid": ask the provider now instead of waiting for its notification."""
    found = _invoice_or_404(request, public_id)
    query = ""
    try:
        actions.check_payments(found)
    except ProviderUnavailable:
        logger.warning("The payment provider could not be asked about %s", found.reference)
        query = "?provider=unavailable"
    return redirect(reverse("payments:invoice", args=[public_id]) + query)


@signed_in
@require_POST
def renew(request: HttpRequest, public_id: str) -> HttpResponse:
    found = _invoice_or_404(request, public_id)
    # Paid or cancelled since the page was shown: show it as it is.
    with contextlib.suppress(ValidationError):
        actions.renew_code(found, request.user)
    return redirect("payments:invoice", public_id)


def _invoice_or_404(request: HttpRequest, public_id: str) -> Invoice:
    """The invoice of a file the user may see (owner or representative); 404 otherwise."""
    found = selectors.invoice_of(applications.application_for(request.user, public_id))
    if found is None:
        raise Http404
    return found


@signed_in
def receipt(request: HttpRequest, public_id: str) -> HttpResponse:
    payment = selectors.payment_for(request.user, public_id)
    return render(request, "payments/receipt.html", selectors.receipt_context(payment))


@signed_in
def reconciliation_day(request: HttpRequest) -> HttpResponse:
    """The operator's report of a day (MEF officers only; others get 404): per agency the
    shares and the ledger side by side, and what the provider sent that did not fit. The full
    rows come as CSV."""
    agency = agency_for(request.user, "MEF")
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:  # none given, or not a date: yesterday, the last whole day
        day = timezone.localdate() - timedelta(days=1)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="reconciliation-{day}.csv"'
        reconciliation.write_csv(day, response)
        return response
    found = reconciliation.report(day)
    net = found.totals.net
    agencies = [
        {
            "code": code,
            "payments": found.totals.payment_shares.get(code, 0),
            "refunds": found.totals.refund_shares.get(code, 0),
            "net": net.get(code, 0),
            "ledger": found.ledger.get(code, 0),
        }
        for code in found.agencies
    ]
    context = {
        "agency": agency,
        "day": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1) if day < timezone.localdate() else None,
        "report": found,
        "agencies": agencies,
        "differences": [row for row in found.rows if row.is_difference],
    }
    return render(request, "payments/reconciliation.html", context)


@public
@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider_name: str) -> HttpResponse:
    """The provider's notification: verified (signature, freshness), stored once by its event
    id, then applied. 400 tells the provider the request is not genuine; 200 that we hold it
    (a replay, or an event we keep for later, answers 200 too, so it is not sent again)."""
    gateway = providers.provider(provider_name)
    if gateway is None:
        raise Http404
    # Asked before reading the body: Django refuses a body over its own limit with an error page.
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_WEBHOOK_BYTES:
        return JsonResponse({"error": "body too large"}, status=413)
    try:
        data = gateway.verify_webhook(request.headers, request.body, time.time())
    except WebhookRefused as exc:
        logger.warning("Refused a %s webhook: %s", provider_name, exc.reason)
        return JsonResponse({"error": exc.reason}, status=400)
    event, outcome, new = actions.receive_event(gateway.name, data)
    return JsonResponse({"event": event.event_id, "outcome": outcome, "duplicate": not new})
