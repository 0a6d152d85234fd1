"""The demo directory: 36 producers, two thirds verified, seeded once however often it runs."""

import pytest

from singleportal.accounts.demo import seed_demo_users
from singleportal.accounts.models import User
from singleportal.directory.demo import APPLICANT, seed_demo_directory
from singleportal.directory.models import MemberRole, Profile, ProfileMember, ProfilePhoto
from singleportal.registry.models import Business
from tests.directory.factories import registered_by

pytestmark = pytest.mark.django_db


def test_demo_directory_is_seeded_once_with_verified_and_village_profiles(client):
    seed_demo_users()
    applicant = User.objects.get(username=APPLICANT)
    own = registered_by(applicant)  # as the agencies' demo registers the applicant's file
    assert seed_demo_directory() == 36  # the applicant's claim is not counted
    businesses = Business.objects.count()
    assert seed_demo_directory() == 0
    assert Business.objects.count() == businesses
    profiles = Profile.objects.all()
    assert profiles.count() == 37
    assert profiles.filter(business__isnull=False).count() == 25  # 24 crafts + the applicant's
    assert profiles.filter(business__isnull=True).count() == 12
    assert ProfilePhoto.objects.count() == 36
    assert not Profile.objects.filter(province__isnull=True).exists()
    owned = ProfileMember.objects.get(user=applicant, profile__business=own)
    assert owned.role == MemberRole.OWNER
    client.force_login(applicant)
    assert client.get(f"/directory/{owned.profile.slug}/edit/").status_code == 200
    assert client.get("/directory/", {"verified": "1"}).status_code == 200
