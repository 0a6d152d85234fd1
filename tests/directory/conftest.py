from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import translation

from singleportal.accounts.models import Role
from singleportal.directory import actions
from tests.directory.factories import owned_profile, user


@pytest.fixture(autouse=True)
def _english(client):
    """Tests read English messages: the actions' (outside a request) and the pages' (the
    language switcher's cookie). A test of the Khmer page sets the cookie back to Khmer."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def people(db):
    """Everyone the permission matrices ask about, and a verified profile with an owner and a
    staff member (with contact details and a story)."""
    owner = user("Sok Chantha")
    profile = owned_profile(owner)
    staff_member = user("Mao Sophal")
    actions.add_member(profile, by=owner, identifier=staff_member.username)
    profile = actions.update_profile(
        profile,
        by=owner,
        changes={
            "story_km": "<p>យើងត្បាញសូត្រ</p>",
            "contact_name": "Sok Chantha",
            "contact_phone": "012 555 123",
            "contact_email": "sales@takeosilk.example",
        },
    )
    return SimpleNamespace(
        profile=profile,
        anonymous=None,
        other=user("Other Person"),
        buyer=user("Claire Martin", Role.BUYER),
        owner=owner,
        staff_member=staff_member,
        programme_staff=user("Nhem Rithy", Role.PROGRAMME_STAFF),
    )


def sign_in(client, who):
    if who is not None:
        client.force_login(who)
    return client
