"""The applicant is told, in their language, when the payment arrives and when a refund is
made, with a link to the receipt."""

import pytest
from django.core import mail
from django.test import override_settings

from singleportal.payments import actions
from singleportal.payments.models import Invoice, Refund, RefundReason
from tests.agencies.flow import filed, submit
from tests.factories import UserFactory
from tests.payments.helpers import pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(call, *args):
        with (
            override_settings(CELERY_TASK_ALWAYS_EAGER=True),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return call(*args)

    return run


def test_the_payment_brings_a_receipt_by_email_in_the_owners_language(run_on_commit):
    app = submit(filed(user=UserFactory(preferred_language="en")), paid=False)
    run_on_commit(pay, app)
    invoice = Invoice.objects.get(application=app)
    [message] = [m for m in mail.outbox if "Payment received" in m.subject]
    assert message.to == [app.owner.email] and app.reference in message.subject
    assert f"{invoice.total:,} ៛" in message.body and invoice.reference in message.body
    assert f"/payments/receipts/{invoice.payment.public_id}/" in message.body


def test_a_confirmed_refund_is_told_in_khmer_by_sms_when_there_is_no_email(
    run_on_commit, sms_outbox
):
    owner = UserFactory(email=None, phone="+85512777999", username="+85512777999")
    app = submit(filed(user=owner), paid=False)
    invoice = pay(app)
    refund = run_on_commit(actions.request_refund, invoice, owner, RefundReason.WITHDRAWN)
    assert Refund.objects.get(pk=refund.pk).status == "confirmed"
    [sms] = [s for s in sms_outbox if f"{refund.amount:,} ៛" in s["text"]]
    assert sms["to"] == "+85512777999"
    assert app.reference in sms["text"] and "ត្រូវបានសងវិញ" in sms["text"]
