import pytest
from django.urls import reverse

from singleportal.accounts.models import Role
from tests.conftest import in_english
from tests.factories import PASSWORD, UserFactory, current_totp, officer, totp_device

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=PASSWORD):
    in_english(client)
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_sign_in_with_email_in_any_case(client):
    UserFactory(email="dara@example.com")
    response = sign_in(client, "Dara@Example.com")
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_sign_in_with_phone_in_local_form(client):
    UserFactory(email=None, phone="+85512345678", username="+85512345678")
    assert sign_in(client, "012 345 678").status_code == 302


def test_wrong_password_gets_a_clear_message(client):
    UserFactory(email="dara@example.com")
    response = sign_in(client, "dara@example.com", "wrong")
    assert "The email, phone number or password is not right" in response.content.decode()


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client):
    UserFactory(email="dara@example.com")
    for _ in range(5):
        sign_in(client, "dara@example.com", "wrong")
    response = sign_in(client, "DARA@example.com")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_unverified_user_is_sent_to_verify_after_sign_in(client):
    UserFactory(email="new@example.com", verified_at=None)
    response = sign_in(client, "new@example.com")
    assert response["Location"] == reverse("accounts:verify")


def test_officer_must_pass_second_factor_before_any_page(client):
    user = officer("MOC")
    device = totp_device(user)
    sign_in(client, user.email)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    code_page = reverse("accounts:second_factor") + "?next=%2Faccounts%2Fprofile%2F"
    assert response["Location"] == code_page

    response = client.post(code_page, {"token": current_totp(device)})
    assert response["Location"] == reverse("accounts:profile")  # back where the officer went
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_after_the_second_factor_an_officer_lands_in_the_back_office_not_elsewhere(client):
    user = officer("MOC")
    device = totp_device(user)
    sign_in(client, user.email)
    page = reverse("accounts:second_factor") + "?next=https%3A%2F%2Fevil.example%2F"
    response = client.post(page, {"token": current_totp(device)})
    assert response["Location"] == reverse("agencies:home")


def test_wrong_second_factor_code_is_refused(client):
    user = officer("GDT")
    totp_device(user)
    sign_in(client, user.email)
    response = client.post(reverse("accounts:second_factor"), {"token": "000000"})
    assert "The code is not right." in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_operator_without_device_sets_one_up_with_a_qr_code(client):
    user = UserFactory(roles=[Role.OPERATOR])
    sign_in(client, user.email)
    response = client.get(reverse("accounts:second_factor"))
    assert "<svg" in response.content.decode()
    device = user.totpdevice_set.get(confirmed=False)
    client.post(reverse("accounts:second_factor"), {"token": current_totp(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_applicant_needs_no_second_factor(client):
    user = UserFactory()
    sign_in(client, user.email)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_profile_change_sets_language(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "  ", "preferred_language": "en"}
    )
    assert response.status_code == 200  # blank name refused, nothing saved
    client.post(reverse("accounts:profile"), {"full_name": "Chan Dara", "preferred_language": "en"})
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Chan Dara", "en")


def test_a_new_device_follows_the_users_language_after_sign_in(client):
    UserFactory(email="claire@example.com", preferred_language="en")
    client.post(reverse("accounts:login"), {"username": "claire@example.com", "password": PASSWORD})
    assert '<html lang="en">' in client.get(reverse("accounts:profile")).content.decode()


def test_a_language_chosen_on_the_sign_in_page_is_kept(client):
    UserFactory(email="dara@example.com", preferred_language="km")
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    client.post(reverse("accounts:login"), {"username": "dara@example.com", "password": PASSWORD})
    assert '<html lang="en">' in client.get(reverse("accounts:profile")).content.decode()
