"""Who may open each catalogue page: anonymous visitors, another business's member, a buyer,
programme staff and the product's owner. Default deny: a page not listed here fails the test
that every catalogue URL is covered."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from singleportal.catalog import actions
from singleportal.catalog.models import Product

from .images import PDF_BYTES, photo_upload
from .test_import import csv_bytes, row

WHO = ("anonymous", "stranger", "buyer", "programme_staff", "owner")
SIGN_IN = 302  # redirected to the sign-in page


@pytest.fixture
def world(owner, stranger, buyer, programme_staff, profile, product):
    photo = actions.add_photo(product, by=owner, upload=photo_upload(), alt_en="krama")
    variant = actions.save_variant(product, by=owner, values={"label_en": "Red"})
    mark = actions.add_mark(
        product, by=owner, kind="ovop", issuer="OVOP", number="1", valid_from="2026-01-01",
        valid_until=None, document=SimpleUploadedFile("o.pdf", PDF_BYTES),
    )  # fmt: skip
    started = actions.start_import(
        profile, by=owner, upload=SimpleUploadedFile("p.csv", csv_bytes([row()]))
    )
    users = {"anonymous": None, "stranger": stranger, "buyer": buyer,
             "programme_staff": programme_staff, "owner": owner}  # fmt: skip
    return {"product": product, "profile": profile, "photo": photo, "variant": variant,
            "mark": mark, "import": started, "users": users}  # fmt: skip


def pages(w):
    """(url name, args, method, expected status per WHO)."""
    slug, profile = w["product"].slug, w["profile"].slug
    owner_only = (SIGN_IN, 404, 404, 404, 200)
    return [
        ("product", [slug], "get", (200, 200, 200, 200, 200)),
        ("profile", [profile], "get", (200, 200, 200, 200, 200)),
        ("photo", [w["photo"].pk, "thumb"], "get", (200, 200, 200, 200, 200)),
        ("mine", [], "get", (SIGN_IN, 200, 200, 200, 200)),
        ("add", [profile], "get", owner_only),
        ("edit", [slug], "get", owner_only),
        ("delete", [slug], "get", owner_only),
        ("photos", [slug], "get", owner_only),
        ("photo_change", [slug, w["photo"].pk], "post", (SIGN_IN, 404, 404, 404, 302)),
        ("variants", [slug], "get", owner_only),
        ("variant", [slug, w["variant"].pk], "get", owner_only),
        ("marks", [slug], "get", owner_only),
        ("mark_document", [w["mark"].pk], "get", (SIGN_IN, 404, 404, 200, 200)),
        ("import_products", [profile], "get", owner_only),
        ("import", [w["import"].pk], "get", owner_only),
        ("import_errors", [w["import"].pk], "get", owner_only),
        ("mark_queue", [], "get", (SIGN_IN, 403, 403, 200, 403)),
        ("decide_mark", [w["mark"].pk], "post", (SIGN_IN, 403, 403, 302, 403)),
    ]


def test_every_catalogue_page_is_in_the_matrix(world):
    named = {name for name in get_resolver().namespace_dict["catalog"][1].reverse_dict if
             isinstance(name, str)}  # fmt: skip
    assert named == {name for name, *_rest in pages(world)}


@pytest.mark.parametrize("who", WHO)
def test_permission_matrix_of_the_catalogue_pages(client, world, who):
    user = world["users"][who]
    if user is not None:
        client.force_login(user)
    for name, args, method, expected in pages(world):
        url = reverse(f"catalog:{name}", args=args)
        data = {"change": "describe", "alt_en": "x", "outcome": "verified"}
        response = getattr(client, method)(url, data if method == "post" else {})
        assert response.status_code == expected[WHO.index(who)], (name, who)


def test_a_stranger_posting_the_edit_form_changes_nothing(client, world, stranger):
    client.force_login(stranger)
    response = client.post(reverse("catalog:edit", args=[world["product"].slug]),
                           {"title_en": "Stolen", "category": "other"})  # fmt: skip
    assert response.status_code == 404
    assert Product.objects.get().title_en == "Takeo silk krama"
    response = client.post(reverse("catalog:delete", args=[world["product"].slug]))
    assert response.status_code == 404 and Product.objects.exists()


def test_a_hidden_product_and_its_photos_are_hidden_from_everyone_but_members_and_staff(
    client, world, owner, stranger, programme_staff
):
    actions.update_product(world["product"], by=owner, values={"published": False})
    urls = [reverse("catalog:product", args=[world["product"].slug]),
            reverse("catalog:photo", args=[world["photo"].pk, "full"])]  # fmt: skip
    for user, status in ((None, 404), (stranger, 404), (owner, 200), (programme_staff, 200)):
        client.logout()
        if user:
            client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [status, status]
