"""A visitor on a 360 px phone searches the register and opens a business: nothing wider than
the screen, no accessibility violation, and it works without JavaScript. (Browser stage.)"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.registry.test_public_helpers import enter, fresh_cache

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_screen(tab: Page) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"


def test_search_and_open_a_business_on_a_phone(page: Page):
    fresh_cache()
    business = enter(tax=True, opening=True, address=True,
                     activities=(("1311", True), ("4771", False)))  # fmt: skip
    for i in range(3):
        enter(f"ក្រុមហ៊ុន អង្គរ ឈើ {i}", f"Angkor Wood {i}")
    page.goto(page.base_url + "/registry/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.locator("#q").fill("អង្គរ")
    page.locator("main form button[type=submit]").click()
    results = page.locator("main .item-list").first
    expect(results).to_contain_text(business.registration_number)
    assert "q=" in page.url  # the search is in the address, shareable
    fits_the_screen(page)
    assert_accessible(page)

    page.locator("summary").click()
    page.locator("#legal_form").select_option("private_limited_company")
    page.locator("#activity").fill("13")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .item-list").first.locator("li")).to_have_count(1)

    page.get_by_role("link", name=business.name_km).first.click()
    expect(page.locator("h1")).to_have_text(business.name_km)
    expect(page.locator("table")).to_contain_text(business.tin)
    fits_the_screen(page)
    assert_accessible(page)


def test_search_works_without_javascript(browser, live_server):
    fresh_cache()
    business = enter()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 640})
    phone = context.new_page()
    phone.goto(live_server.url + "/registry/")
    phone.locator("#q").fill(business.registration_number)
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main .item-list")).to_contain_text(business.name_km)
    context.close()
