from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from singleportal.accounts import actions
from singleportal.accounts.models import CodePurpose, OneTimeCode, User
from singleportal.accounts.tasks import verification_link_token
from tests.conftest import in_english

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_user(client):
    client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Keo Ratana",
            "identifier": "ratana@example.com",
            "password": "Angkor-Wat-1113",
            "preferred_language": "en",
        },
    )
    return User.objects.get()


def latest_code(user):
    return OneTimeCode.objects.filter(user=user).latest("created_at")


def test_right_code_verifies_the_account(client, new_user):
    response = client.post(reverse("accounts:verify"), {"code": latest_code(new_user).code})
    assert response.status_code == 302
    new_user.refresh_from_db()
    assert new_user.verified_at is not None


def test_code_typed_in_khmer_digits_works(client, new_user):
    khmer = latest_code(new_user).code.translate(str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩"))
    client.post(reverse("accounts:verify"), {"code": khmer})
    new_user.refresh_from_db()
    assert new_user.verified_at is not None


def test_wrong_codes_are_counted_and_lock_the_code_after_five(client, new_user):
    in_english(client)
    code = latest_code(new_user)
    wrong = f"{(int(code.code) + 1) % 1_000_000:06d}"
    for _ in range(OneTimeCode.MAX_ATTEMPTS):
        response = client.post(reverse("accounts:verify"), {"code": wrong})
        assert "The code is not right" in response.content.decode()
    response = client.post(reverse("accounts:verify"), {"code": code.code})
    assert "expired or was used too many times" in response.content.decode()
    new_user.refresh_from_db()
    assert new_user.verified_at is None


def test_expired_code_is_refused(client, new_user):
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.post(reverse("accounts:verify"), {"code": latest_code(new_user).code})
    new_user.refresh_from_db()
    assert new_user.verified_at is None


def test_email_link_verifies_without_typing(client, new_user):
    token = verification_link_token(latest_code(new_user).pk)
    client.logout()
    response = client.get(reverse("accounts:verify_link", args=[token]))
    assert response.status_code == 302
    new_user.refresh_from_db()
    assert new_user.verified_at is not None


def test_tampered_link_is_refused(client, new_user):
    token = verification_link_token(latest_code(new_user).pk)[:-2] + "xx"
    client.get(reverse("accounts:verify_link", args=[token]))
    new_user.refresh_from_db()
    assert new_user.verified_at is None


def test_resend_is_limited_to_once_a_minute_and_old_codes_stop_working(client, new_user):
    first = latest_code(new_user)
    client.post(reverse("accounts:resend_code"))
    assert OneTimeCode.objects.count() == 1  # too soon
    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    client.post(reverse("accounts:resend_code"))
    assert OneTimeCode.objects.count() == 2
    assert len(mail.outbox) == 2
    client.post(reverse("accounts:verify"), {"code": first.code})
    new_user.refresh_from_db()
    assert new_user.verified_at is None


def test_password_reset_by_code(client, new_user):
    client.logout()
    client.post(reverse("accounts:reset_request"), {"identifier": "RATANA@example.com"})
    code = OneTimeCode.objects.get(purpose=CodePurpose.RESET)
    response = client.post(
        reverse("accounts:reset_confirm"), {"code": code.code, "new_password": "Bayon-Temple-77"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:login"), {"username": "ratana@example.com", "password": "Bayon-Temple-77"}
    )
    assert response.status_code == 302


def test_password_reset_for_unknown_account_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("accounts:reset_request"), {"identifier": "who@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_a_used_reset_code_cannot_be_used_twice(new_user):
    actions.request_password_reset("ratana@example.com")
    code = OneTimeCode.objects.get(purpose=CodePurpose.RESET).code
    actions.reset_password(
        identifier="ratana@example.com", code=code, new_password="Bayon-Temple-77"
    )
    with translation.override("en"), pytest.raises(ValidationError, match="expired or was used"):
        actions.reset_password(
            identifier="ratana@example.com", code=code, new_password="Bayon-Temple-78"
        )


def test_delivery_task_sends_once_even_if_run_twice(new_user):
    from singleportal.accounts.tasks import deliver_code

    code = latest_code(new_user)
    deliver_code(code.pk)
    assert len(mail.outbox) == 1
