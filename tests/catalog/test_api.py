"""The catalogue API: public reads, owners' writes through the same actions as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from singleportal.accounts.actions import create_api_token
from singleportal.catalog import actions
from singleportal.catalog.models import Product, ProductPhoto

from .conftest import TAKEO_VILLAGE, make_profile, product_values
from .images import PDF_BYTES, photo_upload
from .test_import import csv_bytes, row

API = "/api/v1/catalog"


def token_for(user) -> dict:
    _token, secret = create_api_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_an_owner_creates_a_product_in_khmer_through_the_api(client, owner, profile):
    body = {"profile": profile.slug, **product_values(title_en="", retail_min=1250)}
    response = client.post(f"{API}/products", body, content_type="application/json",
                           **token_for(owner))  # fmt: skip
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["title_km"] == "ក្រមាសូត្រ តាកែវ"
    assert data["retail_min"] == 1250 and data["currency"] == "USD"
    assert data["origin_province"] == "21" and data["materials"] == ["silk"]
    assert Product.objects.get().created_by == owner


def test_a_broken_rule_is_a_422_naming_each_field(client, owner, profile):
    body = {"profile": profile.slug, **product_values(retail_min=3000, retail_max=100,
                                                       maker_kind="artisan")}  # fmt: skip
    response = client.post(f"{API}/products", body, content_type="application/json",
                           **token_for(owner))  # fmt: skip
    assert response.status_code == 422
    fields = {problem["field"] for problem in response.json()["problems"]}
    assert {"retail_min", "artisan_consent", "maker_name_km"} <= fields
    assert not Product.objects.exists()


def test_patch_changes_only_what_is_sent_and_sanitises_html(client, owner, product):
    response = client.patch(
        f"{API}/products/{product.slug}",
        {"description_en": "<p>New<iframe src=x></iframe></p>"},
        content_type="application/json",
        **token_for(owner),
    )
    assert response.status_code == 200
    assert response.json()["description_en"] == "<p>New</p>"
    assert response.json()["title_km"] == "ក្រមាសូត្រ តាកែវ"


def test_photos_are_uploaded_as_multipart_and_fakes_refused(client, owner, product):
    headers = token_for(owner)
    good = client.post(f"{API}/products/{product.slug}/photos",
                       {"image": photo_upload(), "alt_km": "ក្រមា"}, **headers)  # fmt: skip
    assert good.status_code == 201 and good.json()["alt_km"] == "ក្រមា"
    fake = client.post(
        f"{API}/products/{product.slug}/photos",
        {"image": SimpleUploadedFile("x.jpg", PDF_BYTES), "alt_en": "x"},
        **headers,
    )
    assert fake.status_code == 422
    [problem] = fake.json()["problems"]
    assert problem["field"] == "image" and "PDF" in problem["message"]
    assert ProductPhoto.objects.count() == 1


def test_the_public_list_filters_by_category_material_and_province_and_pages_by_cursor(
    client, owner, profile, django_assert_max_num_queries
):
    for i in range(7):
        actions.create_product(profile, by=owner, values=product_values(title_en=f"Krama {i}"))
    actions.create_product(
        profile, by=owner,
        values=product_values(title_en="Silver box", category="baskets_boxes",
                              materials=["silver"], origin_village="08090505"),
    )  # fmt: skip
    actions.create_product(profile, by=owner, values=product_values(published=False))
    with django_assert_max_num_queries(4):
        first = client.get(f"{API}/products?limit=5").json()
    assert len(first["items"]) == 5 and first["items"][0]["title_en"] == "Silver box"
    rest = client.get(f"{API}/products?limit=5&cursor={first['next_cursor']}").json()
    assert len(rest["items"]) == 3 and rest["next_cursor"] is None
    assert [
        p["title_en"] for p in client.get(f"{API}/products?material=silver").json()["items"]
    ] == ["Silver box"]
    assert len(client.get(f"{API}/products?province=08").json()["items"]) == 1
    assert len(client.get(f"{API}/products?category=scarves").json()["items"]) == 7
    assert client.get(f"{API}/products?category=spaceship").status_code == 422
    assert client.get(f"{API}/products?cursor=%%%").status_code == 422


def test_the_public_list_query_count_does_not_grow_with_the_page(
    client, owner, profile, django_assert_max_num_queries
):
    for i in range(30):
        product = actions.create_product(profile, by=owner, values=product_values(title_en=f"K{i}"))
        actions.add_photo(product, by=owner, upload=photo_upload(), alt_en="k")
    with django_assert_max_num_queries(4):
        assert len(client.get(f"{API}/products?limit=30").json()["items"]) == 30


def test_a_csv_import_through_the_api_reports_its_rows(client, owner, profile):
    data = csv_bytes([row(external_ref="A"), row(category="nope", external_ref="B")])
    started = client.post(f"{API}/imports",
                          {"profile": profile.slug, "file": SimpleUploadedFile("p.csv", data)},
                          **token_for(owner))  # fmt: skip
    assert started.status_code == 202
    result = client.get(f"{API}/imports/{started.json()['id']}", **token_for(owner)).json()
    assert (result["status"], result["created"], result["rows_with_errors"]) == ("done", 1, 1)
    assert result["errors"][0]["line"] == 3 and result["errors"][0]["column"] == "category"


@pytest.mark.parametrize("who", ["anonymous", "stranger", "owner"])
def test_permission_matrix_of_the_owner_endpoints(client, owner, stranger, profile, product, who):
    headers = {"anonymous": {}, "stranger": None, "owner": None}[who]
    if headers is None:
        headers = token_for(owner if who == "owner" else stranger)
    expected_denied = {"anonymous": 401, "stranger": 404, "owner": None}[who]
    other = make_profile(stranger if who == "stranger" else None)
    calls = [
        ("post", f"{API}/products", {"profile": profile.slug, **product_values()}, 201),
        ("patch", f"{API}/products/{product.slug}", {"title_en": "x"}, 200),
        ("post", f"{API}/products/{product.slug}/photos", None, 201),
        ("post", f"{API}/imports", None, 202),
        ("delete", f"{API}/products/{product.slug}", None, 204),
    ]
    for method, url, body, ok in calls:
        if url.endswith("/photos"):
            response = client.post(url, {"image": photo_upload(), "alt_en": "k"}, **headers)
        elif url.endswith("/imports"):
            upload = SimpleUploadedFile("p.csv", csv_bytes([row()]))
            response = client.post(url, {"profile": profile.slug, "file": upload}, **headers)
        else:
            response = getattr(client, method)(url, body, content_type="application/json",
                                               **headers)  # fmt: skip
        assert response.status_code == (expected_denied or ok), (method, url, response.content)
    assert other.products.count() == 0
    # Public reads: anyone.
    assert client.get(f"{API}/products").status_code == 200


def test_a_hidden_product_is_404_to_the_public(client, owner, profile):
    hidden = actions.create_product(profile, by=owner, values=product_values(published=False))
    assert client.get(f"{API}/products/{hidden.slug}").status_code == 404


def test_an_import_is_only_readable_by_the_profiles_members(client, owner, stranger, profile):
    upload = SimpleUploadedFile("p.csv", csv_bytes([row()]))
    started = actions.start_import(profile, by=owner, upload=upload)
    assert client.get(f"{API}/imports/{started.pk}", **token_for(stranger)).status_code == 404
    assert client.get(f"{API}/imports/{started.pk}").status_code == 401
    assert TAKEO_VILLAGE  # the rows' village, for readers of this file
