"""The public business search: published profiles, filtered by facets and words, with the
count of every facet's values for the same search (each facet leaving its own filter out).

A craft category or material counts a business when one of its published products is in it.
Languages are a JSON list on the profile; a language is found in the list's text ('"fr"'),
which reads the same on both databases.
"""

from django.db.models import (
    Count,
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
from singleportal.browse.selectors.common import (
    PAGE_SIZE,
    RelatedFacet,
    Results,
    Search,
    grouped,
    provinces,
    results_of,
)
from singleportal.browse.text import TextFields
from singleportal.catalog.models import Product, ProductMaterial
from singleportal.directory.models import ExportExperience, Profile, ProfilePhoto, SpokenLanguage

TEXT = TextFields(
    weighted=(("name_km", 8), ("name_en", 8)),
    long=("story_km", "story_en"),
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


def _published_products() -> QuerySet[Product]:
    return Product.objects.filter(published=True)


class BusinessSearch(Search):
    text = TEXT

    def base(self) -> QuerySet[Profile]:
        return public_profiles().alias(_languages=Cast("languages", TextField()))

    def facet_values(self) -> dict[str, dict[str, Q]]:
        return {
            "province": {code: Q(province_id=code) for code, _km, _en in provinces()},
            "language": {
                code: Q(_languages__contains=f'"{code}"') for code in SpokenLanguage.values
            },
            "verified": {"1": Q(business__isnull=False)},
            "export": {"1": ~Q(export_experience=ExportExperience.NONE)},
        }

    def related_facets(self) -> dict[str, RelatedFacet]:
        materials = ProductMaterial.objects.filter(product__published=True)
        return {
            "category": RelatedFacet(
                having=lambda codes: Q(
                    pk__in=_published_products().filter(category__in=codes).values("profile_id")
                ),
                count=lambda ids: grouped(
                    _published_products().filter(profile__in=ids), "category", "profile"
                ),
            ),
            "material": RelatedFacet(
                having=lambda codes: Q(
                    pk__in=materials.filter(material__in=codes).values("product__profile_id")
                ),
                count=lambda ids: grouped(
                    materials.filter(product__profile__in=ids), "material", "product__profile"
                ),
            ),
        }


def _cards(found: QuerySet[Profile]) -> QuerySet[Profile]:
    counted = (
        _published_products()
        .filter(profile=OuterRef("pk"))
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
    """A page of businesses with the facet counts (the filters have no errors): the counts,
    the page with product counts, the photos."""
    return results_of(BusinessSearch(filters), _cards, cursor, limit)
