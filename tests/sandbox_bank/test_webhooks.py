import hashlib
import hmac
import itertools
import json
import re
import socket
import time

from tests.sandbox_bank.conftest import SECRET, Received, api, make_code


def verified_timestamp(request: Received, secret: str = SECRET) -> int:
    """The signature's timestamp, after checking it the way the merchant must."""
    fields = dict(part.split("=", 1) for part in request.headers["X-Sandbox-Signature"].split(","))
    signed = f"{fields['t']}.".encode() + request.body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected)
    return int(fields["t"])


def test_a_payment_delivers_one_webhook_signed_with_the_secret_in_the_contract_shape(
    bank, receiver
):
    event = bank.pay(make_code(bill_number="SP-2026-000123", amount=400_000))

    (request,) = receiver.wait_for(1)
    assert abs(verified_timestamp(request) - time.time()) < 60
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Sandbox-Event-Id"] == event["id"]
    body = json.loads(request.body)
    assert request.body == json.dumps(body, separators=(",", ":")).encode()  # compact
    assert body == event
    assert re.fullmatch(r"evt_[0-9a-f]{32}", body["id"])
    assert body["type"] == "payment.succeeded"
    assert isinstance(body["created"], int)
    data = body["data"]
    assert re.fullmatch(r"txn_[0-9a-f]+", data["transaction_id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["occurred_at"])
    assert {k: v for k, v in data.items() if k not in ("transaction_id", "occurred_at")} == {
        "bill_number": "SP-2026-000123",
        "amount": 400_000,
        "currency": "KHR",
        "payer_account": "demo.payer@aba",
        "refund_of": None,
    }
    assert bank.webhooks.wait_idle(5)
    assert len(receiver.requests) == 1
    assert [row["status"] for row in bank.store.attempts(event["id"])] == [200]


def test_a_refused_webhook_is_retried_re_signed_with_a_fresh_time_and_the_same_event_id(
    make_bank, receiver
):
    receiver.failures = 2
    bank = make_bank()
    clock = itertools.count(1_800_000_000)
    bank.webhooks.clock = lambda: next(clock)

    event = bank.pay(make_code(currency="USD", amount=1250))

    requests = receiver.wait_for(3)
    assert [verified_timestamp(r) for r in requests] == [
        1_800_000_000,
        1_800_000_001,
        1_800_000_002,
    ]
    assert {r.headers["X-Sandbox-Event-Id"] for r in requests} == {event["id"]}
    assert {r.body for r in requests} == {requests[0].body}
    assert bank.webhooks.wait_idle(5)
    assert [row["status"] for row in bank.store.attempts(event["id"])] == [500, 500, 200]


def test_a_delivery_gives_up_after_the_last_retry_and_every_attempt_is_recorded(
    make_bank, receiver
):
    receiver.failures = 100
    bank = make_bank()

    event = bank.pay(make_code())

    assert bank.webhooks.wait_idle(5)
    assert len(receiver.requests) == 3  # the first attempt and one after each of two delays
    assert [row["status"] for row in bank.store.attempts(event["id"])] == [500, 500, 500]


def test_an_unreachable_merchant_is_retried_and_the_connection_errors_are_recorded(make_bank):
    with socket.socket() as probe:  # a port that nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bank = make_bank(webhook_url=f"http://127.0.0.1:{port}/")

    event = bank.pay(make_code())

    assert bank.webhooks.wait_idle(5)
    attempts = bank.store.attempts(event["id"])
    assert [row["status"] for row in attempts] == [None, None, None]
    assert all(row["error"] for row in attempts)


def test_notify_never_sends_nothing_but_the_polling_api_returns_the_event(bank, receiver):
    unsent = bank.pay(make_code(bill_number="SP-POLL-1"), notify="never")
    sent = bank.pay(make_code(bill_number="SP-POLL-2"))

    (request,) = receiver.wait_for(1)
    assert request.event["id"] == sent["id"]
    assert bank.webhooks.wait_idle(5)
    assert len(receiver.requests) == 1
    assert bank.store.attempts(unsent["id"]) == []
    status, body = api("GET", f"{bank.base_url}/api/v1/events?bill_number=SP-POLL-1")
    assert (status, body) == (200, {"events": [unsent]})


def test_notify_late_sends_the_webhook_after_the_late_delay(make_bank, receiver):
    bank = make_bank(late_delay=0.3)
    started = time.monotonic()

    event = bank.pay(make_code(), notify="late")

    (request,) = receiver.wait_for(1)
    assert time.monotonic() - started >= 0.3
    assert request.event == event


def test_a_refund_sends_its_own_webhook_by_the_same_path(bank, receiver):
    payment = bank.pay(make_code(amount=400_000))
    status, body = api(
        "POST",
        f"{bank.base_url}/api/v1/refunds",
        {"transaction_id": payment["data"]["transaction_id"], "amount": 1000, "reference": "r1"},
    )
    assert status == 200

    requests = receiver.wait_for(2)
    refund = next(r for r in requests if r.event["type"] == "refund.succeeded")
    verified_timestamp(refund)
    assert refund.event == body["event"]
    assert refund.headers["X-Sandbox-Event-Id"] == body["event"]["id"]
