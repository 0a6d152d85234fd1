"""Who may see and change an application: the owner, and representatives while authorised."""

import pytest
from django.core.exceptions import PermissionDenied

from singleportal.applications import actions, selectors
from tests.applications.helpers import upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def app(owner):
    app = actions.create_application(owner, legal_form="sole_proprietorship")
    actions.save_names(app, owner, name_km="ហាង សុខ", name_en="")
    return app


def pages(app):
    base = f"/applications/{app.public_id}"
    return [f"{base}/step/names/", f"{base}/review/", f"{base}/representatives/"]


def test_another_user_can_neither_read_nor_change(client, app):
    stranger = UserFactory()
    client.force_login(stranger)
    for url in pages(app):
        assert client.get(url).status_code == 404, url
    assert client.post(pages(app)[0], {"name_km": "ចោរ"}).status_code == 404
    assert client.get(f"/api/v1/applications/{app.public_id}").status_code == 404
    with pytest.raises(PermissionDenied):
        actions.save_names(app, stranger, name_km="ចោរ")
    assert list(selectors.applications_of(stranger)) == []


def test_documents_are_served_only_to_those_who_may_see_the_file(client, app, owner):
    document = upload(app, owner)
    url = f"/applications/{app.public_id}/documents/{document.pk}/"
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_representative_works_until_revoked(client, app, owner):
    agent = UserFactory(email="agent@example.com", username="agent@example.com")
    authorisation = actions.authorise_representative(app, owner, "Agent@Example.com")
    client.force_login(agent)
    assert client.get(pages(app)[0]).status_code == 200
    actions.save_names(app, agent, name_km="ហាង សុខ ថ្មី")
    with pytest.raises(PermissionDenied):  # only the owner manages representatives
        actions.authorise_representative(app, agent, "someone@example.com")

    actions.revoke_representative(app, owner, authorisation.pk)
    assert client.get(pages(app)[0]).status_code == 404
    with pytest.raises(PermissionDenied):
        actions.save_names(app, agent, name_km="ហាង")


def test_authorising_an_unknown_account_says_so(app, owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        actions.authorise_representative(app, owner, "nobody@example.com")
    assert "identifier" in caught.value.message_dict
