"""Public geography endpoints: no sign-in needed."""

import pytest

pytestmark = pytest.mark.django_db
API = "/api/v1/geo"


def test_provinces_are_public_and_named_in_both_languages(client):
    response = client.get(f"{API}/provinces")
    assert response.status_code == 200
    provinces = response.json()
    assert len(provinces) == 25
    assert {
        "code": "12",
        "name_km": "ភ្នំពេញ",
        "name_en": "Phnom Penh",
        "kind": "capital",
    } in provinces


def test_districts_of_a_province(client):
    response = client.get(f"{API}/provinces/12/districts")
    assert response.status_code == 200
    districts = response.json()
    assert {
        "code": "1201",
        "name_km": "ចំការមន",
        "name_en": "Chamkar Mon",
        "kind": "khan",
    } in districts
    assert all(d["code"].startswith("12") for d in districts)


def test_communes_of_a_district_and_villages_of_a_commune(client):
    communes = client.get(f"{API}/districts/1710/communes").json()
    assert communes[0] == {
        "code": "171001",
        "name_km": "ស្លក្រាម",
        "name_en": "Sla Kram",
        "kind": None,
    }
    villages = client.get(f"{API}/communes/171001/villages").json()
    assert villages[0]["code"] == "17100101" and villages[0]["kind"] is None


@pytest.mark.parametrize(
    "path", ["/provinces/99/districts", "/districts/9999/communes", "/communes/x/villages"]
)
def test_unknown_codes_are_404_with_a_json_message(client, path):
    response = client.get(API + path)
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No ")


def test_lists_take_one_query_for_the_parent_and_one_for_the_children(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        assert client.get(f"{API}/communes/120101/villages").status_code == 200
