"""The wizard pages: saved at each step, errors at the top and beside the field, Khmer first."""

import pytest

from singleportal.applications import actions
from singleportal.applications.models import Status
from tests.applications.helpers import complete_application
from tests.conftest import in_english
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_start_choose_form_and_name_in_khmer(client):
    user = UserFactory()
    client.force_login(user)
    client.cookies["singleportal_language"] = "km"  # this test reads the Khmer page
    response = client.post("/applications/new/")
    app = user.applications.get()
    assert response["Location"].endswith(f"/applications/{app.public_id}/step/form/")
    page = client.get(response["Location"]).content.decode()
    assert "ក្រុមហ៊ុនឯកជនទទួលខុសត្រូវមានកម្រិត" in page
    response = client.post(response["Location"], {"legal_form": "private_limited_company"})
    assert response["Location"].endswith("/step/names/")
    response = client.post(response["Location"], {"name_km": "", "name_en": "Mekong"})
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'href="#id_name_km"' in page
    response = client.post(
        f"/applications/{app.public_id}/step/names/",
        {"name_km": "ក្រុមហ៊ុន មេគង្គ", "name_en": "Mekong"},
    )
    assert response["Location"].endswith("/step/activities/")
    app.refresh_from_db()
    assert app.name_km == "ក្រុមហ៊ុន មេគង្គ"  # saved: resumable from any device
    # The list takes the applicant back after the last step saved.
    listing = client.get("/applications/").content.decode()
    assert f'href="/applications/{app.public_id}/step/activities/"' in listing


def test_review_lists_problems_with_change_links_in_english(client):
    user = UserFactory()
    app = actions.create_application(user, legal_form="sole_proprietorship")
    in_english(client)
    client.force_login(user)
    page = client.get(f"/applications/{app.public_id}/review/").content.decode()
    assert "Enter the business name in Khmer." in page
    assert f"/applications/{app.public_id}/step/names/" in page


def test_submit_from_the_review_page_twice_gives_one_submission(client):
    user = UserFactory()
    app = complete_application(user)
    client.force_login(user)
    url = f"/applications/{app.public_id}/review/"
    token = client.get(url).context["submission_token"]
    data = {"declared_by_name": "សុខ ចន្ទា", "submission_token": token}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first["Location"] == second["Location"]
    app.refresh_from_db()
    # A clean file may already be registered by the agencies' straight-through rules.
    assert app.status in (Status.SUBMITTED, Status.APPROVED) and app.versions.count() == 1
    assert app.reference in client.get(first["Location"]).content.decode()


def test_activities_step_searches_khmer_and_saves_a_class(client):
    user = UserFactory()
    app = actions.create_application(user, legal_form="sole_proprietorship")
    client.force_login(user)
    url = f"/applications/{app.public_id}/step/activities/"
    page = client.get(url, {"q": "ការដាំដុះស្រូវ"}).content.decode()
    assert 'value="0112"' in page and "Growing of rice" in page  # English page: English name
    response = client.post(url, {"objectives": "Grow rice.", "activities": ["0112"]})
    assert response["Location"].endswith("/step/address/")
    assert [a.activity.code for a in app.activities.all()] == ["0112"]


def test_country_fields_are_selects_in_the_page_language_with_cambodia_first(client):
    user = UserFactory()
    app = actions.create_application(user, legal_form="branch_of_foreign_company")
    client.force_login(user)
    client.cookies["singleportal_language"] = "km"
    page = client.get(f"/applications/{app.public_id}/step/people/").content.decode()
    assert '<select name="nationality"' in page
    assert page.index('<option value="KH" selected>កម្ពុជា</option>') < page.index(">ថៃ<")
    in_english(client)
    page = client.get(f"/applications/{app.public_id}/step/parent/").content.decode()
    assert '<select name="parent_country"' in page
    assert page.index(">Choose a country<") < page.index(">Cambodia<") < page.index(">Thailand<")
    response = client.post(
        f"/applications/{app.public_id}/step/parent/",
        {"parent_name": "Siam Trading", "parent_country": "TH"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.parent_country == "TH"
