"""Refunds on rejection or withdrawal: the lines the schedule gives back (not the publication
fee, not an agency's that already approved), sent to the sandbox bank once, confirmed, and
written to the ledger as negative entries per agency; never more than was paid."""

import socket
from datetime import date
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.db.models import Sum

from singleportal.agencies import actions as agency_actions
from singleportal.agencies.models import Agency
from singleportal.applications.actions import withdraw_application
from singleportal.applications.models import Status
from singleportal.payments import actions, tasks
from singleportal.payments.models import (
    EntryKind,
    Fee,
    Invoice,
    LedgerEntry,
    Refund,
    RefundStatus,
)
from singleportal.payments.providers import ProviderUnavailable
from tests.agencies.flow import filed, submit
from tests.applications.helpers import task_in_review
from tests.factories import officer

pytestmark = pytest.mark.django_db

TOTAL = 2_020_200  # MOC 1,140,000 + 40,000 publication; GDT 400,000 + 360,000; MLVT 80,200
ALL_BUT_PUBLICATION = {"GDT": 760_000, "MLVT": 80_200, "MOC": 1_140_000}


@pytest.fixture
def paid():
    """A company's file, submitted and paid in the sandbox bank; MEF's task still open."""
    return submit(filed())


def reject_at(app, code, reason):
    who = officer(code)
    agency_actions.reject_task(task_in_review(app, code, who), who, reason=reason)
    app.refresh_from_db()
    assert app.status == Status.REJECTED


def refund_entries(app):
    return dict(
        LedgerEntry.objects.filter(invoice__application=app, kind=EntryKind.REFUND).values_list(
            "agency__code", "amount"
        )
    )


def bank_refunds(sandbox_bank, invoice):
    return [
        e
        for e in sandbox_bank.events_for_bill(invoice.reference)
        if e["type"] == "refund.succeeded"
    ]


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_a_rejection_at_moc_refunds_every_line_but_the_publication_fee(paid, sandbox_bank):
    reject_at(paid, "MOC", "FALSE_DOCUMENT")

    refund = Refund.objects.get(payment__invoice__application=paid)
    assert refund.status == RefundStatus.REQUESTED
    assert refund.shares == ALL_BUT_PUBLICATION
    assert refund.amount == TOTAL - 40_000 == sum(ALL_BUT_PUBLICATION.values())
    assert refund.reference == f"RF-{paid.invoice.reference.removeprefix('INV-')}"

    assert actions.send_refund(refund.pk) is True

    refund.refresh_from_db()
    assert refund.status == RefundStatus.CONFIRMED and refund.confirmed_at is not None
    assert refund_entries(paid) == {code: -amount for code, amount in ALL_BUT_PUBLICATION.items()}
    (sent,) = bank_refunds(sandbox_bank, paid.invoice)
    assert sent["data"]["amount"] == refund.amount
    assert sent["data"]["refund_of"] == paid.invoice.payment.transaction_id
    # What MOC keeps: its publication fee.
    kept = LedgerEntry.objects.filter(invoice__application=paid).values_list("agency__code")
    assert dict(kept.annotate(Sum("amount"))) == {"GDT": 0, "MLVT": 0, "MOC": 40_000}


def test_an_agency_that_approved_keeps_its_fee_when_a_later_one_rejects(paid, sandbox_bank):
    moc = officer("MOC")
    agency_actions.approve_task(task_in_review(paid, "MOC", moc), moc)
    reject_at(paid, "GDT", "TAX_DEBT")

    refund = Refund.objects.get()
    assert refund.shares == {"GDT": 760_000, "MLVT": 80_200}
    actions.send_refund(refund.pk)
    assert refund_entries(paid) == {"GDT": -760_000, "MLVT": -80_200}


def test_mefs_own_fee_is_kept_once_mef_has_approved():
    """MEF has no fee in the seeded schedule; one the operator adds follows the same rule."""
    Fee.objects.create(
        agency=Agency.objects.get(code="MEF"), kind="registration", name_km="ថ្លៃសេវា",
        name_en="Service fee", amount=20_000, currency="KHR", valid_from=date(2026, 1, 1),
    )  # fmt: skip
    app = submit(filed())
    assert app.invoice.total == TOTAL + 20_000
    reject_at(app, "MOC", "FALSE_DOCUMENT")  # MEF approved before MOC could start
    refund = Refund.objects.get()
    assert refund.shares == ALL_BUT_PUBLICATION
    assert refund.amount == app.invoice.payment.amount - 40_000 - 20_000


def test_sending_a_refund_twice_refunds_once(paid, sandbox_bank):
    reject_at(paid, "MOC", "FALSE_DOCUMENT")
    refund = Refund.objects.get()
    assert actions.send_refund(refund.pk) is True
    assert actions.send_refund(refund.pk) is True
    tasks.send_refund(refund.pk)
    assert len(bank_refunds(sandbox_bank, paid.invoice)) == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 3


def test_a_refund_whose_answer_was_lost_is_asked_again_and_made_once(paid, sandbox_bank):
    """The bank refunded, but its answer never reached us: the retry, under the same
    reference, gets the same refund back instead of a second one."""
    reject_at(paid, "MOC", "FALSE_DOCUMENT")
    refund = Refund.objects.get()
    lost = ProviderUnavailable("timed out")
    with (
        mock.patch.object(actions, "receive_event", side_effect=lost),
        pytest.raises(ProviderUnavailable),
    ):
        actions.send_refund(refund.pk)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REQUESTED and refund.attempts == 1

    assert actions.send_refund(refund.pk) is True

    refund.refresh_from_db()
    assert refund.attempts == 2
    assert len(bank_refunds(sandbox_bank, paid.invoice)) == 1
    assert sum(refund_entries(paid).values()) == -refund.amount


def test_withdrawing_a_paid_file_refunds_every_line_but_the_publication_fee(paid, sandbox_bank):
    withdraw_application(paid, paid.owner)

    refund = Refund.objects.get()
    assert refund.shares == ALL_BUT_PUBLICATION
    assert refund.reason == "withdrawn"  # a code, shown in each reader's language
    assert actions.send_refund(refund.pk) is True
    assert refund_entries(paid) == {code: -amount for code, amount in ALL_BUT_PUBLICATION.items()}
    paid.invoice.refresh_from_db()
    assert paid.invoice.status == "paid"  # the payment stays recorded; the refund is its own row


def test_withdrawing_after_moc_approved_refunds_only_the_agencies_still_working(paid):
    moc = officer("MOC")
    agency_actions.approve_task(task_in_review(paid, "MOC", moc), moc)
    withdraw_application(paid, paid.owner)
    assert Refund.objects.get().shares == {"GDT": 760_000, "MLVT": 80_200}


def test_a_payment_is_refunded_at_most_once_and_never_above_what_was_paid(paid):
    reject_at(paid, "MOC", "FALSE_DOCUMENT")
    invoice = Invoice.objects.get(application=paid)
    assert actions.request_refund(invoice, None, "asked again") is None
    (refund,) = Refund.objects.all()
    assert refund.amount <= invoice.payment.amount
    assert refund.amount == sum(refund.shares.values())


def test_the_bank_refuses_a_refund_above_the_payment(paid, sandbox_bank):
    from singleportal.payments.providers import provider

    payment = Invoice.objects.get(application=paid).payment
    with pytest.raises(ProviderUnavailable, match="exceed"):
        provider().refund(payment.transaction_id, payment.amount + 100, "RF-TOO-MUCH")
    assert not bank_refunds(sandbox_bank, paid.invoice)


def test_a_rejection_before_payment_cancels_the_invoice_and_refunds_nothing():
    app = submit(filed(), paid=False)
    mef = officer("MEF")
    agency_actions.reject_task(task_in_review(app, "MEF", mef), mef, reason="NOT_PAID")
    assert Invoice.objects.get(application=app).status == "cancelled"
    assert not Refund.objects.exists()


def test_while_the_bank_is_down_the_refund_waits_with_the_error_then_a_later_try_confirms(
    paid, settings, sandbox_bank
):
    reject_at(paid, "MOC", "FALSE_DOCUMENT")
    refund = Refund.objects.get()
    settings.PAYMENT_SANDBOX_URL = closed_port_url()

    with pytest.raises(Retry) as retry:  # the worker tries again later
        tasks.send_refund.apply(args=[refund.pk], throw=True)
    assert retry.value.when == 60

    refund.refresh_from_db()
    assert refund.status == RefundStatus.REQUESTED
    assert "Connection refused" in refund.last_error and refund.attempts == 1
    assert not LedgerEntry.objects.filter(kind=EntryKind.REFUND).exists()
    assert not bank_refunds(sandbox_bank, paid.invoice)

    settings.PAYMENT_SANDBOX_URL = sandbox_bank.base_url
    assert tasks.send_refund.apply(args=[refund.pk]).get() is True
    refund.refresh_from_db()
    assert refund.status == RefundStatus.CONFIRMED
    assert len(bank_refunds(sandbox_bank, paid.invoice)) == 1
