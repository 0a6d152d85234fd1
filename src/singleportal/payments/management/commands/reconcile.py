from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.payments.reconciliation import Summary, write_csv


class Command(BaseCommand):
    help = (
        "Write the day's reconciliation as CSV (payments, refunds and the provider events held "
        "or unmatched, per agency; see singleportal.payments.reconciliation) and a one-line "
        "summary on stderr. Exits 1 only when the report and the ledger disagree (a bug)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--day",
            type=date.fromisoformat,
            help="YYYY-MM-DD (default: yesterday in the platform's time zone, Asia/Phnom_Penh)",
        )
        parser.add_argument("--out", help="the CSV file to write (default: standard output)")

    def handle(
        self, *args: Any, day: date | None = None, out: str | None = None, **options: Any
    ) -> None:
        if day is None:
            today = timezone.localdate(timezone.now(), timezone.get_default_timezone())
            day = today - timedelta(days=1)
        if out:
            # With a byte-order mark, spreadsheet programs read the Khmer as UTF-8.
            with open(out, "w", encoding="utf-8-sig", newline="") as handle:
                summary = write_csv(day, handle)
        else:
            summary = write_csv(day, self.stdout)
        self.stderr.write(describe(summary))
        if not summary.agrees:
            raise CommandError(disagreement(summary))


def describe(summary: Summary) -> str:
    totals = summary.totals
    differences = ", ".join(
        f"{amount} {currency}" for currency, amount in sorted(totals.differences.items())
    )
    return _(
        "%(day)s: %(payments)d payments %(paid)d KHR, %(refunds)d refunds %(refunded)d KHR, "
        "%(differences)d differences (%(amounts)s); %(ledger)s"
    ) % {
        "day": summary.day.isoformat(),
        "payments": totals.payment_count,
        "paid": totals.payments,
        "refunds": totals.refund_count,
        "refunded": totals.refunds,
        "differences": totals.difference_count,
        "amounts": differences,
        "ledger": _("the ledger agrees.") if summary.agrees else _("THE LEDGER DISAGREES."),
    }


def disagreement(summary: Summary) -> str:
    parts = [
        _("%(agency)s: report %(report)d, ledger %(ledger)d")
        % {"agency": code, "report": report, "ledger": ledger}
        for code, (report, ledger) in summary.ledger_differences.items()
    ]
    parts += [
        _("%(kind)s %(invoice)s is %(amount)d but its shares add up to %(shares)d")
        % {
            "kind": row.kind,
            "invoice": row.invoice,
            "amount": row.amount,
            "shares": row.amount - row.difference,
        }
        for row in summary.totals.unbalanced
    ]
    return _("The report and the ledger disagree (a bug to report): %(details)s.") % {
        "details": "; ".join(parts)
    }
