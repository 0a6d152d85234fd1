"""Registered businesses, users and profiles for the directory's tests. No tests here."""

import itertools
from typing import Any

from django.db import transaction

from singleportal.accounts.models import Role
from singleportal.applications.models import Application, Party
from singleportal.directory import actions
from singleportal.directory.models import Profile
from singleportal.registry import entries
from singleportal.registry.models import Business, BusinessOfficer
from tests.factories import UserFactory
from tests.registry.factories import register
from tests.registry.test_public_helpers import snapshot

_references = itertools.count(1)

OWNER_ID = "010203040"
DIRECTOR_ID = "N0987654"


def user(name: str = "Sok Chantha", *roles: str) -> Any:
    return UserFactory(full_name=name, roles=list(roles) or [Role.APPLICANT])


def registered_by(
    applicant: Any,
    name_km: str = "",
    name_en: str = "",
) -> Business:
    """A business the register entered from `applicant`'s application, whose file names Sok
    Chantha (owner, id 010203040), Chan Dara (director, passport N0987654) and Mao Sophal
    (shareholder only, id 030405060)."""
    serial = next(_references)
    reference = f"DR{serial:08d}"
    # The register holds one business per name: each call's default name is its own.
    suffix = "" if serial == 1 else f" {serial}"
    name_km = name_km or f"ក្រុមហ៊ុន ត្បាញសូត្រ តាកែវ{suffix} ឯ.ក"
    name_en = name_en or f"Takeo Silk Weaving{suffix} Co., Ltd."
    application = Application.objects.create(
        owner=applicant, reference=reference, name_km=name_km, name_en=name_en
    )
    people = [
        ("owner", "សុខ ចន្ទា", "Sok Chantha", OWNER_ID),
        ("director", "ចាន់ ដារ៉ា", "Chan Dara", DIRECTOR_ID),
        ("shareholder", "ម៉ៅ សុផល", "Mao Sophal", "030405060"),
    ]
    for position, (role, km, en, id_number) in enumerate(people):
        Party.objects.create(application=application, role=role, name_km=km, name_en=en,
                             nationality="KH", id_kind="national_id", id_number=id_number,
                             position=position)  # fmt: skip
    data = snapshot(name_km, name_en, activities=(("1312", True), ("4641", False)))
    data["parties"] = [{"role": role, "name_km": km, "name_en": en} for role, km, en, _ in people]
    with transaction.atomic():
        business = entries.enter_business(data, reference)
    business.refresh_from_db()
    return business


def imported(
    name_km: str = "សហគ្រាស ប្រាក់ កោះចិន",
    name_en: str = "Koh Chen Silver",
    officers: tuple[tuple[str, str], ...] = (("owner", "ឡាយ សុខា"),),
) -> Business:
    """A business loaded by the registry's import (no application), with the register's
    owners and directors as the public register lists them."""
    business = register(name_km, name_en)
    for position, (role, name) in enumerate(officers):
        BusinessOfficer.objects.create(business=business, role=role, name_km=name,
                                       position=position)  # fmt: skip
    return business


def owned_profile(owner: Any = None, **fields: Any) -> Profile:
    """A verified profile whose owner claimed it as the applicant."""
    owner = owner or user()
    business = registered_by(owner, **fields)
    result = actions.claim_profile(owner, registration_number=business.registration_number)
    assert result.profile is not None
    return result.profile


def group_profile(owner: Any = None, **fields: Any) -> Profile:
    """An unregistered producer group's profile."""
    values = {"name_km": "ក្រុមត្បាញ ភូមិ ព្រៃក្របៅ", "name_en": "Prey Krabao Weavers",
              "province": "21", **fields}  # fmt: skip
    return actions.create_unregistered_profile(owner or user(), **values)
