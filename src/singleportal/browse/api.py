"""Search API at /api/v1/search/: the same searches, filters and facet counts as /find/.

Public (no sign-in), counted per client address at BROWSE_API_RATE (default 60 a minute);
over it: 429 with Retry-After. List filters repeat the parameter (`?material=silk&material=
cotton`: any of them). Pass `next_cursor` back as `cursor` for the next page.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from singleportal.browse import presenting
from singleportal.browse.filters import BusinessFilters, Filters, ProductFilters
from singleportal.browse.selectors.businesses import search_businesses
from singleportal.browse.selectors.common import MAX_PAGE_SIZE, PAGE_SIZE, Results, decode_cursor
from singleportal.browse.selectors.products import search_products
from singleportal.core.refusals import ErrorOut
from singleportal.names import ratelimit

router = Router(tags=["search"])
SCOPE = "search-api"


class PlaceOut(Schema):
    code: str
    name_km: str
    name_en: str


class ProducerOut(Schema):
    slug: str
    url: str
    name_km: str
    name_en: str
    verified: bool
    export_experience: str


class ProductOut(Schema):
    slug: str
    url: str
    title_km: str
    title_en: str
    category: str
    materials: list[str]
    province: PlaceOut | None
    currency: str
    retail_min: int | None
    retail_max: int | None
    wholesale_min: int | None
    wholesale_max: int | None
    moq: int | None
    marks: list[str]
    thumbnail_url: str | None
    business: ProducerOut
    created_at: str


class BusinessOut(Schema):
    slug: str
    url: str
    name_km: str
    name_en: str
    verified: bool
    province: PlaceOut | None
    export_experience: str
    languages: list[str]
    product_count: int
    thumbnail_url: str | None
    created_at: str


class FacetValueOut(Schema):
    code: str
    count: int
    name_km: str
    name_en: str


class ProductFacetsOut(Schema):
    category: list[FacetValueOut]
    material: list[FacetValueOut]
    province: list[FacetValueOut]
    mark: list[FacetValueOut]
    verified: int
    export: int


class BusinessFacetsOut(Schema):
    province: list[FacetValueOut]
    category: list[FacetValueOut]
    material: list[FacetValueOut]
    language: list[FacetValueOut]
    verified: int
    export: int


class ProductPageOut(Schema):
    total: int
    sort: str
    items: list[ProductOut]
    facets: ProductFacetsOut
    next_cursor: str | None


class BusinessPageOut(Schema):
    total: int
    sort: str
    items: list[BusinessOut]
    facets: BusinessFacetsOut
    next_cursor: str | None


class CommonParams(Schema):
    """Declared for the documentation; read by the same parser as the pages."""

    q: str = ""
    province: list[str] = []
    verified: str = ""
    export: str = ""
    category: list[str] = []
    material: list[str] = []
    sort: str = ""
    cursor: str = ""
    limit: str = ""


class ProductParams(CommonParams):
    mark: list[str] = []
    currency: str = ""
    price_min: str = ""
    price_max: str = ""
    moq_max: str = ""


class BusinessParams(CommonParams):
    language: list[str] = []


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _run(
    request: HttpRequest, filters: Filters, search: Any
) -> tuple[Results | None, JsonResponse | None]:
    """The search's results, or the answer refusing it (rate, filters, cursor, limit)."""
    verdict = ratelimit.hit(
        SCOPE,
        f"ip:{ratelimit.client_ident(request)}",
        settings.BROWSE_API_RATE,
    )
    if not verdict.allowed:
        refused = _json(
            {
                "detail": _("Too many searches. Try again in %(seconds)s seconds.")
                % {"seconds": verdict.retry_after}
            },
            429,
        )
        refused["Retry-After"] = str(verdict.retry_after)
        return None, refused
    errors = filters.errors()
    cursor = request.GET.get("cursor", "")
    if cursor and decode_cursor(cursor) is None:
        errors.append(_("This cursor is not valid."))
    limit_text = request.GET.get("limit", "") or str(PAGE_SIZE)
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_PAGE_SIZE:
        errors.append(_("limit must be between 1 and %(max)s.") % {"max": MAX_PAGE_SIZE})
    if errors:
        return None, _json({"detail": " ".join(errors)}, 422)
    return search(filters, cursor=cursor, limit=int(limit_text)), None


def _page(
    results: Results, items: list[dict[str, Any]], facet_names: tuple[str, ...]
) -> JsonResponse:
    return _json(
        {
            "total": results.total,
            "sort": results.sort,
            "items": items,
            "facets": presenting.facet_counts(facet_names, results.facets),
            "next_cursor": results.next_cursor,
        }
    )


@router.get(
    "/products",
    response={200: ProductPageOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Search products",
    description=(
        "Published products of published producers. Words (`q`, Khmer or English) match titles, "
        "techniques, descriptions, producer names and material names. Facets: `category`, "
        "`material`, `province` (the product's origin, else the producer's), `mark` (marks "
        "programme staff verified, valid today), `verified=1` (producer in the business "
        "register), `export=1` (producer exports already). Price: `price_min`/`price_max` in "
        "`currency` (KHR or USD, default USD; products in the other currency are converted at "
        "the day's official rate). `moq_max`: minimum order at most this many units (products "
        "stating none are kept). Sort: `relevance` (default with words) or `newest`. Each "
        "facet's counts leave out its own filter. Prices are minor units (riel, US cents)."
    ),
)
def products(request: HttpRequest, params: Query[ProductParams]) -> JsonResponse:
    results, refused = _run(request, ProductFilters.from_params(request.GET), search_products)
    if results is None:
        return refused  # type: ignore[return-value]
    return _page(
        results, [presenting.product_item(p) for p in results.items], presenting.PRODUCT_FACETS
    )


@router.get(
    "/businesses",
    response={200: BusinessPageOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Search businesses",
    description=(
        "Published producer profiles. Words (`q`, Khmer or English) match names and stories. "
        "Facets: `province`, `category` and `material` (of the producer's published products), "
        "`language` (spoken with buyers, ISO 639-1), `verified=1`, `export=1`. Sort and cursor "
        "as for products. No contact details: they are on the profile for signed-in buyers."
    ),
)
def businesses(request: HttpRequest, params: Query[BusinessParams]) -> JsonResponse:
    results, refused = _run(request, BusinessFilters.from_params(request.GET), search_businesses)
    if results is None:
        return refused  # type: ignore[return-value]
    return _page(
        results, [presenting.business_item(p) for p in results.items], presenting.BUSINESS_FACETS
    )
