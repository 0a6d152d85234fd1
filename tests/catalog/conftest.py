"""Profiles, members and products for the catalogue's tests."""

import itertools
from typing import Any

import pytest

from singleportal.accounts.models import Role
from singleportal.catalog import actions
from singleportal.directory.models import MemberRole, Profile, ProfileMember
from tests.factories import UserFactory

TAKEO_VILLAGE = "21010101"  # Kampong Luong, Takeo
KOH_CHEN = "08090505"  # Kaoh Chen, Kandal: the silversmiths' village

_slugs = itertools.count(1)


def make_profile(owner: Any = None, **fields: Any) -> Profile:
    values = {
        "slug": f"weavers-{next(_slugs)}",
        "name_km": "ក្រុមត្បាញសូត្រ តាកែវ",
        "name_en": "Takeo Silk Weavers",
        **fields,
    }
    profile = Profile.objects.create(**values)
    if owner is not None:
        ProfileMember.objects.create(profile=profile, user=owner, role=MemberRole.OWNER)
    return profile


def product_values(**overrides: Any) -> dict[str, Any]:
    values = {
        "title_km": "ក្រមាសូត្រ តាកែវ",
        "title_en": "Takeo silk krama",
        "description_km": "<p>ត្បាញដោយដៃ</p>",
        "description_en": "<p>Hand-woven</p>",
        "category": "scarves",
        "materials": ["silk"],
        "technique_km": "ត្បាញដៃ",
        "technique_en": "hand-woven",
        "maker_kind": "business",
        "origin_village": TAKEO_VILLAGE,
        "currency": "USD",
        "retail_min": 1500,
        "retail_max": 2500,
        "hs_code": "6214",
        "stock_status": "in_stock",
        "published": True,
    }
    values.update(overrides)
    return values


@pytest.fixture
def owner(db):
    return UserFactory(full_name="Sok Chantha", roles=[Role.APPLICANT])


@pytest.fixture
def profile(owner):
    return make_profile(owner)


@pytest.fixture
def stranger(db):
    """A signed-in user who is a member of another business only."""
    user = UserFactory(full_name="Chan Dara", roles=[Role.APPLICANT])
    make_profile(user, name_en="Other Weavers")
    return user


@pytest.fixture
def programme_staff(db):
    return UserFactory(full_name="Keo Sothea", roles=[Role.PROGRAMME_STAFF])


@pytest.fixture
def buyer(db):
    return UserFactory(full_name="Anna Buyer", roles=[Role.BUYER])


@pytest.fixture
def product(profile, owner):
    return actions.create_product(profile, by=owner, values=product_values())
