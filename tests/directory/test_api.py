"""/api/v1/directory/: public reads (contact for buyers, members and programme staff only),
members' edits through the edit page's action, with its messages."""

import json

import pytest

from singleportal.accounts.actions import create_api_token
from singleportal.directory import actions
from tests.directory.conftest import sign_in
from tests.directory.factories import group_profile, user

pytestmark = pytest.mark.django_db
ACTORS = ("anonymous", "other", "buyer", "owner", "staff_member", "programme_staff")
BASE = "/api/v1/directory/profiles"


def call(client, people, who, method, url, body=None):
    sign_in(client, getattr(people, who))
    if method == "patch":
        return client.patch(url, json.dumps(body or {}), content_type="application/json")
    return client.get(url)


MATRIX = {
    ("get", ""): (200, 200, 200, 200, 200, 200),
    ("get", "/{slug}"): (200, 200, 200, 200, 200, 200),
    ("patch", "/{slug}"): (401, 403, 403, 200, 200, 403),
}


@pytest.mark.parametrize(("method", "route"), list(MATRIX), ids=[f"{m} {r}" for m, r in MATRIX])
@pytest.mark.parametrize("who", ACTORS)
def test_permission_matrix_of_every_endpoint(client, people, method, route, who):
    url = BASE + route.format(slug=people.profile.slug)
    response = call(client, people, who, method, url, {"team_size": 12})
    assert response.status_code == MATRIX[(method, route)][ACTORS.index(who)]


@pytest.mark.parametrize("who", ["anonymous", "other"])
def test_contact_is_null_for_the_public_in_the_list_and_the_profile(client, people, who):
    sign_in(client, getattr(people, who))
    listed = client.get(BASE).json()["items"]
    assert [item["contact"] for item in listed] == [None]
    one = client.get(f"{BASE}/{people.profile.slug}")
    assert one.json()["contact"] is None
    assert "sales@takeosilk.example" not in one.content.decode()


@pytest.mark.parametrize("who", ["buyer", "owner", "staff_member", "programme_staff"])
def test_contact_is_given_to_buyers_members_and_programme_staff(client, people, who):
    sign_in(client, getattr(people, who))
    assert client.get(BASE).json()["items"][0]["contact"]["email"] == "sales@takeosilk.example"
    one = client.get(f"{BASE}/{people.profile.slug}").json()
    assert one["contact"]["phone"] == "012 555 123"


def test_a_buyer_with_a_token_sees_contact_and_a_wrong_token_is_refused(client, people):
    _, token = create_api_token(people.buyer, "crm")
    good = client.get(BASE, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert good.json()["items"][0]["contact"]["name"] == "Sok Chantha"
    assert client.get(BASE, HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_the_profile_gives_register_facts_read_live(client, people):
    body = client.get(f"{BASE}/{people.profile.slug}").json()
    business = people.profile.business
    assert body["verified"] is True
    assert body["registration"]["registration_number"] == business.registration_number
    assert body["registration"]["legal_form"] == "private_limited_company"
    assert [a["code"] for a in body["registration"]["activities"]] == ["1312", "4641"]
    assert body["story_km"] == "<p>យើងត្បាញសូត្រ</p>"


def test_filters_province_and_verified_and_cursor_pages(client, people):
    group_profile(user(), province="17", district="", commune="")
    groups = [group_profile(user(), name_en=f"Group {n}", province="21") for n in range(3)]
    assert len(client.get(BASE).json()["items"]) == 5
    verified = client.get(BASE, {"verified": "true"}).json()["items"]
    assert [i["slug"] for i in verified] == [people.profile.slug]
    in_takeo = client.get(BASE, {"province": "21"}).json()["items"]
    assert {i["slug"] for i in in_takeo} == {g.slug for g in groups}
    first = client.get(BASE, {"province": "21", "limit": 2}).json()
    second = client.get(BASE, {"province": "21", "limit": 2, "cursor": first["next_cursor"]})
    assert [i["slug"] for i in first["items"] + second.json()["items"]] == [
        g.slug for g in reversed(groups)
    ]
    assert second.json()["next_cursor"] is None


def test_bad_filters_are_refused_with_a_message(client):
    assert client.get(BASE, {"province": "Takeo"}).status_code == 422
    assert client.get(BASE, {"cursor": "abc"}).json()["detail"] == "This cursor is not valid."
    assert client.get(BASE, {"limit": 1000}).status_code == 422


def test_patch_changes_only_the_fields_sent_and_cleans_the_story(client, people):
    sign_in(client, people.staff_member)
    response = client.patch(
        f"{BASE}/{people.profile.slug}",
        json.dumps({"story_en": '<p onclick="x()">We <em>weave</em><script>alert(1)</script></p>',
                    "languages": ["km", "en"], "export_markets": ["fr", "JP"]}),
        content_type="application/json",
    )  # fmt: skip
    body = response.json()
    assert body["story_en"] == "<p>We <em>weave</em></p>"
    assert body["story_km"] == "<p>យើងត្បាញសូត្រ</p>"
    assert body["export_markets"] == ["FR", "JP"] and body["languages"] == ["km", "en"]


def test_patch_refuses_a_women_share_over_100_with_the_message(client, people):
    sign_in(client, people.owner)
    response = client.patch(f"{BASE}/{people.profile.slug}",
                            json.dumps({"women_artisans_percent": 140}),
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    assert response.json()["problems"] == [{
        "field": "women_artisans_percent",
        "message": "The share of women artisans is a percentage: enter a number from 0 to 100.",
    }]  # fmt: skip


def test_patch_cannot_rename_a_verified_business(client, people):
    sign_in(client, people.owner)
    response = client.patch(f"{BASE}/{people.profile.slug}", json.dumps({"name_km": "ថ្មី"}),
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    assert "names of a registered business" in response.json()["detail"]


def test_a_hidden_profile_is_not_found_in_the_api_by_the_public(client, people):
    actions.update_profile(people.profile, by=people.owner, changes={"published": False})
    assert client.get(f"{BASE}/{people.profile.slug}").status_code == 404
    assert client.get(BASE).json()["items"] == []
