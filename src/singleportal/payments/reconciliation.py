"""The operator's daily reconciliation: the money the payment provider moved on one day, each
payment and refund split per agency, beside the ledger, and every provider event that did not
fit (the differences the operator must resolve with the bank).

A day is a calendar day in the platform's time zone (settings.TIME_ZONE, Asia/Phnom_Penh), the
day the ledger books an entry on: the provider's time of the payment or refund. Payments and
refunds are selected by that time, independently of the ledger, and their shares are their
ledger entries; so the report and the ledger disagree only if the ledger is wrong (an entry on
another day, a share missing), which `Summary.agrees` tells.

Rows, in this order (the `kind` column):

    payment    a payment the provider made on the day; the shares are its ledger entries
    refund     a refund the provider confirmed on the day; amount and shares are negative
    held       a provider event received on the day whose latest handling held it for the
    unmatched  operator (amount or currency not the invoice's, invoice already paid or
               cancelled, a refund we did not ask for) or found no invoice for its bill number:
               no agency has a share, the whole amount is the difference, the note says why

CSV columns, by key (the header row shows translated labels; agency columns show the code):

    kind, invoice, application, provider, transaction, event, currency, amount,
    <one per agency code, every agency in code order, so the columns never move>,
    difference, note

`amount` and `difference` are integer minor units of `currency`: riel for every payment and
refund; a held event paid in another currency keeps its own (cents for USD). `difference` is
`amount` minus the row's agency shares: 0 on every payment and refund row.

Totals rows follow, told apart by `kind`:

    total_payments      the day's payments and each agency's shares of them
    total_refunds       the day's refunds (negative) and each agency's shares of them
    total_differences   held and unmatched amounts, one row per currency (KHR always)
    total               the day's net per agency: equals the day's ledger entries, summed
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from singleportal.agencies.models import Agency
from singleportal.payments.models import (
    EntryKind,
    EventHandling,
    EventOutcome,
    Invoice,
    LedgerEntry,
    Payment,
    ProviderEvent,
    Refund,
    RefundStatus,
)
from singleportal.payments.providers import REFUND

PAYMENT_ROW = "payment"
REFUND_ROW = "refund"
HELD_ROW = EventOutcome.HELD.value
UNMATCHED_ROW = EventOutcome.UNMATCHED.value
TOTAL_PAYMENTS = "total_payments"
TOTAL_REFUNDS = "total_refunds"
TOTAL_DIFFERENCES = "total_differences"
TOTAL = "total"

LEADING_COLUMNS = [
    ("kind", _("kind")),
    ("invoice", _("invoice")),
    ("application", _("application")),
    ("provider", _("provider")),
    ("transaction", _("transaction")),
    ("event", _("provider event")),
    ("currency", _("currency")),
    ("amount", _("amount")),
]
TRAILING_COLUMNS = [("difference", _("difference")), ("note", _("note"))]

CHUNK = 2000  # rows fetched at a time: a busy day never sits in memory whole on the way


class Writable(Protocol):
    """Where the CSV goes: a text file, or a management command's stdout."""

    def write(self, text: str, /) -> Any: ...


@dataclass(frozen=True)
class Row:
    kind: str
    invoice: str
    application: str
    provider: str
    transaction: str
    event: str
    currency: str
    amount: int
    shares: dict[str, int]  # agency code -> minor units, only agencies with a share
    note: str = ""

    @property
    def difference(self) -> int:
        return self.amount - sum(self.shares.values())

    @property
    def is_difference(self) -> bool:
        return self.kind in (HELD_ROW, UNMATCHED_ROW)


@dataclass
class Totals:
    payments: int = 0
    refunds: int = 0  # negative
    payment_count: int = 0
    refund_count: int = 0
    difference_count: int = 0
    payment_shares: dict[str, int] = field(default_factory=dict)
    refund_shares: dict[str, int] = field(default_factory=dict)
    differences: dict[str, int] = field(default_factory=lambda: {"KHR": 0})  # per currency
    # Payment and refund rows whose shares do not add up to their amount (a ledger bug).
    unbalanced: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        if row.is_difference:
            self.difference_count += 1
            self.differences[row.currency] = self.differences.get(row.currency, 0) + row.amount
            return
        if row.kind == PAYMENT_ROW:
            self.payment_count += 1
            self.payments += row.amount
            shares = self.payment_shares
        else:
            self.refund_count += 1
            self.refunds += row.amount
            shares = self.refund_shares
        for code, amount in row.shares.items():
            shares[code] = shares.get(code, 0) + amount
        if row.difference:
            self.unbalanced.append(row)

    @property
    def net(self) -> dict[str, int]:
        """Per agency, payment shares less refund shares: what the day's ledger must say."""
        net = dict(self.payment_shares)
        for code, amount in self.refund_shares.items():
            net[code] = net.get(code, 0) + amount
        return net


@dataclass
class Summary:
    day: date
    agencies: list[str]  # the agency columns, in order
    totals: Totals
    ledger: dict[str, int]  # LedgerEntry of the day, summed per agency code

    @property
    def ledger_differences(self) -> dict[str, tuple[int, int]]:
        """Agency code -> (report, ledger) where the two disagree."""
        net = self.totals.net
        return {
            code: (net.get(code, 0), self.ledger.get(code, 0))
            for code in sorted(set(net) | set(self.ledger))
            if net.get(code, 0) != self.ledger.get(code, 0)
        }

    @property
    def agrees(self) -> bool:
        """The report's per-agency net is the ledger's, and every payment and refund is split
        exactly. False is a bug in the ledger, never the provider's doing."""
        return not self.ledger_differences and not self.totals.unbalanced


@dataclass
class Report(Summary):
    rows: list[Row] = field(default_factory=list)


def report(day: date) -> Report:
    """The day's rows and totals (five queries, whatever the day's size)."""
    with one_snapshot():
        agencies = agency_codes()
        totals = Totals()
        rows = []
        for row in day_rows(day, agencies):
            totals.add(row)
            rows.append(row)
        return Report(day=day, agencies=agencies, totals=totals, ledger=ledger(day), rows=rows)


def write_csv(day: date, out: Writable) -> Summary:
    """The day's report as CSV: header, rows, totals rows (see the module docstring). Rows are
    written as they are read, never held together."""
    with one_snapshot():
        agencies = agency_codes()
        writer = csv.writer(out)
        writer.writerow([str(label) for _key, label in columns(agencies)])
        totals = Totals()
        for row in day_rows(day, agencies):
            totals.add(row)
            writer.writerow(_cells(row, agencies))
        for row in total_rows(totals):
            writer.writerow(_cells(row, agencies))
        return Summary(day=day, agencies=agencies, totals=totals, ledger=ledger(day))


@contextmanager
def one_snapshot() -> Iterator[None]:
    """Every query of the report sees the same committed data, so a payment landing half-way
    (a late webhook for the day) cannot look like a ledger bug. On PostgreSQL: one read-only
    REPEATABLE READ transaction. The embedded SQLite site reads as it goes: its transactions
    take the write lock (transaction_mode IMMEDIATE), which would hold every payment back
    while the report runs. Inside a transaction already (tests), that one's view is used."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def columns(agencies: list[str]) -> list[tuple[str, Any]]:
    """(key, header label) of each column, in order."""
    return [*LEADING_COLUMNS, *((code, code) for code in agencies), *TRAILING_COLUMNS]


def agency_codes() -> list[str]:
    """Every agency, by code: the columns stay put from one day to the next."""
    return list(Agency.objects.order_by("code").values_list("code", flat=True))


def ledger(day: date) -> dict[str, int]:
    return {
        code: total
        for code, total in LedgerEntry.objects.filter(day=day)
        .values("agency__code")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("agency__code", "total")
    }


def day_rows(day: date, agencies: list[str]) -> Iterator[Row]:
    start, end = day_bounds(day)
    yield from _payment_rows(start, end, agencies)
    yield from _refund_rows(start, end, agencies)
    yield from _difference_rows(start, end)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day's first instant and the next day's, in the zone the ledger books days in."""
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(day, time.min, tzinfo=zone),
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone),
    )


def total_rows(totals: Totals) -> list[Row]:
    def total(kind: str, amount: int, shares: dict[str, int], currency: str = "KHR") -> Row:
        return Row(kind, "", "", "", "", "", currency, amount, shares)

    rows = [
        total(TOTAL_PAYMENTS, totals.payments, totals.payment_shares),
        total(TOTAL_REFUNDS, totals.refunds, totals.refund_shares),
    ]
    rows += [
        total(TOTAL_DIFFERENCES, amount, {}, currency)
        for currency, amount in sorted(totals.differences.items())
    ]
    rows.append(total(TOTAL, totals.payments + totals.refunds, totals.net))
    return rows


def _cells(row: Row, agencies: list[str]) -> list[Any]:
    return [
        row.kind,
        row.invoice,
        row.application,
        row.provider,
        row.transaction,
        row.event,
        row.currency,
        row.amount,
        *(row.shares.get(code, 0) for code in agencies),
        row.difference,
        row.note,
    ]


def _share_sums(agencies: list[str], kind: str) -> dict[str, Any]:
    """One summed column per agency over the row's ledger entries: a single join."""
    return {
        f"share_{code}": Coalesce(
            Sum("ledger__amount", filter=Q(ledger__agency__code=code, ledger__kind=kind)),
            Value(0),
        )
        for code in agencies
    }


def _shares(values: dict[str, Any], agencies: list[str]) -> dict[str, int]:
    return {code: values[f"share_{code}"] for code in agencies if values[f"share_{code}"]}


def _payment_rows(start: datetime, end: datetime, agencies: list[str]) -> Iterator[Row]:
    payments: QuerySet = (
        Payment.objects.filter(paid_at__gte=start, paid_at__lt=end)
        .values(
            "pk",
            "paid_at",
            "invoice__reference",
            "invoice__application__reference",
            "provider",
            "transaction_id",
            "event__event_id",
            "amount",
        )
        .annotate(**_share_sums(agencies, EntryKind.SHARE))
        .order_by("paid_at", "pk")
    )
    for values in payments.iterator(chunk_size=CHUNK):
        yield Row(
            kind=PAYMENT_ROW,
            invoice=values["invoice__reference"],
            application=values["invoice__application__reference"] or "",
            provider=values["provider"],
            transaction=values["transaction_id"],
            event=values["event__event_id"],
            currency="KHR",
            amount=values["amount"],
            shares=_shares(values, agencies),
        )


def _refund_rows(start: datetime, end: datetime, agencies: list[str]) -> Iterator[Row]:
    refunds: QuerySet = (
        Refund.objects.filter(
            status=RefundStatus.CONFIRMED, confirmed_at__gte=start, confirmed_at__lt=end
        )
        .values(
            "pk",
            "confirmed_at",
            "reference",
            "reason",
            "payment__invoice__reference",
            "payment__invoice__application__reference",
            "payment__provider",
            "event__transaction_id",
            "event__event_id",
            "amount",
        )
        .annotate(**_share_sums(agencies, EntryKind.REFUND))
        .order_by("confirmed_at", "pk")
    )
    for values in refunds.iterator(chunk_size=CHUNK):
        yield Row(
            kind=REFUND_ROW,
            invoice=values["payment__invoice__reference"],
            application=values["payment__invoice__application__reference"] or "",
            provider=values["payment__provider"],
            transaction=values["event__transaction_id"] or "",
            event=values["event__event_id"] or "",
            currency="KHR",
            amount=-values["amount"],
            shares=_shares(values, agencies),
            note=f"{values['reference']}: {values['reason']}",
        )


def _difference_rows(start: datetime, end: datetime) -> Iterator[Row]:
    latest = EventHandling.objects.filter(event=OuterRef("pk")).order_by("-at", "-pk")
    invoice_application = Invoice.objects.filter(reference=OuterRef("bill_number")).values(
        "application__reference"
    )
    events: QuerySet = (
        ProviderEvent.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(
            # An event is stored and handled in one transaction; none unhandled is "waiting".
            outcome=Coalesce(Subquery(latest.values("outcome")[:1]), Value(UNMATCHED_ROW)),
            problem=Subquery(latest.values("problem")[:1]),
            application_reference=Subquery(invoice_application[:1]),
        )
        .filter(outcome__in=[HELD_ROW, UNMATCHED_ROW])
        .values(
            "outcome",
            "problem",
            "application_reference",
            "bill_number",
            "provider",
            "transaction_id",
            "event_id",
            "kind",
            "currency",
            "amount",
        )
        .order_by("received_at", "pk")
    )
    for values in events.iterator(chunk_size=CHUNK):
        # A refund event takes money out: negative, like a confirmed refund.
        sign = -1 if values["kind"] == REFUND else 1
        yield Row(
            kind=values["outcome"],
            invoice=values["bill_number"],
            application=values["application_reference"] or "",
            provider=values["provider"],
            transaction=values["transaction_id"],
            event=values["event_id"],
            currency=values["currency"],
            amount=sign * values["amount"],
            shares={},
            note=values["problem"] or "",
        )
