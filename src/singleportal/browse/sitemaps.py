"""The sitemap: published profiles and published products, with their last change.

The register's business pages are not listed: a million rows would be twenty sitemap files of
pages that say little a search engine needs, while the profiles and products are what a buyer
searches for (docs/search.md). Addresses are built on SITE_URL, never on the request's Host.
"""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max, QuerySet
from django.urls import reverse

from singleportal.browse.selectors.businesses import public_profiles
from singleportal.catalog import presenting as catalog
from singleportal.catalog.selectors import public_products
from singleportal.directory import presenting as directory

URLS_PER_FILE = 10_000  # the protocol allows 50,000; smaller files are quicker to make


class _OnSiteUrl(Sitemap):
    limit = URLS_PER_FILE

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def rows(self) -> QuerySet:
        raise NotImplementedError

    def items(self) -> QuerySet:
        # By id: a stable order, so a page of the sitemap keeps its rows between visits.
        return self.rows().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item: Any) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        """One aggregate, where Django's default would read every row."""
        return self.rows().aggregate(latest=Max("updated_at"))["latest"]


class ProfileSitemap(_OnSiteUrl):
    def rows(self) -> QuerySet:
        return public_profiles()

    def location(self, item: Any) -> str:
        return directory.page_url(item)


class ProductSitemap(_OnSiteUrl):
    def rows(self) -> QuerySet:
        return public_products()

    def location(self, item: Any) -> str:
        return catalog.page_url(item)


SECTIONS: dict[str, type[_OnSiteUrl]] = {"profiles": ProfileSitemap, "products": ProductSitemap}
# The same, typed as Django's sitemap view takes them.
SITEMAPS: dict[str, type[Sitemap] | Sitemap] = dict(SECTIONS)


def index_entries() -> list[SitemapIndexItem]:
    """Each sitemap file (a section, or its page 2, 3, ...) with the section's last change."""
    site = settings.SITE_URL.rstrip("/")
    entries = []
    for section, sitemap_class in SECTIONS.items():
        sitemap = sitemap_class()
        url = site + reverse("browse:sitemap_section", args=[section])
        latest = sitemap.get_latest_lastmod()
        # Django declares last_mod as a bool but writes it as a date (sitemap_index.xml).
        entries.append(SitemapIndexItem(url, latest))  # type: ignore[arg-type]
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{url}?p={page}", latest))  # type: ignore[arg-type]
    return entries
