"""What the search pages and the API show of a result and of the facets, built once for both.

Cards and API items carry no contact details: they are built from the fields listed here.
"""

from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from singleportal.browse.selectors.common import provinces
from singleportal.catalog import presenting as catalog
from singleportal.catalog.models import Product
from singleportal.catalog.vocabulary import Category, MarkKind, Material
from singleportal.core.bilingual import bilingual, page_language
from singleportal.directory import presenting as directory
from singleportal.directory.models import ExportExperience, Profile, SpokenLanguage

absolute = directory.absolute
PRODUCT_FACETS = ("category", "material", "province", "mark", "verified", "export")
BUSINESS_FACETS = ("province", "category", "material", "language", "verified", "export")


def _province_of(product: Product) -> Any:
    """Where the product comes from: its own origin, else its producer's province."""
    return product.origin_province or product.profile.province


def _place_name(place: Any) -> str:
    return bilingual(place, "name").text if place is not None else ""


def _first_photo(row: Any) -> Any:
    photos = getattr(row, "photo_list", None)
    return photos[0] if photos else None


def _current_marks(product: Product) -> list[Any]:
    """The marks valid today, as the selector prefetched them."""
    return product.current_marks  # type: ignore[attr-defined]


def product_card(product: Product) -> dict[str, Any]:
    """A product in the results: the catalogue's card, with its producer, province, MOQ and
    the marks programme staff verified."""
    profile = product.profile
    wholesale = catalog.price_range(product.wholesale_min, product.wholesale_max, product.currency)
    return {
        **catalog.card(product),
        "business": bilingual(profile, "name"),
        "business_url": directory.page_url(profile),
        "verified": profile.verified,
        "province": _place_name(_province_of(product)),
        "wholesale": wholesale,
        "moq": product.moq or profile.minimum_order_units,
        "materials": catalog.material_labels(product),
        "marks": [mark.get_kind_display() for mark in _current_marks(product)],
    }


def product_item(product: Product) -> dict[str, Any]:
    """A product in the API's results: both languages, codes, minor units."""
    profile = product.profile
    photo = _first_photo(product)
    return {
        "slug": product.slug,
        "url": absolute(catalog.page_url(product)),
        "title_km": product.title_km,
        "title_en": product.title_en,
        "category": product.category,
        "materials": product.materials_list,
        "province": directory.place_dict(_province_of(product)),
        "currency": product.currency,
        "retail_min": product.retail_min,
        "retail_max": product.retail_max,
        "wholesale_min": product.wholesale_min,
        "wholesale_max": product.wholesale_max,
        "moq": product.moq or profile.minimum_order_units,
        "marks": [mark.kind for mark in _current_marks(product)],
        "thumbnail_url": absolute(catalog.photo_url(photo, thumbnail=True)) if photo else None,
        "business": {
            "slug": profile.slug,
            "url": absolute(directory.page_url(profile)),
            "name_km": profile.name_km,
            "name_en": profile.name_en,
            "verified": profile.verified,
            "export_experience": profile.export_experience,
        },
        "created_at": product.created_at.isoformat(),
    }


def _thumbnail(profile: Profile) -> dict[str, Any] | None:
    photo = _first_photo(profile)
    if photo is None:
        return None
    return {
        "url": directory.photo_url(photo, thumbnail=True),
        "alt": bilingual(photo, "alt"),
    }


def _languages(profile: Profile) -> list[str]:
    return [
        str(SpokenLanguage(code).label)
        for code in profile.languages
        if code in SpokenLanguage.values
    ]


def business_card(profile: Profile) -> dict[str, Any]:
    return {
        "url": directory.page_url(profile),
        "name": bilingual(profile, "name"),
        "verified": profile.verified,
        "province": _place_name(profile.province),
        "export": profile.get_export_experience_display(),
        "exports": profile.export_experience != ExportExperience.NONE,
        "languages": _languages(profile),
        "product_count": profile.product_count,  # type: ignore[attr-defined]
        "thumbnail": _thumbnail(profile),
    }


def business_item(profile: Profile) -> dict[str, Any]:
    photo = _first_photo(profile)
    return {
        "slug": profile.slug,
        "url": absolute(directory.page_url(profile)),
        "name_km": profile.name_km,
        "name_en": profile.name_en,
        "verified": profile.verified,
        "province": directory.place_dict(profile.province),
        "export_experience": profile.export_experience,
        "languages": [code for code in profile.languages if code in SpokenLanguage.values],
        "product_count": profile.product_count,  # type: ignore[attr-defined]
        "thumbnail_url": absolute(directory.photo_url(photo, thumbnail=True)) if photo else None,
        "created_at": profile.created_at.isoformat(),
    }


# -- facets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    param: str  # the query-string parameter it sets
    value: str
    label: str
    count: int
    checked: bool


@dataclass(frozen=True)
class Facet:
    name: str
    legend: str
    options: list[Option]


FLAGS = ("verified", "export")


def _vocabulary(choices: Any) -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in choices]


def _province_labels() -> list[tuple[str, str]]:
    english = page_language() == "en"
    return [(code, (en or km) if english else (km or en)) for code, km, en in provinces()]


def _flag_label(name: str) -> str:
    return {
        "verified": _("Verified in the business register"),
        "export": _("Exports already"),
    }[name]


FACET_LEGENDS = {
    "category": lambda: _("Craft"),
    "material": lambda: _("Material"),
    "province": lambda: _("Province"),
    "mark": lambda: _("Certificates and marks"),
    "language": lambda: _("Languages spoken"),
}
FACET_CHOICES = {
    "category": lambda: _vocabulary(Category.choices),
    "material": lambda: _vocabulary(Material.choices),
    "province": _province_labels,
    "mark": lambda: _vocabulary(MarkKind.choices),
    "language": lambda: _vocabulary(SpokenLanguage.choices),
}


def facets(names: tuple[str, ...], counts: dict[str, dict[str, int]], filters: Any) -> list[Facet]:
    """The facets to show, in `names` order, in the page's language; the flags (verified,
    export) together as one. An option is shown when some result has it or the buyer ticked
    it (a zero there says why nothing is found)."""
    shown = []
    for name in names:
        if name in FLAGS:
            continue
        chosen, found = getattr(filters, name), counts.get(name, {})
        options = [
            Option(name, code, label, found.get(code, 0), code in chosen)
            for code, label in FACET_CHOICES[name]()
            if found.get(code) or code in chosen
        ]
        shown.append(Facet(name, FACET_LEGENDS[name](), options))
    flags = [
        Option(
            flag, "1", _flag_label(flag), counts.get(flag, {}).get("1", 0), getattr(filters, flag)
        )
        for flag in FLAGS
        if flag in names
    ]
    shown.append(Facet("producer", _("Producer"), flags))
    return shown


def _names_in_both(name: str) -> dict[str, tuple[str, str]]:
    """{code: (Khmer name, English name)} of a facet's values."""
    if name == "province":
        return {code: (km, en) for code, km, en in provinces()}
    with translation.override("km"):
        km = dict(FACET_CHOICES[name]())
    with translation.override("en"):
        en = dict(FACET_CHOICES[name]())
    return {code: (km[code], en[code]) for code in en}


def facet_counts(names: tuple[str, ...], counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    """The API's facets: the flags' counts, and every value with rows, with its names in both
    languages."""
    out: dict[str, Any] = {}
    for name in names:
        found = counts.get(name, {})
        if name in FLAGS:
            out[name] = found.get("1", 0)
            continue
        both = _names_in_both(name)
        out[name] = [
            {"code": code, "count": n, "name_km": both.get(code, ("", ""))[0],
             "name_en": both.get(code, ("", ""))[1]}
            for code, n in sorted(found.items())
        ]  # fmt: skip
    return out
