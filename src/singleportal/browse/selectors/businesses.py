"""The public business search: published profiles, filtered by facets and words, with the
count of every facet's values for the same search (each facet leaving its own filter out).

A craft category or material counts a business when one of its published products is in it.
Languages are a JSON list on the profile; a language is found in the list's text ('"fr"'),
which reads the same on both databases.
"""

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast, Coalesce

from singleportal.browse.filters import BusinessFilters
from singleportal.browse.selectors.common import PAGE_SIZE, Results, Search, grouped, results_of
from singleportal.browse.text import TextFields
from singleportal.catalog.models import Product, ProductMaterial
from singleportal.directory.models import ExportExperience, Profile, ProfilePhoto, SpokenLanguage

TEXT = TextFields(
    weighted=(("name_km", 8), ("name_en", 8), ("story_km", 1), ("story_en", 1)),
    fuzzy=("name_km", "name_en"),
    english=(("name_en", "A"), ("story_en", "C")),
)
# Long texts a card does not show are left in the database.
NOT_ON_CARDS = (
    "story_km", "story_en", "payment_terms_km", "payment_terms_en",
    "shipping_terms_km", "shipping_terms_en",
)  # fmt: skip


def public_profiles() -> QuerySet[Profile]:
    return Profile.objects.filter(published=True)


def _public_products() -> QuerySet[Product]:
    """The published products of the profile of the outer query."""
    return Product.objects.filter(published=True, profile=OuterRef("pk"))


def _speaks(code: str) -> Q:
    return Q(_languages__contains=f'"{code}"')


def _conditions(filters: BusinessFilters) -> dict[str, Q]:
    found: dict[str, Q] = {}
    if filters.province:
        found["province"] = Q(province_id__in=filters.province)
    if filters.category:
        found["category"] = Q(Exists(_public_products().filter(category__in=filters.category)))
    if filters.material:
        made = ProductMaterial.objects.filter(
            product__published=True, product__profile=OuterRef("pk"), material__in=filters.material
        )
        found["material"] = Q(Exists(made))
    if filters.language:
        any_of = Q(pk__in=[])
        for code in filters.language:
            any_of |= _speaks(code)
        found["language"] = any_of
    if filters.verified:
        found["verified"] = Q(business__isnull=False)
    if filters.export:
        found["export"] = ~Q(export_experience=ExportExperience.NONE)
    return found


class BusinessSearch(Search):
    text = TEXT
    flags = {
        "verified": Q(business__isnull=False),
        "export": ~Q(export_experience=ExportExperience.NONE),
    }

    def base(self) -> QuerySet[Profile]:
        return public_profiles().alias(_languages=Cast("languages", TextField()))

    def conditions_of(self, filters: BusinessFilters) -> dict[str, Q]:
        return _conditions(filters)


def _counts(search: Search) -> tuple[int, dict[str, dict[str, int]]]:
    """The total and each facet's counts: five queries."""
    flags = search.flag_counts()
    spoken = search.without("language").aggregate(
        **{code: Count("pk", filter=_speaks(code)) for code in SpokenLanguage.values}
    )
    products = Product.objects.filter(published=True)
    facets = {
        "province": grouped(search.without("province"), "province_id"),
        "category": grouped(
            products.filter(profile__in=search.without("category").values("pk")),
            "category",
            counted="profile",
            distinct=True,
        ),
        "material": grouped(
            ProductMaterial.objects.filter(
                product__in=products.filter(profile__in=search.without("material").values("pk"))
            ),
            "material",
            counted="product__profile",
            distinct=True,
        ),
        "language": {code: n for code, n in spoken.items() if n},
        **{flag: {"1": flags[flag]} for flag in search.flags},
    }
    return flags["total"], facets


def _cards(found: QuerySet[Profile]) -> QuerySet[Profile]:
    counted = (
        Product.objects.filter(published=True, profile=OuterRef("pk"))
        .order_by()
        .values("profile")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        found.select_related("province")
        .defer(*NOT_ON_CARDS)
        .annotate(product_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))
        .prefetch_related(
            Prefetch(
                "photos", ProfilePhoto.objects.order_by("position", "pk"), to_attr="photo_list"
            )
        )
    )


def search_businesses(
    filters: BusinessFilters, *, cursor: str = "", limit: int = PAGE_SIZE
) -> Results:
    """A page of businesses with the facet counts (the filters have no errors). Seven queries."""
    return results_of(BusinessSearch(filters), _cards, cursor, limit, _counts)
