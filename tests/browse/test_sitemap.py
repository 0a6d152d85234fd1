"""The sitemap lists published profiles and products with their last change; robots.txt
points at it. Addresses are on SITE_URL whatever Host the crawler sent."""

import re

import pytest
from django.utils import timezone

from singleportal.browse import sitemaps
from tests.browse.factories import producer, product

pytestmark = pytest.mark.django_db
SITE = "https://portal.example.gov.kh"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def locations(xml: bytes) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", xml.decode())


def test_the_index_lists_one_file_per_section_with_its_last_change(client, market):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    assert locations(response.content) == [
        f"{SITE}/sitemap-profiles.xml",
        f"{SITE}/sitemap-products.xml",
    ]
    products = (market.cushion, market.unverified, market.scarf, market.cotton)
    latest = timezone.localtime(max(p.updated_at for p in products)).isoformat()
    assert f"<lastmod>{latest}</lastmod>" in response.content.decode()


def test_only_published_profiles_and_products_are_listed(client, market):
    hidden = producer("Hidden Weavers", published=False)
    product(hidden, "Silk of a hidden profile")
    hidden_product = product(market.angkor, "Hidden silk", published=False)
    listed = locations(client.get("/sitemap-products.xml").content)
    assert f"{SITE}/catalog/products/{market.cushion.slug}/" in listed
    assert len(listed) == 4
    assert all(hidden_product.slug not in url for url in listed)
    profiles = locations(client.get("/sitemap-profiles.xml").content)
    assert sorted(profiles) == sorted(
        f"{SITE}/directory/{p.slug}/" for p in (market.angkor, market.puok, market.takeo)
    )
    assert (
        f"<lastmod>{timezone.localdate(market.angkor.updated_at).isoformat()}</lastmod>"
        in client.get("/sitemap-profiles.xml").content.decode()
    )


def test_a_long_section_is_split_into_numbered_files(client, market, monkeypatch):
    monkeypatch.setattr(sitemaps.ProductSitemap, "limit", 3)
    assert f"{SITE}/sitemap-products.xml?p=2" in locations(client.get("/sitemap.xml").content)
    assert len(locations(client.get("/sitemap-products.xml", {"p": "2"}).content)) == 1
    assert client.get("/sitemap-products.xml", {"p": "3"}).status_code == 404


def test_an_unknown_section_is_not_found(client):
    assert client.get("/sitemap-registry.xml").status_code == 404


def test_robots_points_at_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in text
    assert "Disallow: /accounts/" in text
    assert "Disallow: /find/" not in text
