"""A buyer on a 360 px phone looks for silk home textiles from verified producers in Siem
Reap and finds them, not the decoys; the search is in the address, the page fits the screen
and has no accessibility violation, with or without JavaScript. (Browser stage.)"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browse.factories import SIEM_REAP, TAKEO, producer, product
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_screen(tab: Page) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"


def open_filters(tab: Page) -> None:
    """Show the filters (folded away until one is chosen)."""
    if not tab.locator("main details.facets").evaluate("details => details.open"):
        tab.locator("main details.facets summary").click()


def the_market() -> None:
    angkor = producer("Angkor Weavers", "ក្រុមត្បាញ អង្គរ", province=SIEM_REAP)
    puok = producer("Puok Village Group", "ក្រុម ភូមិពួក", province=SIEM_REAP, verified=False)
    takeo = producer("Takeo Silk House", "ផ្ទះសូត្រ តាកែវ", province=TAKEO)
    product(angkor, "Silk cushion cover", "ស្រោមខ្នើយសូត្រ")
    product(puok, "Silk table runner", "កម្រាលតុសូត្រ")  # not verified
    product(takeo, "Silk scarf", "ក្រមាសូត្រ", category="scarves")  # Takeo
    product(angkor, "Cotton cushion cover", "ស្រោមខ្នើយកប្បាស", materials=("cotton",))


def test_a_buyer_finds_silk_home_textiles_of_verified_producers_in_siem_reap(page: Page):
    the_market()
    page.goto(page.base_url + "/find/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.locator("#q").fill("silk")
    page.locator("main form button[type=submit]").first.click()
    cards = page.locator("main .cards .card")
    expect(cards).to_have_count(3)  # three products in silk

    open_filters(page)
    page.locator("#category-home_textiles").check()
    page.locator("#verified-1").check()
    page.locator(f"#province-{SIEM_REAP}").check()
    page.locator("main details.facets button[type=submit]").click()

    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("ស្រោមខ្នើយសូត្រ")
    results = page.locator("main .cards")
    for decoy in ("កម្រាលតុសូត្រ", "ក្រមាសូត្រ", "ស្រោមខ្នើយកប្បាស"):
        expect(results).not_to_contain_text(decoy)
    # The search is in the address: it can be shared as it is.
    for part in ("q=silk", "category=home_textiles", "verified=1", f"province={SIEM_REAP}"):
        assert part in page.url
    share = page.locator("#share").input_value()
    assert re.fullmatch(
        r"http://[^/]+/find/\?q=silk&province=17&verified=1&category=home_textiles", share
    )
    # The ticked options say how many results each would give.
    expect(page.locator("label[for=verified-1] .count")).to_have_text("(1)")
    fits_the_screen(page)
    assert_accessible(page)


def test_the_search_works_without_javascript(browser, live_server):
    the_market()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 640})
    phone = context.new_page()
    phone.goto(live_server.url + "/find/businesses/")
    open_filters(phone)
    phone.locator("#material-silk").check()
    phone.locator("#verified-1").check()
    phone.locator("main details.facets button[type=submit]").click()
    cards = phone.locator("main .cards .card")
    expect(cards).to_have_count(2)  # Angkor Weavers and Takeo Silk House
    expect(phone.locator("main .cards")).not_to_contain_text("ក្រុម ភូមិពួក")
    context.close()
