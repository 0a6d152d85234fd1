"""The officers' back office, through its pages: the queue, the task page and its decisions,
documents, bulk approval and the head's workload."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from singleportal.accounts.models import OfficerLevel
from singleportal.agencies import actions as agency_actions
from singleportal.agencies import sla
from singleportal.agencies import tasks as agency_tasks
from singleportal.agencies.models import Task, TaskComment, TaskDecision, TaskStatus
from singleportal.applications import actions as applications
from singleportal.applications.models import Application, Status
from singleportal.audit.models import AuditEntry
from singleportal.core.calendar import add_working_days
from singleportal.geo.models import Village
from singleportal.registry.models import Business
from tests.applications.helpers import PDF, complete_application
from tests.conftest import CommittingClient, in_english
from tests.factories import PASSWORD, UserFactory, current_totp, officer, totp_device
from tests.payments.helpers import pay

pytestmark = pytest.mark.django_db

LICENSED = "2100"  # manufacture of pharmaceuticals: MOC's automatic check sends it to an officer


@pytest.fixture(autouse=True)
def _english(client, monkeypatch):
    """Pages in English; the applicant's messages are tested with the agencies' messages."""
    in_english(client)
    monkeypatch.setattr(agency_tasks.tell_applicant, "delay", lambda *args: None)
    with translation.override("en"):
        yield


def sign_in(client, user):
    """Password, then the authenticator's code, as an officer signs in."""
    device = totp_device(user)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    client.post(reverse("accounts:second_factor"), {"token": current_totp(device)})
    return client


def another_client(user):
    other = CommittingClient()
    in_english(other)
    return sign_in(other, user)


def file_for_moc(legal_form="private_limited_company", *, village=None):
    """A submitted file whose payment MEF's rules confirmed at once, and that MOC's rules leave
    to an officer (a licensed activity)."""
    applicant = UserFactory()
    app = complete_application(applicant, legal_form)
    applications.save_activities(app, applicant, objectives="Medicines.", codes=[LICENSED])
    if village is not None:
        applications.save_address(
            app, applicant, village_code=village.code, street="Street 2", house_number="7"
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        applications.submit_application(app, applicant, declared_by_name="សុខ ចន្ទា")
        pay(app)
    return Task.objects.select_related("application").get(application=app, agency__code="MOC")


def clean_file_for_moc():
    """A clean file open at MOC which the system has not looked at yet."""
    applicant = UserFactory()
    app = complete_application(applicant)
    # Each its own name: two files of one name cannot both enter the register.
    number = next(CLEAN_NAMES)
    applications.save_names(
        app, applicant, name_km=f"ក្រុមហ៊ុន ស្អាត {number}", name_en=f"Clean File {number}"
    )
    applications.submit_application(app, applicant, declared_by_name="សុខ ចន្ទា")
    pay(app)
    agency_actions.decide_straight_through(Task.objects.get(application=app, agency__code="MEF").pk)
    return Task.objects.select_related("application").get(application=app, agency__code="MOC")


CLEAN_NAMES = itertools.count(1)


def due(task, on):
    """The clock moved on: the task is now due `on` (tests cannot wait for days to pass)."""
    Task.objects.filter(pk=task.pk).update(due_on=on)


def queue_url(**query):
    url = reverse("agencies:queue", args=["moc"])
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def task_url(task, name="agencies:task"):
    return reverse(name, args=[task.agency.code.lower(), task.pk])


def references(response):
    """The file references in the queue, in their order on the page."""
    html = response.content.decode()
    found = []
    for part in html.split('<th scope="row"><a href="')[1:]:
        found.append(part.split(">", 1)[1].split("<", 1)[0])
    return found


# ---------------------------------------------------------------- entry and queue


def test_an_officer_of_one_agency_goes_straight_to_its_queue(client):
    sign_in(client, officer("MOC"))
    response = client.get(reverse("agencies:home"))
    assert response.status_code == 302
    assert response["Location"] == queue_url()


def test_an_officer_of_two_agencies_chooses_one(client):
    from singleportal.accounts.models import Role, RoleAssignment
    from singleportal.agencies.models import Agency

    user = officer("MOC")
    RoleAssignment.objects.create(
        user=user, role=Role.OFFICER, agency=Agency.objects.get(code="GDT"), level="clerk"
    )
    sign_in(client, user)
    page = client.get(reverse("agencies:home")).content.decode()
    assert "Ministry of Commerce" in page and "General Department of Taxation" in page
    assert reverse("agencies:queue", args=["gdt"]) in page


def test_queue_shows_open_files_nearest_deadline_first_with_a_written_risk(client):
    later, late, soon = file_for_moc(), file_for_moc(), file_for_moc()
    today = timezone.localdate()
    due(late, today - timedelta(days=1))
    due(soon, today)
    due(later, add_working_days(today, 5))
    sign_in(client, officer("MOC"))
    response = client.get(queue_url())
    page = response.content.decode()
    assert references(response) == [
        late.application.reference,
        soon.application.reference,
        later.application.reference,
    ]
    assert page.count(">Late</strong>") == 1
    assert page.count(">Due soon</strong>") == 1
    assert page.count(">On time</strong>") == 1
    assert "ក្រុមហ៊ុន មេគង្គ ម្រេច" in page and "Mekong Pepper" in page
    assert "Private limited company" in page
    assert page.count(">Claim<") == 3
    latest_first = client.get(queue_url(sort="-due"))
    assert references(latest_first) == references(response)[::-1]


def test_queue_filters_by_risk_age_legal_form_province_and_assignee(client):
    clerk = officer("MOC")
    company = file_for_moc()
    other_village = Village.objects.exclude(code__startswith=company.application.province_code)
    elsewhere = file_for_moc("sole_proprietorship", village=other_village.order_by("code").last())
    mine = file_for_moc()
    agency_actions.claim_task(mine, clerk)
    due(company, timezone.localdate() - timedelta(days=2))
    Task.objects.filter(pk=elsewhere.pk).update(opened_at=timezone.now() - timedelta(days=10))
    sign_in(client, clerk)

    def shown(**query):
        return set(references(client.get(queue_url(**query))))

    ref = {t.pk: t.application.reference for t in (company, elsewhere, mine)}
    assert shown() == set(ref.values())
    assert shown(risk="late") == {ref[company.pk]}
    assert shown(risk="on_time") == {ref[elsewhere.pk], ref[mine.pk]}
    assert shown(older_than=7) == {ref[elsewhere.pk]}
    assert shown(legal_form="sole_proprietorship") == {ref[elsewhere.pk]}
    province = Application.objects.get(pk=elsewhere.application_id).province_code
    assert shown(province=province) == {ref[elsewhere.pk]}
    assert shown(mine="on") == {ref[mine.pk]}
    assert shown(status="in_review") == {ref[mine.pk]}
    # A filter that makes no sense is ignored rather than failing the page.
    assert shown(older_than="soon") == set(ref.values())


def test_queue_hides_decided_files_unless_asked(client):
    clerk = officer("MOC")
    task = file_for_moc()
    agency_actions.claim_task(task, clerk)
    agency_actions.approve_task(task, clerk)
    sign_in(client, clerk)
    assert references(client.get(queue_url())) == []
    assert references(client.get(queue_url(status="approved"))) == [task.application.reference]
    assert references(client.get(queue_url(status="all"))) == [task.application.reference]


def test_queue_is_paginated_with_the_filters_kept(client, monkeypatch):
    from singleportal.agencies import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first, second, third = file_for_moc(), file_for_moc(), file_for_moc()
    sign_in(client, officer("MOC"))
    page_one = client.get(queue_url(sort="due"))
    assert len(references(page_one)) == 2
    assert "sort=due&amp;page=2" in page_one.content.decode()
    page_two = client.get(queue_url(sort="due", page=2))
    assert len(references(page_two)) == 1
    assert set(references(page_one) + references(page_two)) == {
        t.application.reference for t in (first, second, third)
    }


def test_queue_queries_do_not_grow_with_the_rows(client, django_assert_max_num_queries):
    clerk, other = officer("MOC"), officer("MOC")
    file_for_moc()
    sign_in(client, clerk)
    client.get(queue_url())
    with CaptureQueriesContext(connection) as one_row:
        client.get(queue_url())
    for i in range(5):
        task = file_for_moc()
        agency_actions.claim_task(task, clerk if i % 2 else other)
    with CaptureQueriesContext(connection) as six_rows:
        response = client.get(queue_url())
    assert len(references(response)) == 6
    assert len(six_rows) == len(one_row)
    # Session, user, device, roles, levels, agency, holidays, legal forms, provinces, count, page.
    with django_assert_max_num_queries(11):
        response = client.get(queue_url(risk="on_time", sort="-submitted", legal_form=""))
    assert len(references(response)) == 6


def test_risk_flags_on_a_page_match_the_deadline_rule():
    """RiskBounds answers sla.risk for a whole page at once, for every due date around today."""
    task = file_for_moc()
    bounds = sla.risk_bounds()
    for offset in range(-3, 12):
        task.due_on = bounds.today + timedelta(days=offset)
        for status in (TaskStatus.OPEN, TaskStatus.IN_REVIEW, TaskStatus.APPROVED):
            task.status = status
            assert bounds.of(task) == sla.risk(task, bounds.today), (offset, status)
            due(task, task.due_on)
            Task.objects.filter(pk=task.pk).update(status=status)
            matching = Task.objects.filter(pk=task.pk).filter(bounds.where(bounds.of(task)))
            assert matching.exists(), (offset, status)


# ---------------------------------------------------------------- deciding a file


def test_claim_from_the_queue_then_approve_with_a_note(client):
    task = file_for_moc()
    clerk = officer("MOC")
    sign_in(client, clerk)
    response = client.post(task_url(task, "agencies:claim"), {"tasks": [task.pk]})
    assert response["Location"] == task_url(task)
    page = client.get(task_url(task)).content.decode()
    assert "You are reviewing this file now." in page
    assert "Approve this file" in page

    response = client.post(task_url(task, "agencies:approve"), {"approve-note": "All good."})
    assert response["Location"] == queue_url()
    assert f"{task.application.reference} approved." in client.get(queue_url()).content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.APPROVED and task.assignee == clerk
    decision = task.decisions.last()
    assert (decision.actor, decision.note) == (clerk, "All good.")
    assert Business.objects.filter(application_reference=task.application.reference).exists()
    assert AuditEntry.objects.filter(
        action="task.approved", actor=clerk, object_id=str(task.pk)
    ).exists()
    assert AuditEntry.objects.filter(action="task.in_review", actor=clerk).exists()


def test_correction_names_a_reason_and_the_sections(client):
    task = file_for_moc()
    clerk = officer("MOC")
    agency_actions.claim_task(task, clerk)
    sign_in(client, clerk)
    page = client.get(task_url(task)).content.decode()
    assert "The business name must be changed or explained" in page
    assert "The name belongs to another business" in page  # a rejection reason
    response = client.post(
        task_url(task, "agencies:correction"),
        {
            "correction-reason": "ID_UNREADABLE",
            "correction-sections": ["documents", "people"],
            "correction-note": "Scan the card again, both sides.",
        },
    )
    assert response["Location"] == queue_url()
    task.refresh_from_db()
    assert task.status == TaskStatus.CORRECTION_REQUESTED
    assert task.correction_sections == ["documents", "people"]
    application = Application.objects.get(pk=task.application_id)
    assert application.status == Status.CORRECTION_REQUESTED
    decision = task.decisions.last()
    assert decision.reason.code == "ID_UNREADABLE"
    assert decision.note == "Scan the card again, both sides."
    page = client.get(task_url(task)).content.decode()
    assert "Documents, People" in page
    assert "An identity document is unreadable" in page


def test_a_refused_correction_keeps_what_the_officer_typed(client):
    task = file_for_moc()
    clerk = officer("MOC")
    agency_actions.claim_task(task, clerk)
    sign_in(client, clerk)
    response = client.post(
        task_url(task, "agencies:correction"),
        {"correction-note": "Half written message", "correction-sections": ["tax"]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_correction-reason_0">Choose a reason from the list.' in page
    assert "Half written message</textarea>" in page
    assert 'value="tax" id="id_correction-sections_9" checked' in page
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_REVIEW


def test_reject_with_a_reason_cancels_the_other_agencies(client):
    task = file_for_moc()
    clerk = officer("MOC")
    agency_actions.claim_task(task, clerk)
    sign_in(client, clerk)
    response = client.post(
        task_url(task, "agencies:reject"),
        {"reject-reason": "FALSE_DOCUMENT", "reject-note": "The card was altered."},
    )
    assert response["Location"] == queue_url()
    task.refresh_from_db()
    assert task.status == TaskStatus.REJECTED
    assert task.decisions.last().reason.code == "FALSE_DOCUMENT"
    others = Task.objects.filter(application=task.application).exclude(
        agency__code__in=["MOC", "MEF"]
    )
    assert {t.status for t in others} == {TaskStatus.CANCELLED}
    assert AuditEntry.objects.filter(action="task.rejected", actor=clerk).exists()


def test_a_rejection_reason_of_another_kind_is_refused(client):
    task = file_for_moc()
    clerk = officer("MOC")
    agency_actions.claim_task(task, clerk)
    sign_in(client, clerk)
    response = client.post(task_url(task, "agencies:reject"), {"reject-reason": "SHARES"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_REVIEW


def test_release_puts_the_file_back_in_the_queue(client):
    task = file_for_moc()
    clerk = officer("MOC")
    agency_actions.claim_task(task, clerk)
    sign_in(client, clerk)
    response = client.post(task_url(task, "agencies:release"))
    assert response["Location"] == queue_url()
    task.refresh_from_db()
    assert (task.status, task.assignee) == (TaskStatus.OPEN, None)


def test_the_second_officer_is_told_who_has_the_file(client):
    task = file_for_moc()
    first, second = officer("MOC"), officer("MOC")
    first.full_name, second.full_name = "Dara Sok", "Vanna Chan"
    first.save()
    second.save()
    other = another_client(second)
    sign_in(client, first)
    assert "Claim this file" in other.get(task_url(task)).content.decode()

    client.post(task_url(task, "agencies:claim"))
    late_claim = other.post(task_url(task, "agencies:claim"))
    assert late_claim.status_code == 200
    assert "Dara Sok is already reviewing this task." in late_claim.content.decode()
    sneaky = other.post(task_url(task, "agencies:approve"), {"approve-note": "mine"})
    assert "Dara Sok is already reviewing this task." in sneaky.content.decode()
    assert "mine</textarea>" in sneaky.content.decode()

    client.post(task_url(task, "agencies:approve"))
    too_late = other.post(task_url(task, "agencies:approve"), {"approve-note": "mine"})
    assert too_late.status_code == 200
    assert "Dara Sok has already decided this task (Approved)." in too_late.content.decode()
    assert TaskDecision.objects.filter(task=task, to_status=TaskStatus.APPROVED).count() == 1


def test_escalation_and_comments_are_shown_to_the_team(client):
    task = file_for_moc()
    clerk, colleague = officer("MOC"), officer("MOC")
    sign_in(client, clerk)
    empty = client.post(task_url(task, "agencies:escalate"), {"escalate-note": "  "})
    assert "Say why the head should look at this task." in empty.content.decode()
    client.post(task_url(task, "agencies:escalate"), {"escalate-note": "Is 2100 allowed here?"})
    client.post(task_url(task, "agencies:comment"), {"comment-text": "Licence number missing."})
    page = another_client(colleague).get(task_url(task)).content.decode()
    assert "Is 2100 allowed here?" in page and "Licence number missing." in page
    assert "Escalated" in page
    assert ">Escalated</strong>" in client.get(queue_url()).content.decode()
    assert TaskComment.objects.filter(task=task).count() == 2
    assert AuditEntry.objects.filter(action="task.escalated", actor=clerk).exists()
    assert AuditEntry.objects.filter(action="task.commented", actor=clerk).exists()


# ---------------------------------------------------------------- what the task page shows


def test_each_look_at_a_file_is_audited(client):
    task = file_for_moc()
    clerk = officer("MOC")
    sign_in(client, clerk)
    client.get(task_url(task))
    client.get(task_url(task))
    seen = AuditEntry.objects.filter(action="task.viewed", object_id=str(task.pk), actor=clerk)
    assert seen.count() == 2
    assert seen.first().details == {"version": 1}


def test_the_pages_are_in_khmer_unless_english_is_chosen():
    task = file_for_moc()
    khmer = sign_in(CommittingClient(), officer("MOC", OfficerLevel.HEAD))
    for url in (queue_url(), task_url(task), reverse("agencies:workload", args=["moc"])):
        response = khmer.get(url)
        assert response.status_code == 200, url
        assert '<html lang="km">' in response.content.decode()
        assert "ក្រសួងពាណិជ្ជកម្ម" in response.content.decode()


def test_a_task_waiting_for_another_agency_cannot_be_claimed(client):
    task = file_for_moc()
    waiting = Task.objects.get(application=task.application_id, agency__code="GDT")
    sign_in(client, officer("GDT"))
    page = client.get(task_url(waiting)).content.decode()
    assert "Claim this file" not in page
    assert "There is nothing to decide on this file now." in page
    assert "Waiting for another agency" in page
    response = client.post(task_url(waiting, "agencies:claim"))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Task.objects.get(pk=waiting.pk).status == TaskStatus.WAITING


def test_task_page_shows_the_frozen_file_checks_and_history(client):
    task = file_for_moc()
    sign_in(client, officer("MOC"))
    page = client.get(task_url(task)).content.decode()
    for text in (
        "The file as submitted",
        "2100 Manufacture of pharmaceuticals",
        "4,000,000 ៛",
        "Street 51",
        "ម្ចាស់ 0",
        "Shareholder",
        "Cambodia",
        "Beneficial owners",
        "Cambodian staff",
        "100,000,000 ៛",
        "មេគង្គ ម្រេច",
        "200 \u00d7 80 cm",
        "id.pdf",
        "lease.png",
        "Signed by សុខ ចន្ទា",
    ):
        assert text in page, text
    assert "These activities need a licence: 2100" in page
    assert "Not passed" in page and "Passed" in page
    assert "The system" in page  # MOC's task was opened by the system
    assert "Waiting for another agency → Open" in page


def test_officers_download_the_files_of_the_version(client):
    task = file_for_moc()
    clerk = officer("MOC")
    document = task.application.documents.get(kind="identity")
    sign_in(client, clerk)
    page = client.get(task_url(task)).content.decode()
    url = reverse("agencies:document", args=["moc", task.pk, document.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    entry = AuditEntry.objects.get(action="task.document_viewed")
    assert entry.actor == clerk and entry.details["document"] == document.pk


def test_a_corrected_file_shows_what_changed(client):
    task = file_for_moc()
    clerk = officer("MOC")
    agency_actions.claim_task(task, clerk)
    agency_actions.request_correction(task, clerk, reason="NAME_UNCLEAR", sections=["contact"])
    app = Application.objects.get(pk=task.application_id)
    applications.save_contact(app, app.owner, phone="012 999 888")
    with TestCase.captureOnCommitCallbacks(execute=True):
        applications.submit_application(app, app.owner, declared_by_name="សុខ ចន្ទា")
    task.refresh_from_db()
    assert (task.status, task.version.number) == (TaskStatus.OPEN, 2)
    sign_in(client, clerk)
    page = client.get(task_url(task)).content.decode()
    assert "What changed since version 1" in page
    assert "+85512345678" in page and "+85512999888" in page
    assert "The applicant sent a corrected file." in page


def test_task_page_queries_are_bounded(client, django_assert_max_num_queries):
    task = file_for_moc()
    clerk = officer("MOC", OfficerLevel.HEAD)
    agency_actions.claim_task(task, clerk)
    agency_actions.comment_on_task(task, clerk, text="One")
    agency_actions.comment_on_task(task, clerk, text="Two")
    sign_in(client, clerk)
    # Sign-in (5), the task (2), the audit entry (7 with savepoints), reasons (2), the file's
    # names (6), documents, rules, holidays, officers to give the file to, decisions, comments.
    with django_assert_max_num_queries(28):
        response = client.get(task_url(task))
    assert response.status_code == 200


# ---------------------------------------------------------------- bulk approval


def test_bulk_approval_approves_the_ticked_clean_files(client):
    # Clean files the system has not looked at yet (its task had not run): bulk approval
    # checks them itself.
    first, second = clean_file_for_moc(), clean_file_for_moc()
    clerk = officer("MOC")
    sign_in(client, clerk)
    response = client.post(
        reverse("agencies:bulk_approve", args=["moc"]),
        {"tasks": [first.pk, second.pk], "query": "sort=-due&risk="},
    )
    assert response["Location"] == queue_url(sort="-due", risk="")
    assert "2 files approved." in client.get(queue_url()).content.decode()
    assert set(
        Task.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {TaskStatus.APPROVED}


def test_bulk_approval_refuses_a_file_that_is_not_clean_and_approves_none(client):
    clean, not_clean = clean_file_for_moc(), file_for_moc()
    sign_in(client, officer("MOC"))
    client.post(reverse("agencies:bulk_approve", args=["moc"]), {"tasks": [clean.pk, not_clean.pk]})
    page = client.get(queue_url()).content.decode()
    assert f"{not_clean.application.reference} is not a clean file: open it to decide." in page
    assert Task.objects.get(pk=clean.pk).status == TaskStatus.OPEN


def test_bulk_approval_with_nothing_ticked_says_so(client):
    sign_in(client, officer("MOC"))
    client.post(reverse("agencies:bulk_approve", args=["moc"]), {})
    assert "Tick the clean files to approve." in client.get(queue_url()).content.decode()


# ---------------------------------------------------------------- heads


def test_the_head_sees_the_workload_of_the_team(client):
    head = officer("MOC", OfficerLevel.HEAD)
    clerk = officer("MOC")
    clerk.full_name = "Dara Sok"
    clerk.save()
    late, soon, fine = file_for_moc(), file_for_moc(), file_for_moc()
    unclaimed = file_for_moc()
    for task in (late, soon, fine):
        agency_actions.claim_task(task, clerk)
    today = timezone.localdate()
    due(late, today - timedelta(days=3))
    due(soon, today)
    agency_actions.escalate_task(unclaimed, clerk, note="Licence?")
    sign_in(client, head)
    response = client.get(reverse("agencies:workload", args=["moc"]))
    page = response.content.decode()
    assert response.status_code == 200
    row = page.split("Dara Sok</th>", 1)[1].split("</tr>", 1)[0]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:]] == ["3", "1", "1"]
    assert "1 open file nobody has claimed" in page
    assert unclaimed.application.reference in page.split("Escalated files", 1)[1]


def test_the_head_gives_a_file_to_an_officer(client):
    task = file_for_moc()
    head, clerk = officer("MOC", OfficerLevel.HEAD), officer("MOC")
    sign_in(client, head)
    page = client.get(task_url(task)).content.decode()
    assert "Give the file to an officer" in page
    response = client.post(task_url(task, "agencies:reassign"), {"reassign-to": clerk.pk})
    assert response["Location"] == task_url(task)
    task.refresh_from_db()
    assert (task.status, task.assignee) == (TaskStatus.IN_REVIEW, clerk)
    assert AuditEntry.objects.get(action="task.reassigned").details == {"to": clerk.pk}


def test_the_head_cannot_give_a_file_to_someone_outside_the_agency(client):
    task = file_for_moc()
    head = officer("MOC", OfficerLevel.HEAD)
    outsider = officer("GDT")
    sign_in(client, head)
    response = client.post(task_url(task, "agencies:reassign"), {"reassign-to": outsider.pk})
    assert response.status_code == 200
    assert "Choose an officer of this agency." in response.content.decode()
    assert Task.objects.get(pk=task.pk).assignee is None
