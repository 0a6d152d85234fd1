"""Businesses on the register for the public pages' and open data tests, entered the way an
approval enters them (registry.entries), from a snapshot that holds personal data the public
must never see. No tests here."""

import itertools
from typing import Any

from django.core.cache import cache
from django.db import transaction

from singleportal.geo.models import Village
from singleportal.registry import entries
from singleportal.registry.models import Business

# Personal data in every snapshot below: none of it may reach a public page, answer or event.
SECRET_ID = "N0SECRET77123"
SECRET_BIRTH = "1983-07-19"
SECRET_STREET = "Street 5151 Hidden"
SECRET_HOUSE = "House 99Z"
SECRET_PHONE = "012 987 654"
SECRET_EMAIL = "owner.private@example.com"
SECRET_BO_ID = "BOSECRET4242"
SECRETS = (SECRET_ID, SECRET_BIRTH, "19/07/1983", SECRET_STREET, SECRET_HOUSE, SECRET_PHONE,
           SECRET_EMAIL, SECRET_BO_ID)  # fmt: skip

_references = itertools.count(1)


def a_village() -> Village:
    return Village.objects.select_related("commune__district__province").order_by("code").first()


def snapshot(
    name_km: str,
    name_en: str,
    *,
    legal_form: str = "private_limited_company",
    activities: tuple[tuple[str, bool], ...] = (("0128", True),),
    village: Village | None = None,
) -> dict[str, Any]:
    village = village or a_village()
    commune = village.commune
    return {
        "schema": 1,
        "legal_form": legal_form,
        "business": {
            "name_km": name_km,
            "name_en": name_en,
            "objectives": "",
            "activities": [{"code": code, "main": main} for code, main in activities],
            "address": {
                "province": commune.district.province.code,
                "district": commune.district.code,
                "commune": commune.code,
                "village": village.code,
                "street": SECRET_STREET,
                "house_number": SECRET_HOUSE,
            },
            "phone": SECRET_PHONE,
            "email": SECRET_EMAIL,
        },
        "parties": [
            {
                "role": "shareholder",
                "kind": "natural",
                "name_km": "សុខ ចន្ទា",
                "name_en": "Sok Chanda",
                "nationality": "KH",
                "id_kind": "national_id",
                "id_number": SECRET_ID,
                "date_of_birth": SECRET_BIRTH,
                "shares": 500,
            },
            {
                "role": "director",
                "kind": "natural",
                "name_km": "ចាន់ ដារ៉ា",
                "name_en": "",
                "nationality": "KH",
                "id_kind": "passport",
                "id_number": SECRET_ID + "P",
                "date_of_birth": SECRET_BIRTH,
                "shares": None,
            },
        ],
        "beneficial_owners": [
            {
                "name_km": "សុខ ចន្ទា",
                "name_en": "Sok Chanda",
                "nationality": "KH",
                "id_kind": "national_id",
                "id_number": SECRET_BO_ID,
                "ownership_percent": 100,
                "control_description": "",
            },
        ],
        "employment": {"khmer_staff": 3, "foreign_staff": 0},
        "tax": {
            "expected_turnover_khr": 1,
            "vat_registration": False,
            "accounting_year_start_month": 1,
        },
        "incentives": None,
        "signboard": {"text_km": "ស្លាក", "text_en": "", "width_cm": 100, "height_cm": 50},
    }


def enter(
    name_km: str = "ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក",
    name_en: str = "Angkor Silk Co., Ltd.",
    *,
    tax: bool = False,
    opening: bool = False,
    address: bool = False,
    **options: Any,
) -> Business:
    """One business entered as MOC's approval enters it; GDT's TIN, MLVT's declaration and
    MOI's address confirmation when asked."""
    data = snapshot(name_km, name_en, **options)
    reference = f"RT{next(_references):08d}"
    with transaction.atomic():
        business = entries.enter_business(data, reference)
        if tax:
            entries.register_for_tax(business, data, reference)
        if opening:
            entries.declare_opening(business, data, reference)
        if address:
            entries.confirm_address(business, data, reference)
    business.refresh_from_db()
    return business


def fresh_cache() -> None:
    """Rate-limit counters and cached pages live in the cache, which outlives each test's
    database rollback."""
    cache.clear()
