"""Reserving a name pair: who may, for how long, once extended, released on cancel or use."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from singleportal.audit.models import AuditEntry
from singleportal.names import actions, tasks
from singleportal.names.models import NameReservation, ReservationStatus
from tests.factories import UserFactory
from tests.registry.factories import register

pytestmark = pytest.mark.django_db
PAIR = {"name_km": "អង្គរ ស៊ីលក៍", "name_en": "Angkor Silk", "legal_form": "private_limited_company"}


def test_reserving_an_available_pair_holds_it_for_thirty_days():
    user = UserFactory()
    reservation = actions.reserve_name(user, **PAIR)
    assert reservation.status == ReservationStatus.ACTIVE
    days = (reservation.expires_at - timezone.now()).total_seconds() / 86400
    assert 29.9 < days <= 30
    assert reservation.name_en_normalized == "angkorsilk"
    assert AuditEntry.objects.filter(action="name.reserved").count() == 1
    assert list(reservation.events.values_list("action", flat=True)) == ["reserve"]


def test_someone_else_cannot_reserve_the_same_name_in_any_spelling():
    actions.reserve_name(UserFactory(), **PAIR)
    with pytest.raises(ValidationError) as caught:
        actions.reserve_name(
            UserFactory(), **{**PAIR, "name_en": "The Angkor Silks Co., Ltd.",
                              "name_km": "ក្រុមហ៊ុន អង្គរស៊ីលក៍ ឯ.ក"}
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"name_km", "name_en"}


def test_a_registered_or_forbidden_name_cannot_be_reserved():
    register("អង្គរ ស៊ីលក៍", "Angkor Silk Co., Ltd.")
    with pytest.raises(ValidationError) as caught:
        actions.reserve_name(UserFactory(), **PAIR)
    assert "name_en" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.reserve_name(UserFactory(), **{**PAIR, "name_en": "Royal Mekong",
                                               "name_km": "មេគង្គ"})  # fmt: skip
    assert list(caught.value.message_dict) == ["name_en"]
    assert not NameReservation.objects.exists()


def test_legal_form_must_be_a_known_code():
    with pytest.raises(ValidationError) as caught:
        actions.reserve_name(UserFactory(), **{**PAIR, "legal_form": "llc"})
    assert "legal_form" in caught.value.message_dict


def test_an_applicant_holds_at_most_three_names(settings):
    settings.NAMES_MAX_ACTIVE_RESERVATIONS = 2
    user = UserFactory()
    actions.reserve_name(user, **PAIR)
    actions.reserve_name(user, name_km="មេគង្គ", name_en="Mekong", legal_form="sole_proprietorship")
    with pytest.raises(ValidationError, match="at most 2"):
        actions.reserve_name(
            user, name_km="បាយ័ន", name_en="Bayon", legal_form="sole_proprietorship"
        )


def test_extension_once_adds_the_period_again():
    user = UserFactory()
    reservation = actions.reserve_name(user, **PAIR)
    first_expiry = reservation.expires_at
    extended = actions.extend_reservation(user, reservation)
    assert extended.expires_at == first_expiry + timedelta(days=30)
    with pytest.raises(ValidationError, match="only once"):
        actions.extend_reservation(user, extended)


def test_only_the_holder_may_change_a_reservation():
    reservation = actions.reserve_name(UserFactory(), **PAIR)
    with pytest.raises(PermissionDenied):
        actions.cancel_reservation(UserFactory(), reservation)


def test_cancel_releases_the_name_for_others():
    user = UserFactory()
    reservation = actions.reserve_name(user, **PAIR)
    actions.cancel_reservation(user, reservation)
    other = actions.reserve_name(UserFactory(), **PAIR)
    assert other.status == ReservationStatus.ACTIVE
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CANCELLED
    with pytest.raises(ValidationError):
        actions.extend_reservation(user, reservation)


def test_use_ends_the_reservation():
    user = UserFactory()
    reservation = actions.reserve_name(user, **PAIR)
    used = actions.use_reservation(user, reservation, note="application 42")
    assert used.status == ReservationStatus.USED
    assert list(used.events.values_list("action", flat=True)) == ["reserve", "use"]


def test_scheduled_job_expires_old_reservations_and_frees_the_name():
    user = UserFactory()
    reservation = actions.reserve_name(user, **PAIR)
    NameReservation.objects.filter(pk=reservation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert tasks.expire_name_reservations.delay().get() == 1
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.EXPIRED
    assert tasks.expire_name_reservations.delay().get() == 0  # idempotent
    assert actions.reserve_name(UserFactory(), **PAIR).status == ReservationStatus.ACTIVE


def test_an_expired_but_unswept_reservation_does_not_block():
    reservation = actions.reserve_name(UserFactory(), **PAIR)
    NameReservation.objects.filter(pk=reservation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert actions.reserve_name(UserFactory(), **PAIR).status == ReservationStatus.ACTIVE
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.EXPIRED


def test_reminder_is_sent_once_before_expiry(django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="en")
    reservation = actions.reserve_name(user, **PAIR)
    NameReservation.objects.filter(pk=reservation.pk).update(
        expires_at=timezone.now() + timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_name_reservations.delay().get() == 1
    assert len(mail.outbox) == 1
    assert "Angkor Silk" in mail.outbox[0].subject
    assert "/names/reservations/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_name_reservations.delay().get() == 0
    tasks.send_reservation_reminder.delay(reservation.pk)
    assert len(mail.outbox) == 1


def test_reminder_goes_by_sms_to_phone_only_accounts(sms_outbox):
    user = UserFactory(email=None, phone="+85512345678", username="+85512345678")
    reservation = actions.reserve_name(user, **PAIR)
    tasks.send_reservation_reminder.delay(reservation.pk)
    assert len(sms_outbox) == 1


# --- API ---------------------------------------------------------------------------------


def test_api_reserve_list_extend_cancel(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/api/v1/names/reservations", PAIR, content_type="application/json")
    assert response.status_code == 201, response.content
    reservation_id = response.json()["id"]
    actions.reserve_name(user, name_km="មេគង្គ", name_en="Mekong", legal_form="sole_proprietorship")
    with django_assert_max_num_queries(4):
        listed = client.get("/api/v1/names/reservations").json()
    assert [r["name_en"] for r in listed] == ["Mekong", "Angkor Silk"]
    extended = client.post(f"/api/v1/names/reservations/{reservation_id}/extend")
    assert extended.status_code == 200
    assert extended.json()["can_extend"] is False
    again = client.post(f"/api/v1/names/reservations/{reservation_id}/extend",
                        HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert again.status_code == 422
    assert "only once" in again.json()["detail"]
    cancelled = client.post(f"/api/v1/names/reservations/{reservation_id}/cancel")
    assert cancelled.json()["status"] == "cancelled"


def test_api_refuses_taken_names_and_hides_others_reservations(client):
    holder = UserFactory()
    reservation = actions.reserve_name(holder, **PAIR)
    client.force_login(UserFactory())
    response = client.post(
        "/api/v1/names/reservations", PAIR, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 422
    assert "reserved this name" in response.json()["detail"]
    assert client.post(f"/api/v1/names/reservations/{reservation.pk}/cancel").status_code == 404
    assert client.get("/api/v1/names/reservations").json() == []


def test_api_reservations_need_sign_in(client):
    assert client.get("/api/v1/names/reservations").status_code == 401
    assert client.post("/api/v1/names/reservations", PAIR,
                       content_type="application/json").status_code == 401  # fmt: skip


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests match the English messages of the actions."""
    with translation.override("en"):
        yield
