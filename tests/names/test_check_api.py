"""GET /api/v1/names/check: the contract, bad input, rate limit, and query counts."""

import pytest
from django.test import override_settings

from singleportal.audit.models import AuditEntry
from singleportal.names.models import NameReservation
from singleportal.registry.models import Business
from tests.factories import UserFactory
from tests.registry.factories import register

pytestmark = pytest.mark.django_db
URL = "/api/v1/names/check"


def check(client, name, lang="en", **headers):
    return client.get(URL, {"name": name, "lang": lang}, HTTP_ACCEPT_LANGUAGE="en", **headers)


def test_available_name_has_no_conflicts(client):
    response = check(client, "Angkor Silk Co., Ltd.")
    assert response.status_code == 200
    assert response.json() == {
        "name": "Angkor Silk Co., Ltd.",
        "normalized": "angkor silk",
        "available": True,
        "conflicts": [],
    }


def test_identical_registered_name_blocks_and_says_why(client):
    register("ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក", "Angkor Silk Co., Ltd.", number="00012345")
    body = check(client, "The Angkor Silks Limited").json()
    assert body["available"] is False
    [conflict] = body["conflicts"]
    assert conflict["kind"] == "identical"
    assert conflict["registration_number"] == "00012345"
    assert conflict["name"] == "Angkor Silk Co., Ltd."
    assert conflict["status"] == "active"
    for rule in ("LAT-THE", "LAT-LEGAL", "LAT-PLURAL"):
        assert rule in conflict["explanation"]
    km = check(client, "អង្គរស៊ីលក៍ ឯកជន", lang="km").json()
    assert km["available"] is False
    assert km["conflicts"][0]["kind"] == "identical"
    assert "KM-LEGAL" in km["conflicts"][0]["explanation"]


def test_similar_names_warn_closest_first_at_most_ten(client):
    register("អង្គរ ស៊ីលក៍", "Angkor Silk Trading", number="A-1")
    register("អង្គរ ស៊ីល", "Angkor Silky Construction", number="A-2")
    register("មេគង្គ", "Mekong Pepper", number="A-3")
    for i in range(12):
        register(f"អង្គរ ស៊ីលក៍ {i}", f"Angkor Silk {i} Services", number=f"B-{i:02d}")
    body = check(client, "Angkor Silk Handicraft").json()
    kinds = [c["kind"] for c in body["conflicts"]]
    assert body["available"] is True  # similar names warn, they do not block
    # "Angkor Silk Trading" has the same distinctive words: identical in the search key only.
    assert kinds == ["similar"] * 10
    scores = [c["score"] for c in body["conflicts"]]
    assert scores == sorted(scores, reverse=True)
    assert body["conflicts"][0]["registration_number"] == "A-1"
    assert "LAT-DESCRIPTIVE" in body["conflicts"][0]["explanation"]
    assert "LAT-SIMILAR" in body["conflicts"][0]["explanation"]
    assert "A-3" not in [c["registration_number"] for c in body["conflicts"]]


def test_dissolved_businesses_no_longer_hold_their_name(client):
    register("អង្គរ", "Angkor Silk", status="dissolved")
    assert check(client, "Angkor Silk").json()["available"] is True


def test_forbidden_word_blocks_and_restricted_word_warns(client):
    body = check(client, "Royal Angkor Silk").json()
    assert body["available"] is False
    [forbidden] = body["conflicts"]
    assert forbidden["kind"] == "forbidden"
    assert forbidden["rule"] == "RW-ROYAL"
    assert "Royal" in forbidden["explanation"] or "royal" in forbidden["explanation"]
    body = check(client, "Mekong Insurance").json()
    assert body["available"] is True
    assert body["conflicts"][0]["kind"] == "restricted"
    assert "licence" in body["conflicts"][0]["explanation"]
    body = check(client, "ធនាគារ មេគង្គ", lang="km").json()
    assert body["conflicts"][0]["kind"] == "restricted"
    assert check(client, "ក្រសួង មេគង្គ", lang="km").json()["available"] is False


def test_someone_elses_reservation_blocks_but_not_my_own(client):
    from singleportal.names.actions import reserve_name

    owner = UserFactory()
    reserve_name(owner, name_km="អង្គរ ស៊ីលក៍", name_en="Angkor Silk",
                 legal_form="private_limited_company")  # fmt: skip
    body = check(client, "Angkor Silk Co., Ltd.").json()
    assert body["available"] is False
    assert body["conflicts"][0]["kind"] == "reserved"
    assert body["conflicts"][0]["registration_number"] is None
    client.force_login(owner)
    assert check(client, "Angkor Silk Co., Ltd.").json()["available"] is True


BAD_INPUT = [
    ("", "en", "Enter a name"),
    ("   \t  ", "en", "Enter a name"),
    ("\u200b\u200b", "km", "Enter a name"),
    ("A" * 10_000, "en", "at most 200 characters"),
    ("Angkor អង្គរ", "en", "Latin letters only"),
    ("អង្គរ Angkor", "km", "Khmer letters only"),
    ("Angkor\x00Silk", "en", "control characters"),
    ("Angkor\nSilk", "en", "control characters"),
    ("\u202eklis rokgna", "en", "text-direction"),
    ("Angkor\u200fSilk", "en", "text-direction"),
    ("'; DROP TABLE registry_business; --", "en", "cannot contain these characters"),
    ("Robert'); DELETE FROM names_namerule;--", "en", "cannot contain these characters"),
    ("<script>alert(1)</script>", "en", "cannot contain these characters"),
    ("<b>Angkor</b>", "en", "cannot contain these characters"),
    ("Ангкор Silk", "en", "cannot contain these characters"),
    ("12345", "en", "at least one letter"),
    ("Co., Ltd.", "en", "only its legal form"),
    ("ក្រុមហ៊ុន ឯ.ក", "km", "only its legal form"),
    ("Angkor", "fr", "km (Khmer) or en (Latin)"),
]


@pytest.mark.parametrize(("name", "lang", "message"), BAD_INPUT)
def test_bad_input_is_a_clear_422_and_nothing_is_stored(client, name, lang, message):
    before = (Business.objects.count(), NameReservation.objects.count(), AuditEntry.objects.count())
    response = check(client, name, lang=lang)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    after = (Business.objects.count(), NameReservation.objects.count(), AuditEntry.objects.count())
    assert after == before
    assert "<script>" not in response.content.decode()


def test_missing_parameters_are_a_422_too(client):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "Enter a name" in response.json()["detail"]


def test_messages_follow_the_language_asked_for(client):
    from django.utils import translation

    response = client.get(URL, {"name": "", "lang": "en"}, HTTP_ACCEPT_LANGUAGE="km")
    with translation.override("km"):
        from django.utils.translation import gettext

        assert response.json()["detail"] == gettext("Enter a name.")


@override_settings(NAMES_CHECK_RATE="3/60")
def test_rate_limit_answers_429_with_retry_after(client):
    for _ in range(3):
        assert check(client, "Angkor").status_code == 200
    response = check(client, "Angkor")
    assert response.status_code == 429
    retry = int(response["Retry-After"])
    assert 1 <= retry <= 60
    assert f"Try again in {retry} seconds" in response.json()["detail"]
    # Another address is not limited.
    assert check(client, "Angkor", REMOTE_ADDR="10.0.0.9").status_code == 200


def _queries_for(client, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        body = check(client, name).json()
    return len(captured), body


def test_check_queries_do_not_grow_with_the_register(client):
    for i in range(30):
        register(f"អង្គរ {i}", f"Angkor Silk {i}", number=f"Q-{i:02d}")
    few, body = _queries_for(client, "Angkor Silk 1")
    kinds = [c["kind"] for c in body["conflicts"]]
    assert kinds == ["identical"] + ["similar"] * 10
    for i in range(30, 300):
        register(f"អង្គរ {i}", f"Angkor Silk {i}", number=f"Q-{i:03d}")
    many, _ = _queries_for(client, "Angkor Silk 1")
    assert many <= few
    # Rules, words, identical, reservations, and a bounded number of trigram bands.
    assert many <= 20


def test_check_is_public_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/names/check"]["get"]
    assert not operation.get("security")
    assert "names" in operation["tags"]
