"""An owner on a phone claims their business's profile: refused for a stranger's business,
accepted for their own; writes the story in Khmer, switches to English and is told the story
is shown in Khmer. Every page passes axe. (Browser stage.)"""

import pytest
from playwright.sync_api import Page, expect

from singleportal.directory.models import MemberRole, ProfileMember
from tests.browser.conftest import assert_accessible
from tests.directory.factories import registered_by
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_screen(tab: Page) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"


def test_owner_claims_edits_in_khmer_and_reads_the_fallback_note_in_english(page: Page):
    owner = UserFactory(email="chantha@example.com", username="chantha@example.com",
                        full_name="Sok Chantha")  # fmt: skip
    stranger = UserFactory(full_name="Keo Ratana")
    theirs = registered_by(stranger, "ក្រុមហ៊ុន ប្រាក់ កោះចិន ឯ.ក", "Koh Chen Silver Co., Ltd.")
    mine = registered_by(owner, "ក្រុមហ៊ុន ត្បាញសូត្រ តាកែវ ឯ.ក", "Takeo Silk Weaving Co., Ltd.")

    page.goto(page.base_url + "/accounts/login/?next=/directory/claim/")  # type: ignore[attr-defined]
    page.locator("#id_username").fill("chantha@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(page.base_url + "/directory/claim/")  # type: ignore[attr-defined]
    assert_accessible(page)

    page.locator("#id_registration_number").fill(theirs.registration_number)
    page.locator("main form button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(theirs.name_km)
    assert not ProfileMember.objects.filter(user=owner).exists()
    assert_accessible(page)

    page.locator("#id_registration_number").fill(mine.registration_number)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(page.base_url + "/directory/takeo-silk-weaving-co-ltd/edit/")  # type: ignore[attr-defined]
    fits_the_screen(page)
    assert_accessible(page)

    page.locator("#id_story_km").fill("យើងត្បាញសូត្រហូលដោយដៃ នៅភូមិព្រៃកប្បាស។")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(mine.name_km)
    expect(page.locator(".story")).to_contain_text("យើងត្បាញសូត្រហូលដោយដៃ")
    expect(page.locator(".fallback-note")).to_have_count(0)
    fits_the_screen(page)
    assert_accessible(page)

    page.locator(".language-switch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".fallback-note")).to_have_text("Shown in Khmer: no English version yet.")
    expect(page.locator(".story")).to_have_attribute("lang", "km")
    expect(page.locator(".badge")).to_contain_text(mine.registration_number)
    assert_accessible(page)
    assert ProfileMember.objects.get(user=owner).role == MemberRole.OWNER
