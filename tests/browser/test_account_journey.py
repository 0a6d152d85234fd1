"""A new applicant signs up in Khmer, verifies, signs out and in again, switches to English."""

import re

import pytest
from playwright.sync_api import Page, expect

from singleportal.accounts.models import OneTimeCode
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def go(page: Page, path: str) -> None:
    page.goto(page.base_url + path)  # type: ignore[attr-defined]


def test_sign_up_verify_sign_in_in_khmer_then_switch_to_english(page: Page, mailoutbox):
    go(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ចុះបញ្ជីអាជីវកម្ម")
    assert_accessible(page)

    page.get_by_role("link", name="បង្កើតគណនី").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("បង្កើតគណនី")
    assert_accessible(page)
    page.get_by_label("ឈ្មោះពេញ").fill("សុខ ចន្ទា")
    page.get_by_label("អាសយដ្ឋានអ៊ីមែល ឬលេខទូរស័ព្ទចល័ត").fill("chantha@example.com")
    page.get_by_label("ពាក្យសម្ងាត់").fill("Angkor-Wat-1113")
    page.get_by_role("button", name="បន្ត").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("បញ្ចូលលេខកូដដែលយើងបានផ្ញើជូនអ្នក")
    assert_accessible(page)
    code = re.search(r"\b(\d{6})\b", mailoutbox[0].body).group(1)
    assert code == OneTimeCode.objects.get().code
    page.get_by_label("លេខកូដ").fill(code)
    page.get_by_role("button", name="ផ្ទៀងផ្ទាត់").click()
    expect(page.get_by_role("status")).to_contain_text("គណនីរបស់អ្នកត្រូវបានផ្ទៀងផ្ទាត់ហើយ")
    assert_accessible(page)

    page.get_by_role("button", name="ចាកចេញ").click()
    page.get_by_role("link", name="ចូលគណនី").first.click()
    page.get_by_label("អាសយដ្ឋានអ៊ីមែល ឬលេខទូរស័ព្ទចល័ត").fill("Chantha@Example.com")
    page.get_by_label("ពាក្យសម្ងាត់").fill("Angkor-Wat-1113")
    assert_accessible(page)
    page.locator("main").get_by_role("button", name="ចូលគណនី").click()
    expect(page.get_by_role("link", name="សុខ ចន្ទា")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register your business once")
    assert_accessible(page)


def test_sign_up_errors_are_summarised_and_shown_beside_the_field(page: Page):
    go(page, "/accounts/signup/")
    page.get_by_label("ឈ្មោះពេញ").fill("ជា វិបុល")
    page.get_by_label("អាសយដ្ឋានអ៊ីមែល ឬលេខទូរស័ព្ទចល័ត").fill("12345")
    page.get_by_label("ពាក្យសម្ងាត់").fill("Angkor-Wat-1113")
    page.get_by_role("button", name="បន្ត").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("មានបញ្ហា")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("អាសយដ្ឋានអ៊ីមែល ឬលេខទូរស័ព្ទចល័ត")).to_be_focused()
    # What the applicant typed is kept.
    expect(page.get_by_label("ឈ្មោះពេញ")).to_have_value("ជា វិបុល")
    assert_accessible(page)
