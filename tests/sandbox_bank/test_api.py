import json

import pytest

from tests.sandbox_bank.conftest import API_KEY, api, call, make_code


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-key"}, {"Authorization": f"Basic {API_KEY}"}],
    ids=["missing", "wrong", "not-bearer"],
)
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/api/v1/events?bill_number=SP-1", None),
        ("POST", "/api/v1/refunds", b'{"transaction_id": "txn_1", "amount": 1, "reference": "r"}'),
    ],
    ids=["events", "refunds"],
)
def test_the_api_refuses_a_request_without_the_right_key(bank, headers, method, path, data):
    status, body = call(method, bank.base_url + path, data=data, headers=headers)

    assert status == 401
    assert "error" in json.loads(body)


def test_polling_lists_the_payment_and_refunds_of_one_bill_oldest_first(bank):
    payment = bank.pay(make_code(bill_number="SP-A"))
    bank.pay(make_code(bill_number="SP-B"))
    refund = bank.refund(payment["data"]["transaction_id"], 500, reference="r1")

    status, body = api("GET", f"{bank.base_url}/api/v1/events?bill_number=SP-A")

    assert status == 200
    assert body == {"events": [payment, refund]}
    assert refund["type"] == "refund.succeeded"
    assert refund["data"]["refund_of"] == payment["data"]["transaction_id"]
    assert refund["data"]["transaction_id"] != payment["data"]["transaction_id"]
    assert (refund["data"]["amount"], refund["data"]["currency"]) == (500, "KHR")


def test_polling_an_unknown_bill_gives_no_events(bank):
    assert api("GET", f"{bank.base_url}/api/v1/events?bill_number=nope") == (200, {"events": []})


def refund(bank, transaction_id: str, amount: object, reference: str = "r1"):
    return api(
        "POST",
        f"{bank.base_url}/api/v1/refunds",
        {"transaction_id": transaction_id, "amount": amount, "reference": reference},
    )


def test_a_refund_is_made_once_per_merchant_reference(bank, receiver):
    txn = bank.pay(make_code(bill_number="SP-R"))["data"]["transaction_id"]

    first = refund(bank, txn, 1000, reference="refund-42")
    again = refund(bank, txn, 1000, reference="refund-42")

    assert first[0] == again[0] == 200
    assert again[1]["event"] == first[1]["event"]
    body = api("GET", f"{bank.base_url}/api/v1/events?bill_number=SP-R")[1]
    assert [event["type"] for event in body["events"]] == ["payment.succeeded", "refund.succeeded"]
    assert bank.webhooks.wait_idle(5)
    assert len(receiver.requests) == 2  # the payment and one refund


def test_refunds_together_never_exceed_the_payment(bank):
    txn = bank.pay(make_code(amount=400_000))["data"]["transaction_id"]

    assert refund(bank, txn, 300_000, reference="a")[0] == 200
    status, body = refund(bank, txn, 100_001, reference="b")
    assert status == 422
    assert "100000 left" in body["error"]
    assert refund(bank, txn, 100_000, reference="c")[0] == 200
    assert refund(bank, txn, 1, reference="d")[0] == 422


@pytest.mark.parametrize(
    ("transaction", "amount", "reference", "error"),
    [
        ("txn_unknown", 100, "r", "unknown transaction"),
        ("paid", 0, "r", "positive"),
        ("paid", -5, "r", "positive"),
        ("paid", "100", "r", "positive"),
        ("paid", 1.5, "r", "positive"),
        ("paid", 100, "", "reference"),
    ],
)
def test_a_refund_is_refused_for_an_unknown_transaction_a_bad_amount_or_no_reference(
    bank, transaction, amount, reference, error
):
    txn = bank.pay(make_code())["data"]["transaction_id"]
    transaction = txn if transaction == "paid" else transaction

    status, body = refund(bank, transaction, amount, reference=reference)

    assert status == 422
    assert error in body["error"]


def test_a_reference_reused_for_a_different_refund_is_refused(bank):
    txn = bank.pay(make_code())["data"]["transaction_id"]
    assert refund(bank, txn, 100, reference="same")[0] == 200

    status, body = refund(bank, txn, 200, reference="same")

    assert status == 422
    assert "different refund" in body["error"]


def test_a_refund_cannot_refund_a_refund(bank):
    txn = bank.pay(make_code())["data"]["transaction_id"]
    refund_txn = refund(bank, txn, 100, reference="r1")[1]["event"]["data"]["transaction_id"]

    status, body = refund(bank, refund_txn, 50, reference="r2")

    assert status == 422
    assert "unknown transaction" in body["error"]


def test_a_refund_request_that_is_not_a_json_object_is_a_bad_request(bank):
    headers = {"Authorization": f"Bearer {API_KEY}"}
    status, body = call("POST", f"{bank.base_url}/api/v1/refunds", data=b"[1]", headers=headers)

    assert status == 400
    assert "JSON object" in json.loads(body)["error"]
