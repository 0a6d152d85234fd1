"""Fee arithmetic, in integer minor units and exact fractions (never floats).

Rounding rule: each invoice line is rounded once, half up, to the nearest 100 riel (the smallest
note in use) after converting a USD fee at the day's rate and applying any discount. The total
is the sum of the rounded lines, so the per-agency split of a payment adds up to the payment
exactly. A refund is the sum of whole lines, so it never exceeds what was paid.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

RIEL_STEP = 100


def round_riel(amount: Fraction) -> int:
    """Half up to the nearest RIEL_STEP riel."""
    steps = amount / RIEL_STEP
    return int(steps + Fraction(1, 2)) * RIEL_STEP  # int() floors non-negative fractions


def line_amount(amount: int, currency: str, khr_per_usd: int | None, discount_percent: int) -> int:
    """One fee in riel: `amount` is riel for KHR, cents for USD."""
    exact = Fraction(amount)
    if currency == "USD":
        if not khr_per_usd:
            raise ValueError("A fee in USD needs the day's exchange rate.")
        exact = exact * khr_per_usd / 100
    elif currency != "KHR":
        raise ValueError(f"Unknown currency {currency}.")
    exact = exact * (100 - discount_percent) / 100
    return round_riel(exact)


@dataclass(frozen=True)
class Share:
    agency: str
    amount: int


def split(lines: Iterable[tuple[str, int]]) -> list[Share]:
    """Per-agency shares of (agency, line amount) lines, in agency order."""
    totals: dict[str, int] = {}
    for agency, amount in lines:
        totals[agency] = totals.get(agency, 0) + amount
    return [Share(agency, amount) for agency, amount in sorted(totals.items())]
