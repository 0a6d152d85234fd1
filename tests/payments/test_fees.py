"""Fee arithmetic and the fee schedule.

The rounding rule (payments.fees): each invoice line is rounded once, half up, to the nearest
100 riel, after converting a USD fee at the day's rate and taking off any online discount; the
total is the sum of the rounded lines, so the per-agency split adds up to it exactly, and a
refund (whole lines) never exceeds it.
"""

from datetime import timedelta
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from singleportal.agencies.models import Agency, Task, TaskStatus
from singleportal.applications.snapshot import build
from singleportal.payments import actions, fees, schedule
from singleportal.payments.models import (
    ExchangeRate,
    Fee,
    Invoice,
    InvoiceLine,
    RefundRule,
)
from tests.agencies.flow import filed, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AGENCIES = ["CDC", "GDT", "MEF", "MLVT", "MOC", "MOI"]
riel = st.integers(min_value=0, max_value=10**13)
discounts = st.integers(min_value=0, max_value=100)
rates = st.integers(min_value=1, max_value=20_000)  # riel per US dollar
lines = st.lists(
    st.tuples(st.sampled_from(AGENCIES), st.integers(min_value=0, max_value=10**11)), max_size=12
)


# -- rounding ------------------------------------------------------------------------------


@given(st.fractions(min_value=0, max_value=10**13))
@example(Fraction(50))
@example(Fraction(149))
@example(Fraction(2_019_950))
def test_round_riel_gives_a_multiple_of_100_within_50_riel(exact):
    rounded = fees.round_riel(exact)
    assert isinstance(rounded, int)
    assert rounded % 100 == 0
    assert abs(rounded - exact) <= 50


@given(st.integers(min_value=0, max_value=10**11))
def test_round_riel_rounds_exactly_50_up_and_just_below_it_down(hundreds):
    base = hundreds * 100
    assert fees.round_riel(Fraction(base + 50)) == base + 100
    assert fees.round_riel(Fraction(base + 50) - Fraction(1, 10**6)) == base
    assert fees.round_riel(Fraction(base)) == base


@given(riel, discounts)
def test_a_riel_fee_with_a_discount_is_within_50_riel_of_the_exact_fraction(amount, discount):
    exact = Fraction(amount) * (100 - discount) / 100
    got = fees.line_amount(amount, "KHR", None, discount)
    assert got % 100 == 0 and abs(got - exact) <= 50


@given(st.integers(min_value=0, max_value=10**9), rates, discounts)
def test_a_dollar_fee_is_converted_at_the_rate_then_discounted_within_50_riel(
    cents, rate, discount
):
    exact = Fraction(cents) * rate / 100 * (100 - discount) / 100
    got = fees.line_amount(cents, "USD", rate, discount)
    assert got % 100 == 0 and abs(got - exact) <= 50


def test_the_rounding_examples_the_invoice_page_explains():
    assert fees.line_amount(400_000, "KHR", None, 10) == 360_000  # the patent tax, online
    assert fees.line_amount(20_00, "USD", 4_010, 0) == 80_200  # MLVT's USD 20
    assert fees.line_amount(12_34, "USD", 4_010, 0) == 49_500  # 49,483.4 riel
    assert fees.line_amount(1_50, "USD", 4_100, 0) == 6_200  # 6,150 riel: half up
    assert fees.line_amount(1_000, "KHR", None, 100) == 0  # free online


def test_a_dollar_fee_without_a_rate_or_an_unknown_currency_is_refused():
    with pytest.raises(ValueError, match="exchange rate"):
        fees.line_amount(20_00, "USD", None, 0)
    with pytest.raises(ValueError, match="Unknown currency"):
        fees.line_amount(20_00, "EUR", 4_010, 0)


# -- the split between agencies ------------------------------------------------------------


@given(lines)
def test_the_split_adds_up_to_the_total_and_keeps_every_agency_once(invoice_lines):
    shares = fees.split(invoice_lines)
    assert sum(s.amount for s in shares) == sum(amount for _agency, amount in invoice_lines)
    assert [s.agency for s in shares] == sorted({agency for agency, _amount in invoice_lines})
    for share in shares:
        assert share.amount == sum(a for agency, a in invoice_lines if agency == share.agency)


@given(
    st.lists(st.tuples(st.sampled_from(AGENCIES), riel, discounts), max_size=8),
    rates,
)
def test_the_split_of_rounded_lines_is_the_invoice_total_to_the_riel(schedule_lines, rate):
    rounded = [(a, fees.line_amount(amount, "KHR", rate, d)) for a, amount, d in schedule_lines]
    total = sum(amount for _agency, amount in rounded)
    assert sum(s.amount for s in fees.split(rounded)) == total
    assert total % 100 == 0


# -- refunds never exceed what was paid ----------------------------------------------------


@pytest.fixture
def submitted_file():
    """A private limited company's file, submitted (its tasks planned)."""
    return submit(filed(), paid=False)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["GDT", "MEF", "MLVT", "MOC", "MOI"]),
            st.integers(min_value=0, max_value=10**10),
            st.sampled_from(RefundRule.values),
        ),
        min_size=1,
        max_size=8,
    ),
    st.sets(st.sampled_from(["GDT", "MEF", "MLVT", "MOC", "MOI"])),
)
def test_what_the_rules_refund_is_whole_lines_and_never_more_than_the_lines(
    submitted_file, invoice_lines, approved
):
    """actions.refundable_shares on an invoice of any lines, any agencies having approved."""
    invoice = Invoice.objects.get(application=submitted_file)
    fee = Fee.objects.first()
    agencies = {a.code: a for a in Agency.objects.all()}
    with transaction.atomic():
        invoice.lines.all().delete()
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice, agency=agencies[code], fee=fee, name_km="x", name_en="x",
                fee_amount=amount, fee_currency="KHR", amount=amount, refund_rule=rule,
            )
            for code, amount, rule in invoice_lines
        )  # fmt: skip
        Task.objects.filter(application=submitted_file).update(status=TaskStatus.OPEN)
        Task.objects.filter(application=submitted_file, agency__code__in=approved).update(
            status=TaskStatus.APPROVED
        )
        shares = actions.refundable_shares(invoice)
        transaction.set_rollback(True)
    expected: dict[str, int] = {}
    for code, amount, rule in invoice_lines:
        if rule == RefundRule.UNLESS_APPROVED and code not in approved:
            expected[code] = expected.get(code, 0) + amount
    assert shares == expected
    assert sum(shares.values()) <= sum(amount for _code, amount, _rule in invoice_lines)
    assert not set(shares) & approved


# -- the schedule --------------------------------------------------------------------------


def today():
    return timezone.localdate()


def lines_of(charges):
    return [(c.fee.agency.code, c.fee.kind, c.amount) for c in charges.lines]


@pytest.fixture
def company():
    return filed("private_limited_company")


def with_turnover(snapshot, turnover):
    return {**snapshot, "tax": {**snapshot["tax"], "expected_turnover_khr": turnover}}


def test_a_private_limited_company_owes_moc_gdt_with_the_online_discount_and_mlvt_in_riel(
    company,
):
    charges = schedule.charges_for(company, build(company), today())
    assert lines_of(charges) == [
        ("GDT", "patent_tax", 360_000),  # 400,000 less 10% for filing online
        ("GDT", "tax_registration", 400_000),
        ("MLVT", "opening_declaration", 80_200),  # USD 20.00 at 4,010 riel
        ("MOC", "publication", 40_000),
        ("MOC", "registration", 1_140_000),
    ]
    assert charges.total == 2_020_200
    assert (charges.rate.day.isoformat(), charges.rate.khr_per_usd) == ("2026-01-01", 4_010)
    assert "CDC" not in {c.fee.agency.code for c in charges.lines}


@pytest.mark.parametrize(
    ("turnover", "patent_tax"),
    [
        (0, 360_000),
        (249_999_999, 360_000),
        (250_000_000, 1_080_000),  # a band starts at its lower bound
        (1_999_999_999, 1_080_000),
        (2_000_000_000, 2_700_000),
        (10_000_000_000, 4_500_000),
        (None, 360_000),  # no tax details: the lowest band
    ],
)
def test_the_patent_tax_follows_the_turnover_band_less_ten_percent(company, turnover, patent_tax):
    snapshot = with_turnover(build(company), turnover)
    charged = lines_of(schedule.charges_for(company, snapshot, today()))
    assert [amount for _code, kind, amount in charged if kind == "patent_tax"] == [patent_tax]


def test_cdc_charges_its_fee_only_when_incentives_are_asked():
    with_incentives = filed(incentives=True)
    charged = lines_of(schedule.charges_for(with_incentives, build(with_incentives), today()))
    assert ("CDC", "investment_registration", 7_000_000) in charged
    assert schedule.charges_for(with_incentives, build(with_incentives), today()).total == (
        2_020_200 + 7_000_000
    )


def test_a_sole_proprietor_pays_the_smaller_registration_fee():
    owner = filed("sole_proprietorship")
    charged = lines_of(schedule.charges_for(owner, build(owner), today()))
    assert ("MOC", "registration", 180_000) in charged
    assert ("MOC", "registration", 1_140_000) not in charged


def test_a_fee_outside_its_validity_dates_is_not_charged(company):
    moi = Agency.objects.get(code="MOI")
    day = today()
    common = {"agency": moi, "kind": "opening_declaration", "amount": 10_000, "currency": "KHR"}
    Fee.objects.create(
        **common, name_km="ចាស់", name_en="Expired yesterday",
        valid_from=day - timedelta(days=30), valid_until=day - timedelta(days=1),
    )  # fmt: skip
    Fee.objects.create(
        **common, name_km="ថ្មី", name_en="From tomorrow", valid_from=day + timedelta(days=1)
    )
    Fee.objects.create(
        **common, name_km="ថ្ងៃចុងក្រោយ", name_en="Last day today",
        valid_from=day - timedelta(days=30), valid_until=day,
    )  # fmt: skip
    names = [c.fee.name_en for c in schedule.charges_for(company, build(company), day).lines]
    assert "Last day today" in names
    assert "Expired yesterday" not in names and "From tomorrow" not in names


def test_without_a_rate_on_record_a_dollar_fee_cannot_be_charged(company):
    ExchangeRate.objects.all().delete()
    with pytest.raises(ValidationError) as refused:
        schedule.charges_for(company, build(company), today())
    assert refused.value.code == "no_rate"


def test_a_new_rate_or_fee_changes_new_invoices_but_never_an_issued_one():
    first = submit(filed(), paid=False)
    issued = Invoice.objects.get(application=first)
    before = sorted(issued.lines.values_list("name_en", "fee_amount", "amount"))
    # The operator enters today's rate and a new registration fee.
    ExchangeRate.objects.create(day=today(), khr_per_usd=4_100)
    ExchangeRate.objects.create(day=today() + timedelta(days=1), khr_per_usd=9_999)  # not yet
    for fee in Fee.objects.filter(agency__code="MOC", kind="registration"):
        fee.amount = 1_500_000
        fee.save()

    second = submit(filed(user=UserFactory()), paid=False)
    new = Invoice.objects.get(application=second)
    assert new.lines.get(agency__code="MLVT").amount == 82_000  # USD 20.00 at today's 4,100
    assert (new.khr_per_usd, new.rate_day) == (4_100, today())
    assert new.lines.get(fee__kind="registration").amount == 1_500_000
    assert new.total == 2_020_200 - 80_200 + 82_000 - 1_140_000 + 1_500_000

    issued.refresh_from_db()
    assert sorted(issued.lines.values_list("name_en", "fee_amount", "amount")) == before
    assert (issued.total, issued.khr_per_usd) == (2_020_200, 4_010)
    assert issued.total == sum(issued.lines.values_list("amount", flat=True))
