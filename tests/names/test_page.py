"""The name check page: works without JavaScript, with htmx, in Khmer and English."""

import pytest
from django.test import override_settings

from singleportal.names.models import NameReservation
from tests.conftest import in_english
from tests.factories import UserFactory
from tests.registry.factories import register

pytestmark = pytest.mark.django_db


def test_page_without_a_name_shows_the_form(client):
    in_english(client)
    response = client.get("/names/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Check a business name</h1>" in html
    assert 'hx-trigger="input changed delay:300ms"' in html
    assert 'for="id_name_km"' in html and 'for="id_name_en"' in html
    assert "<script>" not in html.replace("<script src=", "")  # no inline scripts (CSP)
    assert "style=" not in html


def test_form_submit_checks_both_names(client):
    in_english(client)
    register("ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក", "Angkor Silk Co., Ltd.", number="00012345")
    response = client.get("/names/", {"name_km": "អង្គរ ស៊ីលក៍", "name_en": "Mekong Pepper"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Same name registered" in html
    assert "00012345" in html
    assert "KM-LEGAL" in html
    assert "Available" in html  # the Latin name
    assert "Both names must be available" in html


def test_htmx_request_gets_only_the_results(client):
    in_english(client)
    response = client.get("/names/", {"name_en": "Angkor"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="name-results"')
    assert "<html" not in html


def test_bad_input_is_shown_beside_the_field(client):
    in_english(client)
    response = client.get("/names/", {"name_en": "<script>x</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "cannot contain these characters" in html
    assert "<script>x" not in html


def test_available_pair_offers_sign_in_then_reservation(client):
    in_english(client)
    query = {"name_km": "មេគង្គ ម្រេច", "name_en": "Mekong Pepper"}
    html = client.get("/names/", query).content.decode()
    assert "Sign in to reserve this name" in html
    user = UserFactory()
    client.force_login(user)
    html = client.get("/names/", query).content.decode()
    assert "Reserve this name" in html
    response = client.post("/names/reserve/", {**query, "legal_form": "private_limited_company"})
    assert response.status_code == 302
    assert response["Location"] == "/names/reservations/"
    assert NameReservation.objects.get().applicant == user
    page = client.get("/names/reservations/").content.decode()
    assert "Mekong Pepper" in page and "Extend" in page


def test_reserving_a_taken_name_through_the_page_shows_why(client):
    in_english(client)
    register("មេគង្គ ម្រេច", "Mekong Pepper")
    client.force_login(UserFactory())
    response = client.post(
        "/names/reserve/",
        {"name_km": "មេគង្គ ម្រេច", "name_en": "Mekong Pepper", "legal_form": "sole_proprietorship"},
    )
    assert response.status_code == 422
    assert "Same name registered" in response.content.decode()
    assert not NameReservation.objects.exists()


def test_reserving_needs_sign_in(client):
    response = client.post("/names/reserve/", {"name_km": "x", "name_en": "y"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_extend_and_cancel_from_the_list(client):
    in_english(client)
    user = UserFactory()
    client.force_login(user)
    client.post("/names/reserve/", {"name_km": "បាយ័ន", "name_en": "Bayon",
                                    "legal_form": "sole_proprietorship"})  # fmt: skip
    reservation = NameReservation.objects.get()
    client.post(f"/names/reservations/{reservation.pk}/extend/")
    reservation.refresh_from_db()
    assert reservation.extended_at is not None
    client.post(f"/names/reservations/{reservation.pk}/cancel/")
    reservation.refresh_from_db()
    assert reservation.status == "cancelled"
    other = UserFactory()
    client.force_login(other)
    assert client.post(f"/names/reservations/{reservation.pk}/cancel/").status_code == 404


@override_settings(NAMES_CHECK_RATE="1/60")
def test_page_is_rate_limited_too(client):
    in_english(client)
    assert client.get("/names/", {"name_en": "Angkor"}).status_code == 200
    response = client.get("/names/", {"name_en": "Angkor"})
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "Too many name checks" in response.content.decode()


def test_page_is_in_khmer_by_default(client):
    response = client.get("/names/")
    assert '<html lang="km">' in response.content.decode()
