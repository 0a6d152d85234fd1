"""The adapter payments.providers.SandboxBank against a running sandbox bank: what the bank sends
by webhook and what it answers when asked are read the same way; refunds are idempotent by
reference; a bank that cannot be reached, or refuses our key, is ProviderUnavailable."""

import socket
import time
import urllib.request

import pytest

from singleportal.payments import khqr, providers
from singleportal.sandbox_bank import SandboxBank
from tests.sandbox_bank.conftest import Receiver, make_code

SECRET = "contract-webhook-secret"
API_KEY = "contract-api-key"
BILL = "INV-2026-0000042"


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def bank(receiver):
    bank = SandboxBank(
        webhook_url=receiver.url, webhook_secret=SECRET, api_key=API_KEY, retry_delays=()
    )
    bank.start()
    yield bank
    bank.stop()


@pytest.fixture
def adapter(bank):
    return providers.SandboxBank(bank.base_url, SECRET, API_KEY)


def fields(data):
    return (
        data.event_id,
        data.kind,
        data.transaction_id,
        data.bill_number,
        data.amount,
        data.currency,
        data.occurred_at,
        data.payer_account,
        data.refund_of,
        data.body,
    )


def test_a_real_webhook_verifies_and_reads_as_the_polling_api_tells_it(bank, receiver, adapter):
    bank.pay(make_code(bill_number=BILL, amount=2_020_200), "sokha@aba")
    (request,) = receiver.wait_for(1)

    pushed = adapter.verify_webhook(request.headers, request.body, time.time())
    (polled,) = adapter.events_for(BILL)

    assert fields(pushed) == fields(polled)
    assert (pushed.kind, pushed.bill_number, pushed.amount, pushed.currency) == (
        providers.PAYMENT,
        BILL,
        2_020_200,
        "KHR",
    )
    assert pushed.payer_account == "sokha@aba" and pushed.refund_of is None
    assert pushed.occurred_at.tzinfo is not None
    assert abs(pushed.occurred_at.timestamp() - time.time()) < 60


def test_a_real_webhook_does_not_verify_with_another_secret_or_too_late(bank, receiver, adapter):
    bank.pay(make_code(bill_number=BILL))
    (request,) = receiver.wait_for(1)
    stranger = providers.SandboxBank(bank.base_url, "another-secret", API_KEY)
    with pytest.raises(providers.WebhookRefused, match="bad signature"):
        stranger.verify_webhook(request.headers, request.body, time.time())
    with pytest.raises(providers.WebhookRefused, match="stale"):
        adapter.verify_webhook(request.headers, request.body, time.time() + 301)


def test_events_for_a_bill_are_its_payment_then_its_refunds_oldest_first(bank, adapter):
    paid = bank.pay(make_code(bill_number=BILL, amount=400_000), notify="never")
    assert adapter.events_for("INV-2026-0000999") == []

    refunded = adapter.refund(paid["data"]["transaction_id"], 100_000, "RF-2026-0000042")

    events = adapter.events_for(BILL)
    assert [e.kind for e in events] == [providers.PAYMENT, providers.REFUND]
    assert fields(events[1]) == fields(refunded)
    assert (refunded.amount, refunded.bill_number) == (100_000, BILL)
    assert refunded.refund_of == paid["data"]["transaction_id"]


def test_a_refund_asked_again_under_its_reference_is_the_same_refund(bank, adapter):
    paid = bank.pay(make_code(bill_number=BILL, amount=400_000), notify="never")
    transaction_id = paid["data"]["transaction_id"]

    first = adapter.refund(transaction_id, 400_000, "RF-2026-0000042")
    again = adapter.refund(transaction_id, 400_000, "RF-2026-0000042")

    assert again.event_id == first.event_id
    assert len(adapter.events_for(BILL)) == 2  # the payment and one refund
    with pytest.raises(providers.ProviderUnavailable, match="422"):
        adapter.refund(transaction_id, 100, "RF-2026-0000043")  # nothing left to refund


def test_a_wrong_api_key_is_provider_unavailable(bank):
    wrong = providers.SandboxBank(bank.base_url, SECRET, "not-the-key")
    with pytest.raises(providers.ProviderUnavailable, match="401"):
        wrong.events_for(BILL)
    with pytest.raises(providers.ProviderUnavailable, match="401"):
        wrong.refund("txn_x", 100, "RF-1")


def test_a_bank_that_does_not_answer_is_provider_unavailable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = providers.SandboxBank(f"http://127.0.0.1:{port}", SECRET, API_KEY)
    with pytest.raises(providers.ProviderUnavailable):
        closed.events_for(BILL)
    with pytest.raises(providers.ProviderUnavailable):
        closed.refund("txn_x", 100, "RF-1")


def test_the_pay_url_opens_the_banks_pay_page_with_the_amount(bank, adapter, settings):
    settings.PAYMENT_SANDBOX_PUBLIC_URL = bank.base_url
    code = make_code(bill_number=BILL, amount=2_020_200)

    url = adapter.pay_url(code, "http://testserver/payments/applications/x/")

    assert url.startswith(f"{bank.base_url}/pay?")
    with urllib.request.urlopen(url, timeout=5) as page:  # noqa: S310 (the test's own bank)
        html = page.read().decode()
    assert page.status == 200
    assert '<dd id="amount">2,020,200 ៛ KHR</dd>' in html
    assert f'<dd id="bill-number">{BILL}</dd>' in html
    assert 'value="http://testserver/payments/applications/x/"' in html
    assert khqr.decode(code).amount == 2_020_200
