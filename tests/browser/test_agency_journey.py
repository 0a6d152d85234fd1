"""An officer of each of the six agencies signs in with password and authenticator code, takes
the file from the agency's queue and decides; MOI first sends the signboard back, the applicant
corrects it in the wizard and submits again, and MOI approves the new version. The applicant's
progress page, left open on a phone, follows every decision by itself (htmx polling), to the
registration number.

On-commit work runs in this stage (Celery eager, real commits), so the straight-through rules
decide as soon as a task opens: the file is built so that no agency's rules pass, and each
agency's officer must decide. The invoice is left unpaid, so MEF's rule (is the fee paid?)
fails too and MEF's officer confirms the payment by hand, as for a fee paid at a counter.
"""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from singleportal.accounts.models import User
from singleportal.agencies.models import TaskStatus
from singleportal.applications import actions
from singleportal.applications.models import Application, Status
from singleportal.registry.models import Business
from tests.applications.helpers import complete_application
from tests.browser.conftest import assert_accessible
from tests.browser.test_application_journeys import Applicant, go, khmer, shown_in_khmer
from tests.factories import PASSWORD, UserFactory, current_totp, officer, totp_device

pytestmark = pytest.mark.django_db(transaction=True)

AGENCIES = ["MEF", "MOC", "GDT", "MLVT", "CDC", "MOI"]


def file_no_rule_passes(user: User) -> Application:
    """A complete private limited company that each agency's rules send to an officer: a
    licensed activity (MOC), VAT registration (GDT), foreign staff (MLVT), incentives (CDC,
    which has no rules), a signboard over 4 m² (MOI)."""
    app = complete_application(user)
    actions.save_activities(
        app, user, objectives="Export Kampot pepper, and lend to pepper farmers.",
        codes=["0128", "6492"],
    )  # fmt: skip
    actions.save_employment(app, user, khmer_staff=10, foreign_staff=1)
    actions.save_tax(app, user, expected_turnover_khr=900_000_000, vat_registration=True)
    actions.save_incentives(
        app, user, wanted=True, investment_khr=8_000_000_000,
        project_description="A pepper processing plant in Kampot.",
    )  # fmt: skip
    actions.save_signboard(app, user, text_km="មេគង្គ ម្រេច", width_cm=400, height_cm=200)
    return app


@contextmanager
def desk(browser: Browser, base_url: str) -> Iterator[Page]:
    """An officer's own browser: no cookies, a phone-sized window as the applicant's."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="km-KH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = base_url  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


@dataclass
class Officer:
    """One officer at their own browser, in English (their profile's language)."""

    page: Page
    user: User
    device: Any
    agency: str

    @property
    def queue(self) -> str:
        return f"/office/{self.agency.lower()}/"

    def sign_in(self) -> None:
        """The back office asks for the password (on the Khmer sign-in page a new device
        shows), then for the authenticator's code; the pages follow the profile from then on."""
        go(self.page, self.queue)
        expect(self.page).to_have_url(f"{self.page.base_url}/accounts/login/?next={self.queue}")  # type: ignore[attr-defined]
        self.page.get_by_label(khmer("Email address or mobile phone number")).fill(self.user.email)
        self.page.get_by_label(khmer("Password")).fill(PASSWORD)
        self.page.locator("main").get_by_role("button", name=khmer("Sign in")).click()
        expect(self.page.locator("h1")).to_have_text("Two-step verification")
        self.page.get_by_label("Six-digit code from your authenticator app").fill(
            current_totp(self.device)
        )
        self.page.get_by_role("button", name="Continue").click()
        expect(self.page.locator("html")).to_have_attribute("lang", "en")
        go(self.page, self.queue)
        expect(self.page.locator("h1")).to_contain_text("Files for")

    def claims(self, reference: str) -> None:
        """From the queue (checked by axe), the file's row: claim it, and land on the task."""
        go(self.page, self.queue)
        row = self.page.get_by_role("row").filter(has_text=reference)
        expect(row).to_contain_text("Open")
        assert_accessible(self.page)
        row.get_by_role("button", name=f"Claim {reference}").click()
        expect(self.page.locator("h1")).to_have_text(reference)
        self.told("You are reviewing this file now.")
        assert_accessible(self.page)

    def told(self, text: str) -> None:
        expect(self.page.get_by_role("status").filter(has_text=text)).to_be_visible()

    def approves(self, reference: str) -> None:
        self.page.get_by_role("button", name="Approve this file").click()
        self.told(f"{reference} approved.")
        expect(self.page.get_by_role("row").filter(has_text=reference)).to_have_count(0)


def test_each_agency_decides_and_the_applicant_watches_the_file_to_its_registration(
    page: Page, browser: Browser, live_server
):
    applicant = UserFactory(full_name="សុខ ចន្ទា")
    app = file_no_rule_passes(applicant)
    actions.submit_application(app, applicant, declared_by_name="សុខ ចន្ទា")
    app.refresh_from_db()
    reference = app.reference

    # The applicant opens the file's progress from their list, and leaves the page open. It asks
    # for news every 5 s; rather than wait, the test moves the page's clock on (sees_step).
    page.clock.install()
    me = Applicant(page, khmer)
    go(page, "/applications/")
    me.sign_in(applicant)
    page.locator("main li").get_by_role("link", name=app.name_km).click()
    expect(page).to_have_url(f"{live_server.url}/applications/{app.public_id}/progress/")
    status = page.locator("#file-status")
    expect(status).to_have_attribute("data-status", Status.SUBMITTED)
    expect(page.locator("main .reference").first).to_have_text(reference)

    def step(agency: str) -> Any:
        return page.locator(f"#agency-steps li[data-agency='{agency}']")

    expect(page.locator("#agency-steps li")).to_have_count(len(AGENCIES))
    expect(step("MEF")).to_have_attribute("data-status", TaskStatus.OPEN)
    for later in AGENCIES[1:]:
        expect(step(later)).to_have_attribute("data-status", TaskStatus.WAITING)
    assert_accessible(page)

    def sees_step(agency: str, task_status: TaskStatus) -> None:
        """The applicant's page, never reloaded, shows the agency's new status."""
        page.clock.fast_forward(5_000)
        expect(step(agency)).to_have_attribute("data-status", task_status)
        expect(step(agency)).to_contain_text(shown_in_khmer(task_status.label))

    with ExitStack() as stack:
        officers = {}
        for code in AGENCIES:
            user = officer(code)
            user.preferred_language = "en"
            user.save(update_fields=["preferred_language"])
            officer_page = stack.enter_context(desk(browser, live_server.url))
            officers[code] = Officer(officer_page, user, totp_device(user), code)
            officers[code].sign_in()

        # MEF confirms the payment; only then may MOC register the business.
        officers["MEF"].claims(reference)
        sees_step("MEF", TaskStatus.IN_REVIEW)
        officers["MEF"].approves(reference)
        sees_step("MEF", TaskStatus.APPROVED)
        moc = officers["MOC"]
        moc.claims(reference)
        # Why the file came to an officer: the rule that did not pass, and what it found.
        licence = moc.page.get_by_role("row").filter(has_text="MOC-ACTIVITY")
        expect(licence).to_contain_text("Not passed")
        expect(licence).to_contain_text("These activities need a licence: 6492")
        sees_step("MOC", TaskStatus.IN_REVIEW)
        moc.approves(reference)
        sees_step("MOC", TaskStatus.APPROVED)
        registration = Business.objects.get(application_reference=reference).registration_number
        expect(page.locator("#registration")).to_contain_text(registration)
        for code in ["GDT", "MLVT", "CDC", "MOI"]:
            expect(step(code)).to_have_attribute("data-status", TaskStatus.OPEN)

        for code in ["GDT", "MLVT", "CDC"]:
            officers[code].claims(reference)
            officers[code].approves(reference)
            sees_step(code, TaskStatus.APPROVED)
        expect(status).to_have_attribute("data-status", Status.SUBMITTED)

        # MOI sends the signboard back, with a reason from its list and a message.
        moi = officers["MOI"]
        moi.claims(reference)
        correction = moi.page.locator("form").filter(
            has=moi.page.get_by_role("button", name="Send back for correction")
        )
        correction.get_by_label("The signboard does not meet the rules").check()
        correction.get_by_label("Signboard", exact=True).check()
        message = "A signboard of 3 metres by 1.5 at most fits the building."
        correction.get_by_label("Message to the applicant (optional)").fill(message)
        correction.get_by_role("button", name="Send back for correction").click()
        moi.told(f"{reference} sent back to the applicant for correction.")

        sees_step("MOI", TaskStatus.CORRECTION_REQUESTED)
        expect(status).to_have_attribute("data-status", Status.CORRECTION_REQUESTED)
        asked = page.locator("#corrections")
        expect(asked).to_contain_text("ផ្លាកយីហោមិនស្របតាមបទប្បញ្ញត្តិ")  # the reason, data
        expect(asked).to_contain_text(message)
        assert_accessible(page)

        # The applicant changes the signboard, the one part sent back, and submits again.
        asked.get_by_role("link", name=khmer("Signboard")).click()
        me.answer(
            "Signboard", {"Width (cm)": "300", "Height (cm)": "150"}, then="Check your application"
        )
        me.fill({"Type your full name to sign": "សុខ ចន្ទា"})
        me.press("Submit the application")
        me.sees("Application submitted")
        page.locator(f"main a[href='/applications/{app.public_id}/progress/']").click()
        expect(status).to_have_attribute("data-status", Status.SUBMITTED)
        # Still over 4 m²: the commune's rule sends it to MOI's officer again.
        expect(step("MOI")).to_have_attribute("data-status", TaskStatus.OPEN)

        # MOI's officer sees what changed in the new version, and approves it.
        moi.claims(reference)
        changed = moi.page.locator("section").filter(
            has=moi.page.get_by_role("heading", name="What changed since version 1")
        )
        signboard = changed.get_by_role("row").filter(has_text="Signboard")
        for before, now in [("400", "300"), ("200", "150")]:
            was = moi.page.get_by_role("cell", name=before, exact=True)
            expect(signboard.filter(has=was).get_by_role("cell")).to_have_text([before, now])
        moi.approves(reference)

    sees_step("MOI", TaskStatus.APPROVED)
    expect(page.locator('#file-status[data-status="approved"]')).to_be_visible()
    expect(page.locator("#registration")).to_contain_text(registration)
    assert_accessible(page)
    assert Application.objects.get(pk=app.pk).status == Status.APPROVED
