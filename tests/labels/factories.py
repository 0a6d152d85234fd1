"""Profiles, products and people for the labels tests, written straight to the tables (the
catalogue's and directory's own flows are their apps' tests)."""

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile

from singleportal.accounts.models import Role
from singleportal.catalog.models import Product, ProductMark, ProductMaterial
from singleportal.directory.models import MemberRole, Profile, ProfileMember
from singleportal.geo.models import Village
from singleportal.labels import actions
from tests.certificates.helpers import business
from tests.factories import UserFactory

_serial = itertools.count(1)


def village() -> Village:
    return Village.objects.select_related("commune__district__province").order_by("code").first()


def profile(owner: Any, *, registered: bool = True) -> Profile:
    n = next(_serial)
    place = village()
    found = Profile.objects.create(
        slug=f"weavers-{n}",
        business=business() if registered else None,
        name_km="ក្រុមតម្បាញភូមិព្រៃគុក",
        name_en="Prey Kuk Weavers",
        village=place,
        commune=place.commune,
        district=place.commune.district,
        province=place.commune.district.province,
    )
    ProfileMember.objects.create(profile=found, user=owner, role=MemberRole.OWNER)
    return found


def product(owner_profile: Profile, **fields: Any) -> Product:
    n = next(_serial)
    found = Product.objects.create(
        profile=owner_profile,
        slug=fields.pop("slug", f"silk-krama-{n}"),
        title_km=fields.pop("title_km", "ក្រមាសូត្រ"),
        title_en=fields.pop("title_en", "Silk krama"),
        category="scarves",
        technique_km="ត្បាញដោយដៃ",
        technique_en="Hand-woven on a wooden loom",
        origin_village=fields.pop("origin_village", village()),
        **fields,
    )
    for position, material in enumerate(["silk", "cotton"]):
        ProductMaterial.objects.create(product=found, material=material, position=position)
    return found


def mark(product_: Product, *, status: str = "verified", **fields: Any) -> ProductMark:
    found = ProductMark(
        product=product_,
        kind=fields.pop("kind", "ovop"),
        issuer=fields.pop("issuer", "National OVOP Committee"),
        number=fields.pop("number", "OVOP-2026-014"),
        valid_from=datetime.date(2026, 1, 1),
        valid_until=fields.pop("valid_until", None),
        document_type="application/pdf",
        status=status,
    )
    found.document.save("mark.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    found.save()
    return found


@dataclass
class People:
    owner: Any
    other: Any
    staff: Any
    product: Product


def people() -> People:
    owner = UserFactory()
    other = UserFactory()
    staff = UserFactory(roles=[Role.PROGRAMME_STAFF])
    return People(owner, other, staff, product(profile(owner)))


def run(product_: Product, owner: Any, *, kind: str = "batch", quantity: int = 250, **fields):
    return actions.issue_run(
        product_,
        by=owner,
        kind=kind,
        quantity=quantity,
        made_on=fields.pop("made_on", datetime.date(2026, 11, 20)),
        batch_reference=fields.pop("batch_reference", "LOT-7"),
        **fields,
    )
