"""Producers, products, marks and photos for the search tests, written with the real models.
No tests here."""

import datetime
import io
import itertools
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from singleportal.catalog.models import Product, ProductMark, ProductMaterial, ProductPhoto
from singleportal.catalog.vocabulary import MarkStatus
from singleportal.directory.models import Profile, ProfilePhoto
from tests.registry.factories import register

SIEM_REAP = "17"
TAKEO = "21"
PHNOM_PENH = "12"

_numbers = itertools.count(1)


def producer(
    name_en: str = "Angkor Weavers",
    name_km: str = "ក្រុមត្បាញ អង្គរ",
    *,
    province: str | None = SIEM_REAP,
    verified: bool = True,
    export: str = "regular",
    languages: Iterable[str] = ("km", "en"),
    published: bool = True,
    **fields: Any,
) -> Profile:
    """A profile; verified ones are linked to a business of the register."""
    n = next(_numbers)
    return Profile.objects.create(
        slug=f"producer-{n}",
        business=register(f"{name_km} {n}", f"{name_en} {n}") if verified else None,
        name_km=name_km,
        name_en=name_en,
        province_id=province,
        export_experience=export,
        languages=list(languages),
        published=published,
        contact_phone="012 345 678",
        contact_email=f"sales{n}@example.com",
        **fields,
    )


def product(
    profile: Profile,
    title_en: str = "Silk cushion cover",
    title_km: str = "ស្រោមខ្នើយសូត្រ",
    *,
    category: str = "home_textiles",
    materials: Iterable[str] = ("silk",),
    origin_province: str | None = None,
    currency: str = "USD",
    retail: tuple[int | None, int | None] = (2000, 3000),
    wholesale: tuple[int | None, int | None] = (None, None),
    published: bool = True,
    created_at: datetime.datetime | None = None,
    **fields: Any,
) -> Product:
    n = next(_numbers)
    if wholesale != (None, None):
        fields.setdefault("wholesale_min_quantity", 10)
    made = Product.objects.create(
        profile=profile,
        slug=f"product-{n}",
        title_en=title_en,
        title_km=title_km,
        category=category,
        origin_province_id=origin_province,
        currency=currency,
        retail_min=retail[0],
        retail_max=retail[1],
        wholesale_min=wholesale[0],
        wholesale_max=wholesale[1],
        published=published,
        **fields,
    )
    for position, material in enumerate(materials):
        ProductMaterial.objects.create(product=made, material=material, position=position)
    if created_at is not None:  # auto_now_add ignores a value given to create()
        Product.objects.filter(pk=made.pk).update(created_at=created_at)
        made.refresh_from_db()
    return made


def mark(
    item: Product,
    kind: str = "ovop",
    *,
    status: str = MarkStatus.VERIFIED,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> ProductMark:
    today = timezone.localdate()
    return ProductMark.objects.create(
        product=item,
        kind=kind,
        issuer="National OVOP Committee",
        number=f"OVOP-{next(_numbers)}",
        valid_from=valid_from or today - datetime.timedelta(days=30),
        valid_until=valid_until,
        document="catalog/marks/test.pdf",
        document_type="application/pdf",
        status=status,
    )


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def photo(item: Product) -> ProductPhoto:
    name = default_storage.save(f"catalog/photos/test-{next(_numbers)}.jpg", ContentFile(_jpeg()))
    return ProductPhoto.objects.create(
        product=item, image=name, thumbnail=name, width=8, height=6,
        thumbnail_width=8, thumbnail_height=6, alt_en="A red cushion cover",
    )  # fmt: skip


def profile_photo(profile: Profile) -> ProfilePhoto:
    name = default_storage.save(f"directory/test-{next(_numbers)}.jpg", ContentFile(_jpeg()))
    return ProfilePhoto.objects.create(
        profile=profile, image=name, thumbnail=name, width=8, height=6, alt_en="The workshop"
    )
