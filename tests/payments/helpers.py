"""Paying an invoice in tests as an applicant would: in the sandbox bank (over HTTP, as its
bank-app page does), then telling us as the provider does (here by polling, so no live server
is needed)."""

import itertools
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from singleportal.payments import actions
from singleportal.payments.demo import sandbox_event
from singleportal.payments.models import Invoice
from singleportal.payments.providers import ProviderEventData

_SERIAL = itertools.count(1)


def pay(application: Any) -> Invoice:
    """Pay the application's invoice in full in the sandbox bank; returns it, refreshed."""
    invoice = Invoice.objects.get(application=application)
    if invoice.expires_at <= datetime.now(UTC):
        # A test set in the past (its clock moved back): the bank refuses a code expired by the
        # real clock, so the provider's event is made here.
        actions.receive_event("sandbox", event(invoice.reference, invoice.total))
        invoice.refresh_from_db()
        return invoice
    form = {"khqr": invoice.khqr, "payer_account": "sokha@aba", "notify": "never"}
    with urllib.request.urlopen(  # noqa: S310 (the test's own sandbox bank)
        f"{settings.PAYMENT_SANDBOX_URL}/pay", data=urllib.parse.urlencode(form).encode()
    ) as response:
        assert response.status == 200
    actions.check_payments(invoice)
    invoice.refresh_from_db()
    return invoice


def event(bill_number: str, amount: int, **fields: Any) -> ProviderEventData:
    """A sandbox-shaped event the bank never sent (for what a real bank might get wrong)."""
    serial = next(_SERIAL)
    fields.setdefault("event_id", f"evt_test{serial:08d}")
    fields.setdefault("transaction_id", f"txn_test{serial:08d}")
    return sandbox_event(bill_number, amount, **fields)
