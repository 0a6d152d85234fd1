"""The list page and the API list cost the same few queries whatever the page holds."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from singleportal.accounts.models import Role
from singleportal.directory import actions
from tests.directory.factories import group_profile, owned_profile, user

pytestmark = pytest.mark.django_db


def small_jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 40)).save(out, "JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue())


@pytest.fixture
def directory():
    """A full page of profiles, verified and not, each with a photo."""
    owner = user()
    profiles = [owned_profile(user()) for _ in range(3)]
    profiles += [group_profile(owner, name_en=f"Group {n}") for n in range(20)]
    for profile in profiles:
        members = profile.members.first().user
        actions.add_photo(profile, by=members, upload=small_jpeg(), alt_en="Work")
    return profiles


@pytest.mark.parametrize("who", [None, Role.BUYER, Role.APPLICANT])
def test_the_list_page_costs_a_fixed_number_of_queries(client, directory, who,
                                                        django_assert_max_num_queries):  # fmt: skip
    if who:
        client.force_login(user("Visitor", who))
    # Profiles, their photos, the provinces; signed in: the session, the user and roles.
    with django_assert_max_num_queries(3 if who is None else 6):
        response = client.get("/directory/")
    assert response.status_code == 200
    assert response.content.decode().count('class="profile-card"') == 20


@pytest.mark.parametrize("who", [None, Role.BUYER, Role.APPLICANT])
def test_the_api_list_costs_a_fixed_number_of_queries(client, directory, who,
                                                       django_assert_max_num_queries):  # fmt: skip
    if who:
        client.force_login(user("Visitor", who))
    # Profiles and their photos; signed in: the session, the user, roles and memberships.
    with django_assert_max_num_queries(2 if who is None else 6):
        response = client.get("/api/v1/directory/profiles", {"limit": 100})
    assert len(response.json()["items"]) == 23
