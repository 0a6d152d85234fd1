"""The search pages as a visitor sees them: results, facets with counts, share links, meta
tags, errors, query counts and weight."""

import re

import pytest
from django.conf import settings
from django.test import Client

from singleportal.accounts.models import Role
from singleportal.directory.models import MemberRole, ProfileMember
from tests.browse.factories import (
    PHNOM_PENH,
    SIEM_REAP,
    mark,
    photo,
    producer,
    product,
    profile_photo,
)
from tests.conftest import in_english
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
WEIGHT_LIMIT = 60 * 1024
DASH = "\u2013"  # between the two ends of a price range
BUYERS_SEARCH = {"q": "silk", "category": "home_textiles", "verified": "1", "province": SIEM_REAP}


def english(client: Client) -> Client:
    in_english(client)
    return client


def results_part(response) -> str:
    html = response.content.decode()
    return html.split('id="results"', 1)[1] if 'id="results"' in html else ""


def test_the_buyers_search_shows_the_cushion_and_none_of_the_decoys(client, market):
    response = english(client).get("/find/", BUYERS_SEARCH)
    assert response.status_code == 200
    results = results_part(response)
    assert "Silk cushion cover" in results
    for decoy in ("Silk table runner", "Silk scarf", "Cotton cushion cover"):
        assert decoy not in results
    assert "1 product found." in results


def option(ident: str, label: str, count: int) -> str:
    return f'<label for="{ident}">{label} <span class="count">({count})</span></label>'


def test_each_option_shows_how_many_results_it_would_give(client, market):
    html = english(client).get("/find/", {"province": SIEM_REAP}).content.decode()
    assert re.search(
        r'value="silk"[^>]*> <label for="material-silk">Silk <span class="count">\(2\)', html
    )
    assert re.search(r'<label for="material-cotton">Cotton <span class="count">\(1\)', html)
    # Provinces ignore the province filter: Takeo is still offered, with its count.
    assert option("province-21", "Takeo", 1) in html
    assert re.search(r'id="province-17" name="province" value="17" checked', html)
    # The flags, counted among the Siem Reap products.
    assert re.search(
        r'<label for="verified-1">Verified in the business register <span class="count">\(2\)', html
    )


def test_the_filters_are_in_the_address_and_the_share_link(client, market, settings):
    settings.SITE_URL = "https://portal.example.gov.kh"
    html = english(client).get("/find/", BUYERS_SEARCH).content.decode()
    share = ("https://portal.example.gov.kh/find/?q=silk&amp;province=17&amp;verified=1"
             "&amp;category=home_textiles")  # fmt: skip
    assert f'<input type="url" id="share" value="{share}" readonly' in html
    assert f'<link rel="canonical" href="{share}">' in html
    assert f'<meta property="og:url" content="{share}">' in html
    assert '<meta property="og:title" content="Products for “silk”">' in html
    assert '<meta property="og:description" content="1 product found. Products of' in html
    assert '<meta name="robots" content="noindex, follow">' in html


def test_the_currency_and_the_default_sort_stay_out_of_the_address_until_they_matter(client):
    form = {"q": "silk", "currency": "USD", "price_min": "", "price_max": "", "sort": ""}
    html = english(client).get("/find/", form).content.decode()
    assert 'value="http://127.0.0.1:8000/find/?q=silk" readonly' in html
    form |= {"currency": "KHR", "price_max": "80000"}
    html = client.get("/find/", form).content.decode()
    assert "/find/?q=silk&amp;currency=KHR&amp;price_max=80000" in html


def test_the_bare_search_page_may_be_indexed(client, market):
    html = english(client).get("/find/").content.decode()
    assert 'name="robots"' not in html
    assert '<meta property="og:title" content="Find Cambodian crafts">' in html


def test_a_card_shows_the_producer_badge_province_prices_minimum_order_and_marks(client, market):
    cushion = market.cushion
    cushion.wholesale_min, cushion.wholesale_max, cushion.wholesale_min_quantity = 1500, 1800, 10
    cushion.moq = 20
    cushion.save()
    mark(cushion, "ovop")
    mark(cushion, "fair_trade", status="pending")
    photo(cushion)
    html = results_part(english(client).get("/find/", {"q": "cushion cover", "material": "silk"}))
    assert f'href="/catalog/products/{cushion.slug}/"' in html
    assert f'href="/directory/{market.angkor.slug}/" lang="en">Angkor Weavers</a>' in html
    assert "Verified in the register" in html
    assert "Siemreap · Home textiles (cushion covers, runners) · Silk" in html
    assert f"Retail 20.00 USD {DASH} 30.00 USD · Wholesale 15.00 USD {DASH} 18.00 USD" in html
    assert "Minimum order 20 units" in html
    assert "One Village One Product designation" in html
    assert "Fair trade" not in html  # not verified yet
    thumbnail = r'<img src="/catalog/photos/\d+/thumb.jpg" alt="A red cushion cover" lang="en" '
    assert re.search(thumbnail + r'width="96" height="96" loading="lazy">', html)


def test_a_title_missing_in_the_pages_language_is_shown_in_the_other(client, market):
    product(market.angkor, "", "ក្រមាឆ្នូត", category="scarves")
    html = results_part(english(client).get("/find/", {"category": "scarves"}))
    assert 'lang="km">ក្រមាឆ្នូត</a>' in html
    khmer = results_part(Client().get("/find/", {"category": "scarves"}))
    assert 'lang="km">ក្រមាសូត្រ</a>' in khmer  # Khmer first on Khmer pages


def test_results_carry_no_contact_details(client, market):
    for path in ("/find/", "/find/businesses/", "/api/v1/search/products",
                 "/api/v1/search/businesses"):  # fmt: skip
        body = client.get(path).content.decode()
        assert "012 345 678" not in body
        assert "@example.com" not in body


def test_values_no_result_can_have_are_explained(client, market):
    response = english(client).get(
        "/find/", {"category": "spaceships", "price_min": "cheap", "province": "Siem Reap"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Unknown category “spaceships”." in html
    assert "The lowest price “cheap” is not an amount of money." in html
    assert "A province is given by its two-digit code." in html
    assert 'id="results"' not in html


def test_a_ticked_option_with_no_result_stays_shown_with_zero(client, market):
    html = english(client).get("/find/", {"material": "silk", "category": "furniture"}).content
    html = html.decode()
    assert re.search(r'id="category-furniture" name="category" value="furniture" checked', html)
    assert "Nothing matches every filter." in html


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="PostgreSQL looks for near spellings (tests/browse/test_postgresql.py)",
)
def test_a_misspelt_search_on_sqlite_says_nothing_was_found(client, market):
    html = english(client).get("/find/", {"q": "cushon"}).content.decode()
    assert "0 products found." in html
    assert "Nothing matches every filter." in html


def test_the_next_page_keeps_the_filters(client, market):
    maker = producer("Many Weavers", province=PHNOM_PENH)
    for i in range(25):
        product(maker, f"Silk napkin {i}")
    first = english(client).get("/find/", {"material": "silk", "province": PHNOM_PENH})
    next_url = re.search(r'<a href="(\?[^"]+)" rel="next">', first.content.decode()).group(1)
    assert next_url.startswith("?province=12&amp;material=silk&amp;cursor=")
    second = client.get("/find/" + next_url.replace("&amp;", "&"))
    assert second.content.decode().count('class="card"') == 5
    assert "First page" in second.content.decode()


def test_the_business_search_finds_by_facets_and_shows_no_contact(client, market):
    profile_photo(market.angkor)
    html = results_part(
        english(client).get(
            "/find/businesses/", {"material": "silk", "verified": "1", "province": SIEM_REAP}
        )
    )
    assert "Angkor Weavers" in html
    assert "Puok Village Group" not in html and "Takeo Silk House" not in html
    assert "2 products" in html
    assert "Exports regularly · Khmer, English" in html
    assert re.search(r'<img src="/directory/photos/\d+/thumbnail.jpg" alt="The workshop"', html)


def _many_products(count: int = 20) -> None:
    maker = producer("Many Weavers", "ក្រុមត្បាញច្រើន", province=SIEM_REAP)
    for i in range(count):
        item = product(
            maker, f"Hand-woven silk cushion cover number {i}",
            f"ស្រោមខ្នើយសូត្រ ត្បាញដៃ លេខ {i}", materials=("silk", "cotton"),
            wholesale=(1500, 1800), moq=10,
        )  # fmt: skip
        mark(item, "ovop")
        mark(item, "geographical_indication")
        photo(item)


def test_the_product_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    _many_products()
    client.get("/find/")  # the province names are cached after this
    # The total with the counts of categories, provinces and the flags; the counts of
    # materials and of marks; the page, its materials, marks and photos.
    with django_assert_max_num_queries(7):
        response = client.get("/find/", {"q": "silk", "material": "silk", "verified": "1"})
    assert response.content.decode().count('class="card"') == 20
    with django_assert_max_num_queries(8):  # and the day's exchange rate
        client.get("/find/", {"price_min": "10", "moq_max": "20", "mark": "ovop"})


def test_the_business_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for i in range(20):
        maker = producer(f"Weavers {i}", province=SIEM_REAP)
        product(maker, f"Silk scarf {i}", category="scarves")
        profile_photo(maker)
    client.get("/find/businesses/")
    # The total with the counts of provinces, languages and the flags; the counts of crafts
    # and of materials; the page with each producer's number of products, the photos.
    with django_assert_max_num_queries(5):
        response = client.get("/find/businesses/", {"q": "weavers", "material": "silk"})
    assert response.content.decode().count('class="card"') == 20


def test_a_page_of_20_results_weighs_less_than_60_kb(client, settings):
    _many_products()
    for language in ("km", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get("/find/", {"q": "silk"})
        assert response.content.decode().count('class="card"') == 20
        assert len(response.content) <= WEIGHT_LIMIT, len(response.content)


@pytest.mark.parametrize("who", ["anonymous", "buyer", "owner", "programme staff"])
@pytest.mark.parametrize(
    "path",
    ["/find/", "/find/businesses/", "/api/v1/search/products", "/api/v1/search/businesses",
     "/sitemap.xml", "/sitemap-products.xml", "/sitemap-profiles.xml", "/robots.txt"],
)  # fmt: skip
def test_everyone_may_search_signed_in_or_not(client, market, who, path):
    if who != "anonymous":
        role = {"buyer": Role.BUYER, "owner": Role.APPLICANT,
                "programme staff": Role.PROGRAMME_STAFF}[who]  # fmt: skip
        user = UserFactory(roles=[role])
        if who == "owner":
            ProfileMember.objects.create(profile=market.angkor, user=user, role=MemberRole.OWNER)
        client.force_login(user)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/find/", "/find/businesses/", "/sitemap.xml", "/robots.txt"])
def test_the_pages_only_answer_reads(client, path):
    assert client.post(path).status_code == 405
