"""The search API: the same filters and counts as the pages, cursors, errors, rate, queries."""

import pytest

from tests.browse.factories import PHNOM_PENH, SIEM_REAP, TAKEO, mark, photo, producer, product

pytestmark = pytest.mark.django_db


def test_the_buyers_search_through_the_api(client, market):
    response = client.get(
        "/api/v1/search/products",
        {"q": "silk", "category": "home_textiles", "verified": "1", "province": SIEM_REAP},
    )
    assert response.status_code == 200
    body = response.json()
    assert [item["title_en"] for item in body["items"]] == ["Silk cushion cover"]
    assert body["total"] == 1
    assert body["sort"] == "relevance"
    item = body["items"][0]
    assert item["url"].endswith(f"/catalog/products/{market.cushion.slug}/")
    assert item["province"] == {"code": SIEM_REAP, "name_km": "សៀមរាប", "name_en": "Siemreap"}
    assert item["business"]["verified"] is True
    assert item["business"]["name_en"] == "Angkor Weavers"
    assert item["retail_min"] == 2000 and item["currency"] == "USD"


def test_the_api_counts_each_facet_without_its_own_filter(client, market):
    body = client.get("/api/v1/search/products", {"material": "silk", "province": SIEM_REAP}).json()
    assert body["facets"]["province"] == [
        {"code": SIEM_REAP, "count": 2, "name_km": "សៀមរាប", "name_en": "Siemreap"},
        {"code": TAKEO, "count": 1, "name_km": "តាកែវ", "name_en": "Takeo"},
    ]
    assert [(f["code"], f["count"]) for f in body["facets"]["material"]] == [
        ("cotton", 1), ("silk", 2),
    ]  # fmt: skip
    assert body["facets"]["material"][1]["name_en"] == "Silk"
    assert body["facets"]["verified"] == 1
    assert body["facets"]["export"] == 1


def test_the_business_api_filters_by_language_and_counts_them(client, market):
    producer("French Speaking Weavers", province=PHNOM_PENH, languages=("km", "fr"))
    body = client.get("/api/v1/search/businesses", {"language": "fr"}).json()
    assert [item["name_en"] for item in body["items"]] == ["French Speaking Weavers"]
    counts = {f["code"]: f["count"] for f in body["facets"]["language"]}
    assert counts == {"km": 4, "en": 3, "fr": 1}  # languages leave their own filter out
    assert body["items"][0]["languages"] == ["km", "fr"]
    assert body["items"][0]["product_count"] == 0


def test_the_business_api_counts_crafts_and_materials_by_producer(client, market):
    body = client.get("/api/v1/search/businesses", {"category": "home_textiles"}).json()
    assert {item["name_en"] for item in body["items"]} == {"Angkor Weavers", "Puok Village Group"}
    crafts = {f["code"]: f["count"] for f in body["facets"]["category"]}
    assert crafts == {"home_textiles": 2, "scarves": 1}
    materials = {f["code"]: f["count"] for f in body["facets"]["material"]}
    assert materials == {"silk": 2, "cotton": 1}  # Angkor makes both: counted once for each


def test_cursors_walk_every_result_once(client, market):
    maker = producer("Many Weavers", province=PHNOM_PENH)
    for i in range(12):
        product(maker, f"Silk napkin {i}")
    for params in ({"material": "silk"}, {"q": "napkin"}):
        seen, cursor = [], ""
        while True:
            body = client.get(
                "/api/v1/search/products", {**params, "limit": "5", "cursor": cursor}
            ).json()
            seen += [item["slug"] for item in body["items"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == body["total"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "spaceships"}, "Unknown category “spaceships”."),
        ({"mark": "gold_star"}, "Unknown kind of mark “gold_star”."),
        ({"currency": "EUR", "price_min": "1"}, "Prices are in KHR or USD."),
        ({"price_min": "20", "price_max": "10"}, "The lowest price is above the highest price."),
        ({"moq_max": "ten"}, "The minimum order “ten” is not a whole number of units."),
        ({"sort": "cheapest"}, "Results are sorted by relevance or newest first."),
        ({"cursor": "not-ours"}, "This cursor is not valid."),
        ({"limit": "500"}, "limit must be between 1 and 50."),
    ],
)
def test_values_no_result_can_have_are_refused_with_422(client, params, message):
    response = client.get("/api/v1/search/products", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_an_unknown_language_is_refused(client):
    response = client.get(
        "/api/v1/search/businesses", {"language": "xx"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Unknown language “xx”."


def test_a_caller_over_the_rate_waits(client, settings):
    settings.BROWSE_API_RATE = "2/60"
    assert client.get("/api/v1/search/products").status_code == 200
    assert client.get("/api/v1/search/businesses").status_code == 200
    refused = client.get("/api/v1/search/products")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_the_product_api_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    maker = producer("Many Weavers", province=SIEM_REAP)
    for i in range(20):
        item = product(maker, f"Silk cushion {i}", materials=("silk", "cotton"))
        mark(item)
        photo(item)
    client.get("/api/v1/search/products")  # the province names are cached after this
    with django_assert_max_num_queries(7):
        body = client.get("/api/v1/search/products", {"q": "cushion", "verified": "1"}).json()
    assert len(body["items"]) == 20


def test_the_business_api_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for i in range(20):
        product(producer(f"Weavers {i}", province=SIEM_REAP), f"Silk scarf {i}")
    client.get("/api/v1/search/businesses")
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/search/businesses", {"q": "weavers"}).json()
    assert len(body["items"]) == 20
