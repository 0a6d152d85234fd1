"""One fee, one payment: the applicant submits, opens the invoice with its KHQR, pays it in the
sandbox bank (the demo's stand-in for a bank app), and comes back to an invoice that turned to
"paid" by itself: the bank's signed webhook reached the live server, the payment was recorded
and split per agency, MEF's rule confirmed it, and the agencies' work started.

The sandbox bank runs in this process on a free port, as its own HTTP server; its webhook goes
to the live server over HTTP. On-commit work runs eagerly in this stage.
"""

import pytest
from playwright.sync_api import Page, expect

from singleportal.agencies.models import Task, TaskStatus
from singleportal.applications.models import Application
from singleportal.payments.models import Invoice, InvoiceStatus, LedgerEntry
from singleportal.sandbox_bank import SandboxBank
from tests.applications.helpers import complete_application
from tests.browser.conftest import assert_accessible
from tests.browser.test_application_journeys import Applicant, go, khmer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bank(live_server, settings):
    bank = SandboxBank(
        webhook_url=f"{live_server.url}/payments/webhooks/sandbox/",
        webhook_secret=settings.PAYMENT_WEBHOOK_SECRET,
        api_key=settings.PAYMENT_API_KEY,
        retry_delays=(0.5, 1, 2),
    )
    url = bank.start()
    settings.PAYMENT_SANDBOX_URL = url
    settings.PAYMENT_SANDBOX_PUBLIC_URL = url
    yield bank
    bank.stop()


def test_submit_pay_with_khqr_in_the_sandbox_bank_and_the_agencies_start(
    page: Page, live_server, bank: SandboxBank
):
    applicant = UserFactory(full_name="សុខ ចន្ទា")
    app = complete_application(applicant)
    me = Applicant(page, khmer, audit=True)
    go(page, "/applications/")
    me.sign_in(applicant)
    go(page, f"/applications/{app.public_id}/review/")
    me.submit("សុខ ចន្ទា")

    # The invoice: one line per fee, the total, and the code to scan with any bank app.
    me.press("Pay the fee")
    me.sees("Pay the fee")
    invoice = Invoice.objects.get(application=app)
    expect(page.locator("#invoice-state")).to_have_attribute("data-status", InvoiceStatus.OPEN)
    expect(page.locator("#invoice-total")).to_have_text(f"{invoice.total:,} ៛")
    expect(page.locator("#khqr svg")).to_be_visible()
    expect(page.locator("#invoice-lines tbody tr")).to_have_count(invoice.lines.count())
    assert Task.objects.get(application=app, agency__code="MEF").status == TaskStatus.OPEN
    assert not Task.objects.filter(application=app, agency__code="MOC", status="open").exists()

    # In the bank: the code's amount and bill number, then Pay.
    me.press("Pay in the sandbox bank (demo)")
    expect(page.locator("#amount")).to_contain_text(f"{invoice.total:,}")
    expect(page.locator("#bill-number")).to_have_text(invoice.reference)
    page.get_by_role("button", name="Pay / បង់ប្រាក់").click()
    expect(page.locator("#transaction-id")).to_be_visible()
    page.locator("#back").click()

    # Back on the invoice, which follows the webhook without a reload.
    expect(page.locator("#invoice-state")).to_have_attribute(
        "data-status", InvoiceStatus.PAID, timeout=20_000
    )
    assert_accessible(page)
    me.press("See the receipt")
    me.sees("Receipt")
    expect(page.locator("#receipt")).to_contain_text(invoice.reference)
    expect(page.locator("#receipt-shares tbody tr")).to_have_count(
        invoice.lines.values("agency").distinct().count()
    )
    assert_accessible(page)

    # The payment is split per agency, and MEF's rule started the agencies' work.
    shares = LedgerEntry.objects.filter(invoice=invoice).values_list("amount", flat=True)
    assert sum(shares) == invoice.total
    mef = Task.objects.get(application=app, agency__code="MEF")
    assert mef.status == TaskStatus.APPROVED
    assert Task.objects.get(application=app, agency__code="MOC").status != TaskStatus.WAITING
    assert Application.objects.get(pk=app.pk).status in ("submitted", "approved")
