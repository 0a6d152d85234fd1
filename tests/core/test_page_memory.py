"""Whole anonymous pages kept in the web process (core/page_memory.py), as the registry's
business pages and the certificates' verification pages use it: a page served from there is the
page a visitor would have had, with their own working CSRF token and CSP nonce, and never
another business's or an older version."""

import re

import pytest
from django.test import Client

from singleportal.registry import events, views
from singleportal.registry.models import BusinessStatus
from tests.factories import UserFactory
from tests.registry.test_public_helpers import enter, fresh_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    fresh_cache()
    views.business_pages.clear()


def _token(body: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def test_a_remembered_page_costs_one_query_and_its_language_switch_still_works(
    django_assert_num_queries,
):
    url = f"/registry/{enter().registration_number}/"
    first = Client(enforce_csrf_checks=True).get(url)
    assert len(views.business_pages) == 1
    visitor = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(1):  # the version only: no shared cache, no rendering
        again = visitor.get(url)
    assert again.status_code == 200
    assert again.content.decode().replace(_token(again.content.decode()), "") == (
        first.content.decode().replace(_token(first.content.decode()), "")
    )
    # The visitor's own token, with the cookie it came with, passes the CSRF check.
    switched = visitor.post(
        "/i18n/setlang/",
        {"language": "en", "next": url, "csrfmiddlewaretoken": _token(again.content.decode())},
    )
    assert switched.status_code == 302
    if 'nonce="' in again.content.decode():  # a page with a script: the response's own nonce
        nonce = re.search(r'nonce="([^"]+)"', again.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in again["Content-Security-Policy"]


def test_a_change_to_the_business_shows_at_once():
    business = enter()
    url = f"/registry/{business.registration_number}/"
    assert "រំលាយ" not in Client().get(url).content.decode()  # Dissolved
    Client().get(url)  # remembered
    events.change_status(business, BusinessStatus.DISSOLVED, by=None)
    assert "រំលាយ" in Client().get(url).content.decode()


def test_signed_in_visitors_get_their_own_page_not_a_remembered_one(client):
    url = f"/registry/{enter().registration_number}/"
    Client().get(url)
    client.force_login(UserFactory())
    body = client.get(url).content.decode()
    assert "/accounts/login/" not in body  # the signed-in header, not the anonymous one
