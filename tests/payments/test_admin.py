import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from singleportal.accounts.models import Role
from singleportal.audit.chain import verify
from singleportal.audit.models import AuditEntry
from singleportal.payments import actions
from singleportal.payments.models import (
    Fee,
    Invoice,
    LedgerEntry,
    Payment,
    ProviderEvent,
    Refund,
)
from tests.applications.helpers import submitted_application
from tests.conftest import in_english
from tests.factories import PASSWORD, UserFactory, current_totp, totp_device
from tests.payments.helpers import event
from tests.payments.test_reconciliation import at, open_invoices, pay, refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client):
    """An operator signed in with password and second factor, as the admin requires."""
    operator = UserFactory(roles=[Role.OPERATOR], is_staff=True, is_superuser=True)
    device = totp_device(operator)
    client.post(reverse("accounts:login"), {"username": operator.email, "password": PASSWORD})
    client.post(reverse("accounts:second_factor"), {"token": current_totp(device)})
    in_english(client)
    return client


def change_url(fee: Fee) -> str:
    return reverse("admin:payments_fee_change", args=[fee.pk])


def form_of(fee: Fee, **changes) -> dict:
    """The fee's change form as the browser posts it, with `changes`."""
    data = {
        "agency": fee.agency_id,
        "kind": fee.kind,
        "name_km": fee.name_km,
        "name_en": fee.name_en,
        "legal_form": fee.legal_form_id or "",
        "min_turnover_khr": fee.min_turnover_khr if fee.min_turnover_khr is not None else "",
        "max_turnover_khr": fee.max_turnover_khr if fee.max_turnover_khr is not None else "",
        "amount": fee.amount,
        "currency": fee.currency,
        "online_discount_percent": fee.online_discount_percent,
        "refund_rule": fee.refund_rule,
        "valid_from": fee.valid_from.isoformat(),
        "valid_until": fee.valid_until.isoformat() if fee.valid_until else "",
    }
    data.update(changes)
    return data


@pytest.fixture
def used_fee():
    """MOC's registration fee for companies, on the invoice of a file submitted today."""
    submitted_application(UserFactory())
    return Fee.objects.get(invoice_lines__isnull=False, agency__code="MOC", kind="registration")


def test_an_unused_fee_is_edited_with_an_audit_entry(operator_client):
    fee = Fee.objects.get(agency__code="CDC")
    page = operator_client.get(change_url(fee)).content.decode()
    assert 'name="amount"' in page
    assert "Invoices have charged this fee" not in page

    response = operator_client.post(change_url(fee), form_of(fee, amount="7500000"))

    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.amount == 7_500_000
    entry = AuditEntry.objects.get(action="admin.changed")
    assert (entry.object_type, entry.object_id) == ("payments.fee", str(fee.pk))
    assert entry.details["fields"] == ["amount"]
    assert verify().ok


def test_a_used_fee_shows_what_it_charged_read_only_and_keeps_it(operator_client, used_fee):
    page = operator_client.get(change_url(used_fee)).content.decode()
    assert 'name="amount"' not in page
    assert 'name="currency"' not in page
    assert 'name="valid_until"' in page
    assert "Invoices have charged this fee" in page
    assert "add a new fee valid from the next day" in page

    last_day = date.today() + timedelta(days=30)
    response = operator_client.post(
        change_url(used_fee),
        form_of(used_fee, amount="1", currency="USD", valid_until=last_day.isoformat()),
    )

    assert response.status_code == 302
    fee = Fee.objects.get(pk=used_fee.pk)
    assert (fee.amount, fee.currency, fee.valid_until) == (1_140_000, "KHR", last_day)
    assert AuditEntry.objects.get(action="admin.changed").details["fields"] == ["valid_until"]


def test_a_used_fee_stays_valid_until_the_last_invoice_that_charged_it(operator_client, used_fee):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = operator_client.post(
        change_url(used_fee), form_of(used_fee, valid_until=yesterday.isoformat())
    )
    assert response.status_code == 200
    assert "charged this fee: it ends on that day or later" in response.content.decode()
    assert Fee.objects.get(pk=used_fee.pk).valid_until is None


def test_a_used_fee_cannot_be_deleted_but_an_unused_one_can(operator_client, used_fee):
    refused = operator_client.post(
        reverse("admin:payments_fee_delete", args=[used_fee.pk]), {"post": "yes"}
    )
    assert refused.status_code == 403
    assert Fee.objects.filter(pk=used_fee.pk).exists()

    unused = Fee.objects.get(agency__code="CDC")
    operator_client.post(reverse("admin:payments_fee_delete", args=[unused.pk]), {"post": "yes"})
    assert not Fee.objects.filter(pk=unused.pk).exists()
    assert AuditEntry.objects.get(action="admin.deleted").details["model"] == "payments.fee"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"valid_from": "2026-06-01", "valid_until": "2026-05-31"}, "cannot be before the first"),
        ({"online_discount_percent": "150"}, "at most 100%"),
        ({"min_turnover_khr": "500", "max_turnover_khr": "500"}, "must end above"),
    ],
)
def test_a_fee_that_makes_no_sense_is_refused(operator_client, changes, message):
    fee = Fee.objects.get(agency__code="CDC")
    response = operator_client.post(change_url(fee), form_of(fee, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Fee.objects.get(pk=fee.pk).valid_until is None
    assert not AuditEntry.objects.exists()


def test_a_new_fee_that_would_be_charged_beside_a_current_one_is_refused(operator_client):
    current = Fee.objects.get(agency__code="CDC")
    add = reverse("admin:payments_fee_add")

    overlapping = operator_client.post(add, form_of(current, valid_from="2027-01-01"))
    assert overlapping.status_code == 200
    assert f"this fee and fee #{current.pk}" in overlapping.content.decode()
    assert Fee.objects.filter(agency__code="CDC").count() == 1

    # The operator's way: end the current fee, then add the new amount from the next day.
    ended = operator_client.post(change_url(current), form_of(current, valid_until="2026-12-31"))
    assert ended.status_code == 302
    added = operator_client.post(
        add, form_of(current, amount="8000000", valid_from="2027-01-01", valid_until="")
    )
    assert added.status_code == 302
    assert list(Fee.objects.filter(agency__code="CDC").values_list("amount", "valid_until")) == [
        (7_000_000, date(2026, 12, 31)),
        (8_000_000, None),
    ]
    assert AuditEntry.objects.filter(action="admin.added").count() == 1


@pytest.fixture
def paid_invoice():
    [invoice] = open_invoices(1, random.Random(5), prefix="A")
    payment = pay(invoice, at(date(2026, 3, 10), 600))
    refund(payment, at(date(2026, 3, 11), 600))
    return invoice


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("invoice", "total"),
        ("payment", "amount"),
        ("refund", "amount"),
        ("ledgerentry", "amount"),
        ("providerevent", "amount"),
    ],
)
def test_what_the_actions_write_cannot_be_added_changed_or_deleted(
    operator_client, paid_invoice, model, field
):
    row = {
        "invoice": Invoice.objects.get(pk=paid_invoice.pk),
        "payment": Payment.objects.get(invoice=paid_invoice),
        "refund": Refund.objects.get(payment__invoice=paid_invoice),
        "ledgerentry": LedgerEntry.objects.filter(invoice=paid_invoice).first(),
        "providerevent": ProviderEvent.objects.filter(bill_number=paid_invoice.reference).first(),
    }[model]
    base = f"/admin/payments/{model}/"
    assert operator_client.get(base).status_code == 200
    assert operator_client.get(f"{base}add/").status_code == 403
    page = operator_client.get(f"{base}{row.pk}/change/")
    assert page.status_code == 200  # shown, read-only
    assert f'name="{field}"' not in page.content.decode()
    assert operator_client.post(f"{base}{row.pk}/change/", {field: "1"}).status_code == 403
    assert operator_client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert getattr(row, field) != 1
    assert not AuditEntry.objects.filter(action__startswith="admin.").exists()


def test_an_invoice_shows_its_lines_and_a_payment_its_shares(operator_client, paid_invoice):
    invoice = operator_client.get(f"/admin/payments/invoice/{paid_invoice.pk}/change/")
    html = invoice.content.decode()
    for line in paid_invoice.lines.all():
        assert line.name_en in html
    payment = Payment.objects.get(invoice=paid_invoice)
    html = operator_client.get(f"/admin/payments/payment/{payment.pk}/change/").content.decode()
    assert "Agency share of a payment" in html


def test_the_operator_finds_the_held_events(operator_client, paid_invoice):
    held, outcome, _new = actions.receive_event(
        "sandbox", event(paid_invoice.reference, paid_invoice.total)
    )
    assert outcome == "held"  # paid twice
    applied = Payment.objects.get(invoice=paid_invoice).event
    url = reverse("admin:payments_providerevent_changelist")

    only_held = operator_client.get(url, {"outcome": "held"}).content.decode()
    assert held.event_id in only_held
    assert applied.event_id not in only_held
    everything = operator_client.get(url).content.decode()
    assert held.event_id in everything and applied.event_id in everything
    assert "Held for the operator" in everything
    nonsense = operator_client.get(url, {"outcome": "nonsense"})
    assert nonsense.status_code == 200


@pytest.mark.parametrize("model", ["invoice", "payment", "refund", "ledgerentry", "providerevent"])
def test_the_payment_lists_take_as_many_queries_for_40_invoices_as_for_1(
    operator_client, django_assert_max_num_queries, model
):
    url = f"/admin/payments/{model}/"
    counts = []
    for count, prefix in ((1, "Q"), (39, "R")):
        for i, invoice in enumerate(open_invoices(count, random.Random(6), prefix=prefix)):
            pay(invoice, at(date(2026, 3, 10), 60 * i))
            if i % 4 == 0:
                refund(Payment.objects.get(invoice=invoice), at(date(2026, 3, 11), i))
        operator_client.get(url)  # the session and the site's caches warm
        with CaptureQueriesContext(connection) as queries:
            assert operator_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(10):
        operator_client.get(url)
