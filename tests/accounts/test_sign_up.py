import pytest
from django.core import mail
from django.urls import reverse

from singleportal.accounts.models import OneTimeCode, Role, User
from singleportal.audit.models import AuditEntry
from tests.conftest import in_english

pytestmark = pytest.mark.django_db


def sign_up(client, identifier, **extra):
    data = {
        "full_name": "សុខ ចន្ទា",
        "identifier": identifier,
        "password": "Angkor-Wat-1113",
        "preferred_language": "km",
        **extra,
    }
    return client.post(reverse("accounts:signup"), data)


def test_sign_up_by_email_sends_a_code_and_asks_for_it(client):
    response = sign_up(client, "Sokchantha@Example.com")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")
    user = User.objects.get()
    assert user.email == "sokchantha@example.com"
    assert user.roles() == {Role.APPLICANT}
    assert len(mail.outbox) == 1
    code = OneTimeCode.objects.get(user=user).code
    assert code in mail.outbox[0].body
    assert "/accounts/verify/link/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="account.signed_up").count() == 1


def test_sign_up_by_phone_accepts_local_and_khmer_digits(client, sms_outbox):
    response = sign_up(client, "០១២ ៣៤៥ ៦៧៨")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.phone == "+85512345678"
    assert user.email is None
    assert sms_outbox[0]["to"] == "+85512345678"
    assert OneTimeCode.objects.get(user=user).code in sms_outbox[0]["text"]


def test_message_is_in_the_users_language(client, sms_outbox):
    sign_up(client, "012 345 679", preferred_language="en")
    assert "Your Single Portal code is" in sms_outbox[0]["text"]


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("12345", "This is not a valid Cambodian phone number"),
        ("+66 81 234 5678", "Enter a Cambodian phone number (+855)"),
        ("not-an-email@", "Enter an email address"),
        ("phone please", "Enter a phone number such as"),
    ],
)
def test_bad_identifiers_get_a_clear_message_and_nothing_is_written(client, identifier, message):
    in_english(client)
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Dara",
            "identifier": identifier,
            "password": "Angkor-Wat-1113",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not OneTimeCode.objects.exists()


def test_bad_identifier_message_is_translated_to_khmer(client):
    response = sign_up(client, "12345")
    assert "លេខទូរស័ព្ទ" in response.content.decode()


def test_duplicate_email_is_refused_whatever_its_case(client):
    sign_up(client, "dara@example.com")
    client.logout()
    in_english(client)
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Dara",
            "identifier": "DARA@example.com",
            "password": "Angkor-Wat-1113",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    assert "An account with this email address already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_duplicate_phone_in_another_spelling_is_refused(client):
    sign_up(client, "012345678")
    client.logout()
    response = sign_up(client, "+855 12 345 678")
    assert response.status_code == 200
    assert User.objects.count() == 1


def test_weak_password_is_refused_with_the_validators_message(client):
    in_english(client)
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Dara",
            "identifier": "d@example.com",
            "password": "123",
            "preferred_language": "en",
        },
    )
    assert "This password is too short" in response.content.decode()
    assert not User.objects.exists()
