"""The open data API: search with filters and cursor pages, one business with ETags, no
personal data, and rate limits per address or per API key (429 with Retry-After, 401 for a
wrong key), on the locmem cache and once on the real Redis."""

import json
import socket

import pytest
from django.core.cache import caches
from django.urls import reverse

from singleportal.accounts.models import Role
from singleportal.registry import events, metering
from singleportal.registry.api import BusinessOut, BusinessPageOut
from singleportal.registry.models import ApiKey
from tests.factories import PASSWORD, UserFactory, current_totp, totp_device
from tests.registry.factories import register
from tests.registry.test_public_helpers import SECRETS, enter, fresh_cache

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"


@pytest.fixture(autouse=True)
def _fresh_cache():
    fresh_cache()


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["registration_number"] for item in response.json()["items"]]


def make_key(rate: str = "", active: bool = True) -> str:
    key, prefix, digest = metering.new_key()
    ApiKey.objects.create(
        name="Journalists' desk", owner=UserFactory(), prefix=prefix, key_hash=digest,
        rate=rate, active=active,
    )  # fmt: skip
    return key


def test_search_by_khmer_and_latin_name_number_tin_and_filters(client):
    silk = enter(tax=True, activities=(("1311", True),))
    pepper = enter("សហគ្រាស មេគង្គ ម្រេច", "Mekong Pepper", legal_form="sole_proprietorship")
    old = register("ហាង ចាស់", "Old Shop", number="T-900001", status="struck_off")
    assert numbers(client.get(f"{API}/businesses", {"q": "អង្គរ ស៊ីលក៍"})) == [silk.registration_number]
    assert numbers(client.get(f"{API}/businesses", {"q": "mekong pepper co ltd"})) == [
        pepper.registration_number
    ]
    assert numbers(
        client.get(f"{API}/businesses", {"registration_number": pepper.registration_number})
    ) == [pepper.registration_number]
    assert numbers(client.get(f"{API}/businesses", {"tin": silk.tin})) == [silk.registration_number]
    assert numbers(client.get(f"{API}/businesses", {"legal_form": "sole_proprietorship"})) == [
        pepper.registration_number
    ]
    assert numbers(client.get(f"{API}/businesses", {"status": "struck_off"})) == [
        old.registration_number
    ]
    assert numbers(client.get(f"{API}/businesses", {"activity": "13"})) == [
        silk.registration_number
    ]
    assert numbers(
        client.get(f"{API}/businesses", {"province": silk.province_id, "q": "angkor"})
    ) == [silk.registration_number]
    bad = client.get(f"{API}/businesses", {"status": "asleep"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 422 and "Unknown status" in bad.json()["detail"]


def test_a_page_fits_the_documented_schema(client):
    enter(tax=True)
    body = client.get(f"{API}/businesses", {"q": "angkor"}).json()
    BusinessPageOut.model_validate(body)
    assert body["items"][0]["province"]["code"]


def test_cursor_pages_are_stable_when_businesses_are_added(client):
    first_ten = [register(f"ហាង {i}", f"Shop {i}", number=f"B-{i:04d}") for i in range(10, 20)]
    page = client.get(f"{API}/businesses", {"limit": 4}).json()
    seen = [item["registration_number"] for item in page["items"]]
    # Businesses registered meanwhile, before and after the cursor, move nothing already seen.
    register("ហាង ថ្មី", "New Shop", number="B-0001")
    register("ហាង ថ្មី ២", "New Shop Two", number="B-0015a")
    cursor = page["next_cursor"]
    while cursor:
        page = client.get(f"{API}/businesses", {"limit": 4, "cursor": cursor}).json()
        seen += [item["registration_number"] for item in page["items"]]
        cursor = page["next_cursor"]
    expected = sorted([b.registration_number for b in first_ten] + ["B-0015a"])
    assert seen == expected  # no repeats, no gaps; the one before the cursor is not shown
    assert client.get(f"{API}/businesses", {"cursor": "not-ours"}).status_code == 422


def test_name_search_pages_in_name_order_are_stable_when_businesses_are_added(client):
    for i in (14, 11, 17, 10, 19, 12, 15, 13, 18, 16):
        register(f"ហាង {i}", f"Shop {i}", number=f"C-{30 - i:04d}")
    page = client.get(f"{API}/businesses", {"q": "shop", "limit": 3}).json()
    seen = [item["name_en"] for item in page["items"]]
    register("ហាង ថ្មី", "Shop 100", number="C-0099")  # sorts before the cursor: not shown
    register("ហាង ១៥ ក", "Shop 15 A", number="C-0098")  # after it: shown in its place
    cursor = page["next_cursor"]
    while cursor:
        page = client.get(f"{API}/businesses", {"q": "shop", "limit": 3, "cursor": cursor}).json()
        seen += [item["name_en"] for item in page["items"]]
        cursor = page["next_cursor"]
    assert seen == [f"Shop {i}" for i in range(10, 16)] + ["Shop 15 A"] + [
        f"Shop {i}" for i in range(16, 20)
    ]
    # A cursor of a name search means nothing to a search without a name.
    number_cursor = client.get(f"{API}/businesses", {"q": "shop", "limit": 1}).json()
    assert client.get(f"{API}/businesses", {"cursor": number_cursor["next_cursor"]}).json() == {
        "items": [], "next_cursor": None,
    }  # fmt: skip


def test_one_business_with_etag_and_304(client, django_assert_num_queries):
    business = enter(tax=True, opening=True, address=True)
    url = f"{API}/businesses/{business.registration_number}"
    response = client.get(url)
    assert response.status_code == 200
    BusinessOut.model_validate(response.json())
    etag = response["ETag"]
    with django_assert_num_queries(1):  # the version; the answer is cached
        again = client.get(url)
    assert again.content == response.content and again["ETag"] == etag
    with django_assert_num_queries(1):
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    events.change_status(business, "suspended", by=None)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["status"] == "suspended"
    assert client.get(f"{API}/businesses/1999999999").status_code == 404


def test_personal_data_never_appears_in_answers(client):
    business = enter(tax=True, opening=True, address=True)
    entry = client.get(f"{API}/businesses/{business.registration_number}").content.decode()
    listing = client.get(f"{API}/businesses", {"q": "angkor"}).content.decode()
    stream = client.get(f"{API}/events").content.decode()
    for body in (entry, listing, stream):
        for secret in SECRETS:
            assert secret not in body, secret
    officers = json.loads(entry)["officers"]
    assert officers == [
        {"role": "shareholder", "name_km": "សុខ ចន្ទា", "name_en": "Sok Chanda"},
        {"role": "director", "name_km": "ចាន់ ដារ៉ា", "name_en": ""},
    ]
    assert set(json.loads(entry)["address"]) == {"province", "district", "commune"}


def test_query_counts_are_pinned(client, django_assert_num_queries):
    for i in range(30):
        register(f"ហាង {i}", f"Shop {i}", number=f"Q-{i:04d}")
    key = make_key()
    with django_assert_num_queries(1):
        client.get(f"{API}/businesses", {"limit": 100})
    with django_assert_num_queries(3):  # the key, its last use (once an hour), the page
        client.get(f"{API}/businesses", {"limit": 100}, HTTP_X_API_KEY=key)
    with django_assert_num_queries(2):  # the key (its last use is fresh), the events
        client.get(f"{API}/events", HTTP_X_API_KEY=key)


def test_anonymous_callers_are_limited_with_429_and_retry_after(client, settings):
    settings.REGISTRY_API_ANON_RATE = "3/60"
    for _ in range(3):
        assert client.get(f"{API}/events").status_code == 200
    refused = client.get(f"{API}/businesses", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Try again in" in refused.json()["detail"]
    other_address = client.get(f"{API}/events", REMOTE_ADDR="203.0.113.9")
    assert other_address.status_code == 200


def test_a_key_gets_its_higher_rate_and_a_wrong_key_is_401(client, settings):
    settings.REGISTRY_API_ANON_RATE = "2/60"
    settings.REGISTRY_API_KEY_RATE = "5/60"
    key = make_key()
    for _ in range(2):
        client.get(f"{API}/events")
    assert client.get(f"{API}/events").status_code == 429
    answers = [client.get(f"{API}/events", HTTP_X_API_KEY=key) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert answers[0]["X-RateLimit-Remaining"] == "4"
    assert "Retry-After" in answers[-1]
    assert client.get(f"{API}/events", HTTP_X_API_KEY="spk_wrong").status_code == 401
    off = make_key(active=False)
    assert client.get(f"{API}/events", HTTP_X_API_KEY=off).status_code == 401
    own_rate = make_key(rate="8/60")
    assert [client.get(f"{API}/events", HTTP_X_API_KEY=own_rate).status_code
            for _ in range(9)].count(200) == 8  # fmt: skip


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_limits_hold_on_the_real_redis(client, settings):
    """The production cache: the counter lives in Redis, so every web node sees it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-registry-{socket.gethostname()}-{id(client)}",
        }
    }
    caches["default"].clear()
    try:
        settings.REGISTRY_API_ANON_RATE = "2/60"
        codes = [client.get(f"{API}/events", REMOTE_ADDR="198.51.100.7").status_code
                 for _ in range(3)]  # fmt: skip
        assert codes == [200, 200, 429]
        keys = caches["default"]._cache.get_client().keys("*registry-api*198.51.100.7*")
        assert keys  # counted in Redis, not in the process
    finally:
        caches["default"].clear()


def test_the_operator_makes_a_key_in_the_admin_and_sees_it_once(client):
    operator = UserFactory(roles=[Role.OPERATOR], is_staff=True, is_superuser=True)
    device = totp_device(operator)
    client.post(reverse("accounts:login"), {"username": operator.email, "password": PASSWORD})
    client.post(reverse("accounts:second_factor"), {"token": current_totp(device)})
    owner = UserFactory()
    response = client.post(
        "/admin/registry/apikey/add/",
        {"name": "Phnom Penh Post", "owner": owner.pk, "active": "on", "rate": "600/60"},
        follow=True,
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="Phnom Penh Post")
    shown = [str(m) for m in response.context["messages"]]
    raw = next(word for m in shown for word in m.split() if word.startswith("spk_"))
    assert metering.hash_key(raw) == key.key_hash and raw.startswith(key.prefix)
    assert raw not in str(ApiKey.objects.values().get(pk=key.pk))
