"""The invoice page, the receipt and the invoice API, as the applicant and their representatives
see them; who may open what; and the queries each page costs."""

import html
import re
import socket
import urllib.request
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from singleportal.accounts.actions import create_api_token
from singleportal.applications import actions as application_actions
from singleportal.payments import actions
from singleportal.payments.models import Invoice, InvoiceStatus, Payment, Refund
from tests.agencies.flow import filed, submit
from tests.conftest import CommittingClient, in_english
from tests.factories import PASSWORD, UserFactory, current_totp, officer, totp_device
from tests.payments.helpers import pay

pytestmark = pytest.mark.django_db
API = "/api/v1/payments/applications"
LOGIN = reverse("accounts:login")


def bearer(user):
    _, token = create_api_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


def invoice_url(app, what=""):
    return f"/payments/applications/{app.public_id}/{what + '/' if what else ''}"


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def unpaid():
    return submit(filed(), paid=False)


@pytest.fixture
def public_bank_url(settings, sandbox_bank):
    settings.PAYMENT_SANDBOX_PUBLIC_URL = sandbox_bank.base_url
    return sandbox_bank.base_url


# -- the invoice page ------------------------------------------------------------------------


def test_the_invoice_page_shows_each_fee_the_total_the_khqr_and_the_sandbox_link(
    client, unpaid, public_bank_url
):
    in_english(client)
    client.force_login(unpaid.owner)
    response = client.get(invoice_url(unpaid))
    page = text(response)
    invoice = Invoice.objects.get(application=unpaid)

    assert response.status_code == 200
    assert '<html lang="en"' in page and "Pay the fee" in page
    assert invoice.reference in page and unpaid.reference in page
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)(?:<br>.*?)?</td>\s*<td>(.*?)</td>", page)
    assert [(agency, fee, amount) for agency, fee, amount in rows] == [
        ("General Department of Taxation", "Patent tax for the year", "360,000 ៛"),
        ("General Department of Taxation", "Tax registration fee", "400,000 ៛"),
        ("Ministry of Labour and Vocational Training", "Declaration of opening fee", "80,200 ៛"),
        ("Ministry of Commerce", "Publication fee", "40,000 ៛"),
        ("Ministry of Commerce", "Commercial registration fee", "1,140,000 ៛"),
    ]  # fmt: skip
    assert "20.00 USD at 4010 ៛ per US dollar" in page
    assert "10% less for filing online" in page
    assert page.count("2,020,200 ៛") == 2  # the amount to pay and the table's total
    assert re.search(r'<figure class="qr" id="khqr"><svg[^>]*>', page)
    assert f'<code class="secret" id="khqr-string">{invoice.khqr}</code>' in page
    assert 'hx-trigger="every 5s"' in page  # it turns to "paid" by itself

    link = re.search(r'<a class="button" id="pay-in-sandbox" href="([^"]+)"', page).group(1)
    assert link.startswith(f"{public_bank_url}/pay?khqr=")
    with urllib.request.urlopen(link, timeout=5) as bank_page:  # noqa: S310 (the test bank)
        assert "2,020,200 ៛ KHR" in bank_page.read().decode()


def test_the_invoice_page_is_in_khmer_by_default(client, unpaid):
    client.force_login(unpaid.owner)
    page = text(client.get(invoice_url(unpaid)))
    assert '<html lang="km"' in page
    for khmer in ("ក្រសួងពាណិជ្ជកម្ម", "ថ្លៃចុះបញ្ជីពាណិជ្ជកម្ម", "ពន្ធប៉ាតង់ប្រចាំឆ្នាំ", "ថ្លៃប្រកាសបើកសហគ្រាស"):
        assert khmer in page
    assert "Commercial registration fee" not in page
    assert "2,020,200 ៛" in page


def test_htmx_gets_the_status_fragment_alone(client, unpaid):
    client.force_login(unpaid.owner)
    response = client.get(invoice_url(unpaid), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="invoice-status"')
    assert "<html" not in page and 'id="invoice-lines"' not in page
    assert Invoice.objects.get(application=unpaid).reference in page


def test_a_paid_invoice_shows_paid_and_the_receipt_link_and_stops_asking(client, unpaid):
    in_english(client)
    pay(unpaid)
    payment = Payment.objects.get(invoice__application=unpaid)
    client.force_login(unpaid.owner)
    page = text(client.get(invoice_url(unpaid)))
    assert '<dd id="invoice-state" data-status="paid"><strong>Paid</strong></dd>' in page
    assert "Paid, thank you" in page
    assert f'href="/payments/receipts/{payment.public_id}/"' in page
    assert "<svg" not in page and "hx-trigger" not in page and "pay-in-sandbox" not in page


def test_the_receipt_shows_the_payment_split_between_the_agencies(client, unpaid):
    in_english(client)
    pay(unpaid)
    payment = Payment.objects.get(invoice__application=unpaid)
    client.force_login(unpaid.owner)
    response = client.get(f"/payments/receipts/{payment.public_id}/")
    page = text(response)
    assert response.status_code == 200
    shares = re.search(r'<table id="receipt-shares">.*?</table>', page, re.S).group(0)
    assert re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", shares) == [
        ("General Department of Taxation", "760,000 ៛"),
        ("Ministry of Labour and Vocational Training", "80,200 ៛"),
        ("Ministry of Commerce", "1,180,000 ៛"),
    ]
    assert "<strong>2,020,200 ៛</strong>" in shares
    assert payment.transaction_id in page and unpaid.reference in page
    assert "sokha@aba" in page


def test_after_a_withdrawal_the_refund_shows_on_the_invoice_receipt_and_api(client, unpaid):
    pay(unpaid)
    application_actions.withdraw_application(unpaid, unpaid.owner)
    refund = Refund.objects.get()
    actions.send_refund(refund.pk)
    payment = Payment.objects.get()
    in_english(client)
    client.force_login(unpaid.owner)

    page = text(client.get(invoice_url(unpaid)))
    assert re.search(r'<p class="message" id="refund">Refund of 1,980,200 ៛: Refunded\.', page)
    receipt = text(client.get(f"/payments/receipts/{payment.public_id}/"))
    assert "Refunded" in receipt and "1,980,200 ៛" in receipt
    body = client.get(f"{API}/{unpaid.public_id}/invoice", **bearer(unpaid.owner)).json()
    assert [(r["reference"], r["amount"], r["status"]) for r in body["payment"]["refunds"]] == [
        (refund.reference, 1_980_200, "confirmed")
    ]


def test_i_have_paid_applies_a_payment_the_bank_did_not_notify(client, unpaid, sandbox_bank):
    invoice = Invoice.objects.get(application=unpaid)
    sandbox_bank.pay(invoice.khqr, "sokha@aba", notify="never")
    client.force_login(unpaid.owner)

    response = client.post(invoice_url(unpaid, "check"))

    assert response.status_code == 302 and response.url == invoice_url(unpaid)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert Payment.objects.filter(invoice=invoice).count() == 1
    in_english(client)
    assert "Paid, thank you" in text(client.get(response.url))
    client.post(invoice_url(unpaid, "check"))  # asking again changes nothing
    assert Payment.objects.filter(invoice=invoice).count() == 1


def test_i_have_paid_while_the_bank_is_down_says_so_and_changes_nothing(client, unpaid, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        settings.PAYMENT_SANDBOX_URL = f"http://127.0.0.1:{sock.getsockname()[1]}"
    in_english(client)
    client.force_login(unpaid.owner)
    response = client.post(invoice_url(unpaid, "check"), follow=True)
    assert response.redirect_chain == [(invoice_url(unpaid) + "?provider=unavailable", 302)]
    assert "We could not reach the bank just now" in text(response)
    assert Invoice.objects.get(application=unpaid).status == InvoiceStatus.OPEN


def test_an_expired_code_offers_a_new_one_that_keeps_the_amount(client, unpaid):
    Invoice.objects.filter(application=unpaid).update(
        expires_at=timezone.now() - timedelta(minutes=5)
    )
    in_english(client)
    client.force_login(unpaid.owner)
    page = text(client.get(invoice_url(unpaid)))
    assert "This payment code has expired" in page
    assert "pay-in-sandbox" not in page and 'id="khqr-string"' not in page

    response = client.post(invoice_url(unpaid, "renew"), follow=True)

    page = text(response)
    assert 'id="pay-in-sandbox"' in page and "This payment code has expired" not in page
    assert page.count("2,020,200 ៛") == 2
    assert Invoice.objects.get(application=unpaid).expires_at > timezone.now()


def test_asking_a_new_code_for_a_paid_invoice_is_not_a_server_error(client, unpaid):
    pay(unpaid)
    Invoice.objects.filter(application=unpaid).update(expires_at=timezone.now())
    client.force_login(unpaid.owner)
    response = client.post(invoice_url(unpaid, "renew"))
    assert response.status_code in (302, 400, 409)


def test_a_withdrawn_files_invoice_says_it_was_cancelled(client, unpaid):
    application_actions.withdraw_application(unpaid, unpaid.owner)
    in_english(client)
    client.force_login(unpaid.owner)
    page = text(client.get(invoice_url(unpaid)))
    assert "This invoice was cancelled because the application was withdrawn" in page
    assert "<svg" not in page


def test_a_draft_has_no_invoice_page(client):
    draft = filed()
    client.force_login(draft.owner)
    assert client.get(invoice_url(draft)).status_code == 404


# -- the API ------------------------------------------------------------------------------


def test_the_api_gives_the_invoice_with_its_lines_and_khqr_then_the_payment(client, unpaid):
    auth = bearer(unpaid.owner)
    invoice = Invoice.objects.get(application=unpaid)
    body = client.get(f"{API}/{unpaid.public_id}/invoice", **auth).json()
    assert {k: body[k] for k in ("reference", "application_reference", "status", "total")} == {
        "reference": invoice.reference,
        "application_reference": unpaid.reference,
        "status": "open",
        "total": 2_020_200,
    }
    assert (body["currency"], body["khr_per_usd"], body["rate_day"]) == ("KHR", 4010, "2026-01-01")
    assert body["khqr"] == invoice.khqr and body["payment"] is None
    assert sum(line["amount"] for line in body["lines"]) == body["total"]
    assert {
        "agency": "MLVT",
        "agency_name": "Ministry of Labour and Vocational Training",
        "name": "Declaration of opening fee",
        "fee_amount": 2000,
        "fee_currency": "USD",
        "discount_percent": 0,
        "amount": 80_200,
    } in body["lines"]

    pay(unpaid)
    paid = client.get(f"{API}/{unpaid.public_id}/invoice", **auth).json()
    payment = Payment.objects.get()
    assert (paid["status"], paid["status_label"]) == ("paid", "Paid")
    assert paid["payment"]["amount"] == 2_020_200
    assert paid["payment"]["receipt_url"] == f"/payments/receipts/{payment.public_id}/"
    assert paid["payment"]["refunds"] == []


def test_the_api_check_applies_a_payment_made_in_the_bank(client, unpaid, sandbox_bank):
    invoice = Invoice.objects.get(application=unpaid)
    sandbox_bank.pay(invoice.khqr, "sokha@aba", notify="never")
    response = client.post(f"{API}/{unpaid.public_id}/invoice/check", **bearer(unpaid.owner))
    assert response.status_code == 200
    assert response.json()["status"] == "paid"
    assert Payment.objects.count() == 1


def test_the_api_check_answers_503_while_the_bank_is_down(client, unpaid, settings):
    settings.PAYMENT_SANDBOX_URL = "http://127.0.0.1:9"
    response = client.post(f"{API}/{unpaid.public_id}/invoice/check", **bearer(unpaid.owner))
    assert response.status_code == 503
    assert "could not be reached" in response.json()["detail"]


def test_a_file_without_an_invoice_is_404_in_the_api(client):
    draft = filed()
    response = client.get(f"{API}/{draft.public_id}/invoice", **bearer(draft.owner))
    assert response.status_code == 404
    assert response.json() == {"detail": "This application has no invoice."}


# -- who may open what -----------------------------------------------------------------------


def representative_of(app):
    agent = UserFactory()
    application_actions.authorise_representative(app, app.owner, agent.email)
    return agent


ENDPOINTS = {
    # name: (method, path for the file's invoice, API or page)
    "invoice page": ("get", "/payments/applications/{app}/", False),
    "check now": ("post", "/payments/applications/{app}/check/", False),
    "new code": ("post", "/payments/applications/{app}/renew/", False),
    "receipt": ("get", "/payments/receipts/{payment}/", False),
    "api invoice": ("get", API + "/{app}/invoice", True),
    "api check": ("post", API + "/{app}/invoice/check", True),
}
ALLOWED = {
    "invoice page": "200",
    "check now": "302 to the invoice",
    "new code": "302 to the invoice",
    "receipt": "200",
    "api invoice": "200",
    "api check": "200",
}
MATRIX = {
    "anonymous": {n: "401" if api else "302 to sign in" for n, (_m, _p, api) in ENDPOINTS.items()},
    "another user": dict.fromkeys(ENDPOINTS, "404"),
    "revoked representative": dict.fromkeys(ENDPOINTS, "404"),
    "owner": ALLOWED,
    # A new code by a representative: test_a_representative_may_ask_a_new_code.
    "representative": {k: v for k, v in ALLOWED.items() if k != "new code"},
}  # fmt: skip


def answer(response, app):
    if response.status_code != 302:
        return str(response.status_code)
    if response.url.startswith(LOGIN):
        return "302 to sign in"
    return "302 to the invoice" if response.url.startswith(invoice_url(app)) else response.url


@pytest.mark.parametrize("role", MATRIX)
def test_permission_matrix(client, role):
    app = submit(filed())  # paid, so that it has a receipt
    payment = Payment.objects.get(invoice__application=app)
    Invoice.objects.filter(pk=payment.invoice_id).update(status=InvoiceStatus.OPEN)  # renewable
    user = {"another user": UserFactory(), "owner": app.owner}.get(role)
    if role.endswith("representative"):
        user = representative_of(app)
        if role.startswith("revoked"):
            authorisation = app.authorisations.get(representative=user)
            application_actions.revoke_representative(app, app.owner, authorisation.pk)
    if user is not None:
        client.force_login(user)
    auth = bearer(user) if user is not None else {}

    answers = {}
    for name in MATRIX[role]:
        method, path, is_api = ENDPOINTS[name]
        url = path.format(app=app.public_id, payment=payment.public_id)
        response = getattr(client, method)(url, **(auth if is_api else {}))
        answers[name] = answer(response, app)

    assert answers == MATRIX[role]


def test_a_representative_may_ask_a_new_code(client, unpaid):
    Invoice.objects.filter(application=unpaid).update(expires_at=timezone.now())
    client.force_login(representative_of(unpaid))
    response = client.post(invoice_url(unpaid, "renew"))
    assert answer(response, unpaid) == "302 to the invoice"
    assert Invoice.objects.get(application=unpaid).expires_at > timezone.now()


def verified_officer(client, code):
    user = officer(code)
    device = totp_device(user)
    client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    client.post(reverse("accounts:second_factor"), {"token": current_totp(device)})
    return user


@pytest.mark.parametrize("who", ["applicant", "MOC", "GDT"])
def test_the_reconciliation_page_is_not_found_for_applicants_and_other_agencies(client, who):
    if who == "applicant":
        client.force_login(UserFactory())
    else:
        verified_officer(client, who)
    assert client.get("/payments/reconciliation/").status_code == 404
    assert client.get("/payments/reconciliation/?format=csv").status_code == 404


# -- what each answer costs ------------------------------------------------------------------


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)


@pytest.fixture
def five_and_six_lines():
    """Two unpaid files: a company's (five fee lines) and one asking incentives (CDC's too)."""
    few = submit(filed(), paid=False)
    many = submit(filed(user=UserFactory(), incentives=True), paid=False)
    assert [Invoice.objects.get(application=a).lines.count() for a in (few, many)] == [5, 6]
    return few, many


def test_the_invoice_page_and_api_queries_do_not_grow_with_the_lines(
    client, five_and_six_lines, django_assert_max_num_queries
):
    api_client = CommittingClient()
    counts = []
    for app in five_and_six_lines:
        client.force_login(app.owner)
        auth = bearer(app.owner)
        counts.append(
            (
                queries(client, invoice_url(app)),
                queries(api_client, f"{API}/{app.public_id}/invoice", **auth),
            )
        )
    assert counts[0] == counts[1]

    many = five_and_six_lines[1]
    # Session, user, roles, the file, the invoice with its payment, its lines, their agencies.
    with django_assert_max_num_queries(7):
        assert client.get(invoice_url(many)).status_code == 200
    auth = bearer(many.owner)
    # The token (and its last use), the file, the invoice, its lines, their agencies.
    with django_assert_max_num_queries(6):
        assert api_client.get(f"{API}/{many.public_id}/invoice", **auth).status_code == 200


def test_the_paid_invoice_pages_queries_are_bounded(client, django_assert_max_num_queries):
    app = submit(filed())
    client.force_login(app.owner)
    # As unpaid, and the payment's refunds.
    with django_assert_max_num_queries(8):
        assert client.get(invoice_url(app)).status_code == 200


def test_the_receipt_queries_do_not_grow_with_the_lines(client, five_and_six_lines):
    counts = []
    for app in five_and_six_lines:
        pay(app)
        payment = Payment.objects.get(invoice__application=app)
        client.force_login(app.owner)
        counts.append(queries(client, f"/payments/receipts/{payment.public_id}/"))
    assert counts[0] == counts[1]
