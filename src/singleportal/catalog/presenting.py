"""What pages and the API show of a product, built once for both."""

from typing import Any

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from singleportal.catalog import hs_codes
from singleportal.catalog.models import Product, ProductMark, ProductPhoto
from singleportal.catalog.vocabulary import MakerKind, MarkStatus, Material
from singleportal.core.bilingual import bilingual, page_language
from singleportal.core.links import absolute
from singleportal.payments.selectors import money


def page_url(product: Product) -> str:
    return reverse("catalog:product", args=[product.slug])


def photo_url(photo: ProductPhoto, *, thumbnail: bool = False) -> str:
    return reverse("catalog:photo", args=[photo.pk, "thumb" if thumbnail else "full"])


def price_range(low: int | None, high: int | None, currency: str) -> str:
    """'12.50 USD', '12.50 USD to 18.00 USD' (with an en dash), 'from 40,000 ៛', or ''."""
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        if low == high:
            return money(low, currency)
        return f"{money(low, currency)} \u2013 {money(high, currency)}"
    if low is not None:
        return _("from %(amount)s") % {"amount": money(low, currency)}
    return _("up to %(amount)s") % {"amount": money(high or 0, currency)}


def dimensions(product: Product) -> str:
    sides = [s for s in (product.length_mm, product.width_mm, product.height_mm) if s]
    return " \u00d7 ".join(f"{side:,}" for side in sides) + " mm" if sides else ""


def maker(product: Product) -> str:
    if product.maker_kind == MakerKind.BUSINESS:
        return str(bilingual(product.profile, "name"))
    name = str(bilingual(product, "maker_name"))
    label = MakerKind(product.maker_kind).label
    return f"{label}: {name}" if name else str(label)


def material_labels(product: Product) -> list[str]:
    return [str(Material(code).label) for code in product.materials_list]


def summary(product: Product, length: int = 160) -> str:
    """Plain text of the description, for meta tags and cards."""
    text = strip_tags(str(bilingual(product, "description")))
    return Truncator(" ".join(text.split())).chars(length)


def mark_badge(mark: ProductMark) -> dict[str, Any]:
    current = mark.is_current
    if current:
        state, label = "verified", _("Verified")
    elif mark.status == MarkStatus.VERIFIED:
        state, label = "expired", _("Verified, but not valid today")
    elif mark.status == MarkStatus.REJECTED:
        state, label = "rejected", _("Not confirmed")
    else:
        state, label = "unverified", _("Not verified yet")
    return {
        "kind": mark.get_kind_display(),
        "issuer": mark.issuer,
        "number": mark.number,
        "valid_from": mark.valid_from,
        "valid_until": mark.valid_until,
        "state": state,
        "label": label,
    }


def hs_heading(product: Product) -> str:
    return str(hs_codes.describe(product.hs_code, page_language())) if product.hs_code else ""


def card(product: Product) -> dict[str, Any]:
    """One product in a list (catalogue page, my products)."""
    photos = getattr(product, "photo_list", None)
    first = photos[0] if photos else None
    return {
        "product": product,
        "url": page_url(product),
        "title": bilingual(product, "title"),
        "price": price_range(product.retail_min, product.retail_max, product.currency),
        "category": product.get_category_display(),
        "stock": product.get_stock_status_display(),
        "thumbnail": first
        and {
            "url": photo_url(first, thumbnail=True),
            "alt": bilingual(first, "alt"),
            "width": first.thumbnail_width,
            "height": first.thumbnail_height,
        },
    }


def product_api(product: Product, *, detail: bool = False) -> dict[str, Any]:
    """The API's shape of a product (catalog/api.py documents it)."""
    photos = getattr(product, "photo_list", None) or []
    data: dict[str, Any] = {
        "slug": product.slug,
        "url": absolute(page_url(product)),
        "profile": {
            "slug": product.profile.slug,
            "name_km": product.profile.name_km,
            "name_en": product.profile.name_en,
            "verified": product.profile.verified,
        },
        "title_km": product.title_km,
        "title_en": product.title_en,
        "category": product.category,
        "materials": product.materials_list,
        "origin_province": product.origin_province_id,
        "origin_village": product.origin_village_id,
        "currency": product.currency,
        "retail_min": product.retail_min,
        "retail_max": product.retail_max,
        "wholesale_min": product.wholesale_min,
        "wholesale_max": product.wholesale_max,
        "wholesale_min_quantity": product.wholesale_min_quantity,
        "moq": product.moq,
        "lead_time_days": product.lead_time_days,
        "hs_code": product.hs_code,
        "stock_status": product.stock_status,
        "published": product.published,
        "thumbnail_url": absolute(photo_url(photos[0], thumbnail=True)) if photos else None,
        "updated_at": product.updated_at,
    }
    if detail:
        data |= {
            "description_km": product.description_km,
            "description_en": product.description_en,
            "technique_km": product.technique_km,
            "technique_en": product.technique_en,
            "maker_kind": product.maker_kind,
            "maker_name_km": product.maker_name_km if _named(product) else "",
            "maker_name_en": product.maker_name_en if _named(product) else "",
            "length_mm": product.length_mm,
            "width_mm": product.width_mm,
            "height_mm": product.height_mm,
            "weight_g": product.weight_g,
            "colours": product.colours,
            "external_ref": product.external_ref,
            "photos": [photo_api(photo) for photo in photos],
            "variants": [
                {
                    "label_km": v.label_km,
                    "label_en": v.label_en,
                    "colour": v.colour,
                    "size": v.size,
                    "sku": v.sku,
                    "stock_status": v.stock_status,
                }
                for v in product.variants.all()
            ],
            "marks": [
                {
                    "kind": mark.kind,
                    "issuer": mark.issuer,
                    "number": mark.number,
                    "valid_from": mark.valid_from,
                    "valid_until": mark.valid_until,
                    "status": mark.status,
                    "is_current": mark.is_current,
                }
                for mark in product.marks.all()
            ],
        }
    return data


def photo_api(photo: ProductPhoto) -> dict[str, Any]:
    """The API's shape of a photo (in a product, and as a new photo's answer)."""
    return {
        "url": absolute(photo_url(photo)),
        "thumbnail_url": absolute(photo_url(photo, thumbnail=True)),
        "width": photo.width,
        "height": photo.height,
        "alt_km": photo.alt_km,
        "alt_en": photo.alt_en,
    }


def _named(product: Product) -> bool:
    """An artisan's name is public only with their consent (the model requires it)."""
    return product.maker_kind != MakerKind.ARTISAN or product.artisan_consent
