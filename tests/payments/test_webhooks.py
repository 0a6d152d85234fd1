"""The provider's webhook, POST /payments/webhooks/sandbox/, signed as the sandbox bank signs it:
genuine events are applied exactly once; forged, stale or damaged ones are refused and leave
nothing behind; events that do not fit their invoice are stored and held for the operator."""

import json
import time

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from singleportal.applications.snapshot import build
from singleportal.audit.models import AuditEntry
from singleportal.payments import actions, schedule, tasks
from singleportal.payments.models import (
    EntryKind,
    EventHandling,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    Payment,
    ProviderEvent,
    Refund,
    RefundStatus,
)
from singleportal.payments.providers import REFUND
from singleportal.sandbox_bank.store import event_body
from singleportal.sandbox_bank.webhooks import signature_header
from tests.agencies.flow import filed, submit
from tests.payments.helpers import event

pytestmark = pytest.mark.django_db
URL = "/payments/webhooks/sandbox/"


def raw(body):
    return body if isinstance(body, bytes) else event_body(body).encode()


def deliver(client, body, *, secret=None, at=None, signed=None, path=URL):
    """POST `body` as the sandbox bank does: signed over the exact bytes, at `at` (now)."""
    data = raw(body)
    when = int(time.time()) if at is None else at
    header = signed or signature_header(secret or settings.PAYMENT_WEBHOOK_SECRET, data, when)
    return client.post(path, data, content_type="application/json", HTTP_X_SANDBOX_SIGNATURE=header)


@pytest.fixture
def invoice():
    return Invoice.objects.get(application=submit(filed(), paid=False))


def payment_body(invoice, **fields):
    return event(invoice.reference, invoice.total, **fields).body


def outcomes():
    return list(EventHandling.objects.order_by("pk").values_list("outcome", "problem"))


def held_problem(body):
    stored = ProviderEvent.objects.get(event_id=body["id"])
    return stored.handlings.get().problem


def ledger(invoice):
    shares = LedgerEntry.objects.filter(invoice=invoice, kind=EntryKind.SHARE)
    return dict(shares.values_list("agency__code", "amount"))


def ledger_refunds(invoice):
    refunds = LedgerEntry.objects.filter(invoice=invoice, kind=EntryKind.REFUND)
    return dict(refunds.values_list("agency__code", "amount"))


def test_a_genuine_payment_from_the_bank_pays_the_invoice_once_and_splits_it_per_agency(
    client, invoice, sandbox_bank
):
    sandbox_bank.pay(invoice.khqr, "sokha@aba", notify="never")
    (sent,) = sandbox_bank.events_for_bill(invoice.reference)  # the event as the bank sends it

    response = deliver(client, sent)

    assert response.status_code == 200
    assert response.json() == {"event": sent["id"], "outcome": "applied", "duplicate": False}
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    (payment,) = Payment.objects.filter(invoice=invoice)
    assert payment.amount == invoice.total == 2_020_200
    assert payment.transaction_id == sent["data"]["transaction_id"]
    assert payment.payer_account == "sokha@aba"
    assert ledger(invoice) == {"GDT": 760_000, "MLVT": 80_200, "MOC": 1_180_000}
    assert sum(ledger(invoice).values()) == payment.amount


def test_a_body_changed_after_signing_is_refused_and_nothing_is_stored(client, invoice):
    body = payment_body(invoice)
    header = signature_header(settings.PAYMENT_WEBHOOK_SECRET, raw(body), int(time.time()))
    tampered = {**body, "data": {**body["data"], "bill_number": "INV-2026-0000999"}}

    response = deliver(client, tampered, signed=header)

    assert response.status_code == 400
    assert response.json() == {"error": "bad signature"}
    assert not ProviderEvent.objects.exists()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_a_body_signed_with_another_secret_is_refused(client, invoice):
    response = deliver(client, payment_body(invoice), secret="not-our-secret")
    assert response.status_code == 400
    assert not ProviderEvent.objects.exists() and not Payment.objects.exists()


def test_a_signature_older_than_five_minutes_is_refused_a_recent_one_accepted(client, invoice):
    body = payment_body(invoice)
    stale = deliver(client, body, at=int(time.time()) - 301)
    assert stale.status_code == 400 and stale.json() == {"error": "stale timestamp"}
    assert not ProviderEvent.objects.exists()
    future = deliver(client, body, at=int(time.time()) + 400)
    assert future.status_code == 400
    # The bank re-signs each retry with a fresh time, so a late delivery still gets in.
    retried = deliver(client, body, at=int(time.time()) - 240)
    assert retried.status_code == 200 and retried.json()["outcome"] == "applied"


@pytest.mark.parametrize(
    "header", ["", "v1=abc", "t=1700000000", "t=soon,v1=abc"], ids=["none", "no-t", "no-v1", "t"]
)
def test_a_missing_or_malformed_signature_header_is_refused(client, invoice, header):
    data = raw(payment_body(invoice))
    extra = {"HTTP_X_SANDBOX_SIGNATURE": header} if header else {}
    response = client.post(URL, data, content_type="application/json", **extra)
    assert response.status_code == 400
    assert not ProviderEvent.objects.exists()


def test_a_signed_body_that_is_not_an_event_is_refused(client, invoice):
    assert deliver(client, b"not json").status_code == 400
    assert deliver(client, b"[1, 2]").status_code == 400
    strange = payment_body(invoice, kind="payment.disputed")
    assert deliver(client, strange).status_code == 400
    assert not ProviderEvent.objects.exists()


def test_a_replayed_event_answers_duplicate_and_pays_nothing_more(client, invoice):
    body = payment_body(invoice)
    first = deliver(client, body)
    again = deliver(client, body, at=int(time.time()) + 1)  # a retry, re-signed

    assert first.json()["duplicate"] is False
    assert again.status_code == 200
    assert again.json() == {"event": body["id"], "outcome": "applied", "duplicate": True}
    assert Payment.objects.count() == 1 and ProviderEvent.objects.count() == 1
    assert sum(ledger(invoice).values()) == invoice.total
    assert LedgerEntry.objects.count() == 3


def test_the_same_transaction_under_a_second_event_id_is_a_duplicate_not_paid_twice(
    client, invoice
):
    body = payment_body(invoice)
    deliver(client, body)
    twin = payment_body(invoice, transaction_id=body["data"]["transaction_id"])

    response = deliver(client, twin)

    assert response.status_code == 200
    assert response.json() == {"event": twin["id"], "outcome": "duplicate", "duplicate": False}
    assert Payment.objects.count() == 1 and LedgerEntry.objects.count() == 3


def test_a_transaction_already_paying_another_invoice_is_held_not_a_server_error(client, invoice):
    other = Invoice.objects.get(application=submit(filed(), paid=False))
    body = payment_body(invoice)
    deliver(client, body)
    reused = payment_body(other, transaction_id=body["data"]["transaction_id"])

    response = deliver(client, reused)

    assert response.status_code == 200
    assert response.json() == {"event": reused["id"], "outcome": "held", "duplicate": False}
    assert held_problem(reused) == "this transaction was already recorded for another invoice"
    assert Payment.objects.count() == 1
    other.refresh_from_db()
    assert other.status == InvoiceStatus.OPEN


def test_a_payment_of_the_wrong_amount_is_stored_and_held_and_the_invoice_stays_open(
    client, invoice
):
    body = event(invoice.reference, invoice.total - 100).body

    response = deliver(client, body)

    assert response.status_code == 200
    assert response.json() == {"event": body["id"], "outcome": "held", "duplicate": False}
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()
    assert held_problem(body) == "paid 2020100, the invoice total is 2020200"
    entry = AuditEntry.objects.get(action="payment_event.held")
    assert entry.details["bill_number"] == invoice.reference
    # The right amount afterwards still pays it.
    assert deliver(client, payment_body(invoice)).json()["outcome"] == "applied"


def test_a_payment_in_dollars_is_held(client, invoice):
    body = event(invoice.reference, invoice.total, currency="USD").body
    response = deliver(client, body)
    assert response.json()["outcome"] == "held"
    assert held_problem(body) == "paid in USD, the invoice is in KHR"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN and not Payment.objects.exists()


def test_a_payment_for_an_invoice_not_issued_yet_waits_then_applies_when_it_is(
    client, django_capture_on_commit_callbacks
):
    """The bank can notify before the submission that issued the invoice has committed."""
    app = filed()
    total = schedule.charges_for(app, build(app), timezone.localdate()).total
    reference = f"INV-{timezone.localdate().year}-0000001"  # the next of the year's series
    body = event(reference, total).body

    early = deliver(client, body)
    assert early.status_code == 200
    assert early.json() == {"event": body["id"], "outcome": "unmatched", "duplicate": False}
    assert not Payment.objects.exists()

    with (
        override_settings(CELERY_TASK_ALWAYS_EAGER=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submit(app, paid=False)

    invoice = Invoice.objects.get(application=app)
    assert invoice.reference == reference
    assert invoice.status == InvoiceStatus.PAID
    assert Payment.objects.get().event.event_id == body["id"]
    assert [o for o, _problem in outcomes()] == ["unmatched", "applied"]
    # The bank's retry of the early delivery changes nothing now.
    assert deliver(client, body).json() == {
        "event": body["id"],
        "outcome": "applied",
        "duplicate": True,
    }
    assert Payment.objects.count() == 1


def test_the_sweep_applies_a_waiting_event_whose_after_commit_message_was_lost(client):
    app = filed()
    body = event(f"INV-{timezone.localdate().year}-0000001", 2_020_200).body
    deliver(client, body)
    submit(app, paid=False)  # its on-commit work never runs: the message is lost
    invoice = Invoice.objects.get(application=app)
    assert invoice.status == InvoiceStatus.OPEN

    tasks.sweep()

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and Payment.objects.count() == 1


def test_a_payment_for_a_withdrawn_files_cancelled_invoice_is_held(client, invoice):
    from singleportal.applications.actions import withdraw_application

    withdraw_application(invoice.application, invoice.application.owner)
    body = payment_body(invoice)
    response = deliver(client, body)
    assert response.json()["outcome"] == "held"
    assert held_problem(body) == "the invoice was cancelled (the file was withdrawn)"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED and not Payment.objects.exists()


def test_a_second_payment_of_a_paid_invoice_is_held_not_doubled(client, invoice):
    deliver(client, payment_body(invoice))
    second = payment_body(invoice)  # another transaction, another event
    response = deliver(client, second)
    assert response.json()["outcome"] == "held"
    assert Payment.objects.count() == 1
    assert sum(ledger(invoice).values()) == invoice.total


def test_an_unknown_provider_is_not_found(client, invoice):
    body = payment_body(invoice)
    assert deliver(client, body, path="/payments/webhooks/stripe/").status_code == 404
    assert not ProviderEvent.objects.exists()


def test_the_webhook_takes_only_post(client):
    assert client.get(URL).status_code == 405


def test_a_body_over_64_kilobytes_is_refused_unread(client, invoice):
    body = payment_body(invoice)
    body["padding"] = "x" * (64 * 1024)
    response = deliver(client, json.dumps(body).encode())
    assert response.status_code == 413
    assert not ProviderEvent.objects.exists()


def test_a_body_of_megabytes_is_refused_as_too_large_too(client, invoice):
    body = payment_body(invoice)
    body["padding"] = "x" * (3 * 1024 * 1024)
    response = deliver(client, json.dumps(body).encode())
    assert response.status_code == 413


# -- refunds, as the bank tells them ------------------------------------------------------------


@pytest.fixture
def withdrawn_after_paying():
    """A paid file withdrawn by its owner: its refund is requested, not yet sent."""
    from singleportal.applications.actions import withdraw_application

    app = submit(filed())
    withdraw_application(app, app.owner)
    return Refund.objects.get(payment__invoice__application=app)


def test_the_banks_refund_webhook_and_its_api_answer_confirm_the_refund_once(
    client, sandbox_bank, withdrawn_after_paying
):
    refund = withdrawn_after_paying
    invoice = refund.payment.invoice
    # The bank made the refund, but its answer was lost; its webhook arrives first.
    made = sandbox_bank.refund(refund.payment.transaction_id, refund.amount, refund.reference)

    response = deliver(client, made)

    assert response.json() == {"event": made["id"], "outcome": "applied", "duplicate": False}
    refund.refresh_from_db()
    assert refund.status == RefundStatus.CONFIRMED
    assert ledger_refunds(invoice) == {"GDT": -760_000, "MLVT": -80_200, "MOC": -1_140_000}

    assert actions.send_refund(refund.pk) is True  # nothing left to do
    assert deliver(client, made).json()["duplicate"] is True
    kinds = [e["type"] for e in sandbox_bank.events_for_bill(invoice.reference)]
    assert kinds == ["payment.succeeded", "refund.succeeded"]
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 3


def test_a_refund_we_did_not_ask_for_is_held(client, invoice):
    deliver(client, payment_body(invoice))
    payment = Payment.objects.get()
    body = event(invoice.reference, 100_000, kind=REFUND, refund_of=payment.transaction_id).body
    response = deliver(client, body)
    assert response.json()["outcome"] == "held"
    assert held_problem(body) == "a refund we did not ask for"
    assert not LedgerEntry.objects.filter(kind=EntryKind.REFUND).exists()
