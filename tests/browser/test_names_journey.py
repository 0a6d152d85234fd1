"""An applicant checks a name as they type (htmx), sees why a name is taken, signs in and
reserves an available pair; the page stays accessible on a 360 px phone."""

import pytest
from playwright.sync_api import Page, expect

from singleportal.names.models import NameReservation
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.registry.factories import register

pytestmark = pytest.mark.django_db(transaction=True)


def go(page: Page, path: str) -> None:
    page.goto(page.base_url + path)  # type: ignore[attr-defined]


def test_live_check_then_sign_in_and_reserve(page: Page):
    register("ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក", "Angkor Silk Co., Ltd.", number="00012345")
    UserFactory(email="chantha@example.com", username="chantha@example.com")

    go(page, "/names/")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    assert_accessible(page)

    # Live results while typing: no button pressed.
    page.locator("#id_name_en").press_sequentially("The Angkor Silks Ltd", delay=20)
    results = page.locator("#name-results")
    expect(results).to_contain_text("00012345")
    expect(results).to_contain_text("LAT-LEGAL")
    assert "name_en=The%20Angkor%20Silks%20Ltd" in page.url  # the address is shareable
    assert_accessible(page)

    page.locator("#id_name_en").fill("Mekong Pepper Trading")
    page.locator("#id_name_km").fill("ក្រុមហ៊ុន មេគង្គ ម្រេច ឯ.ក")
    expect(results.locator("a.button")).to_be_visible()  # sign in to reserve
    results.locator("a.button").click()

    page.get_by_label("អាសយដ្ឋានអ៊ីមែល ឬលេខទូរស័ព្ទចល័ត").fill("chantha@example.com")
    page.get_by_label("ពាក្យសម្ងាត់").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="ចូលគណនី").click()

    expect(page.locator("#name-results form")).to_be_visible()
    page.locator("#name-results select").select_option("private_limited_company")
    page.locator("#name-results form button[type=submit]").click()
    expect(page).to_have_url(page.base_url + "/names/reservations/")  # type: ignore[attr-defined]
    expect(page.locator("table")).to_contain_text("Mekong Pepper Trading")
    assert_accessible(page)
    assert NameReservation.objects.get().name_en == "Mekong Pepper Trading"


def test_check_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + "/names/")
    page.locator("#id_name_en").fill("<b>Angkor</b>")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).not_to_contain_text("<b>")
    context.close()
