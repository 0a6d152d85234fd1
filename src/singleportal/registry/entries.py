"""Entries on the register made when an agency approves its task: the business itself (MOC)
and what each other agency issues to it. Callers are inside the approving transaction.

The register never holds two businesses of one name: enter_business refuses a name entered
since the file was checked (see hold_register).

Numbers are gap-free series (core.counters):
  registration number  10 digits, "1" and a 9-digit serial ("1000000123")
  TIN                  "K001-" and 9 digits, the last a Luhn check digit over the office's
                       digits and the serial ("K001-000000016")
  the others           "<AGENCY>-<year>-<serial>" ("MLVT-2026-0000012")
"""

import re
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.core.counters import hold, next_number
from singleportal.names.normalization import KHMER, LATIN
from singleportal.names.rules import current_rules
from singleportal.registry import hooks
from singleportal.registry.models import (
    NAME_HOLDING_STATUSES,
    Business,
    BusinessActivity,
    BusinessOfficer,
    BusinessRecord,
    NameKey,
    OfficerRole,
    RecordKind,
)

TIN_OFFICE = "K001"
REGISTRATION_SERIES = "registration-number"
TIN_FORMAT = re.compile(r"[A-Z][0-9]{3}-[0-9]{9}")


def luhn_digit(digits: str) -> int:
    """The Luhn check digit to append to `digits`."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def tin_check_digit(office: str, serial: str) -> int:
    """The TIN's last digit: Luhn over the office's digits and the serial, so that a mistyped
    digit anywhere in the number (the office's too) is caught."""
    return luhn_digit(office[1:] + serial)


def is_valid_tin(tin: str) -> bool:
    """Whether `tin` is a well-formed TIN ("K001-000000016") whose check digit holds. ASCII
    digits only: str.isdigit() would let "²" or Khmer digits through (and int() fail on some)."""
    if not TIN_FORMAT.fullmatch(tin):
        return False
    office, _, body = tin.partition("-")
    return tin_check_digit(office, body[:-1]) == int(body[-1])


def hold_register() -> None:
    """Hold the register's numbering until the transaction ends. A name found free while
    holding it stays free until this transaction has entered its business (or rolled back):
    the system's MOC decision takes it before checking the name, and enter_business always."""
    hold(REGISTRATION_SERIES)


def _unused_registration_number() -> str:
    while True:  # an imported business may already hold a number of the series
        number = f"1{next_number(REGISTRATION_SERIES):09d}"
        if not Business.objects.filter(registration_number=number).exists():
            return number


def _record(
    business: Business,
    kind: str,
    agency: str,
    number: str,
    at: datetime,
    reference: str,
    details: dict[str, Any] | None = None,
) -> BusinessRecord:
    record = BusinessRecord.objects.create(
        business=business,
        kind=kind,
        agency_code=agency,
        number=number,
        issued_at=at,
        details=details or {},
        application_reference=reference,
    )
    hooks.run_on_recorded(record)
    return record


def _refuse_a_name_taken_since(km: str, en: str, reference: str) -> None:
    """Two files of one name decided at once were both checked before either was entered:
    the second finds the first here (under hold_register) and is refused."""
    same = Q(name_km_normalized=km)
    if en:
        same |= Q(name_en_normalized=en)
    holder = (
        Business.objects.filter(same, status__in=NAME_HOLDING_STATUSES)
        .exclude(application_reference=reference)
        .order_by("registration_number")
        .first()
    )
    if holder is not None:
        raise ValidationError(
            _(
                "“%(name)s” was registered as %(number)s after this file was checked: ask the "
                "applicant for another name."
            )
            % {
                "name": holder.name_km if holder.name_km_normalized == km else holder.name_en,
                "number": holder.registration_number,
            },
            code="name_taken",
        )


def enter_business(snapshot: dict[str, Any], reference: str) -> Business:
    """The business of an approved application on the register, with its registration record.
    Idempotent on the application's reference."""
    existing = Business.objects.filter(application_reference=reference).first()
    if existing is not None:
        return existing
    hold_register()
    at = timezone.now()
    rules = current_rules()
    data = snapshot["business"]
    km = rules.normalize(data["name_km"], KHMER)
    en = rules.normalize(data["name_en"], LATIN) if data["name_en"] else None
    _refuse_a_name_taken_since(km.normalized, en.normalized if en else "", reference)
    business = Business.objects.create(
        registration_number=_unused_registration_number(),
        name_km=data["name_km"],
        name_en=data["name_en"],
        name_km_normalized=km.normalized,
        name_en_normalized=en.normalized if en else "",
        name_km_key=km.key,
        name_en_key=en.key if en else "",
        legal_form=snapshot["legal_form"],
        registered_on=timezone.localdate(at),
        province_id=data["address"]["province"] or None,
        district_id=data["address"].get("district") or None,
        commune_id=data["address"].get("commune") or None,
        application_reference=reference,
    )
    _enter_public_particulars(business, snapshot)
    keys = [NameKey(script=KHMER, key=km.key)] if km.key else []
    if en and en.key:
        keys.append(NameKey(script=LATIN, key=en.key))
    NameKey.objects.bulk_create(keys, ignore_conflicts=True)
    _record(business, RecordKind.REGISTRATION, "MOC", business.registration_number, at, reference,
            {"legal_form": snapshot["legal_form"]})  # fmt: skip
    return business


def _enter_public_particulars(business: Business, snapshot: dict[str, Any]) -> None:
    """What the public register shows beyond the names: the declared activities, and each
    party's name and role. Nothing else of a party is copied (no document, no date of birth)."""
    activities = snapshot["business"].get("activities") or []
    BusinessActivity.objects.bulk_create(
        [BusinessActivity(business=business, activity_id=a["code"], main=bool(a.get("main")))
         for a in activities],
        ignore_conflicts=True,
    )  # fmt: skip
    BusinessOfficer.objects.bulk_create(
        [
            BusinessOfficer(business=business, role=p["role"], name_km=p.get("name_km") or "",
                            name_en=p.get("name_en") or "", position=i)
            for i, p in enumerate(snapshot.get("parties") or [])
            if p.get("role") in OfficerRole.values
        ]
    )  # fmt: skip


def register_for_tax(business: Business, snapshot: dict[str, Any], reference: str) -> None:
    """GDT: the TIN and the patent tax record of the current year."""
    if business.tin:
        return
    at = timezone.now()
    serial = f"{next_number('tin'):08d}"
    business.tin = f"{TIN_OFFICE}-{serial}{tin_check_digit(TIN_OFFICE, serial)}"
    business.save(update_fields=["tin", "updated_at"])
    tax = snapshot["tax"] or {}
    _record(business, RecordKind.TAX_REGISTRATION, "GDT", business.tin, at, reference,
            {"vat_registration": bool(tax.get("vat_registration"))})  # fmt: skip
    year = timezone.localdate(at).year
    number = f"PT-{year}-{next_number(f'patent-tax-{year}'):07d}"
    _record(business, RecordKind.PATENT_TAX, "GDT", number, at, reference, {"year": year})


def _issue(business: Business, kind: str, agency: str, reference: str, details: dict) -> None:
    if business.records.filter(kind=kind, application_reference=reference).exists():
        return
    at = timezone.now()
    year = timezone.localdate(at).year
    number = f"{agency}-{year}-{next_number(f'{kind}-{year}'):07d}"
    _record(business, kind, agency, number, at, reference, details)


def declare_opening(business: Business, snapshot: dict[str, Any], reference: str) -> None:
    staff = snapshot["employment"] or {}
    _issue(business, RecordKind.OPENING_DECLARATION, "MLVT", reference, staff)


def confirm_address(business: Business, snapshot: dict[str, Any], reference: str) -> None:
    details = {"address": snapshot["business"]["address"], "signboard": snapshot["signboard"]}
    _issue(business, RecordKind.ADDRESS_CONFIRMATION, "MOI", reference, details)


def register_investment(business: Business, snapshot: dict[str, Any], reference: str) -> None:
    incentives = snapshot["incentives"] or {}
    details = {"investment_khr": incentives.get("investment_khr")}
    _issue(business, RecordKind.INVESTMENT_REGISTRATION, "CDC", reference, details)
