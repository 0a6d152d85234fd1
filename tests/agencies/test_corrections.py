"""The corrections loop: an agency sends the file back naming sections; the applicant may change
those and nothing else; resubmitting freezes the next version and reopens only the tasks that
asked."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from singleportal.agencies import actions as agency_actions
from singleportal.agencies.models import TaskDecision, TaskStatus
from singleportal.applications import actions
from singleportal.applications.models import Status
from singleportal.audit.models import AuditEntry
from singleportal.geo.models import Village
from singleportal.registry.models import Business
from tests.applications.helpers import (
    person,
    submitted_application,
    task_in_review,
    task_of,
    upload,
)
from tests.conftest import in_english
from tests.factories import UserFactory, officer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def ask_moc_for_names(app):
    moc = officer("MOC")
    agency_actions.request_correction(
        task_in_review(app, "MOC", moc),
        moc,
        reason="NAME_UNCLEAR",
        sections=["names"],
        note="Say what Mekong refers to.",
    )
    app.refresh_from_db()
    return moc


def test_the_applicant_may_change_only_the_sections_asked_for():
    user = UserFactory()
    app = submitted_application(user)
    ask_moc_for_names(app)
    assert app.status == Status.CORRECTION_REQUESTED
    assert app.correction_sections == ["names"]
    village = Village.objects.order_by("-code").first()
    audited = AuditEntry.objects.count()
    parties, documents = app.parties.count(), app.documents.count()

    refused = [
        lambda: actions.save_address(app, user, village_code=village.code, street="Street 2"),
        lambda: actions.save_contact(app, user, phone="012 999 888"),
        lambda: actions.choose_legal_form(app, user, "sole_proprietorship"),
        lambda: actions.add_party(app, user, **person("director", "ថ្មី", "N1")),
        lambda: actions.remove_party(app, user, app.parties.first().pk),
        lambda: actions.save_tax(app, user, expected_turnover_khr=1, vat_registration=True),
        lambda: upload(app, user, kind="other"),
    ]
    for attempt in refused:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.code == "section_closed"
        assert "Business name" in caught.value.messages[0]

    app.refresh_from_db()
    assert app.village_code != village.code and app.phone == "+85512345678"
    assert app.legal_form.code == "private_limited_company"
    assert (app.parties.count(), app.documents.count()) == (parties, documents)
    assert app.tax.vat_registration is False
    assert AuditEntry.objects.count() == audited  # nothing was written

    actions.save_names(app, user, name_km="ក្រុមហ៊ុន មេគង្គ ម្រេច កំពត", name_en="Mekong Pepper")
    app.refresh_from_db()
    assert app.name_km == "ក្រុមហ៊ុន មេគង្គ ម្រេច កំពត"


def test_resubmission_freezes_version_two_and_reopens_only_the_task_that_asked():
    user = UserFactory()
    app = submitted_application(user)
    ask_moc_for_names(app)
    before = {code: task_of(app, code) for code in ("MEF", "MOC", "GDT", "MLVT", "MOI")}
    mef_decisions = TaskDecision.objects.filter(task=before["MEF"]).count()
    assert before["MEF"].status == TaskStatus.APPROVED
    assert {before[c].status for c in ("GDT", "MLVT", "MOI")} == {TaskStatus.WAITING}

    actions.save_names(app, user, name_km="ក្រុមហ៊ុន មេគង្គ ម្រេច កំពត", name_en="Mekong Pepper")
    version, created = actions.submit_application(app, user, declared_by_name="Sok Chanda")

    app.refresh_from_db()
    assert created and version.number == 2 and app.versions.count() == 2
    assert version.snapshot["business"]["name_km"] == "ក្រុមហ៊ុន មេគង្គ ម្រេច កំពត"
    assert app.status == Status.SUBMITTED and app.correction_sections == []
    moc = task_of(app, "MOC")
    assert moc.status == TaskStatus.OPEN and moc.version == version
    assert moc.correction_sections == [] and moc.assignee is not None  # kept who examined it
    reopened = moc.decisions.last()
    assert (reopened.from_status, reopened.to_status) == (
        TaskStatus.CORRECTION_REQUESTED,
        TaskStatus.OPEN,
    )
    assert reopened.version_number == 2
    mef = task_of(app, "MEF")
    assert mef.status == TaskStatus.APPROVED and mef.version.number == 1  # untouched
    assert TaskDecision.objects.filter(task=mef).count() == mef_decisions
    for code in ("GDT", "MLVT", "MOI"):
        task = task_of(app, code)
        assert task.status == TaskStatus.WAITING
        assert not task.decisions.filter(version_number=2).exists()


def test_the_corrected_file_goes_on_to_registration(django_capture_on_commit_callbacks):
    user = UserFactory()
    app = submitted_application(user)
    moc = ask_moc_for_names(app)
    actions.save_names(app, user, name_km="ក្រុមហ៊ុន មេគង្គ ម្រេច កំពត", name_en="Mekong Pepper")
    actions.submit_application(app, user, declared_by_name="Sok Chanda")
    task = task_of(app, "MOC")
    # Back with the officer who asked, who checks the answer; the system does the rest.
    assert (task.status, task.assignee) == ("open", moc)
    with (
        override_settings(CELERY_TASK_ALWAYS_EAGER=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        agency_actions.approve_task(agency_actions.claim_task(task, moc), moc)
    app.refresh_from_db()
    assert app.status == Status.APPROVED
    business = Business.objects.get(application_reference=app.reference)
    assert business.name_km == "ក្រុមហ៊ុន មេគង្គ ម្រេច កំពត" and business.tin


def test_a_later_agency_asks_a_correction_after_registration_and_only_it_reopens():
    """GDT asks after MOC has put the business on the register: the names, closed, are not
    checked again against that very business, and MOC's approval stands."""
    user = UserFactory()
    app = submitted_application(user)
    gdt = officer("GDT")
    agency_actions.request_correction(
        task_in_review(app, "GDT", gdt), gdt, reason="TURNOVER", sections=["tax"]
    )
    app.refresh_from_db()
    assert Business.objects.filter(application_reference=app.reference).exists()
    assert app.correction_sections == ["tax"]

    actions.save_tax(app, user, expected_turnover_khr=120_000_000, vat_registration=False)
    version, created = actions.submit_application(app, user, declared_by_name="Sok Chanda")

    assert created and version.number == 2
    assert task_of(app, "GDT").status == TaskStatus.OPEN
    assert task_of(app, "GDT").version == version
    assert task_of(app, "MOC").status == TaskStatus.APPROVED
    assert task_of(app, "MOC").version.number == 1
    assert {task_of(app, c).status for c in ("MLVT", "MOI")} == {TaskStatus.OPEN}


def test_two_agencies_ask_and_the_applicant_may_change_both_sections():
    user = UserFactory()
    app = submitted_application(user)
    gdt, moi = officer("GDT"), officer("MOI")
    gdt_task = task_in_review(app, "GDT", gdt)
    moi_task = task_in_review(app, "MOI", moi)
    agency_actions.request_correction(gdt_task, gdt, reason="TURNOVER", sections=["tax"])
    agency_actions.request_correction(moi_task, moi, reason="SIGNBOARD", sections=["signboard"])
    app.refresh_from_db()
    assert app.correction_sections == ["signboard", "tax"]
    actions.save_tax(app, user, expected_turnover_khr=120_000_000, vat_registration=False)
    actions.save_signboard(app, user, text_km="មេគង្គ", width_cm=100, height_cm=50)
    with pytest.raises(ValidationError):
        actions.save_contact(app, user, phone="012 999 888")
    actions.submit_application(app, user, declared_by_name="Sok Chanda")
    assert task_of(app, "GDT").status == TaskStatus.OPEN
    assert task_of(app, "MOI").status == TaskStatus.OPEN
    assert task_of(app, "MLVT").status == TaskStatus.OPEN  # never stopped


# ---------------------------------------------------------------- the pages


def test_wizard_pages_open_only_the_sections_asked_for(client):
    user = UserFactory()
    app = submitted_application(user)
    ask_moc_for_names(app)
    client.force_login(user)
    in_english(client)

    review = client.get(f"/applications/{app.public_id}/review/").content.decode()
    assert "What the agencies asked you to correct" in review
    assert "The business name must be changed or explained" in review
    assert "Say what Mekong refers to." in review
    assert f"/applications/{app.public_id}/step/names/" in review
    assert f"/applications/{app.public_id}/step/address/" not in review
    assert "Submit the application" in review

    closed = client.get(f"/applications/{app.public_id}/step/address/")
    assert closed.status_code == 302 and closed["Location"].endswith("/review/")
    village = Village.objects.order_by("-code").first()
    client.post(f"/applications/{app.public_id}/step/address/", {"village": village.code})
    app.refresh_from_db()
    assert app.village_code != village.code

    page = client.get(f"/applications/{app.public_id}/step/names/")
    assert page.status_code == 200 and "Step 1 of 2" in page.content.decode()
    saved = client.post(
        f"/applications/{app.public_id}/step/names/",
        {"name_km": "ក្រុមហ៊ុន មេគង្គ ម្រេច កំពត", "name_en": "Mekong Pepper"},
    )
    assert saved["Location"].endswith("/review/")  # the only open section: back to review
    listing = client.get("/applications/").content.decode()
    assert "Correction needed" in listing and "Correct and submit again" in listing


def test_removing_a_document_outside_the_correction_is_refused_on_the_page(client):
    user = UserFactory()
    app = submitted_application(user)
    ask_moc_for_names(app)
    client.force_login(user)
    in_english(client)
    document = app.documents.first()
    response = client.post(
        f"/applications/{app.public_id}/documents/{document.pk}/remove/", follow=True
    )
    assert "Only the parts the agencies asked you to correct" in response.content.decode()
    assert app.documents.filter(pk=document.pk).exists()


# ---------------------------------------------------------------- the API


def test_the_api_applies_the_same_restriction(client):
    from singleportal.accounts.actions import create_api_token

    user = UserFactory()
    app = submitted_application(user)
    ask_moc_for_names(app)
    _, token = create_api_token(user, "tests")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}
    base = f"/api/v1/applications/{app.public_id}"
    refused = client.put(f"{base}/contact", {"phone": "012 999 888"}, "application/json", **auth)
    assert refused.status_code == 422
    assert "Only the parts the agencies asked you to correct" in refused.json()["detail"]
    allowed = client.put(
        f"{base}/names",
        {"name_km": "ក្រុមហ៊ុន មេគង្គ ម្រេច កំពត", "name_en": "Mekong Pepper"},
        "application/json",
        **auth,
    )
    assert allowed.status_code == 200
    submitted = client.post(
        f"{base}/submit", {"declared_by_name": "Sok Chanda"}, "application/json", **auth
    )
    assert submitted.status_code == 201 and submitted.json()["number"] == 2


def test_only_moc_can_send_the_name_back():
    user = UserFactory()
    app = submitted_application(user)
    gdt = officer("GDT")
    task = task_in_review(app, "GDT", gdt)
    with pytest.raises(ValidationError, match="Only the Ministry of Commerce"):
        agency_actions.request_correction(task, gdt, reason="TURNOVER", sections=["names", "tax"])
    task.refresh_from_db()
    assert task.status == "in_review"
