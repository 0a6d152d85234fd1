from datetime import date

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from singleportal.core.models import PublicHoliday
from tests.factories import UserFactory, totp_device

pytestmark = pytest.mark.usefixtures("holidays_2026_2027")


@pytest.fixture
def operator_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    device = totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # second factor passed
    session.save()
    return client


def test_holidays_filter_by_year_and_search_by_name(operator_client):
    url = reverse("admin:core_publicholiday_changelist")
    water = operator_client.get(url, {"year": "2026", "q": "Water"}).content.decode()
    assert water.count('name="_selected_action"') == 3  # 23-25 November 2026, not 2027's

    khmer = operator_client.get(url, {"year": "2026", "q": "ចូលឆ្នាំថ្មី"}).content.decode()
    assert khmer.count('name="_selected_action"') == 3
    assert "ពិធីបុណ្យចូលឆ្នាំថ្មីប្រពៃណីជាតិ" in khmer


def test_a_year_that_is_not_a_number_is_ignored(operator_client):
    url = reverse("admin:core_publicholiday_changelist")
    assert operator_client.get(url, {"year": "20x6"}).status_code == 200


def test_a_holiday_saved_in_the_admin_is_marked_as_the_operators(operator_client):
    holiday = PublicHoliday.objects.get(date=date(2026, 9, 24))
    response = operator_client.post(
        reverse("admin:core_publicholiday_change", args=[holiday.pk]),
        {"date": "2026-09-24", "name_km": holiday.name_km, "name_en": "Constitution Day (moved)"},
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert (holiday.name_en, holiday.source) == ("Constitution Day (moved)", "operator")
