import html
from urllib.parse import quote, urlencode

from tests.sandbox_bank.conftest import api, call, make_code


def pay_page(bank, payload: str, **query: str) -> tuple[int, str]:
    return call("GET", f"{bank.base_url}/pay?{urlencode({'khqr': payload, **query})}")


def submit(bank, payload: str, **form: str) -> tuple[int, str]:
    data = urlencode({"khqr": payload, "payer_account": "demo.payer@aba", **form}).encode()
    return call("POST", f"{bank.base_url}/pay", data=data)


def test_the_pay_page_shows_the_merchant_amount_bill_number_and_pay_button(bank):
    payload = make_code(bill_number="SP-2026-000777", amount=400_000, merchant_name_km="ច្រកតែមួយ")

    status, page = pay_page(bank, payload)

    assert status == 200
    assert "Single Portal" in page
    assert "ច្រកតែមួយ" in page
    assert "400,000 ៛ KHR" in page
    assert "SP-2026-000777" in page
    assert "(UTC+7)" in page  # the expiry
    assert '<button id="pay" type="submit"><span lang="en">Pay</span> / ' in page
    assert '<input id="payer_account" name="payer_account" value="demo.payer@aba"' in page
    for choice in ("now", "late", "never"):
        assert f'<option value="{choice}">' in page


def test_the_pay_page_shows_us_dollars_from_cents(bank):
    assert "12.05 USD" in pay_page(bank, make_code(currency="USD", amount=1205))[1]


def test_the_pay_page_refuses_a_code_with_a_bad_crc(bank):
    payload = make_code()
    tampered = payload[:-1] + ("0" if payload[-1] != "0" else "1")

    status, page = pay_page(bank, tampered)

    assert status == 400
    assert "This is not a valid KHQR code" in page
    assert "bad CRC" in page


def test_the_pay_page_refuses_an_expired_code(bank):
    status, page = pay_page(bank, make_code(expires_in_ms=-60_000))

    assert status == 400
    assert "This code has expired" in page


def test_paying_an_expired_code_through_the_form_is_refused(bank):
    status, page = submit(bank, make_code(expires_in_ms=-60_000))

    assert status == 400
    assert "expired" in page
    assert bank.store.recent() == []


def test_paying_shows_paid_with_the_transaction_and_a_link_back_to_the_merchant(bank):
    back = "https://portal.example/payments/return/?bill=SP-1&lang=km"

    status, page = submit(bank, make_code(bill_number="SP-1"), notify="never", return_url=back)

    assert status == 200
    assert '<span lang="en">Paid</span> / <span lang="km">បានបង់</span>' in page
    (event,) = api("GET", f"{bank.base_url}/api/v1/events?bill_number=SP-1")[1]["events"]
    assert event["data"]["transaction_id"] in page
    assert f'href="{html.escape(back)}"' in page


def test_a_return_url_that_is_not_http_gets_no_link(bank):
    status, page = submit(bank, make_code(), return_url="javascript:alert(1)")

    assert status == 200
    assert "javascript:" not in page
    assert 'id="back"' not in page


def test_paying_the_same_code_twice_makes_one_transaction_and_one_webhook(bank, receiver):
    payload = make_code(bill_number="SP-TWICE")

    first = submit(bank, payload)[1]
    second = submit(bank, payload, payer_account="someone.else@acleda")[1]
    helper = bank.pay(payload)

    assert helper["data"]["transaction_id"] in first
    assert helper["data"]["transaction_id"] in second
    events = api("GET", f"{bank.base_url}/api/v1/events?bill_number=SP-TWICE")[1]["events"]
    assert events == [helper]
    assert bank.webhooks.wait_idle(5)
    assert len(receiver.requests) == 1


def test_the_home_page_offers_to_paste_a_code_and_lists_transactions_with_deliveries(
    bank, receiver
):
    assert "No transactions yet" in call("GET", bank.base_url + "/")[1]
    delivered = bank.pay(make_code(bill_number="SP-HOME-1"))
    unsent = bank.pay(make_code(bill_number="SP-HOME-2"), notify="never")
    assert bank.webhooks.wait_idle(5)

    status, page = call("GET", bank.base_url + "/")

    assert status == 200
    assert '<textarea id="khqr" name="khqr"' in page
    assert page.index(unsent["data"]["transaction_id"]) < page.index(
        delivered["data"]["transaction_id"]
    )  # newest first
    assert " 200" in page
    assert "Not sent" in page


def test_a_pasted_code_with_spaces_around_it_opens(bank):
    assert pay_page(bank, f"  {make_code()}\n")[0] == 200


def test_an_unknown_page_is_not_found(bank):
    assert call("GET", bank.base_url + "/" + quote("nowhere"))[0] == 404
