"""The one invoice of a submitted file: issued with the submission, its KHQR, MEF waiting for
the payment, cancelled on withdrawal, and a new code (same amount) once the old one expired."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from singleportal.agencies import actions as agency_actions
from singleportal.agencies.models import TaskStatus
from singleportal.applications import actions as application_actions
from singleportal.applications.models import Status
from singleportal.audit.models import AuditEntry
from singleportal.payments import actions, khqr
from singleportal.payments.models import Fee, Invoice, InvoiceStatus, Payment, Refund
from tests.agencies.flow import filed, submit, tasks_of
from tests.applications.helpers import task_in_review
from tests.factories import UserFactory, officer
from tests.payments.helpers import pay

pytestmark = pytest.mark.django_db


def audit_actions(obj):
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).values_list("action", flat=True)
    )


def test_submitting_issues_one_invoice_whose_khqr_carries_the_total_and_reference():
    app = submit(filed(), paid=False)

    (invoice,) = Invoice.objects.filter(application=app)
    year = timezone.localdate(invoice.issued_at).year
    assert re.fullmatch(rf"INV-{year}-\d{{7}}", invoice.reference)
    assert invoice.reference == f"INV-{year}-0000001"
    assert invoice.status == InvoiceStatus.OPEN
    assert invoice.total == sum(line.amount for line in invoice.lines.all()) == 2_020_200
    assert invoice.expires_at - invoice.issued_at == timedelta(
        hours=settings.INVOICE_PAY_WITHIN_HOURS
    )
    code = khqr.decode(invoice.khqr)
    assert (code.currency, code.amount, code.bill_number) == ("KHR", 2_020_200, invoice.reference)
    assert code.expires_ms == int(invoice.expires_at.timestamp() * 1000)
    assert code.account_id == settings.KHQR_ACCOUNT_ID
    assert audit_actions(invoice) == ["invoice.issued"]


@override_settings(INVOICE_PAY_WITHIN_HOURS=24)
def test_the_invoice_is_payable_for_the_configured_hours():
    invoice = Invoice.objects.get(application=submit(filed(), paid=False))
    assert invoice.expires_at - invoice.issued_at == timedelta(hours=24)


def test_invoice_numbers_follow_each_other_without_gaps():
    first = Invoice.objects.get(application=submit(filed(), paid=False))
    second = Invoice.objects.get(application=submit(filed(user=UserFactory()), paid=False))
    assert int(second.reference[-7:]) == int(first.reference[-7:]) + 1


def test_submitting_twice_still_gives_one_invoice():
    app = filed()
    for _ in range(2):
        application_actions.submit_application(app, app.owner, declared_by_name="Sok Chanda")
    assert Invoice.objects.filter(application=app).count() == 1


def test_a_resubmission_after_a_correction_keeps_the_paid_invoice():
    app = submit(filed())
    invoice = Invoice.objects.get(application=app)
    moc = officer("MOC")
    agency_actions.request_correction(
        task_in_review(app, "MOC", moc), moc, reason="ID_UNREADABLE", sections=["documents"]
    )
    app.refresh_from_db()
    assert app.status == Status.CORRECTION_REQUESTED

    application_actions.submit_application(app, app.owner, declared_by_name="Sok Chanda")
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    (again,) = Invoice.objects.filter(application=app)
    assert (again.pk, again.reference, again.total) == (invoice.pk, invoice.reference, 2_020_200)
    assert again.status == InvoiceStatus.PAID
    assert Payment.objects.filter(invoice=again).count() == 1


def test_mef_waits_for_the_payment_then_the_system_approves_it_and_moc_opens(
    django_capture_on_commit_callbacks,
):
    app = submit(filed(), paid=False)
    mef = tasks_of(app)["MEF"]
    with translation.override("en"):
        assert agency_actions.decide_straight_through(mef.pk) is False
    mef.refresh_from_db()
    assert mef.status == TaskStatus.OPEN
    assert {"rule": "MEF-PAID", "passed": False, "detail": "The fee has not been paid."} in (
        mef.checks
    )
    assert tasks_of(app)["MOC"].status == TaskStatus.WAITING

    with (
        override_settings(CELERY_TASK_ALWAYS_EAGER=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        invoice = pay(app)

    assert invoice.status == InvoiceStatus.PAID
    tasks = tasks_of(app)
    assert tasks["MEF"].status == TaskStatus.APPROVED
    decision = tasks["MEF"].decisions.last()
    assert decision.actor is None and "MEF-PAID" in decision.rule  # the system, by its rule
    assert tasks["MOC"].status != TaskStatus.WAITING and tasks["MOC"].opened_at is not None


def test_a_file_owing_nothing_gets_no_invoice_and_mef_does_not_wait():
    yesterday = timezone.localdate() - timedelta(days=1)
    Fee.objects.update(valid_from=yesterday - timedelta(days=1), valid_until=yesterday)
    app = submit(filed(), paid=False)
    assert not Invoice.objects.filter(application=app).exists()
    assert agency_actions.decide_straight_through(tasks_of(app)["MEF"].pk) is True


def test_withdrawing_an_unpaid_file_cancels_its_invoice_and_refunds_nothing():
    app = submit(filed(), paid=False)
    application_actions.withdraw_application(app, app.owner)
    invoice = Invoice.objects.get(application=app)
    assert invoice.status == InvoiceStatus.CANCELLED
    assert "invoice.cancelled" in audit_actions(invoice)
    assert not Refund.objects.exists()
    assert actions.invoice_unpaid(app) is False


def test_an_expired_code_is_renewed_with_a_new_expiry_and_the_same_amount():
    app = submit(filed(), paid=False)
    Invoice.objects.filter(application=app).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = Invoice.objects.get(application=app)
    lines = list(expired.lines.values_list("agency__code", "amount"))

    renewed = actions.renew_code(expired, app.owner)

    assert renewed.pk == expired.pk and renewed.status == InvoiceStatus.OPEN
    assert renewed.khqr != expired.khqr
    assert renewed.expires_at > timezone.now() + timedelta(
        hours=settings.INVOICE_PAY_WITHIN_HOURS - 1
    )
    code = khqr.decode(renewed.khqr)
    assert (code.amount, code.bill_number) == (expired.total, expired.reference)
    assert not khqr.is_expired(code, int(timezone.now().timestamp() * 1000))
    renewed.refresh_from_db()
    assert renewed.total == expired.total
    assert list(renewed.lines.values_list("agency__code", "amount")) == lines
    assert "invoice.code_renewed" in audit_actions(renewed)
    # The renewed code pays the invoice in the sandbox bank.
    assert pay(app).status == InvoiceStatus.PAID


def test_a_code_still_valid_is_kept_and_a_paid_invoice_gets_no_new_code():
    app = submit(filed(), paid=False)
    invoice = Invoice.objects.get(application=app)
    assert actions.renew_code(invoice, app.owner).khqr == invoice.khqr
    paid = pay(app)
    Invoice.objects.filter(pk=paid.pk).update(expires_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationError):
        actions.renew_code(paid, app.owner)
