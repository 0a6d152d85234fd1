"""The bank's webhook arrives while no worker runs: the payment is recorded at once (the
webhook is answered 200 and never sent again), the work it starts waits on RabbitMQ, and when a
worker comes up the file goes on to its registration. Nothing is lost and nothing is doubled."""

import pytest
from django.conf import settings

from singleportal.agencies.models import TaskDecision, TaskStatus
from singleportal.applications.models import Application, Status
from singleportal.payments.models import Invoice, InvoiceStatus, LedgerEntry, Payment
from singleportal.sandbox_bank import SandboxBank
from tests.agencies.flow import filed, submit, tasks_of
from tests.worker import new_queue, running_worker, sending_to, wait_until

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgres,  # the worker must share the test database with this process
    pytest.mark.django_db(transaction=True),
]


def test_a_payment_notified_while_the_worker_is_down_is_kept_and_acted_on_when_it_is_up(
    live_server, tmp_path, _test_settings
):
    bank = SandboxBank(
        webhook_url=f"{live_server.url}/payments/webhooks/sandbox/",
        webhook_secret=settings.PAYMENT_WEBHOOK_SECRET,
        api_key=settings.PAYMENT_API_KEY,
        retry_delays=(0.2, 0.5, 1),
    )
    bank.start()
    queue = new_queue()
    try:
        with sending_to(queue):  # no worker takes this queue yet: the worker is down
            app = submit(filed(), paid=False)
            invoice = Invoice.objects.get(application=app)
            event = bank.pay(invoice.khqr)
            assert bank.webhooks.wait_idle(30)
            [attempt] = bank.store.attempts(event["id"])  # answered at the first attempt
            assert attempt["status"] == 200
            invoice.refresh_from_db()
            assert invoice.status == InvoiceStatus.PAID
            assert tasks_of(app)["MEF"].status == TaskStatus.OPEN  # its message waits

            with running_worker(tmp_path, queue=queue) as worker:

                def registered() -> bool:
                    return Application.objects.filter(pk=app.pk, status=Status.APPROVED).exists()

                wait_until(registered, "registration after the worker came up", worker)
    finally:
        bank.stop()

    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert sum(LedgerEntry.objects.filter(invoice=invoice).values_list("amount", flat=True)) == (
        invoice.total
    )
    mef = tasks_of(app)["MEF"]
    assert TaskDecision.objects.filter(task=mef, to_status=TaskStatus.APPROVED).count() == 1
