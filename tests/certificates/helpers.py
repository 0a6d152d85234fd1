"""Businesses on the register with their records, made directly (fast) or through the whole
flow (a file filed, paid and approved by the agencies' rules)."""

import itertools
import json
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone

from singleportal.certificates.keys import published_keys
from singleportal.registry.models import Business, BusinessRecord, RecordKind

_SERIAL = itertools.count(1)

NAME_KM = "ក្រុមហ៊ុន មេគង្គ ម្រេច"
NAME_EN = "Mekong Pepper"

RECORDS = [
    (RecordKind.REGISTRATION, "MOC", {"legal_form": "private_limited_company"}),
    (RecordKind.TAX_REGISTRATION, "GDT", {"vat_registration": True}),
    (RecordKind.PATENT_TAX, "GDT", {"year": 2026}),
    (RecordKind.OPENING_DECLARATION, "MLVT", {"khmer_staff": 3, "foreign_staff": 1}),
    (
        RecordKind.ADDRESS_CONFIRMATION,
        "MOI",
        {
            "address": {"province": "12", "street": "Street 51", "house_number": "12"},
            "signboard": {"text_km": "ម្រេចកំពត", "text_en": "Kampot Pepper"},
        },
    ),
    (RecordKind.INVESTMENT_REGISTRATION, "CDC", {"investment_khr": 8_000_000_000}),
]


def business(name_km: str = NAME_KM, name_en: str = NAME_EN, **fields: Any) -> Business:
    serial = next(_SERIAL)
    return Business.objects.create(
        registration_number=fields.pop("registration_number", f"19{serial:08d}"),
        name_km=name_km,
        name_en=name_en,
        name_km_normalized=f"km-{serial}",
        name_en_normalized=f"en-{serial}",
        name_km_key=f"km-{serial}",
        name_en_key=f"en-{serial}",
        legal_form="private_limited_company",
        registered_on=date(2026, 11, 20),
        tin=fields.pop("tin", None),
        **fields,
    )


def record(owner: Business, kind: str = RecordKind.REGISTRATION, **details: Any) -> BusinessRecord:
    agency, default = next((a, d) for k, a, d in RECORDS if k == kind)
    return BusinessRecord.objects.create(
        business=owner,
        kind=kind,
        agency_code=agency,
        number=f"{agency}-{next(_SERIAL):07d}",
        issued_at=timezone.now(),
        details=details or default,
    )


def keys_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(published_keys()))
    return path
