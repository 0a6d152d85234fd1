import csv
import io
import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Sum
from django.utils import timezone, translation

from singleportal.applications.models import Application, LegalForm
from singleportal.payments import actions, fees, reconciliation
from singleportal.payments.models import (
    ExchangeRate,
    Fee,
    Invoice,
    InvoiceLine,
    LedgerEntry,
    Payment,
    ProviderEvent,
    Refund,
)
from singleportal.payments.providers import REFUND
from tests.factories import UserFactory
from tests.payments.helpers import event

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _english():
    """The command speaks the site's language (Khmer by default); these read it in English."""
    with translation.override("en"):
        yield


PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")


def at(day: date, seconds: float = 0) -> datetime:
    """`seconds` after midnight of `day` in Phnom Penh."""
    return datetime.combine(day, time.min, tzinfo=PHNOM_PENH) + timedelta(seconds=seconds)


def open_invoices(count: int, rng: random.Random, prefix: str = "R") -> list[Invoice]:
    """`count` submitted files' invoices, each with 2 to 4 lines of the seeded schedule priced
    as issue_invoice prices them, made in a few bulk queries."""
    owner = UserFactory()
    form = LegalForm.objects.get(code="private_limited_company")
    schedule = list(Fee.objects.select_related("agency").order_by("pk"))
    rate = ExchangeRate.objects.get(day=date(2026, 1, 1)).khr_per_usd
    applications = Application.objects.bulk_create(
        Application(owner=owner, legal_form=form, reference=f"APP-{prefix}{i:07d}")
        for i in range(count)
    )
    chosen = [rng.sample(schedule, rng.randint(2, 4)) for _ in applications]
    priced = [
        [(fee, fees.line_amount(fee.amount, fee.currency, rate, fee.online_discount_percent))
         for fee in lines]
        for lines in chosen
    ]  # fmt: skip
    invoices = Invoice.objects.bulk_create(
        Invoice(
            reference=f"INV-2026-{prefix}{i:07d}",
            application=application,
            total=sum(amount for _fee, amount in lines),
            khr_per_usd=rate,
            rate_day=date(2026, 1, 1),
            expires_at=at(DAY + timedelta(days=2)),
            khqr="-",
        )
        for i, (application, lines) in enumerate(zip(applications, priced, strict=True))
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            agency=fee.agency,
            fee=fee,
            name_km=fee.name_km,
            name_en=fee.name_en,
            fee_amount=fee.amount,
            fee_currency=fee.currency,
            discount_percent=fee.online_discount_percent,
            amount=amount,
            refund_rule=fee.refund_rule,
        )
        for invoice, lines in zip(invoices, priced, strict=True)
        for fee, amount in lines
    )
    return invoices


def pay(invoice: Invoice, when: datetime) -> Payment:
    _event, outcome, _new = actions.receive_event(
        "sandbox", event(invoice.reference, invoice.total, occurred_at=when)
    )
    assert outcome == "applied"
    return Payment.objects.get(invoice=invoice)


def refund(payment: Payment, when: datetime | None) -> Refund:
    """A refund of what the rules give back, confirmed by the provider at `when` (None: asked
    for, not confirmed yet)."""
    shares = actions.refundable_shares(payment.invoice)
    ask = Refund.objects.create(
        reference=f"RF-{payment.invoice.reference.removeprefix('INV-')}",
        payment=payment,
        amount=sum(shares.values()),
        shares=shares,
        reason="rejected",
    )
    if when is not None:
        data = event(
            payment.invoice.reference,
            ask.amount,
            kind=REFUND,
            refund_of=payment.transaction_id,
            occurred_at=when,
        )
        assert actions.receive_event("sandbox", data)[1] == "applied"
    ask.refresh_from_db()
    return ask


def delivered_at_once() -> None:
    """Events are stored with the real clock's time; these were delivered as they happened."""
    ProviderEvent.objects.update(received_at=F("occurred_at"))


def ledger_sums(day: date) -> dict[str, int]:
    return {
        row["agency__code"]: row["total"]
        for row in LedgerEntry.objects.filter(day=day)
        .values("agency__code")
        .annotate(total=Sum("amount"))
        .order_by()
    }


def shares_of(invoices: list[Invoice]) -> Counter:
    """Per agency, the invoices' lines as issued: what the agencies are owed, from the invoice
    and not from the ledger."""
    lines = InvoiceLine.objects.filter(invoice__in=invoices).values_list("agency__code", "amount")
    shares: Counter = Counter()
    for code, amount in lines.iterator():
        shares[code] += amount
    return shares


def day_of(count: int) -> dict:
    """`count` invoices paid through the provider-event action over DAY (the first at midnight,
    the last a second before the next), one paid either side of it, refunds, and the events
    that did not fit."""
    rng = random.Random(20260310)
    invoices = open_invoices(count + 4, rng)
    paid, (before, after, short, in_dollars) = invoices[:count], invoices[count:]
    for i, invoice in enumerate(paid):
        pay(invoice, at(DAY, i * 86_399 // (count - 1)))
    pay(before, at(DAY, -0.001))
    pay(after, at(DAY + timedelta(days=1)))

    payments = {p.invoice_id: p for p in Payment.objects.select_related("invoice")}
    step = count // 5
    refunds = [
        refund(payments[invoice.pk], at(DAY, 40_000 + i))
        for i, invoice in enumerate(paid[step // 2 :: step])
    ]
    refund(payments[paid[3].pk], at(DAY + timedelta(days=1), 60))  # confirmed the next day
    refund(payments[paid[5].pk], None)  # not confirmed yet

    double = paid[7]
    held = {
        "paid 1000, the invoice total is": event(short.reference, 1_000, occurred_at=at(DAY, 50)),
        "paid in USD": event(in_dollars.reference, 2_000, currency="USD", occurred_at=at(DAY, 60)),
        "the invoice was already paid": event(
            double.reference, double.total, occurred_at=at(DAY, 70)
        ),
        "a refund we did not ask for": event(
            double.reference, 5_000, kind=REFUND, refund_of="txn_unknown", occurred_at=at(DAY, 80)
        ),
    }
    for data in held.values():
        assert actions.receive_event("sandbox", data)[1] == "held"
    unmatched = event("INV-2026-9999999", 123_400, occurred_at=at(DAY, 90))
    assert actions.receive_event("sandbox", unmatched)[1] == "unmatched"
    # The day after: not the day's difference.
    actions.receive_event("sandbox", event("INV-2026-9999998", 100, occurred_at=at(DAY, 86_400)))
    delivered_at_once()
    return {"paid": paid, "refunds": refunds, "held": held, "unmatched": unmatched}


def test_the_report_of_a_day_of_1000_payments_equals_the_ledger_and_so_does_its_csv():
    busy_day = day_of(1_000)
    expected = shares_of(busy_day["paid"])
    for confirmed in busy_day["refunds"]:
        expected.subtract(confirmed.shares)

    report = reconciliation.report(DAY)

    assert report.agencies == ["CDC", "GDT", "MEF", "MLVT", "MOC", "MOI"]
    assert report.totals.net == ledger_sums(DAY) == {k: v for k, v in expected.items() if v}
    assert report.ledger == ledger_sums(DAY)
    assert report.agrees
    kinds = Counter(row.kind for row in report.rows)
    assert kinds == {"payment": 1_000, "refund": 5, "held": 4, "unmatched": 1}
    assert report.totals.payments == sum(invoice.total for invoice in busy_day["paid"])
    assert report.totals.refunds == -sum(r.amount for r in busy_day["refunds"])
    for row in report.rows:
        if row.kind in ("payment", "refund"):
            assert row.difference == 0, row
            assert row.application.startswith("APP-R")
    payments = [row for row in report.rows if row.kind == "payment"]
    assert {row.invoice for row in payments} == {i.reference for i in busy_day["paid"]}
    refunds = [row for row in report.rows if row.kind == "refund"]
    assert all(row.amount < 0 and row.transaction for row in refunds)
    csv_says_the_same(report)


def test_every_held_or_unmatched_event_of_the_day_is_a_difference_with_its_problem(
    django_assert_max_num_queries,
):
    busy_day = day_of(20)
    with django_assert_max_num_queries(5):  # agencies, payments, refunds, events, ledger
        report = reconciliation.report(DAY)

    differences = [row for row in report.rows if row.is_difference]
    for problem, data in busy_day["held"].items():
        [row] = [row for row in differences if row.event == data.event_id]
        assert (row.kind, row.shares, row.transaction) == ("held", {}, data.transaction_id)
        assert problem in row.note
        assert row.difference == row.amount
    [usd] = [row for row in differences if row.currency == "USD"]
    assert usd.amount == 2_000
    [refunded] = [row for row in differences if "refund" in row.note]
    assert refunded.amount == -5_000
    [unmatched] = [row for row in differences if row.kind == "unmatched"]
    assert (unmatched.invoice, unmatched.application) == ("INV-2026-9999999", "")
    assert unmatched.note == "no invoice with this reference"
    assert report.totals.differences == {
        "KHR": 1_000 + busy_day["paid"][7].total - 5_000 + 123_400,
        "USD": 2_000,
    }


def csv_says_the_same(report: reconciliation.Report) -> None:
    """The CSV of the day, read back with the csv module, has the report's rows and totals."""
    out = io.StringIO()
    summary = reconciliation.write_csv(DAY, out)
    assert summary.totals.net == report.totals.net

    out.seek(0)
    header, *lines = list(csv.reader(out))
    keys = [key for key, _label in reconciliation.columns(summary.agencies)]
    assert len(header) == len(keys)
    records = [dict(zip(keys, line, strict=True)) for line in lines]
    rows = [r for r in records if not r["kind"].startswith("total")]
    totals = {(r["kind"], r["currency"]): r for r in records if r["kind"].startswith("total")}
    assert len(rows) == len(report.rows)
    assert all(int(r["difference"]) == 0 for r in rows if r["kind"] in ("payment", "refund"))
    net = totals[("total", "KHR")]
    ledger = ledger_sums(DAY)
    assert {code: int(net[code]) for code in summary.agencies if int(net[code])} == ledger
    for code in summary.agencies:
        assert int(net[code]) == sum(int(r[code]) for r in rows)
    assert int(totals[("total_payments", "KHR")]["amount"]) == summary.totals.payments
    assert int(totals[("total_refunds", "KHR")]["amount"]) == summary.totals.refunds
    assert int(totals[("total_differences", "USD")]["difference"]) == 2_000
    assert int(totals[("total_differences", "KHR")]["difference"]) == sum(
        int(r["difference"]) for r in rows if r["currency"] == "KHR"
    )


def test_an_event_that_waited_for_its_invoice_is_a_payment_once_applied():
    early = event("INV-2026-W0000000", 440_000, occurred_at=at(DAY, 10))
    assert actions.receive_event("sandbox", early)[1] == "unmatched"
    delivered_at_once()
    assert [row.kind for row in reconciliation.report(DAY).rows] == ["unmatched"]

    [invoice] = open_invoices(1, random.Random(1), prefix="W")
    Invoice.objects.filter(pk=invoice.pk).update(total=440_000)
    InvoiceLine.objects.filter(invoice=invoice).delete()
    InvoiceLine.objects.create(
        invoice=invoice, agency=Fee.objects.get(kind="tax_registration").agency,
        fee=Fee.objects.get(kind="tax_registration"), name_km="-", name_en="-",
        fee_amount=440_000, fee_currency="KHR", amount=440_000, refund_rule="unless_approved",
    )  # fmt: skip
    assert actions.apply_waiting_events(invoice.reference) == 1

    report = reconciliation.report(DAY)
    assert [(row.kind, row.amount, row.shares) for row in report.rows] == [
        ("payment", 440_000, {"GDT": 440_000})
    ]
    assert report.agrees


def test_an_empty_day_has_zero_totals():
    out = io.StringIO()
    summary = reconciliation.write_csv(DAY, out)
    assert summary.agrees
    assert [line.split(",")[0] for line in out.getvalue().splitlines()[1:]] == [
        "total_payments",
        "total_refunds",
        "total_differences",
        "total",
    ]


def test_the_command_writes_the_day_and_a_summary(tmp_path):
    [invoice] = open_invoices(1, random.Random(2))
    pay(invoice, at(DAY, 7_200))
    target = tmp_path / "reconciliation.csv"
    errors = io.StringIO()

    call_command("reconcile", "--day", DAY.isoformat(), "--out", str(target), stderr=errors)

    records = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert len(records) == 1 + 1 + 4
    assert records[1][:2] == ["payment", invoice.reference]
    assert "2026-03-10: 1 payments" in errors.getvalue()
    assert "ledger agrees" in errors.getvalue()


def test_the_command_reports_yesterday_by_default_on_stdout():
    yesterday = timezone.localdate(timezone.now(), PHNOM_PENH) - timedelta(days=1)
    [invoice] = open_invoices(1, random.Random(3))
    pay(invoice, at(yesterday, 600))
    out, errors = io.StringIO(), io.StringIO()

    call_command("reconcile", stdout=out, stderr=errors)

    assert invoice.reference in out.getvalue()
    assert yesterday.isoformat() in errors.getvalue()


def test_the_command_fails_when_the_ledger_disagrees_with_the_report(tmp_path):
    [invoice] = open_invoices(1, random.Random(4))
    pay(invoice, at(DAY, 7_200))
    # A ledger bug: one share booked on another day.
    entry = LedgerEntry.objects.filter(invoice=invoice).first()
    LedgerEntry.objects.filter(pk=entry.pk).update(day=DAY + timedelta(days=1))
    errors = io.StringIO()

    with pytest.raises(CommandError, match="disagree"):
        call_command("reconcile", "--day", DAY.isoformat(), "--out", str(tmp_path / "r.csv"),
                     stderr=errors)  # fmt: skip

    assert (tmp_path / "r.csv").exists()  # written all the same, for the investigation
    assert "DISAGREES" in errors.getvalue()
