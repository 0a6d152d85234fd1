"""Registered businesses for tests, written the way the import writes them."""

import itertools

from singleportal.names.rules import current_rules
from singleportal.registry import importing
from singleportal.registry.models import Business

_numbers = itertools.count(1)


def register(
    name_km: str = "អង្គរ ស៊ីលក៍",
    name_en: str = "Angkor Silk Co., Ltd.",
    *,
    number: str | None = None,
    status: str = "active",
    legal_form: str = "private_limited_company",
) -> Business:
    number = number or f"T-{next(_numbers):06d}"
    row = {
        "registration_number": number,
        "name_km": name_km,
        "name_en": name_en,
        "legal_form": legal_form,
        "status": status,
        "registered_on": "2020-01-15",
        "province_code": "12",
    }
    importing.write_batch([importing.build_row(row, current_rules(), {"12"})])
    return Business.objects.get(registration_number=number)
