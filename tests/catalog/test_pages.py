"""Catalogue pages as people use them: an owner adds a product in Khmer with photos, buyers
read it; weight and queries of the public catalogue pinned."""

import re

from django.urls import reverse

from singleportal.catalog import actions
from singleportal.catalog.models import Product, ProductPhoto
from tests.conftest import in_english

from .conftest import KOH_CHEN, product_values
from .images import PDF_BYTES, photo_upload

DASH = "\u2013"  # between the two ends of a price range


def form_data(**overrides):
    data = {
        "title_km": "ប្រអប់ប្រាក់ កោះចិន",
        "title_en": "",
        "description_km": "<p>ឆ្លាក់ដោយដៃ<script>alert(1)</script></p>",
        "category": "baskets_boxes",
        "materials": ["silver"],
        "maker_kind": "business",
        "currency": "USD",
        "retail_min": "៤៥.០០",
        "retail_max": "60",
        "stock_status": "made_to_order",
        "published": "on",
        "hs_code": "",
        "origin-province": "08",
        "origin-district": KOH_CHEN[:4],
        "origin-commune": KOH_CHEN[:6],
        "origin-village": KOH_CHEN,
    }
    data.update(overrides)
    return data


def test_an_owner_adds_a_product_in_khmer_then_a_photo_and_buyers_see_it(client, owner, profile):
    client.force_login(owner)
    response = client.post(reverse("catalog:add", args=[profile.slug]), form_data())
    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:photos", args=[product.slug])
    assert product.title_km == "ប្រអប់ប្រាក់ កោះចិន"
    assert product.description_km == "<p>ឆ្លាក់ដោយដៃ</p>"
    assert (product.retail_min, product.retail_max) == (4500, 6000)
    assert product.hs_code == "7114"  # suggested: silver boxes
    assert product.origin_province_id == "08"

    response = client.post(
        reverse("catalog:photos", args=[product.slug]),
        {"image": photo_upload("box.png"), "alt_km": "ប្រអប់ប្រាក់រាងដំរី", "alt_en": ""},
    )
    assert response.status_code == 302
    photo = ProductPhoto.objects.get()

    client.logout()
    page = client.get(reverse("catalog:product", args=[product.slug])).content.decode()
    assert "ប្រអប់ប្រាក់ កោះចិន" in page
    assert f"45.00 USD {DASH} 60.00 USD" in page
    assert 'alt="ប្រអប់ប្រាក់រាងដំរី"' in page
    assert "<script>alert" not in page
    assert '<meta property="og:title" content="ប្រអប់ប្រាក់ កោះចិន">' in page
    assert re.search(
        r'<meta property="og:image" content="http[^"]+/catalog/photos/\d+/full.jpg">', page
    )
    assert '<link rel="canonical" href="http' in page
    image = client.get(reverse("catalog:photo", args=[photo.pk, "thumb"]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"

    catalogue = client.get(reverse("catalog:profile", args=[profile.slug])).content.decode()
    assert "ប្រអប់ប្រាក់ កោះចិន" in catalogue and 'loading="lazy"' in catalogue


def test_the_english_page_shows_the_khmer_title_with_a_note(client, product, owner):
    actions.update_product(product, by=owner, values={"title_en": "", "description_en": ""})
    in_english(client)
    page = client.get(reverse("catalog:product", args=[product.slug])).content.decode()
    assert "ក្រមាសូត្រ តាកែវ" in page
    assert "Shown in Khmer: no English version yet." in page


def test_form_errors_are_summarised_at_the_top_and_nothing_is_saved(client, owner, profile):
    client.force_login(owner)
    in_english(client)
    response = client.post(
        reverse("catalog:add", args=[profile.slug]),
        form_data(title_km="", retail_min="90", retail_max="60", category=""),
    )
    assert response.status_code == 422
    page = response.content.decode()
    summary = page[
        page.index('class="error-summary"') : page.index("</div>", page.index("error-summary"))
    ]
    assert "lowest price is above the highest" in summary
    assert "title in Khmer or in English" in summary
    assert "category" in summary
    assert not Product.objects.exists()


def test_a_half_chosen_origin_asks_for_the_village_without_losing_the_form(client, owner, profile):
    client.force_login(owner)
    in_english(client)
    data = form_data()
    del data["origin-district"], data["origin-commune"], data["origin-village"]
    response = client.post(reverse("catalog:add", args=[profile.slug]), data)
    assert response.status_code == 422
    assert "down to the village" in response.content.decode()
    assert "ប្រអប់ប្រាក់ កោះចិន" in response.content.decode()


def test_a_pdf_renamed_jpg_is_refused_on_the_photo_page_with_a_clear_message(
    client, owner, product
):
    client.force_login(owner)
    in_english(client)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("catalog:photos", args=[product.slug]),
        {"image": SimpleUploadedFile("photo.jpg", PDF_BYTES, "image/jpeg"), "alt_en": "Krama"},
    )
    assert response.status_code == 422
    assert "PDF document, not a photo" in response.content.decode()
    assert not ProductPhoto.objects.exists()


def test_a_photo_without_a_description_is_refused(client, owner, product):
    client.force_login(owner)
    in_english(client)
    response = client.post(
        reverse("catalog:photos", args=[product.slug]), {"image": photo_upload()}
    )
    assert response.status_code == 422
    assert "for people who cannot see it" in response.content.decode()


def test_photos_are_reordered_and_deleted(client, owner, product):
    first = actions.add_photo(product, by=owner, upload=photo_upload(), alt_en="one")
    second = actions.add_photo(product, by=owner, upload=photo_upload(), alt_en="two")
    client.force_login(owner)
    url = reverse("catalog:photo_change", args=[product.slug, second.pk])
    client.post(url, {"change": "up"})
    assert list(product.photos.order_by("position").values_list("alt_en", flat=True)) == [
        "two",
        "one",
    ]
    client.post(
        reverse("catalog:photo_change", args=[product.slug, first.pk]), {"change": "delete"}
    )
    assert list(product.photos.values_list("alt_en", flat=True)) == ["two"]


def _many_products(profile, owner, count):
    for i in range(count):
        product = actions.create_product(
            profile, by=owner,
            values=product_values(title_en=f"Silk scarf number {i}", title_km=f"កន្សែងសូត្រ {i}"),
        )  # fmt: skip
        actions.add_photo(product, by=owner, upload=photo_upload(), alt_km="កន្សែង", alt_en="Scarf")


def test_the_public_catalogue_is_light_and_its_queries_do_not_grow_with_products(
    client, owner, profile, django_assert_max_num_queries
):
    _many_products(profile, owner, 30)
    url = reverse("catalog:profile", args=[profile.slug])
    with django_assert_max_num_queries(6):
        response = client.get(url)
    page = response.content.decode()
    assert len(response.content) <= 60 * 1024, len(response.content)
    assert page.count('class="product-card"') == 24
    assert page.count('loading="lazy"') == 24
    more = re.search(r'href="(\?after=[^"]+)" rel="next"', page).group(1)
    rest = client.get(url + more.replace("&amp;", "&")).content.decode()
    assert rest.count('class="product-card"') == 6


def test_the_category_filter_of_the_catalogue_is_in_the_url(client, owner, profile):
    actions.create_product(profile, by=owner, values=product_values(title_en="Krama"))
    actions.create_product(
        profile, by=owner, values=product_values(title_en="Rattan basket", category="baskets_boxes",
                                                  materials=["rattan"])
    )  # fmt: skip
    in_english(client)
    page = client.get(reverse("catalog:profile", args=[profile.slug]) + "?category=baskets_boxes")
    assert "Rattan basket" in page.content.decode() and "Krama" not in page.content.decode()


def test_hidden_products_are_not_shown_to_the_public_but_are_to_their_owner(client, owner, profile):
    hidden = actions.create_product(profile, by=owner, values=product_values(published=False))
    url = reverse("catalog:product", args=[hidden.slug])
    assert client.get(url).status_code == 404
    assert (
        hidden.title_km
        not in client.get(reverse("catalog:profile", args=[profile.slug])).content.decode()
    )
    client.force_login(owner)
    assert client.get(url).status_code == 200


def test_my_products_lists_every_profile_and_its_products_in_a_fixed_number_of_queries(
    client, owner, profile, django_assert_max_num_queries
):
    _many_products(profile, owner, 5)
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("catalog:mine"))
    assert response.content.decode().count('class="product-card"') == 5


def test_the_product_page_shows_prices_tiers_variants_marks_and_hs_heading(client, owner, product):
    actions.update_product(
        product, by=owner,
        values={"wholesale_min": 1000, "wholesale_max": 1200, "wholesale_min_quantity": 50,
                "moq": 10, "lead_time_days": 21},
    )  # fmt: skip
    actions.save_variant(product, by=owner, values={"label_en": "Indigo", "colour": "indigo"})
    in_english(client)
    page = client.get(reverse("catalog:product", args=[product.slug])).content.decode()
    assert f"15.00 USD {DASH} 25.00 USD" in page
    assert f"10.00 USD {DASH} 12.00 USD from 50 units" in page
    assert "6214 · Shawls, scarves and kramas, woven" in page
    assert "Indigo" in page and "21 days" in page
