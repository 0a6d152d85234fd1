from datetime import date

import pytest
from django.urls import reverse

from singleportal.accounts.models import Role
from singleportal.audit.chain import verify
from singleportal.audit.models import AuditEntry
from singleportal.core.models import PublicHoliday
from tests.factories import PASSWORD, UserFactory, current_totp, totp_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client):
    """An operator signed in with password and second factor, as the admin requires."""
    operator = UserFactory(roles=[Role.OPERATOR], is_staff=True, is_superuser=True)
    device = totp_device(operator)
    client.post(reverse("accounts:login"), {"username": operator.email, "password": PASSWORD})
    client.post(reverse("accounts:second_factor"), {"token": current_totp(device)})
    return client


def test_admin_needs_the_second_factor(client):
    operator = UserFactory(roles=[Role.OPERATOR], is_staff=True)
    totp_device(operator)
    client.post(reverse("accounts:login"), {"username": operator.email, "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second_factor")


def test_a_holiday_added_in_the_admin_is_audited_and_marked_operator(operator_client):
    response = operator_client.post(
        "/admin/core/publicholiday/add/",
        {"date": "2026-12-31", "name_km": "ថ្ងៃឈប់សម្រាកបន្ថែម", "name_en": "Extra day off"},
    )
    assert response.status_code == 302
    holiday = PublicHoliday.objects.get(date=date(2026, 12, 31))
    assert holiday.source == PublicHoliday.Source.OPERATOR
    entry = AuditEntry.objects.get(action="admin.added")
    assert entry.object_id == str(holiday.pk)
    assert verify().ok


def test_a_holiday_deleted_in_the_admin_leaves_an_audit_entry_naming_it(operator_client):
    holiday = PublicHoliday.objects.filter(date__year=2026).first()
    operator_client.post(f"/admin/core/publicholiday/{holiday.pk}/delete/", {"post": "yes"})
    assert not PublicHoliday.objects.filter(pk=holiday.pk).exists()
    entry = AuditEntry.objects.get(action="admin.deleted")
    assert entry.details["model"] == "core.publicholiday"
    assert entry.details["id"] == str(holiday.pk)
