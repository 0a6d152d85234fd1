"""The back office API at /api/v1/office/{agency}/: who may call what, each move, and the
answers when a task has moved on (409) or the request is wrong (422)."""

import datetime

import pytest
from django.urls import reverse

from singleportal.accounts.actions import create_api_token
from singleportal.accounts.models import OfficerLevel
from singleportal.agencies import sla
from singleportal.agencies.models import Task, TaskComment, TaskStatus
from singleportal.applications.models import Status
from singleportal.audit.models import AuditEntry
from tests.applications.helpers import submitted_application, task_in_review, task_of
from tests.conftest import in_english
from tests.factories import PASSWORD, UserFactory, current_totp, officer, totp_device

pytestmark = pytest.mark.django_db
BASE = "/api/v1/office"


def bearer(user):
    _, token = create_api_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


def post(client, url, auth, data=None):
    return client.post(url, data or {}, content_type="application/json", **auth)


@pytest.fixture
def applicant():
    return UserFactory()


@pytest.fixture
def app(applicant):
    return submitted_application(applicant)


@pytest.fixture
def moc_task(app):
    """The MOC task, open (MEF approved by its officer), not yet claimed."""
    mef = officer("MEF")
    from singleportal.agencies import actions

    actions.approve_task(task_in_review(app, "MEF", mef), mef)
    return task_of(app, "MOC")


# ---------------------------------------------------------------- who may call


def test_anonymous_callers_are_asked_to_sign_in(client, moc_task):
    assert client.get(f"{BASE}/moc/tasks").status_code == 401
    assert client.get(f"{BASE}/moc/tasks/{moc_task.pk}").status_code == 401
    assert client.post(f"{BASE}/moc/tasks/{moc_task.pk}/claim").status_code == 401


def test_applicants_are_refused(client, applicant, moc_task):
    auth = bearer(applicant)
    assert client.get(f"{BASE}/moc/tasks", **auth).status_code == 403
    assert client.get(f"{BASE}/moc/tasks/{moc_task.pk}", **auth).status_code == 403
    response = post(client, f"{BASE}/moc/tasks/{moc_task.pk}/claim", auth)
    assert response.status_code == 403
    assert response.json()["detail"] == "Only agency officers may use the back office."


def test_officers_of_another_agency_find_nothing(client, app, moc_task):
    gdt = bearer(officer("GDT"))
    assert client.get(f"{BASE}/moc/tasks", **gdt).status_code == 404
    assert client.get(f"{BASE}/moc/tasks/{moc_task.pk}", **gdt).status_code == 404
    assert post(client, f"{BASE}/moc/tasks/{moc_task.pk}/claim", gdt).status_code == 404
    # Nor through their own agency's path.
    assert client.get(f"{BASE}/gdt/tasks/{moc_task.pk}", **gdt).status_code == 404
    assert post(client, f"{BASE}/gdt/tasks/{moc_task.pk}/claim", gdt).status_code == 404
    moc_task.refresh_from_db()
    assert moc_task.status == TaskStatus.OPEN


def verified_session(client, user):
    in_english(client)
    device = totp_device(user)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    client.post(reverse("accounts:second_factor"), {"token": current_totp(device)})


def test_an_officers_session_opens_the_api_only_past_the_second_factor(client, moc_task):
    user = officer("MOC")
    client.force_login(user)
    assert client.get(f"{BASE}/moc/tasks").status_code == 401
    client.logout()
    verified_session(client, user)
    response = client.get(f"{BASE}/moc/tasks")
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["items"]] == [moc_task.pk]
    claimed = client.post(f"{BASE}/moc/tasks/{moc_task.pk}/claim")
    assert claimed.status_code == 200 and claimed.json()["status"] == TaskStatus.IN_REVIEW


def test_only_a_head_reassigns(client, moc_task):
    clerk, reviewer = officer("MOC"), officer("MOC", OfficerLevel.REVIEWER)
    head = officer("MOC", OfficerLevel.HEAD)
    url = f"{BASE}/moc/tasks/{moc_task.pk}/reassign"
    refused = post(client, url, bearer(clerk), {"to": reviewer.pk})
    assert refused.status_code == 403
    moved = post(client, url, bearer(head), {"to": reviewer.pk})
    assert moved.status_code == 200
    assert moved.json()["assignee_id"] == reviewer.pk
    assert moved.json()["status"] == TaskStatus.IN_REVIEW
    outsider = officer("GDT")
    wrong = post(client, url, bearer(head), {"to": outsider.pk})
    assert wrong.status_code == 422
    assert wrong.json()["problems"] == [
        {"field": "to", "message": "Choose an officer of this agency."}
    ]
    nobody = post(client, url, bearer(head), {"to": 999_999})
    assert nobody.status_code == 422


# ---------------------------------------------------------------- reading


def test_list_filters_by_status_and_risk_and_pages(client, applicant, moc_task):
    for _ in range(2):
        submitted_application(applicant)
    auth = bearer(officer("MEF"))
    listed = client.get(f"{BASE}/mef/tasks", {"page_size": 2}, **auth).json()
    assert listed["count"] == 3 and len(listed["items"]) == 2
    first = listed["items"][0]
    assert first["status_label"] and first["reference"].startswith("SP-")
    assert first["version_number"] == 1 and first["risk"] in ("on_time", "near", "late")
    approved = client.get(f"{BASE}/mef/tasks", {"status": "approved"}, **auth).json()
    assert [t["id"] for t in approved["items"]] == [task_of(moc_task.application, "MEF").pk]
    opened = client.get(f"{BASE}/mef/tasks", {"status": "open"}, **auth).json()
    assert opened["count"] == 2

    late = Task.objects.filter(agency__code="MEF", status=TaskStatus.OPEN).first()
    Task.objects.filter(pk=late.pk).update(due_on=datetime.date(2020, 1, 6))
    found = client.get(f"{BASE}/mef/tasks", {"risk": "late"}, **auth).json()
    assert [t["id"] for t in found["items"]] == [late.pk]
    assert found["items"][0]["risk"] == "late"
    everything = client.get(f"{BASE}/mef/tasks", **auth).json()["items"]
    assert {t["id"]: t["risk"] for t in everything} == {
        task.pk: sla.risk(task) for task in Task.objects.filter(agency__code="MEF")
    }
    assert client.get(f"{BASE}/mef/tasks", {"status": "nonsense"}, **auth).status_code == 422
    assert client.get(f"{BASE}/mef/tasks", {"risk": "nonsense"}, **auth).status_code == 422


def test_list_queries_do_not_grow_with_the_tasks(
    client, applicant, moc_task, django_assert_max_num_queries
):
    auth = bearer(officer("MEF"))
    for _ in range(5):
        submitted_application(applicant)
    with django_assert_max_num_queries(8):
        response = client.get(f"{BASE}/mef/tasks", **auth)
    assert response.json()["count"] == 6


def test_detail_shows_version_checks_decisions_and_is_audited(client, app, moc_task):
    moc = officer("MOC")
    from singleportal.agencies import actions

    actions.comment_on_task(moc_task, moc, text="Check the lease.")
    mef_task = task_of(app, "MEF")
    Task.objects.filter(pk=mef_task.pk).update(
        checks=[{"rule": "MEF-PAID", "passed": True, "detail": ""}]
    )
    response = client.get(f"{BASE}/mef/tasks/{mef_task.pk}", **bearer(officer("MEF")))
    body = response.json()
    assert response.status_code == 200
    assert body["version"]["number"] == 1
    assert body["version"]["snapshot"]["business"]["name_en"] == "Mekong Pepper"
    assert body["checks"] == [{"rule": "MEF-PAID", "passed": True, "detail": ""}]
    moves = [(d["from_status"], d["to_status"]) for d in body["decisions"]]
    assert moves == [("waiting", "open"), ("open", "in_review"), ("in_review", "approved")]
    assert body["decisions"][0]["actor"] is None
    detail = client.get(f"{BASE}/moc/tasks/{moc_task.pk}", **bearer(moc)).json()
    assert [c["text"] for c in detail["comments"]] == ["Check the lease."]
    viewed = AuditEntry.objects.filter(action="task.viewed", actor=moc)
    assert viewed.count() == 1 and viewed.get().object_id == str(moc_task.pk)


def test_reasons_and_officers_of_the_agency(client):
    head = officer("MOC", OfficerLevel.HEAD)
    clerk = officer("MOC")
    officer("GDT")
    auth = bearer(head)
    reasons = client.get(f"{BASE}/moc/reasons", **auth).json()
    assert {
        "code": "NAME_TAKEN",
        "kind": "rejection",
        "text": "The name belongs to another business",
    } in reasons
    assert all(r["code"] not in ("TAX_DEBT", "TURNOVER") for r in reasons)
    officers = {o["id"]: o["level"] for o in client.get(f"{BASE}/moc/officers", **auth).json()}
    assert officers == {head.pk: "head", clerk.pk: "clerk"}


# ---------------------------------------------------------------- moves


def test_claim_release_and_approve(client, app, moc_task):
    auth = bearer(officer("MOC"))
    url = f"{BASE}/moc/tasks/{moc_task.pk}"
    assert post(client, f"{url}/claim", auth).json()["status"] == "in_review"
    released = post(client, f"{url}/release", auth).json()
    assert released["status"] == "open" and released["assignee"] is None
    post(client, f"{url}/claim", auth)
    approved = post(client, f"{url}/approve", auth, {"note": "All in order."})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decisions"][-1]["note"] == "All in order."
    # The test client commits: the next agencies open, and the clean file goes through.
    app.refresh_from_db()
    assert task_of(app, "GDT").status != TaskStatus.WAITING


def test_correction_sends_the_file_back(client, app, moc_task):
    auth = bearer(officer("MOC"))
    url = f"{BASE}/moc/tasks/{moc_task.pk}"
    post(client, f"{url}/claim", auth)
    data = {"reason": "NAME_UNCLEAR", "sections": ["names"], "note": "Explain Mekong."}
    response = post(client, f"{url}/correction", auth, data)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "correction_requested" and body["correction_sections"] == ["names"]
    assert body["decisions"][-1]["reason"] == "NAME_UNCLEAR"
    app.refresh_from_db()
    assert app.status == Status.CORRECTION_REQUESTED and app.correction_sections == ["names"]


def test_correction_needs_a_known_reason_and_sections(client, moc_task):
    auth = bearer(officer("MOC"))
    url = f"{BASE}/moc/tasks/{moc_task.pk}"
    post(client, f"{url}/claim", auth)
    unknown = post(client, f"{url}/correction", auth, {"reason": "TAX_DEBT", "sections": ["names"]})
    assert unknown.status_code == 422
    assert unknown.json()["problems"] == [
        {"field": "reason", "message": "Choose a reason from the list."}
    ]
    none = post(client, f"{url}/correction", auth, {"reason": "NAME_UNCLEAR", "sections": []})
    assert none.status_code == 422
    assert none.json()["problems"][0]["field"] == "sections"
    moc_task.refresh_from_db()
    assert moc_task.status == TaskStatus.IN_REVIEW


def test_reject_cancels_the_other_agencies(client, app, moc_task):
    auth = bearer(officer("MOC"))
    url = f"{BASE}/moc/tasks/{moc_task.pk}"
    post(client, f"{url}/claim", auth)
    response = post(client, f"{url}/reject", auth, {"reason": "NAME_TAKEN", "note": "See 100."})
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    app.refresh_from_db()
    assert app.status == Status.REJECTED
    assert task_of(app, "GDT").status == TaskStatus.CANCELLED


def test_comments_and_escalation(client, moc_task):
    clerk = officer("MOC")
    auth = bearer(clerk)
    url = f"{BASE}/moc/tasks/{moc_task.pk}"
    created = post(client, f"{url}/comments", auth, {"text": "Lease looks old."})
    assert created.status_code == 201 and created.json()["text"] == "Lease looks old."
    assert created.json()["author"] == str(clerk)
    assert post(client, f"{url}/comments", auth, {"text": "  "}).status_code == 422
    escalated = post(client, f"{url}/escalate", auth, {"note": "Is this name allowed?"})
    assert escalated.status_code == 200 and escalated.json()["escalated"] is True
    assert TaskComment.objects.filter(task=moc_task).count() == 2


def test_the_slower_officer_gets_409_with_who_was_first(client, moc_task):
    first, second = officer("MOC"), officer("MOC")
    first.full_name, second.full_name = "Chan Dara", "Keo Sophea"
    first.save()
    second.save()
    url = f"{BASE}/moc/tasks/{moc_task.pk}"
    assert post(client, f"{url}/claim", bearer(first)).status_code == 200
    late_claim = post(client, f"{url}/claim", bearer(second))
    assert late_claim.status_code == 409
    assert late_claim.json()["detail"] == "Chan Dara is already reviewing this task."
    assert post(client, f"{url}/approve", bearer(first)).status_code == 200
    late = post(client, f"{url}/reject", bearer(second), {"reason": "NAME_TAKEN"})
    assert late.status_code == 409
    assert late.json()["detail"] == "Chan Dara has already decided this task (Approved)."


def test_deciding_an_unclaimed_task_is_a_conflict(client, moc_task):
    response = post(client, f"{BASE}/moc/tasks/{moc_task.pk}/approve", bearer(officer("MOC")))
    assert response.status_code == 409
    assert response.json()["detail"] == "Claim the task before deciding."
    moc_task.refresh_from_db()
    assert moc_task.status == TaskStatus.OPEN


def test_deciding_a_task_still_waiting_is_a_conflict(client, app):
    task = task_of(app, "GDT")
    response = post(client, f"{BASE}/gdt/tasks/{task.pk}/claim", bearer(officer("GDT")))
    assert response.status_code == 409


def test_messages_follow_accept_language(client, moc_task):
    auth = {**bearer(officer("MOC")), "HTTP_ACCEPT_LANGUAGE": "km"}
    url = f"{BASE}/moc/tasks/{moc_task.pk}"
    post(client, f"{url}/claim", auth)
    english = {**auth, "HTTP_ACCEPT_LANGUAGE": "en"}
    in_en = post(client, f"{url}/correction", english, {"reason": "X", "sections": ["names"]})
    in_km = post(client, f"{url}/correction", auth, {"reason": "X", "sections": ["names"]})
    assert in_en.json()["detail"] == "Choose a reason from the list."
    assert in_km.status_code == 422 and in_km.json()["detail"]


def test_the_office_api_is_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/office/{agency}/tasks" in paths
    assert "/api/v1/office/{agency}/tasks/{task_id}/correction" in paths
    assert "/api/v1/applications/{application_id}/progress" in paths
    assert paths["/api/v1/office/{agency}/tasks"]["get"]["security"]
