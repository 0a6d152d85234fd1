"""The fee schedule and exchange rate seeded by migration: defaults for the operator to confirm
and edit (REFERENCE.md: policy figures are data). Amounts in riel, or in cents for USD."""

from datetime import date
from typing import Any

VALID_FROM = date(2026, 1, 1)
COMPANIES = (
    "private_limited_company",
    "single_member_private_limited_company",
    "public_limited_company",
    "branch_of_foreign_company",
    "representative_office",
)
REGISTRATION_KM = "ថ្លៃចុះបញ្ជីពាណិជ្ជកម្ម"
REGISTRATION_EN = "Commercial registration fee"
PATENT_KM = "ពន្ធប៉ាតង់ប្រចាំឆ្នាំ"
PATENT_EN = "Patent tax for the year"

# (agency, kind, legal forms or None for every form, turnover band [from, below) in riel,
#  amount, currency, online discount %, refund rule, Khmer name, English name)
FEES: list[tuple[Any, ...]] = [
    ("MOC", "registration", ("sole_proprietorship",), (None, None), 180_000, "KHR", 0,
     "unless_approved", REGISTRATION_KM, REGISTRATION_EN),
    ("MOC", "registration", ("general_partnership", "limited_partnership"), (None, None),
     600_000, "KHR", 0, "unless_approved", REGISTRATION_KM, REGISTRATION_EN),
    ("MOC", "registration", COMPANIES, (None, None), 1_140_000, "KHR", 0, "unless_approved",
     REGISTRATION_KM, REGISTRATION_EN),
    ("MOC", "publication", None, (None, None), 40_000, "KHR", 0, "never",
     "ថ្លៃផ្សព្វផ្សាយក្នុងព្រឹត្តិបត្រផ្លូវការ", "Publication fee"),
    ("GDT", "tax_registration", None, (None, None), 400_000, "KHR", 0, "unless_approved",
     "ថ្លៃចុះបញ្ជីពន្ធដារ", "Tax registration fee"),
    ("GDT", "patent_tax", None, (None, 250_000_000), 400_000, "KHR", 10, "unless_approved",
     PATENT_KM, PATENT_EN),
    ("GDT", "patent_tax", None, (250_000_000, 2_000_000_000), 1_200_000, "KHR", 10,
     "unless_approved", PATENT_KM, PATENT_EN),
    ("GDT", "patent_tax", None, (2_000_000_000, 10_000_000_000), 3_000_000, "KHR", 10,
     "unless_approved", PATENT_KM, PATENT_EN),
    ("GDT", "patent_tax", None, (10_000_000_000, None), 5_000_000, "KHR", 10,
     "unless_approved", PATENT_KM, PATENT_EN),
    ("MLVT", "opening_declaration", None, (None, None), 20_00, "USD", 0, "unless_approved",
     "ថ្លៃប្រកាសបើកសហគ្រាស", "Declaration of opening fee"),
    ("CDC", "investment_registration", None, (None, None), 7_000_000, "KHR", 0,
     "unless_approved", "ថ្លៃចុះបញ្ជីគម្រោងវិនិយោគ", "Investment project registration fee"),
]  # fmt: skip
RATE = (VALID_FROM, 4_010)


def seed_fees(models: Any) -> None:
    """Idempotent: a schedule that already has rows is the operator's and is left alone."""
    fee_model = models.get_model("payments", "Fee")
    rate_model = models.get_model("payments", "ExchangeRate")
    rate_model.objects.get_or_create(day=RATE[0], defaults={"khr_per_usd": RATE[1]})
    if fee_model.objects.exists():
        return
    agencies = {a.code: a for a in models.get_model("agencies", "Agency").objects.all()}
    forms = {f.code: f for f in models.get_model("applications", "LegalForm").objects.all()}
    for code, kind, legal_forms, band, amount, currency, discount, refund, km, en in FEES:
        for form in legal_forms or (None,):
            fee_model.objects.create(
                agency=agencies[code],
                kind=kind,
                legal_form=forms[form] if form else None,
                min_turnover_khr=band[0],
                max_turnover_khr=band[1],
                amount=amount,
                currency=currency,
                online_discount_percent=discount,
                refund_rule=refund,
                valid_from=VALID_FROM,
                name_km=km,
                name_en=en,
            )
