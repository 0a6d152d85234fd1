"""An owner on a phone adds a product in Khmer with a photo, finds it in their catalogue,
switches to English and is told the title and description are shown in Khmer. Every page
passes axe. (Browser stage.)"""

import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from singleportal.catalog.models import Product
from singleportal.directory.models import MemberRole, Profile, ProfileMember
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
# htmx wires up swapped-in lists when it settles: wait for that before choosing in them.
HTMX_IDLE = (
    "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (150, 30, 50)).save(out, "PNG")
    return out.getvalue()


def test_owner_adds_a_khmer_product_with_a_photo_and_reads_it_in_english(page: Page):
    owner = UserFactory(email="dara@example.com", username="dara@example.com",
                        full_name="Chan Dara")  # fmt: skip
    profile = Profile.objects.create(slug="takeo-weavers", name_km="ក្រុមត្បាញ តាកែវ",
                                     name_en="Takeo Weavers", province_id="21")  # fmt: skip
    ProfileMember.objects.create(profile=profile, user=owner, role=MemberRole.OWNER)
    base = page.base_url  # type: ignore[attr-defined]

    page.goto(base + "/accounts/login/?next=/catalog/manage/")
    page.locator("#id_username").fill("dara@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(base + "/catalog/manage/")
    assert_accessible(page)

    page.locator(f"a[href='/catalog/manage/new/{profile.slug}/']").click()
    assert_accessible(page)
    page.locator("#id_title_km").fill("ក្រមាសូត្រ ព្រៃកប្បាស")
    page.locator("#id_description_km").fill("ក្រមាសូត្រត្បាញដោយដៃ ពណ៌ធម្មជាតិ។")
    page.locator("#id_category").select_option("scarves")
    page.locator("input[name=materials][value=silk]").check()
    page.locator("#id_retail_min").fill("១២.៥០")  # Khmer digits
    page.locator("#id_retail_max").fill("18")
    for level, code in (("province", "21"), ("district", "2101"), ("commune", "210101"),
                        ("village", "21010101")):  # fmt: skip
        select = page.locator(f"#id_origin-{level}")
        expect(select).to_be_enabled()  # opened by htmx after the level above was chosen
        select.select_option(code)
        page.wait_for_function(HTMX_IDLE)
    page.locator("main form button[type=submit]").click()

    product = Product.objects.get()
    expect(page).to_have_url(base + f"/catalog/manage/products/{product.slug}/photos/")
    assert (product.retail_min, product.hs_code, product.origin_province_id) == (1250, "6214", "21")
    assert_accessible(page)
    page.locator("#id_image").set_input_files(
        {"name": "krama.png", "mimeType": "image/png", "buffer": png()}
    )
    page.locator("#id_alt_km").fill("ក្រមាសូត្រពណ៌ក្រហម")
    page.locator("main form[enctype] button[type=submit]").click()
    expect(page.locator(".photo-row img")).to_have_attribute("alt", "ក្រមាសូត្រពណ៌ក្រហម")

    page.goto(base + f"/catalog/{profile.slug}/")
    card = page.locator(".product-card")
    expect(card).to_have_count(1)
    expect(card.locator("h2")).to_have_text("ក្រមាសូត្រ ព្រៃកប្បាស")
    expect(card.locator("img")).to_have_attribute("alt", "ក្រមាសូត្រពណ៌ក្រហម")
    assert_accessible(page)

    card.locator("h2 a").click()
    expect(page.locator("h1")).to_have_text("ក្រមាសូត្រ ព្រៃកប្បាស")
    expect(page.locator(".fallback-note")).to_have_count(0)
    assert_accessible(page)

    page.locator(".language-switch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_attribute("lang", "km")
    expect(page.locator(".fallback-note").first).to_have_text(
        "Shown in Khmer: no English version yet."
    )
    expect(page.locator("main")).to_contain_text("12.50 USD")
    assert_accessible(page)
