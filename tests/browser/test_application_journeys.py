"""Applicants go through the registration wizard on a 360 px phone, one thing per page, to the
review page and the reference number: a company in Khmer, a sole proprietorship and a branch of
a foreign company in English, and a draft left on one device and resumed on another."""

import hashlib
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Browser, Page, expect

from singleportal.applications import snapshot
from singleportal.applications.models import Application, Status
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.payments.helpers import pay

pytestmark = pytest.mark.django_db(transaction=True)

# htmx wires up swapped-in content when it settles (~20 ms later): a person is never that quick.
HTMX_IDLE = (
    "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
)

NO_OTHER_OWNERS = (
    "I confirm that no other person owns or controls a quarter (25 per cent) or more of the "
    "business."
)

# Names that come from data rather than the catalogue (LegalForm.name_km).
KHMER_DATA = {
    "Private limited company": "ក្រុមហ៊ុនឯកជនទទួលខុសត្រូវមានកម្រិត",
    "Sole proprietorship": "សហគ្រាសឯកបុគ្គល",
}


Wording = Callable[[str], str]


def khmer(text: str) -> str:
    """What the Khmer page shows for an English text: the compiled catalogue's translation."""
    if text in KHMER_DATA:
        return KHMER_DATA[text]
    with translation.override("km"):
        translated = translation.gettext(text)
    assert translated != text, f"no Khmer translation for {text!r}"
    return translated


def shown_in_khmer(label: Any) -> str:
    """A choice's label (a status) as the Khmer page shows it: the catalogue's words, or the
    English ones while a new string waits for its translation."""
    with translation.override("km"):
        return str(label)


def english(text: str) -> str:
    return text


# ---------------------------------------------------------------- small real files


def tiny_png() -> bytes:
    """A valid 1 x 1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF (with its cross-reference table); `title` makes each one differ."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
        b"<< /Title (" + title.encode("ascii") + b") >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return out


def a_file(name: str, content: bytes) -> dict[str, Any]:
    kind = "image/png" if name.endswith(".png") else "application/pdf"
    return {"name": name, "mimeType": kind, "buffer": content}


# ---------------------------------------------------------------- the applicant's moves


def go(page: Page, path: str) -> None:
    page.goto(page.base_url + path)  # type: ignore[attr-defined]


@contextmanager
def another_device(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh browser: no cookies, no session, a phone in Khmer."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="km-KH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = base_url  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


@dataclass
class Applicant:
    """One person at one browser, reading the pages in one language (`t` gives the words the
    page shows for an English message). With `audit`, axe-core checks every page they see."""

    page: Page
    t: Wording
    audit: bool = False

    def sees(self, heading: str) -> None:
        expect(self.page.locator("h1")).to_have_text(self.t(heading))
        if self.audit:
            assert_accessible(self.page)

    def sign_in(self, user: Any, *, lands_in: Wording | None = None) -> None:
        """On the sign-in page the portal sent them to; it brings them back to their list, in
        the language of their profile (`lands_in`, when it is not the page's)."""
        self.page.get_by_label(self.t("Email address or mobile phone number")).fill(user.email)
        self.page.get_by_label(self.t("Password")).fill(PASSWORD)
        self.page.locator("main").get_by_role("button", name=self.t("Sign in")).click()
        expect(self.page).to_have_url(self.page.base_url + "/applications/")  # type: ignore[attr-defined]
        expect(self.page.locator("h1")).to_have_text((lands_in or self.t)("Your applications"))

    def fill(self, values: dict[str, Any]) -> None:
        """Each field found by its label as shown; selects take the option's label, boxes and
        radios True or False, file inputs a file."""
        for label, value in values.items():
            field = self.page.get_by_label(self.t(label), exact=True)
            kind = field.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
            if kind == "select":
                field.select_option(label=value)
            elif kind in ("checkbox", "radio"):
                field.set_checked(value)
            elif kind == "file":
                field.set_input_files(value)
            else:
                field.fill(str(value))

    def press(self, name: str) -> None:
        """The page's button or button-styled link with this text."""
        main = self.page.locator("main")
        text = self.t(name)
        main.get_by_role("button", name=text, exact=True).or_(
            main.get_by_role("link", name=text, exact=True)
        ).click()

    def answer(self, heading: str, values: dict[str, Any], then: str) -> None:
        """On the page titled `heading`, fill `values`, Continue, and arrive at `then`."""
        self.sees(heading)
        self.fill(values)
        self.press("Continue")
        self.sees(then)

    def continues_to(self, heading: str, answers: dict[str, str]) -> None:
        """Continue, without changing anything, to `heading`, where `answers` are filled in."""
        self.press("Continue")
        self.sees(heading)
        for label, value in answers.items():
            expect(self.page.get_by_label(self.t(label), exact=True)).to_have_value(value)

    def start(self, legal_form: str) -> None:
        self.press("Start a new application")
        self.answer("Legal form", {legal_form: True}, then="Business name")

    def choose_activity(self, search: str, code: str, objectives: str) -> None:
        self.sees("What the business does")
        self.fill({"Search activities in Khmer or English, or by code": search})
        self.press("Search")
        self.page.get_by_role("checkbox", name=re.compile(rf"^{code} ")).check()
        self.fill({"What will the business do?": objectives})
        self.press("Continue")

    def choose_address(self, places: list[str], street: str, house_number: str) -> None:
        """Province, district, commune, village: each list opens once the one above is chosen."""
        self.sees("Where is the business?")
        levels = ["Province or capital", "District, municipality or khan", "Commune or sangkat"]
        for level, place in zip([*levels, "Village"], places, strict=True):
            field = self.page.get_by_label(self.t(level), exact=True)
            expect(field).to_be_enabled()
            field.select_option(label=place)
            self.page.wait_for_function(HTMX_IDLE)
        self.fill({"Street": street, "House number": house_number})
        self.press("Continue")

    def add_person(self, values: dict[str, Any]) -> None:
        """One person on the People or Beneficial owners page; they appear in its list."""
        self.fill(values)
        self.press("Add")
        expect(self.page.get_by_role("status").filter(has_text=self.t("Added."))).to_be_visible()
        name = values.get("Name in Khmer") or values["Name in Latin letters"]
        expect(self.page.locator(".item-list")).to_contain_text(name)

    def confirm_no_other_owners(self) -> None:
        self.answer("Who owns or controls the business?", {NO_OTHER_OWNERS: True}, then="Staff")

    def upload(self, kind: str, name: str, content: bytes) -> None:
        self.fill({"Document type": self.t(kind), "File": a_file(name, content)})
        self.press("Upload")
        expect(self.page.get_by_role("status").filter(has_text=self.t("Uploaded."))).to_be_visible()
        expect(self.page.locator(".item-list")).to_contain_text(name)

    def submit(self, full_name: str) -> str:
        """From a review page with nothing left to fix: sign, submit, read the reference."""
        self.sees("Check your application")
        expect(self.page.get_by_role("alert")).to_have_count(0)
        self.fill({"Type your full name to sign": full_name})
        self.press("Submit the application")
        self.sees("Application submitted")
        reference = self.page.locator(".reference").inner_text()
        assert re.fullmatch(rf"SP-{timezone.localdate().year}-\d{{7}}", reference), reference
        return reference


def stored_submission(reference: str, user: Any, status: str = Status.SUBMITTED) -> dict[str, Any]:
    """The submitted row for `reference`, with one frozen version: its snapshot. The agencies
    start on it at once: a file that every agency's rules find clean is already registered
    (`status`), the others wait for an officer."""
    app = Application.objects.get(reference=reference)
    assert (app.owner, app.status) == (user, status)
    version = app.versions.get()
    assert version.number == 1
    assert version.submitted_by == user
    assert version.snapshot["reference"] == reference
    assert version.sha256 == snapshot.digest(version.snapshot)
    return version.snapshot


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# ---------------------------------------------------------------- journeys

SIEM_REAP_KM = ["សៀមរាប", "សៀមរាប", "ស្លក្រាម", "បឹងដូនប៉ា"]  # village 17100102


def test_private_limited_company_with_two_shareholders_in_khmer(page: Page):
    user = UserFactory(full_name="សុខ ចន្ទា")
    me = Applicant(page, khmer, audit=True)
    go(page, "/applications/")  # signed out: the portal asks them to sign in first
    expect(page.locator("html")).to_have_attribute("lang", "km")
    me.sign_in(user)
    expect(page.locator("main")).to_contain_text(khmer("You have no applications yet."))

    me.start("Private limited company")
    expect(page.locator(".wizard-progress")).to_have_text("ជំហានទី 2 នៃ 14")
    names = {
        "Business name in Khmer": "ក្រុមហ៊ុន មេគង្គ ម្រេច",
        "Business name in Latin letters": "Mekong Pepper",
    }
    me.answer("Business name", names, then="What the business does")
    me.choose_activity("គ្រឿងទេស", "0128", "ដាំ និងនាំចេញម្រេចកំពត។")
    me.choose_address(SIEM_REAP_KM, "ផ្លូវ ៦០", "១២")
    contact = {"Business phone number": "012 345 678"}
    me.answer("Contact details", contact, then="Capital and shares")

    # Too little capital: the messages are in Khmer, at the top and beside each field.
    me.fill({"Capital in riel (KHR)": "1000000", "Number of shares": "1000"})
    me.press("Continue")
    expect(page.get_by_role("alert")).to_contain_text(khmer("There is a problem"))
    errors = page.locator(".field.has-error")
    expect(errors).to_have_count(2)
    expect(errors.first).to_contain_text("ដើមទុនត្រូវមានយ៉ាងតិច 4,000,000 KHR។")
    expect(errors.last).to_contain_text("ភាគហ៊ុននីមួយៗត្រូវមានតម្លៃយ៉ាងតិច 4,000 KHR")
    assert_accessible(page)
    # Typed as a Khmer phone keyboard gives them: Khmer digits, with a thousands separator.
    capital = {"Capital in riel (KHR)": "៤,០០០,០០០", "Number of shares": "១០០០"}
    me.answer("Capital and shares", capital, then="Owners, partners, shareholders and directors")

    by_id_card = {"Nationality or country": "កម្ពុជា", "Document": khmer("Khmer identity card")}
    chantha = {"Name in Khmer": "សុខ ចន្ទា", "Document number": "010203040", **by_id_card}
    vibol = {"Name in Khmer": "ជា វិបុល", "Document number": "020304050", **by_id_card}
    shareholder = {"Role": khmer("Shareholder"), "Person or company": khmer("A person")}
    me.add_person({**shareholder, **chantha, "Shares held": "600"})
    me.add_person({**shareholder, **vibol, "Shares held": "400"})
    me.add_person({"Role": khmer("Director"), **chantha})
    expect(page.locator(".item-list li")).to_have_count(3)
    me.press("Continue")

    me.sees("Who owns or controls the business?")
    listed = khmer("From the shares, these people should be listed:")
    hints = page.get_by_role("status").filter(has_text=listed)
    expect(hints).to_contain_text("សុខ ចន្ទា")
    expect(hints).to_contain_text("ជា វិបុល")
    me.add_person({**chantha, "Ownership or control (%)": "60"})
    me.add_person({**vibol, "Ownership or control (%)": "40"})
    expect(hints).to_have_count(0)  # both are listed now
    me.confirm_no_other_owners()
    me.answer("Staff", {"Cambodian staff": "12", "Foreign staff": "0"}, then="Tax")
    tax = {"Expected turnover in the first year (KHR)": "500000000", "Register for VAT": True}
    me.answer("Tax", tax, then="Investment incentives")
    me.answer("Investment incentives", {"No": True}, then="Signboard")
    # The signboard starts from the business name.
    signboard = page.get_by_label(khmer("Signboard text in Khmer"))
    expect(signboard).to_have_value("ក្រុមហ៊ុន មេគង្គ ម្រេច")
    me.answer("Signboard", {"Width (cm)": "300", "Height (cm)": "90"}, then="Upload documents")

    files = {
        "id-card.png": ("Identity card or passport", tiny_png()),
        "lease.pdf": ("Lease or proof of address", tiny_pdf("Lease")),
        "articles.pdf": ("Articles of incorporation", tiny_pdf("Articles")),
    }
    for name, (kind, content) in files.items():
        me.upload(kind, name, content)
    assert_accessible(page)
    me.press("Continue")

    me.sees("Check your application")
    expect(page.locator(".wizard-progress")).to_have_text("ជំហានទី 14 នៃ 14")
    summary = page.locator(".summary-list")
    for shown in [khmer("Private limited company"), "Mekong Pepper", "ជា វិបុល", "articles.pdf"]:
        expect(summary).to_contain_text(shown)
    reference = me.submit("សុខ ចន្ទា")

    frozen = stored_submission(reference, user)
    assert frozen["legal_form"] == "private_limited_company"
    assert frozen["business"]["name_km"] == "ក្រុមហ៊ុន មេគង្គ ម្រេច"
    assert frozen["business"]["phone"] == "+85512345678"
    assert frozen["business"]["address"]["village"] == "17100102"
    assert frozen["capital"] == {"capital_khr": 4_000_000, "share_count": 1000}
    assert [(p["role"], p["name_km"], p["shares"]) for p in frozen["parties"]] == [
        ("shareholder", "សុខ ចន្ទា", 600),
        ("shareholder", "ជា វិបុល", 400),
        ("director", "សុខ ចន្ទា", None),
    ]
    assert [b["ownership_percent"] for b in frozen["beneficial_owners"]] == [60, 40]
    assert frozen["tax"]["vat_registration"] is True
    assert {d["name"]: d["sha256"] for d in frozen["documents"]} == {
        name: sha256(content) for name, (_kind, content) in files.items()
    }
    assert frozen["declaration"] == {"no_other_beneficial_owners": True, "signed_by": "សុខ ចន្ទា"}

    # Submitted means frozen: the list shows the reference and leads to the file's progress
    # (VAT registration asked: GDT's officer must decide); the file no longer changes.
    page.get_by_role("navigation").get_by_role("link", name=khmer("Your applications")).click()
    in_progress = shown_in_khmer(Status.SUBMITTED.label)
    expect(page.locator("main li")).to_contain_text(f"{in_progress} · {reference}")
    page.locator("main li").get_by_role("link").first.click()
    expect(page.locator("#file-status")).to_have_attribute("data-status", Status.SUBMITTED)
    assert_accessible(page)
    page.locator("main a[href$='/review/']").click()
    me.sees("Your application")
    expect(page.get_by_role("link", name=re.compile(khmer("Change")))).to_have_count(0)


def test_sole_proprietorship_in_khmer(page: Page):
    user = UserFactory(full_name="Kim Dara")
    go(page, "/applications/")
    me = Applicant(page, khmer)
    me.sign_in(user)
    me.sees("Your applications")
    assert_accessible(page)

    me.start("Sole proprietorship")
    names = {
        "Business name in Khmer": "ហាងកាហ្វេ ម្លប់ដូង",
        "Business name in Latin letters": "Mlob Doung Coffee",
    }
    me.answer("Business name", names, then="What the business does")
    me.choose_activity("ភេសជ្ជៈ", "5630", "ហាងកាហ្វេក្បែរផ្សារ។")
    me.choose_address(["ភ្នំពេញ", "ចំការមន", "ទន្លេបាសាក់", "ភូមិ ១"], "ផ្លូវ ៥១", "៧")
    # No capital for a sole proprietorship: the contact details lead straight to the people.
    contact = {"Business email address": "dara@example.com"}
    me.answer("Contact details", contact, then="Owners, partners, shareholders and directors")
    expect(page.locator(".wizard-progress")).to_have_text("ជំហានទី 6 នៃ 13")
    expect(page.get_by_label(khmer("Role")).locator("option")).to_have_text([khmer("Owner")])
    dara = {
        "Name in Latin letters": "Kim Dara",
        "Document": khmer("Khmer identity card"),
        "Document number": "110220330",
    }
    me.add_person({**dara, "Name in Khmer": "គីម ដារា"})
    assert_accessible(page)
    me.press("Continue")

    me.sees("Who owns or controls the business?")
    me.add_person({**dara, "Ownership or control (%)": "100"})
    assert_accessible(page)
    me.confirm_no_other_owners()
    me.answer("Staff", {"Cambodian staff": "2", "Foreign staff": "0"}, then="Tax")
    tax = {"Expected turnover in the first year (KHR)": "80000000"}
    me.answer("Tax", tax, then="Investment incentives")
    me.answer("Investment incentives", {"No": True}, then="Signboard")
    me.answer("Signboard", {"Width (cm)": "150", "Height (cm)": "50"}, then="Upload documents")
    me.upload("Identity card or passport", "kim-dara-id.png", tiny_png())
    me.upload("Lease or proof of address", "lease.pdf", tiny_pdf("Lease"))
    me.press("Continue")  # no articles for a sole proprietorship

    me.sees("Check your application")
    assert_accessible(page)
    reference = me.submit("គីម ដារា")
    assert_accessible(page)

    # Paid at once (the bank tells the portal); every agency's rules hold for this small
    # coffee shop, so it is registered as soon as the payment arrives.
    pay(Application.objects.get(reference=reference))
    frozen = stored_submission(reference, user, status=Status.APPROVED)
    assert frozen["legal_form"] == "sole_proprietorship"
    assert frozen["business"]["name_en"] == "Mlob Doung Coffee"
    assert frozen["business"]["email"] == "dara@example.com"
    assert frozen["business"]["activities"] == [{"code": "5630", "main": True}]
    assert frozen["capital"] == {"capital_khr": None, "share_count": None}
    assert [(p["role"], p["name_km"], p["name_en"]) for p in frozen["parties"]] == [
        ("owner", "គីម ដារា", "Kim Dara")
    ]
    assert sorted(d["kind"] for d in frozen["documents"]) == ["identity", "lease"]

    page.get_by_role("navigation").get_by_role("link", name=khmer("Your applications")).click()
    registered = shown_in_khmer(Status.APPROVED.label)
    expect(page.locator("main li")).to_contain_text(f"{registered} · {reference}")
    expect(page.locator("main li")).to_contain_text(khmer("Sole proprietorship"))


def test_branch_of_a_foreign_company_in_english(page: Page):
    user = UserFactory(full_name="Somchai Jaidee", preferred_language="en")
    go(page, "/applications/")
    Applicant(page, khmer).sign_in(user, lands_in=english)  # pages follow the profile
    me = Applicant(page, english)

    me.start("Branch of a foreign company")
    names = {
        "Business name in Khmer": "សាខា ស៊ៀម ត្រេឌីង",
        "Business name in Latin letters": "Siam Trading (Cambodia Branch)",
    }
    me.answer("Business name", names, then="What the business does")
    me.choose_activity("household goods", "4649", "Wholesale of Thai household goods.")
    me.choose_address(["Siemreap", "Siem Reab", "Sla Kram", "Boeng Doun Pa"], "Sivutha Blvd", "88")
    contact = {"Business email address": "branch@siam.example"}
    me.answer("Contact details", contact, then="Foreign parent company")
    assert_accessible(page)
    parent = {
        "Name of the parent company": "Siam Trading Public Company Limited",
        "Country of the parent company": "Thailand",
        "Registration number abroad": "0105551234567",
    }
    me.answer("Foreign parent company", parent, then="Owners, partners, shareholders and directors")
    roles = page.get_by_label("Role").locator("option")
    expect(roles).to_have_text(["Branch manager or representative"])
    somchai = {
        "Name in Latin letters": "Somchai Jaidee",
        "Nationality or country": "Thailand",
        "Document": "Passport",
        "Document number": "AA1234567",
    }
    me.add_person(somchai)
    me.press("Continue")
    me.sees("Who owns or controls the business?")
    control = {"Ownership or control (%)": "100", "How they own or control the business": "Manager"}
    me.add_person({**somchai, **control})
    me.confirm_no_other_owners()
    me.answer("Staff", {"Cambodian staff": "8", "Foreign staff": "1"}, then="Tax")
    tax = {"Expected turnover in the first year (KHR)": "2000000000", "Register for VAT": True}
    me.answer("Tax", tax, then="Investment incentives")
    incentives = {
        "Yes": True,
        "Planned investment (KHR)": "4000000000",
        "The investment project": "A distribution warehouse in Siem Reap.",
    }
    me.answer("Investment incentives", incentives, then="Signboard")
    me.answer("Signboard", {"Width (cm)": "400", "Height (cm)": "100"}, then="Upload documents")
    passport, lease, papers = tiny_png(), tiny_pdf("Lease"), tiny_pdf("Parent company")
    me.upload("Identity card or passport", "passport.png", passport)
    me.upload("Lease or proof of address", "lease.pdf", lease)
    me.press("Continue")

    # The parent company's papers are missing: the review page says so and links to the fix.
    me.sees("Check your application")
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("Before you submit")
    expect(problems).to_contain_text("Upload the parent company's registration and articles.")
    assert_accessible(page)
    page.get_by_role("link", name="Change Documents").click()
    me.sees("Upload documents")
    me.upload("Parent company registration and articles", "parent-company.pdf", papers)
    me.press("Continue")

    expect(page.locator("#section-parent")).to_contain_text("Siam Trading Public Company Limited")
    reference = me.submit("Somchai Jaidee")

    frozen = stored_submission(reference, user)
    assert frozen["legal_form"] == "branch_of_foreign_company"
    assert frozen["parent_company"] == {
        "name": "Siam Trading Public Company Limited",
        "country": "TH",
        "registration_number": "0105551234567",
    }
    assert [(p["role"], p["nationality"], p["id_kind"]) for p in frozen["parties"]] == [
        ("branch_manager", "TH", "passport")
    ]
    assert frozen["beneficial_owners"][0]["control_description"] == "Manager"
    assert frozen["employment"] == {"khmer_staff": 8, "foreign_staff": 1}
    assert frozen["incentives"] == {
        "wanted": True,
        "investment_khr": 4_000_000_000,
        "project_description": "A distribution warehouse in Siem Reap.",
    }
    assert {d["kind"]: d["sha256"] for d in frozen["documents"]} == {
        "identity": sha256(passport),
        "lease": sha256(lease),
        "parent_company": sha256(papers),
    }


def test_a_draft_left_on_one_device_is_resumed_on_another(page: Page, browser, live_server):
    user = UserFactory(full_name="ជា វិបុល")
    me = Applicant(page, khmer)
    go(page, "/applications/")
    me.sign_in(user)
    me.start("Private limited company")
    names = {
        "Business name in Khmer": "ក្រុមហ៊ុន ត្នោត មាស",
        "Business name in Latin letters": "Golden Palm",
    }
    me.answer("Business name", names, then="What the business does")
    me.choose_activity("ស្ករ", "1072", "កែច្នៃស្ករត្នោត។")
    me.choose_address(SIEM_REAP_KM, "ផ្លូវ ៦", "៣")
    contact = {"Business email address": "palm@example.com"}
    me.answer("Contact details", contact, then="Capital and shares")
    capital = {"Capital in riel (KHR)": "8000000", "Number of shares": "2000"}
    me.answer("Capital and shares", capital, then="Owners, partners, shareholders and directors")
    page.get_by_role("button", name=khmer("Sign out")).click()
    go(page, "/applications/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))  # nothing left open on this phone

    with another_device(browser, live_server.url) as phone:
        again = Applicant(phone, khmer, audit=True)
        go(phone, "/applications/")
        again.sign_in(user)
        draft = phone.locator("main li")
        expect(draft).to_have_count(1)
        expect(draft).to_contain_text(f"{khmer('Draft')} · {khmer('Private limited company')}")
        draft.get_by_role("link", name="ក្រុមហ៊ុន ត្នោត មាស").click()

        # Where the data was left: after the last step saved, they carry on with the people.
        again.sees("Owners, partners, shareholders and directors")
        vibol = {
            "Role": khmer("Shareholder"),
            "Name in Khmer": "ជា វិបុល",
            "Document": khmer("Khmer identity card"),
            "Document number": "030405060",
            "Shares held": "2000",
        }
        again.add_person(vibol)

        # Every earlier answer is there, page after page.
        draft_id = Application.objects.get().public_id
        go(phone, f"/applications/{draft_id}/step/form/")
        again.sees("Legal form")
        expect(phone.get_by_label(khmer("Private limited company"), exact=True)).to_be_checked()
        again.continues_to("Business name", names)
        again.continues_to(
            "What the business does", {"What will the business do?": "កែច្នៃស្ករត្នោត។"}
        )
        expect(phone.get_by_role("checkbox", name=re.compile(r"^1072 "))).to_be_checked()
        again.continues_to("Where is the business?", {"Street": "ផ្លូវ ៦", "House number": "៣"})
        village = phone.get_by_label(khmer("Village"), exact=True)
        expect(village.locator("option:checked")).to_have_text("បឹងដូនប៉ា")
        again.continues_to("Contact details", contact)
        again.continues_to("Capital and shares", capital)

    app = Application.objects.get()  # resumed, not started again
    assert (app.status, app.name_en, app.objectives) == ("draft", "Golden Palm", "កែច្នៃស្ករត្នោត។")
    assert (app.village_code, app.capital_khr, app.share_count) == ("17100102", 8_000_000, 2000)
    assert list(app.parties.values_list("name_km", "shares")) == [("ជា វិបុល", 2000)]
