"""The public register pages: search by name (Khmer or Latin), number, TIN and filters, and
one page per business with no personal data, cached until the business changes, light."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from singleportal.registry import events
from singleportal.registry.models import BusinessStatus
from tests.conftest import in_english
from tests.registry.factories import register
from tests.registry.test_public_helpers import SECRETS, enter, fresh_cache

pytestmark = pytest.mark.django_db
WEIGHT_LIMIT = 60 * 1024


@pytest.fixture(autouse=True)
def _fresh_cache():
    fresh_cache()


def listed(response) -> list[str]:
    """Registration numbers of the results, in order (not the similar names below them)."""
    body = response.content.decode().split('id="similar"')[0]
    return re.findall(r'href="/registry/([^"/]+)/"', body)


def similar(response) -> list[str]:
    body = response.content.decode().partition('id="similar"')[2]
    return re.findall(r'href="/registry/([^"/]+)/"', body)


def test_search_by_khmer_name_ignores_legal_words_and_spacing(client):
    silk = enter("ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក", "Angkor Silk Co., Ltd.")
    other = enter("ក្រុមហ៊ុន មេគង្គ ម្រេច", "Mekong Pepper")
    response = client.get("/registry/", {"q": "អង្គរស៊ីលក៍"})
    assert response.status_code == 200
    assert listed(response) == [silk.registration_number]
    assert other.registration_number not in listed(response)
    assert "ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក" in response.content.decode()


def test_search_by_latin_name_prefix_case_and_legal_words_the_identical_name_first(client):
    wood = enter("ក្រុមហ៊ុន អង្គរ ឈើ", "Angkor Wood")
    silk = enter("ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក", "Angkor Silk Co., Ltd.")
    enter("ក្រុមហ៊ុន មេគង្គ ម្រេច", "Mekong Pepper")
    angkor = enter("ក្រុមហ៊ុន អង្គរ", "Angkor Co., Ltd.")
    assert listed(client.get("/registry/", {"q": "ANGKOR silk ltd"})) == [silk.registration_number]
    assert listed(client.get("/registry/", {"q": "angkor"})) == [
        angkor.registration_number, silk.registration_number, wood.registration_number,
    ]  # fmt: skip


def test_a_similar_name_is_offered_when_no_name_starts_with_the_query(client):
    silk = enter("ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក", "Angkor Silk Co., Ltd.")
    response = client.get("/registry/", {"q": "Angkr Silk"})
    assert listed(response) == []
    assert similar(response) == [silk.registration_number]


def test_search_by_registration_number_and_tin_in_the_one_box(client):
    business = enter(tax=True)
    enter("ក្រុមហ៊ុន មេគង្គ ម្រេច", "Mekong Pepper", tax=True)
    by_number = client.get("/registry/", {"q": business.registration_number})
    assert listed(by_number) == [business.registration_number]
    by_tin = client.get("/registry/", {"q": business.tin})
    assert listed(by_tin) == [business.registration_number]
    by_field = client.get("/registry/", {"tin": business.tin.replace("-", "")})
    assert listed(by_field) == [business.registration_number]


def test_filters_province_legal_form_status_and_activity_are_in_the_url(client):
    silk = enter(activities=(("1311", True), ("4771", False)))
    sole = enter("សហគ្រាស ក្រមា កំពត", "Kampot Krama", legal_form="sole_proprietorship")
    old = register("ហាង ចាស់", "Old Shop", number="T-900001", status="dissolved")
    province = silk.province_id
    assert listed(client.get("/registry/", {"province": province})) == [
        silk.registration_number, sole.registration_number,
    ]  # fmt: skip
    assert listed(client.get("/registry/", {"legal_form": "sole_proprietorship"})) == [
        sole.registration_number
    ]
    assert listed(client.get("/registry/", {"status": "dissolved"})) == [old.registration_number]
    for code in ("1311", "13", "C", "4771"):
        assert listed(client.get("/registry/", {"activity": code})) == [silk.registration_number]
    assert listed(client.get("/registry/", {"activity": "0128"})) == [sole.registration_number]
    in_english(client)
    response = client.get("/registry/", {"legal_form": "llc"})
    assert response.status_code == 422
    assert "Unknown legal form" in response.content.decode()


def test_results_come_in_pages_with_next_and_previous_links_keeping_the_filters(client):
    # Entered in reverse name order: a name search lists by name, then number.
    entered = {i: enter(f"ក្រុមហ៊ុន អង្គរ {i:02d}", f"Angkor {i:02d}") for i in reversed(range(25))}
    numbers = [entered[i].registration_number for i in range(25)]
    first = client.get("/registry/", {"q": "angkor"})
    assert listed(first) == numbers[:20]
    body = first.content.decode().replace("&amp;", "&")
    next_url = re.search(r'href="(\?[^"]+)" rel="next"', body).group(1)
    assert "q=angkor" in next_url
    second = client.get("/registry/" + next_url)
    assert listed(second) == numbers[20:]
    body = second.content.decode().replace("&amp;", "&")
    previous_url = re.search(r'href="(\?[^"]+)" rel="prev"', body).group(1)
    assert listed(client.get("/registry/" + previous_url)) == numbers[:20]


def test_business_page_shows_the_public_entry_and_no_personal_data(client):
    business = enter(tax=True, opening=True, address=True,
                     activities=(("1311", True), ("4771", False)))  # fmt: skip
    response = client.get(f"/registry/{business.registration_number}/")
    assert response.status_code == 200
    body = response.content.decode()
    for shown in (
        "ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក", "Angkor Silk Co., Ltd.", business.registration_number,
        business.tin, business.commune.name_km, business.district.name_km,
        business.province.name_km, "1311", "4771", "សុខ ចន្ទា", "ចាន់ ដារ៉ា",
    ):  # fmt: skip
        assert shown in body, shown
    assert body.count("<tr>") == 1 + 5  # header; registration, TIN, patent, opening, address
    for secret in SECRETS:
        assert secret not in body, secret
    assert "1983" not in body  # not even the year of birth


def test_business_page_in_english(client):
    business = enter(tax=True)
    in_english(client)
    body = client.get(f"/registry/{business.registration_number}/").content.decode()
    assert "Private limited company" in body
    assert business.province.name_en in body
    assert "Sok Chanda" in body and "Shareholder" in body


def test_business_page_is_cached_until_the_business_changes(client, django_assert_num_queries):
    business = enter()
    url = f"/registry/{business.registration_number}/"
    with django_assert_num_queries(5):  # version, business with places, activities, officers,
        client.get(url)  # filings
    with django_assert_num_queries(1):  # the version only
        response = client.get(url)
    events.change_status(business, BusinessStatus.DISSOLVED, by=None)
    in_english(client)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert "Dissolved" in response.content.decode()


def test_unknown_business_is_404(client):
    assert client.get("/registry/1999999999/").status_code == 404


def _assets(body: str) -> list[Path]:
    paths = []
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', body):
        found = finders.find(url.removeprefix("/static/"))
        assert found, url
        paths.append(Path(found))
    return paths


@pytest.mark.parametrize("page", ["search", "business"])
def test_first_load_weighs_at_most_60_kb(client, page):
    """A full page (20 results and the similar names; a business with every filing) and every
    stylesheet, script and icon it loads, as sent to a browser: static files compressed
    (whitenoise serves them gzipped), the HTML as it is (a proxy may compress it too)."""
    business = enter(tax=True, opening=True, address=True,
                     activities=(("1311", True), ("4771", False)))  # fmt: skip
    if page == "search":
        for i in range(20):
            enter(f"ក្រុមហ៊ុន អង្គរ សិប្បកម្ម ក្រមា និង សូត្រ {i:02d}",
                  f"Angkor Handicraft Krama and Silk Weavers {i:02d} Co., Ltd.")  # fmt: skip
        for i in range(10):
            enter(f"ក្រុមហ៊ុន អង្គរា {i:02d}", f"Angkora Silk Weavers {i:02d}")
        url = "/registry/?q=Angkor+Handicraft&province=" + business.province_id
    else:
        url = f"/registry/{business.registration_number}/"
    html = client.get(url).content
    if page == "search":
        assert len(listed_in(html)) == 20
    assets = _assets(html.decode())
    static = sum(len(gzip.compress(p.read_bytes())) for p in assets)
    assert len(html) + static <= WEIGHT_LIMIT, (len(html), static)
    raw = len(html) + sum(p.stat().st_size for p in assets)
    print(f"{page}: html {len(html)} B, static gzipped {static} B, uncompressed total {raw} B")


def listed_in(html: bytes) -> list[str]:
    return re.findall(r'href="/registry/([^"/]+)/"', html.decode().split('id="similar"')[0])


def test_search_page_query_count_is_pinned(client, django_assert_max_num_queries):
    for i in range(30):
        enter(f"ក្រុមហ៊ុន អង្គរ {i}", f"Angkor {i}")
    client.get("/registry/", {"province": "12"})  # the province list is cached after this
    with django_assert_max_num_queries(1):
        client.get("/registry/", {"legal_form": "private_limited_company"})
    client.get("/registry/", {"q": "mekong"})  # builds the similar-name index of the process
    with CaptureQueriesContext(connection) as name_search:
        client.get("/registry/", {"q": "angkor"})
    # the name rules' freshness, the page; then the similar names: the key index's tail, keys
    # and their businesses (twice here: 30 keys score alike), the other filters on them
    assert len(name_search.captured_queries) <= 8
