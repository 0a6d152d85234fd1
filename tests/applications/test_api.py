"""The wizard through /api/v1/applications/: same rules, same messages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from singleportal.accounts.actions import create_api_token
from singleportal.activities.models import Activity
from singleportal.applications import actions
from singleportal.applications.models import ApplicationActivity
from tests.applications.helpers import complete_application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/applications"


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def auth(owner):
    _, token = create_api_token(owner, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


def test_create_and_fill_sections(client, auth):
    response = client.post(
        f"{BASE}/",
        {"legal_form": "private_limited_company"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    app_id = response.json()["id"]
    response = client.put(
        f"{BASE}/{app_id}/names",
        {"name_km": "", "name_en": "X"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "name_km", "message": "Enter the business name in Khmer.", "step": ""}
    ]
    response = client.put(
        f"{BASE}/{app_id}/names",
        {"name_km": "ក្រុមហ៊ុន ក", "name_en": "K"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200 and response.json()["name_km"] == "ក្រុមហ៊ុន ក"
    response = client.put(
        f"{BASE}/{app_id}/capital",
        {"capital_khr": 1000, "share_count": 1},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    assert "at least 4,000,000 KHR" in response.json()["detail"]
    response = client.post(
        f"{BASE}/{app_id}/parties",
        {
            "role": "shareholder",
            "name_km": "ក",
            "nationality": "KH",
            "id_kind": "national_id",
            "id_number": "1",
            "shares": 10,
        },
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201 and len(response.json()["parties"]) == 1
    validation = client.get(f"{BASE}/{app_id}/validation", **auth).json()
    assert validation["ready"] is False
    assert any(p["step"] == "people" for p in validation["problems"])


def test_submit_with_idempotency_key_gives_one_submission(client, auth, owner):
    app = complete_application(owner)
    url = f"{BASE}/{app.public_id}/submit"
    headers = {**auth, "HTTP_IDEMPOTENCY_KEY": "abc-123"}
    first = client.post(url, {"declared_by_name": "A"}, content_type="application/json", **headers)
    again = client.post(url, {"declared_by_name": "A"}, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    other = client.post(
        url,
        {"declared_by_name": "A"},
        content_type="application/json",
        **{**auth, "HTTP_IDEMPOTENCY_KEY": "zzz"},
    )
    assert other.status_code == 409
    assert app.versions.count() == 1
    versions = client.get(f"{BASE}/{app.public_id}/versions", **auth).json()
    assert versions[0]["sha256"] == first.json()["sha256"]


def test_submitting_an_incomplete_file_lists_problems(client, auth, owner):
    app = actions.create_application(owner, legal_form="sole_proprietorship")
    response = client.post(
        f"{BASE}/{app.public_id}/submit",
        {"declared_by_name": "A"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    assert {p["step"] for p in response.json()["problems"]} >= {"names", "people"}


def test_another_user_gets_404(client, owner):
    app = actions.create_application(owner)
    _, token = create_api_token(UserFactory(), "t")
    other = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"{BASE}/{app.public_id}", **other).status_code == 404
    response = client.put(
        f"{BASE}/{app.public_id}/names", {"name_km": "ក"}, content_type="application/json", **other
    )
    assert response.status_code == 404


def test_list_mine_uses_a_fixed_number_of_queries(client, auth, owner):
    for _ in range(3):
        actions.create_application(owner, legal_form="sole_proprietorship")
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(f"{BASE}/", **auth).json()) == 3
    for _ in range(5):
        actions.create_application(owner, legal_form="sole_proprietorship")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(f"{BASE}/", **auth).json()) == 8
    assert len(many) == len(few) <= 6


def test_upload_through_the_api_checks_content(client, auth, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = actions.create_application(owner)
    response = client.post(
        f"{BASE}/{app.public_id}/documents",
        {"kind": "identity", "file": SimpleUploadedFile("id.png", b"GIF89a fake")},
        **auth,
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "file"


def test_activity_search_in_both_languages_returns_classes(client, auth):
    found = client.get(f"{BASE}/activities", {"q": "weaving of textiles"}, **auth).json()
    assert [(a["code"], a["name_km"]) for a in found] == [("1312", "ការត្បាញវាយនភណ្ឌ")]
    found = client.get(f"{BASE}/activities", {"q": "ការដាំដុះស្រូវ"}, **auth).json()
    assert [(a["code"], a["name_en"]) for a in found] == [("0112", "Growing of rice")]
    found = client.get(f"{BASE}/activities", {"q": "47"}, **auth).json()
    assert found[0]["code"] == "4711" and all(a["code"].startswith("47") for a in found)


def test_activities_must_be_classes_but_a_division_already_chosen_stays(client, auth, owner):
    app = actions.create_application(owner)
    url = f"{BASE}/{app.public_id}/activities"
    body = {"objectives": "Rice.", "activities": ["01"]}
    response = client.put(url, body, content_type="application/json", **auth)
    assert response.status_code == 422
    assert "four-digit code" in response.json()["problems"][0]["message"]
    body["activities"] = ["0112", "9999"]
    response = client.put(url, body, content_type="application/json", **auth)
    assert response.json()["problems"][0]["message"] == "These activity codes do not exist: 9999."
    # A file from before classes were loaded holds a division: saving it again keeps it.
    ApplicationActivity.objects.create(application=app, activity=Activity.objects.get(code="01"))
    body["activities"] = ["01", "0112"]
    response = client.put(url, body, content_type="application/json", **auth)
    assert response.status_code == 200
    assert response.json()["activities"] == ["01", "0112"]
    assert response.json()["main_activity"] == "01"


def test_countries_list_and_an_unknown_country_is_refused(client, auth, owner):
    found = client.get(f"{BASE}/countries", **auth).json()
    assert len(found) == 249
    assert found[0] == {"code": "KH", "name_en": "Cambodia", "name_km": "កម្ពុជា"}
    app = actions.create_application(owner, legal_form="branch_of_foreign_company")
    url = f"{BASE}/{app.public_id}/parent-company"
    body = {"parent_name": "Siam Trading", "parent_country": "XX"}
    response = client.put(url, body, content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "parent_country", "message": "Choose a country.", "step": ""}
    ]
    body["parent_country"] = "th"
    response = client.put(url, body, content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["parent_country"] == "TH"
