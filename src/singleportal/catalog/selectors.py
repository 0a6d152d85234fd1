"""Reads of the catalogue, already limited to what the asker may see.

Public: a product is shown when it and its profile are published. Its members (and programme
staff, who check marks) also see it while it is hidden. Lists page by id (newest first) with
an opaque cursor, so a page is one indexed range however deep the visitor goes.
"""

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from singleportal.catalog.models import (
    MarkDecision,
    Product,
    ProductImport,
    ProductMark,
    ProductPhoto,
)
from singleportal.catalog.vocabulary import Category, MarkStatus, Material
from singleportal.directory.access import can_manage, is_programme_staff
from singleportal.directory.models import Profile
from singleportal.directory.selectors import managed_profiles

PAGE_SIZE = 24
MAX_PAGE_SIZE = 100


def public_products() -> QuerySet[Product]:
    return Product.objects.filter(published=True, profile__published=True)


def _first_photo() -> Prefetch:
    return Prefetch(
        "photos", queryset=ProductPhoto.objects.order_by("position", "pk"), to_attr="photo_list"
    )


def for_cards(products: QuerySet[Product]) -> QuerySet[Product]:
    """What a list of product cards shows: the profile, the origin, the materials and photos,
    in a fixed number of queries whatever the page size."""
    return products.select_related("profile", "origin_province").prefetch_related(
        "material_rows", _first_photo()
    )


def can_see(user: Any, product: Product) -> bool:
    if product.published and product.profile.published:
        return True
    return is_programme_staff(user) or can_manage(user, product.profile)


def product_for_page(user: Any, slug: str) -> Product:
    """One product with everything its page shows; 404 if missing or not visible."""
    product = (
        Product.objects.select_related(
            "profile",
            "origin_village__commune__district__province",
        )
        .prefetch_related(
            "material_rows",
            "variants",
            _first_photo(),
            Prefetch("marks", queryset=ProductMark.objects.order_by("kind", "pk")),
        )
        .filter(slug=slug)
        .first()
    )
    if product is None or not can_see(user, product):
        raise Http404
    return product


def managed_product(user: Any, slug: str) -> Product:
    """A product the user may change (a member of its profile); 404 for anyone else, so
    another business's products are not even confirmed to exist."""
    product = Product.objects.select_related("profile").filter(slug=slug).first()
    if product is None or not can_manage(user, product.profile):
        raise Http404
    return product


def managed_profile(user: Any, slug: str) -> Profile:
    profile = managed_profiles(user).filter(slug=slug).first()
    if profile is None:
        raise Http404
    return profile


def products_of_managed_profiles(user: Any) -> QuerySet[Product]:
    return for_cards(Product.objects.filter(profile__in=managed_profiles(user))).order_by(
        "profile__name_km", "-created_at", "-pk"
    )


def public_profile(slug: str) -> Profile:
    profile = Profile.objects.filter(slug=slug, published=True).first()
    if profile is None:
        raise Http404
    return profile


# -- filtered, paged lists (catalogue pages and the API) ---------------------------------------


@dataclass(frozen=True)
class Filters:
    category: str = ""
    material: str = ""
    province: str = ""
    profile: str = ""

    @classmethod
    def from_params(cls, params: Any) -> "Filters":
        return cls(**{name: (params.get(name) or "").strip() for name in cls.__dataclass_fields__})

    def errors(self) -> list[str]:
        found = []
        if self.category and self.category not in Category.values:
            found.append(_("“%(value)s” is not a category.") % {"value": self.category})
        if self.material and self.material not in Material.values:
            found.append(_("“%(value)s” is not a material.") % {"value": self.material})
        if self.province and not (len(self.province) == 2 and self.province.isdigit()):
            found.append(_("A province code is 2 digits."))
        return found

    def apply(self, products: QuerySet[Product]) -> QuerySet[Product]:
        if self.category:
            products = products.filter(category=self.category)
        if self.material:
            products = products.filter(material_rows__material=self.material)
        if self.province:
            products = products.filter(origin_province__code=self.province)
        if self.profile:
            products = products.filter(profile__slug=self.profile)
        return products

    def as_params(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int | None:
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(text) if text.isdigit() else None


@dataclass
class Page:
    products: list[Product]
    next_cursor: str | None


def page_of(products: QuerySet[Product], *, after: int | None, limit: int = PAGE_SIZE) -> Page:
    """Newest first (by id), `limit` products after the cursor's id."""
    if after is not None:
        products = products.filter(pk__lt=after)
    found = list(for_cards(products).order_by("-pk")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return Page(found, encode_cursor(found[-1].pk) if more and found else None)


# -- marks and imports ------------------------------------------------------------------------


def marks_waiting() -> QuerySet[ProductMark]:
    """Programme staff's queue: marks not decided yet, oldest first."""
    return (
        ProductMark.objects.filter(status=MarkStatus.PENDING)
        .select_related("product__profile")
        .order_by("created_at", "pk")
    )


def _decisions_newest_first() -> Prefetch:
    return Prefetch(
        "decisions",
        queryset=MarkDecision.objects.select_related("decided_by").order_by("-decided_at", "-pk"),
    )


def marks_decided() -> QuerySet[ProductMark]:
    return (
        ProductMark.objects.exclude(status=MarkStatus.PENDING)
        .select_related("product__profile")
        .prefetch_related(_decisions_newest_first())
        .order_by("-created_at", "-pk")
    )


def marks_of(product: Product) -> QuerySet[ProductMark]:
    """A product's marks, each with its decisions newest first (the latest is the first)."""
    return product.marks.prefetch_related(_decisions_newest_first())


def mark_for_document(user: Any, mark_id: int) -> ProductMark:
    """A mark whose document the user may read: its product's members and programme staff."""
    mark = ProductMark.objects.select_related("product__profile").filter(pk=mark_id).first()
    if mark is None or not (is_programme_staff(user) or can_manage(user, mark.product.profile)):
        raise Http404
    return mark


def photo_by_id(photo_id: int) -> ProductPhoto | None:
    return ProductPhoto.objects.select_related("product__profile").filter(pk=photo_id).first()


def import_for(user: Any, import_id: int) -> ProductImport:
    found = ProductImport.objects.select_related("profile").filter(pk=import_id).first()
    if found is None or not can_manage(user, found.profile):
        raise Http404
    return found


def imports_of(profile: Profile) -> QuerySet[ProductImport]:
    return profile.product_imports.defer("errors").order_by("-created_at", "-pk")
