"""The public product search: published products of published profiles, filtered by facets
and words, with the count of every facet's values for the same search.

A facet's counts leave out that facet's own filter (ticking "silk" does not make "cotton"
count zero): selectors.common.Search.counts.
"""

from functools import cache
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from singleportal.browse.filters import ProductFilters
from singleportal.browse.selectors.common import (
    PAGE_SIZE,
    RelatedFacet,
    Results,
    Search,
    grouped,
    provinces,
    results_of,
)
from singleportal.browse.text import NOTHING, TextFields, normalise
from singleportal.catalog.models import Product, ProductMark, ProductMaterial, ProductPhoto
from singleportal.catalog.selectors import public_products
from singleportal.catalog.vocabulary import Category, Currency, MarkStatus, Material
from singleportal.directory.models import ExportExperience
from singleportal.payments.schedule import rate_on

TEXT = TextFields(
    weighted=(
        ("title_km", 8), ("title_en", 8), ("technique_km", 3), ("technique_en", 3),
        ("profile__name_km", 2), ("profile__name_en", 2),
    ),
    long=("description_km", "description_en"),
    fuzzy=("title_km", "title_en"),
    english=(("title_en", "A"), ("technique_en", "B"), ("description_en", "C")),
)  # fmt: skip

# A product's price span, whichever of its prices it states: from its lowest (wholesale
# first) to its highest (retail first). The span meets the buyer's range or not.
PRICE_LOW = Coalesce("wholesale_min", "retail_min", "wholesale_max", "retail_max")
PRICE_HIGH = Coalesce("retail_max", "wholesale_max", "retail_min", "wholesale_min")
# The product's own origin province, else its producer's province.
PROVINCE = Coalesce("origin_province_id", "profile__province_id")
# The product's minimum order, else the producer's.
MOQ = Coalesce("moq", "profile__minimum_order_units")
# Long texts a card does not show are left in the database.
NOT_ON_CARDS = (
    "description_km", "description_en",
    "profile__story_km", "profile__story_en",
    "profile__payment_terms_km", "profile__payment_terms_en",
    "profile__shipping_terms_km", "profile__shipping_terms_en",
)  # fmt: skip


def current_marks() -> QuerySet[ProductMark]:
    """Marks programme staff verified that are valid today: the only ones that count."""
    today = timezone.localdate()
    return ProductMark.objects.filter(status=MarkStatus.VERIFIED, valid_from__lte=today).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


@cache
def _material_words() -> dict[str, frozenset[str]]:
    """Each word of each material's name, in Khmer and English, normalised as queries are ->
    the materials it names. "Other material" is no material to search for."""
    words: dict[str, set[str]] = {}
    for language in ("km", "en"):
        with translation.override(language):
            for code, label in Material.choices:
                if code == Material.OTHER:
                    continue
                name = normalise(str(label))
                for word in {name, *name.replace(",", " ").split()}:
                    if len(word) >= 3:  # "or" in "Brass or bronze" names nothing
                        words.setdefault(word, set()).add(code)
    return {word: frozenset(codes) for word, codes in words.items()}


def _made_of(codes: Any) -> Q:
    return Q(pk__in=ProductMaterial.objects.filter(material__in=codes).values("product_id"))


def _material_named(word: str) -> Q | None:
    """A query word naming a material ("silk", "សូត្រ") matches the products made of it."""
    codes = _material_words().get(word)
    return _made_of(codes) if codes else None


def _bound(amount: int, currency: str, khr_per_usd: int | None, *, round_up: bool) -> int:
    """A bound in minor units of the buyer's currency, in minor units of `currency`: as it is
    when `khr_per_usd` is None (the same currency), else converted (riel <-> cents) and
    rounded outwards, so a product priced exactly at the bound is kept."""
    if khr_per_usd is None:
        return amount
    if currency == Currency.KHR:
        numerator, denominator = amount * khr_per_usd, 100
    else:
        numerator, denominator = amount * 100, khr_per_usd
    return -(-numerator // denominator) if round_up else numerator // denominator


def _price(filters: ProductFilters, khr_per_usd: int | None) -> Q:
    """Products whose price span meets the buyer's range: those in the buyer's currency as
    stored, those in the other converted with the day's rate (left out without a rate)."""
    low, high = filters.bounds()
    either = NOTHING
    for currency in Currency.values:
        rate = None if currency == filters.price_currency else khr_per_usd
        if currency != filters.price_currency and rate is None:
            continue
        condition = Q(currency=currency)
        if low is not None:
            condition &= Q(_price_high__gte=_bound(low, currency, rate, round_up=False))
        if high is not None:
            condition &= Q(_price_low__lte=_bound(high, currency, rate, round_up=True))
        either |= condition
    return either


class ProductSearch(Search):
    text = TEXT

    def base(self) -> QuerySet[Product]:
        return public_products().alias(
            _province=PROVINCE, _moq=MOQ, _price_low=PRICE_LOW, _price_high=PRICE_HIGH
        )

    def facet_values(self) -> dict[str, dict[str, Q]]:
        return {
            "category": {code: Q(category=code) for code in Category.values},
            "province": {code: Q(_province=code) for code, _km, _en in provinces()},
            "verified": {"1": Q(profile__business__isnull=False)},
            "export": {"1": ~Q(profile__export_experience=ExportExperience.NONE)},
        }

    def related_facets(self) -> dict[str, RelatedFacet]:
        return {
            "material": RelatedFacet(
                having=_made_of,
                count=lambda ids: grouped(
                    ProductMaterial.objects.filter(product__in=ids), "material", "product"
                ),
            ),
            "mark": RelatedFacet(
                having=lambda kinds: Q(
                    pk__in=current_marks().filter(kind__in=kinds).values("product_id")
                ),
                count=lambda ids: grouped(
                    current_marks().filter(product__in=ids), "kind", "product"
                ),
            ),
        }

    def other_conditions(self, filters: ProductFilters) -> dict[str, Q]:
        found: dict[str, Q] = {}
        if filters.price_min or filters.price_max:
            rate = rate_on(timezone.localdate())
            found["price"] = _price(filters, rate.khr_per_usd if rate else None)
        if filters.moq_max:
            found["moq"] = Q(_moq__isnull=True) | Q(_moq__lte=filters.moq())
        return found

    def word_extra(self, word: str) -> Q | None:
        return _material_named(word)


def _cards(found: QuerySet[Product]) -> QuerySet[Product]:
    return (
        found.select_related("profile", "origin_province", "profile__province")
        .defer(*NOT_ON_CARDS)
        .prefetch_related(
            Prefetch("material_rows", ProductMaterial.objects.order_by("position", "pk")),
            Prefetch("marks", current_marks().order_by("kind", "pk"), to_attr="current_marks"),
            Prefetch(
                "photos", ProductPhoto.objects.order_by("position", "pk"), to_attr="photo_list"
            ),
        )
    )


def search_products(
    filters: ProductFilters, *, cursor: str = "", limit: int = PAGE_SIZE
) -> Results:
    """A page of products with the facet counts (the filters have no errors): the counts, the
    page, its materials, marks and photos; and the day's exchange rate with a price range."""
    return results_of(ProductSearch(filters), _cards, cursor, limit)
