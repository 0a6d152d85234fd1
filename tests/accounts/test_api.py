import pytest

from singleportal.accounts.actions import create_api_token
from singleportal.accounts.models import ApiToken
from tests.factories import UserFactory, officer

pytestmark = pytest.mark.django_db


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_me_with_a_bearer_token():
    user = UserFactory(full_name="សុខ ចន្ទា")
    _, clear = create_api_token(user, "accounting")
    from django.test import Client

    response = Client().get("/api/v1/accounts/me", **bearer(clear))
    assert response.status_code == 200
    assert response.json()["full_name"] == "សុខ ចន្ទា"
    assert response.json()["roles"] == [{"role": "applicant", "agency": None, "level": ""}]


def test_token_is_stored_only_as_a_hash(client):
    user = UserFactory()
    _, clear = create_api_token(user, "accounting")
    token = ApiToken.objects.get()
    assert clear not in (token.token_hash, token.hint)
    assert token.hint == clear[:10]


def test_wrong_or_revoked_token_is_refused(client):
    user = UserFactory()
    token, clear = create_api_token(user, "accounting")
    assert client.get("/api/v1/accounts/me", **bearer(clear + "x")).status_code == 401
    client.force_login(user)
    response = client.delete(f"/api/v1/accounts/tokens/{token.pk}")
    assert response.status_code == 200
    client.logout()
    assert client.get("/api/v1/accounts/me", **bearer(clear)).status_code == 401


def test_create_and_list_tokens_over_the_api(client):
    user = UserFactory()
    _, clear = create_api_token(user, "first")
    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": "second"},
        content_type="application/json",
        **bearer(clear),
    )
    assert response.status_code == 201
    new = response.json()["token"]
    listed = client.get("/api/v1/accounts/tokens", **bearer(new)).json()
    assert [t["name"] for t in listed] == ["second", "first"]
    assert all("token" not in t for t in listed)


def test_a_user_cannot_revoke_someone_elses_token(client):
    owner, intruder = UserFactory(), UserFactory()
    token, _ = create_api_token(owner, "owner's")
    _, intruder_clear = create_api_token(intruder, "intruder's")
    response = client.delete(f"/api/v1/accounts/tokens/{token.pk}", **bearer(intruder_clear))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_session_of_an_officer_without_second_factor_does_not_open_the_api(client):
    user = officer("MOC")
    client.force_login(user)
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_openapi_document_and_docs_are_published(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Single Portal API"
    assert client.get("/api/v1/docs").status_code == 200
