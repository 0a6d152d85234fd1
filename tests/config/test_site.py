import pytest
from django.core.cache.backends.redis import RedisCache

from tests.conftest import in_english

pytestmark = pytest.mark.django_db


def test_health_answers_ok_when_the_database_is_reachable(client):
    response = client.get("/health/")
    assert response.json() == {"status": "ok"}


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_home_page_is_khmer_by_default_and_english_on_request(client):
    khmer = client.get("/").content.decode()
    assert '<html lang="km">' in khmer
    assert "ក្រសួងពាណិជ្ជកម្ម" in khmer  # the agencies, in Khmer
    in_english(client)
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english
    assert "Ministry of Commerce" in english


def test_language_switch_is_remembered(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


@pytest.mark.broker
def test_production_cache_on_redis_stores_and_reads():
    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "singleportal-test"})
    cache.set("greeting", "សួស្តី", 30)
    assert cache.get("greeting") == "សួស្តី"
    cache.delete("greeting")


def test_the_site_stylesheet_is_found_by_the_static_files_finders():
    from django.contrib.staticfiles import finders

    assert finders.find("css/site.css") is not None


def test_a_browser_set_to_english_still_gets_khmer_until_english_is_chosen(client):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="km">' in page


def test_api_messages_follow_accept_language(client):
    response = client.get("/api/v1/accounts/me", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response["Content-Language"] == "en"
