import pytest

from singleportal.accounts.demo import seed_demo_users
from singleportal.applications.demo import seed_demo_applications
from singleportal.applications.models import Application, Status

pytestmark = pytest.mark.django_db


def test_demo_applications_are_seeded_once():
    seed_demo_users()
    assert len(seed_demo_applications()) == 3
    assert seed_demo_applications() == []
    submitted = Application.objects.get(status=Status.SUBMITTED)
    assert submitted.reference and submitted.authorisations.filter(revoked_at__isnull=True).exists()
