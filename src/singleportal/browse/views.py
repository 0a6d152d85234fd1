"""Public search pages (/find/, /find/businesses/), the sitemap and robots.txt.

The pages are one GET form: the words, the facets and the sort are in the address, so a search
is shared by copying it, and everything works without JavaScript. No htmx here: public pages
stay light on a phone (tests/browse/test_pages.py weighs them).
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from singleportal.browse import presenting
from singleportal.browse.filters import BusinessFilters, Filters, ProductFilters, Sort
from singleportal.browse.selectors.businesses import search_businesses
from singleportal.browse.selectors.common import Results
from singleportal.browse.selectors.products import search_products
from singleportal.browse.sitemaps import SITEMAPS, index_entries
from singleportal.catalog.vocabulary import Currency
from singleportal.core.access import public
from singleportal.core.links import absolute


@dataclass(frozen=True)
class Tab:
    url_name: str
    label: Any
    filters: type[ProductFilters] | type[BusinessFilters]
    search: Any
    card: Any
    facets: tuple[str, ...]


PRODUCTS = Tab(
    "browse:products",
    gettext_lazy("Products"),
    ProductFilters,
    search_products,
    presenting.product_card,
    presenting.PRODUCT_FACETS,
)
BUSINESSES = Tab(
    "browse:businesses",
    gettext_lazy("Businesses"),
    BusinessFilters,
    search_businesses,
    presenting.business_card,
    presenting.BUSINESS_FACETS,
)


def _summary(tab: Tab, results: Results | None, filters: Filters) -> tuple[str, str]:
    """The page's title and description (also its Open Graph title and description)."""
    words = filters.q
    if tab is PRODUCTS:
        title = _("Products for “%(q)s”") % {"q": words} if words else _("Find Cambodian crafts")
        description = _(
            "Products of Cambodian producers, verified in the business register or not: "
            "search by craft, material, province, certificate, price and minimum order."
        )
    else:
        title = (
            _("Businesses for “%(q)s”") % {"q": words} if words else _("Find Cambodian producers")
        )
        description = _(
            "Cambodian producers and workshops: search by province, craft, material, "
            "languages spoken and export experience."
        )
    if results is not None and not filters.empty:
        found = found_text(tab, results.total)
        description = f"{found} {description}"
    return title, description


def found_text(tab: Tab, count: int) -> str:
    if tab is PRODUCTS:
        text = ngettext("%(count)s product found.", "%(count)s products found.", count)
    else:
        text = ngettext("%(count)s business found.", "%(count)s businesses found.", count)
    return text % {"count": count}


def _find(request: HttpRequest, tab: Tab) -> HttpResponse:
    filters = tab.filters.from_params(request.GET)
    errors = filters.errors()
    cursor = request.GET.get("cursor", "")
    results = None if errors else tab.search(filters, cursor=cursor)
    params = filters.as_params()
    path = reverse(tab.url_name)
    query_string = urlencode(params)
    share_url = presenting.absolute(path + (f"?{query_string}" if query_string else ""))
    title, description = _summary(tab, results, filters)
    context = {
        "tab": tab,
        "tabs": [
            {
                "label": t.label,
                "url": reverse(t.url_name)
                + (f"?{urlencode({'q': filters.q})}" if filters.q else ""),
                "current": t is tab,
            }
            for t in (PRODUCTS, BUSINESSES)
        ],
        "found": found_text(tab, results.total) if results else "",
        "filters": filters,
        "errors": errors,
        "results": results,
        "cards": [tab.card(row) for row in results.items] if results else [],
        "facets": presenting.facets(tab.facets, results.facets if results else {}, filters),
        "next_url": (
            f"?{urlencode([*params, ('cursor', results.next_cursor)])}"
            if results and results.next_cursor
            else ""
        ),
        "first_url": f"?{query_string}" if results and not results.first_page else "",
        "share_url": share_url,
        "title": title,
        "description": description,
        # Searches are for people; crawlers follow them to the products and profiles (the
        # sitemap lists those) without indexing every combination of filters.
        "index_me": filters.empty and not cursor,
        # The default ("") is relevance when there are words, newest first otherwise.
        "sorts": [("", _("Most relevant")), (Sort.NEWEST, _("Newest first"))],
        "currencies": Currency.choices,
        "products": tab is PRODUCTS,
    }
    return render(request, "browse/find.html", context, status=422 if errors else 200)


@public
@require_GET
def products(request: HttpRequest) -> HttpResponse:
    return _find(request, PRODUCTS)


@public
@require_GET
def businesses(request: HttpRequest) -> HttpResponse:
    return _find(request, BUSINESSES)


# -- for crawlers ---------------------------------------------------------------------------


@public
@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The list of sitemap pages, with SITE_URL's addresses (not the request's Host)."""
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": index_entries()},
        content_type="application/xml",
    )


@public
@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


@public
@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        # Pages behind a sign-in, and the back offices: nothing there for a search engine.
        *(f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW),
        f"Sitemap: {absolute(reverse('browse:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


ROBOTS_DISALLOW = ("/accounts/", "/applications/", "/office/", "/payments/", "/admin/")
