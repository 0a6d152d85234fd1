"""The place picker in Chromium: with htmx, and with JavaScript turned off. axe-core checks it."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
# htmx wires up swapped-in content when it settles (~20 ms later): a person is never that quick.
HTMX_IDLE = (
    "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
)
CHOICES = [("province", "17"), ("district", "1710"), ("commune", "171001"), ("village", "17100102")]


def open_picker(page: Page) -> None:
    page.goto(page.base_url + "/geo/place/")  # type: ignore[attr-defined]
    expect(page.locator("html")).to_have_attribute("lang", "km")


def test_with_htmx_each_choice_opens_the_next_list(page: Page):
    open_picker(page)
    assert_accessible(page)
    for level, code in CHOICES:
        select = page.locator(f"#id_{level}")
        expect(select).to_be_enabled()  # opened by htmx after the level above was chosen
        select.select_option(code)
        page.wait_for_function(HTMX_IDLE)
    assert page.url.endswith("/geo/place/")  # no page load so far
    page.get_by_role("button", name="បន្ត").click()
    expect(page.get_by_role("heading", level=2)).to_be_visible()
    expect(page.locator("dl")).to_contain_text("បឹងដូនប៉ា (17100102)")
    assert_accessible(page)


def test_without_javascript_continue_opens_the_next_list(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="km-KH")
    no_js = context.new_page()
    no_js.set_default_timeout(15_000)
    no_js.base_url = live_server.url  # type: ignore[attr-defined]
    try:
        open_picker(no_js)
        for level, code in CHOICES:
            select = no_js.locator(f"#id_{level}")
            expect(select).to_be_enabled()
            select.select_option(code)
            no_js.get_by_role("button", name="បន្ត").click()
            expect(no_js).to_have_url(f"{live_server.url}/geo/place/?{query_up_to(level)}")
        expect(no_js.locator("dl")).to_contain_text("បឹងដូនប៉ា (17100102)")
    finally:
        context.close()


def query_up_to(level: str) -> str:
    pairs = []
    for each, code in CHOICES:
        pairs.append(f"{each}={code}")
        if each == level:
            return "&".join(pairs)
    raise AssertionError(level)
