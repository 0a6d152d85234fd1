"""The operator's reconciliation page: MEF officers past the second factor see a day's shares
beside the ledger and the differences, and download its rows; nobody else learns it exists."""

import csv
import io
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from singleportal.payments import actions
from tests.conftest import in_english
from tests.factories import PASSWORD, UserFactory, current_totp, officer, totp_device
from tests.payments.helpers import event
from tests.payments.test_reconciliation import at, open_invoices, pay

pytestmark = pytest.mark.django_db

URL = reverse("payments:reconciliation")


def signed_in(client, user):
    in_english(client)
    device = totp_device(user)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    client.post(reverse("accounts:second_factor"), {"token": current_totp(device)})
    return client


@pytest.fixture
def day_with_a_difference():
    """Today: two payments, and one for the wrong amount (held, a difference of the day it
    was received)."""
    invoices = open_invoices(3, random.Random(7))
    for i, invoice in enumerate(invoices[:2]):
        pay(invoice, at(timezone.localdate(), i + 1))
    actions.receive_event("sandbox", event(invoices[2].reference, invoices[2].total - 100))
    return invoices


def test_a_mef_officer_sees_the_shares_beside_the_ledger_and_the_differences(
    client, day_with_a_difference, django_assert_max_num_queries
):
    signed_in(client, officer("MEF"))
    with django_assert_max_num_queries(20):
        response = client.get(URL, {"day": timezone.localdate().isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The report and the ledger agree." in page
    paid = sum(invoice.total for invoice in day_with_a_difference[:2])
    assert f"{paid:,}" in page
    assert day_with_a_difference[2].reference in page and "the invoice total is" in page


def test_the_csv_holds_every_row_of_the_day(client, day_with_a_difference):
    signed_in(client, officer("MEF"))
    today = timezone.localdate()
    response = client.get(URL, {"day": today.isoformat(), "format": "csv"})
    assert response["Content-Disposition"] == f'attachment; filename="reconciliation-{today}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    kinds = [row[0] for row in rows[1:]]
    assert kinds.count("payment") == 2 and kinds.count("held") == 1


def test_a_bad_day_shows_yesterday_instead_of_failing(client):
    signed_in(client, officer("MEF"))
    assert client.get(URL, {"day": "31/02/2026"}).status_code == 200


@pytest.mark.parametrize("who", ["applicant", "moc_officer", "anonymous"])
def test_nobody_but_mef_officers_reaches_it(client, who):
    if who == "applicant":
        client.force_login(UserFactory())
    elif who == "moc_officer":
        signed_in(client, officer("MOC"))
    response = client.get(URL)
    assert response.status_code == (302 if who == "anonymous" else 404)
