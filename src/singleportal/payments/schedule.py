"""Which fees of the schedule an application owes, and in riel."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from singleportal.agencies.selectors import plan_for
from singleportal.payments import fees
from singleportal.payments.models import Currency, ExchangeRate, Fee


@dataclass(frozen=True)
class Charge:
    fee: Fee
    amount: int  # riel, rounded per fees.line_amount


@dataclass(frozen=True)
class Charges:
    lines: list[Charge]
    rate: ExchangeRate | None  # set when a fee is in USD

    @property
    def total(self) -> int:
        return sum(c.amount for c in self.lines)


def fees_due(application: Any, snapshot: dict[str, Any], day: date) -> list[Fee]:
    """The fees valid on `day` of the agencies taking part, for the file's legal form and its
    expected turnover (a file with no tax details falls in the lowest band)."""
    agencies = [step.agency_id for step in plan_for(application, snapshot)]
    turnover = (snapshot.get("tax") or {}).get("expected_turnover_khr") or 0
    return list(
        Fee.objects.filter(agency__in=agencies, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .filter(Q(legal_form__isnull=True) | Q(legal_form=application.legal_form))
        .filter(Q(min_turnover_khr__isnull=True) | Q(min_turnover_khr__lte=turnover))
        .filter(Q(max_turnover_khr__isnull=True) | Q(max_turnover_khr__gt=turnover))
        .select_related("agency")
        .order_by("agency__code", "kind", "pk")
    )


def rate_on(day: date) -> ExchangeRate | None:
    return ExchangeRate.objects.filter(day__lte=day).order_by("-day").first()


def charges_for(application: Any, snapshot: dict[str, Any], day: date) -> Charges:
    due = fees_due(application, snapshot, day)
    rate = rate_on(day) if any(f.currency == Currency.USD for f in due) else None
    if rate is None and any(f.currency == Currency.USD for f in due):
        raise ValidationError(
            _("No exchange rate is on record for %(day)s: the operator must enter one."),
            params={"day": day.isoformat()},
            code="no_rate",
        )
    khr_per_usd = rate.khr_per_usd if rate else None
    return Charges(
        [
            Charge(
                f, fees.line_amount(f.amount, f.currency, khr_per_usd, f.online_discount_percent)
            )
            for f in due
        ],
        rate,
    )
