"""Who may use each back-office page: the permission matrix.

Anonymous visitors are sent to sign in; applicants get 403; an officer of another agency gets
404 (never a hint that the file exists); an officer who has not passed the second factor is
sent to it; clerks get 403 on what only the head may do.
"""

import pytest
from django.urls import reverse

from singleportal.accounts.models import OfficerLevel
from singleportal.agencies.models import Task, TaskStatus
from singleportal.applications.models import Document
from tests.agencies.test_office_pages import file_for_moc, sign_in
from tests.conftest import in_english
from tests.factories import PASSWORD, officer, totp_device

pytestmark = pytest.mark.django_db

PAGES = ["home", "queue", "task", "document", "workload"]
MOVES = [
    "bulk_approve",
    "claim",
    "release",
    "approve",
    "correction",
    "reject",
    "escalate",
    "comment",
    "reassign",
]


@pytest.fixture
def task():
    return file_for_moc()


def url(name, task, agency="moc"):
    if name == "home":
        return reverse("agencies:home")
    if name in ("queue", "workload", "bulk_approve"):
        return reverse(f"agencies:{name}", args=[agency])
    if name == "document":
        document = Document.objects.filter(application=task.application_id).first()
        return reverse("agencies:document", args=[agency, task.pk, document.pk])
    return reverse(f"agencies:{name}", args=[agency, task.pk])


@pytest.mark.parametrize("name", PAGES + MOVES)
def test_anonymous_visitors_are_sent_to_sign_in(client, task, name):
    response = client.post(url(name, task)) if name in MOVES else client.get(url(name, task))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PAGES + MOVES)
def test_applicants_are_refused(client, task, name):
    client.force_login(task.application.owner)
    response = client.post(url(name, task)) if name in MOVES else client.get(url(name, task))
    assert response.status_code == 403


@pytest.mark.parametrize("name", [n for n in PAGES + MOVES if n != "home"])
def test_an_officer_of_another_agency_finds_nothing(client, task, name):
    sign_in(client, officer("GDT", OfficerLevel.HEAD))
    response = client.post(url(name, task)) if name in MOVES else client.get(url(name, task))
    assert response.status_code == 404
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


@pytest.mark.parametrize("name", ["task", "document", *MOVES[1:]])
def test_another_agencys_task_is_not_found_under_ones_own_agency(client, task, name):
    """A GDT officer cannot reach the MOC task by putting its number under /office/gdt/."""
    sign_in(client, officer("GDT", OfficerLevel.HEAD))
    target = url(name, task, agency="gdt")
    response = client.post(target) if name in MOVES else client.get(target)
    assert response.status_code == 404


def test_an_officer_must_pass_the_second_factor_first(client, task):
    clerk = officer("MOC")
    totp_device(clerk)
    client.post(reverse("accounts:login"), {"username": clerk.email, "password": PASSWORD})
    response = client.get(url("queue", task))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor") + "?next=")


@pytest.mark.parametrize(
    ("level", "expected"),
    [(OfficerLevel.CLERK, 403), (OfficerLevel.REVIEWER, 403), (OfficerLevel.HEAD, 200)],
)
def test_only_the_head_sees_the_workload(client, task, level, expected):
    sign_in(client, officer("MOC", level))
    assert client.get(url("workload", task)).status_code == expected


def test_a_clerk_cannot_give_a_file_to_someone_else(client, task):
    clerk, colleague = officer("MOC"), officer("MOC")
    sign_in(client, clerk)
    in_english(client)
    page = client.get(url("task", task)).content.decode()
    assert "Give the file to an officer" not in page
    response = client.post(url("reassign", task), {"reassign-to": colleague.pk})
    assert response.status_code == 403
    assert Task.objects.get(pk=task.pk).assignee is None


def test_the_pages_of_ones_own_agency_open(client, task):
    sign_in(client, officer("MOC", OfficerLevel.HEAD))
    for name in PAGES:
        response = client.get(url(name, task))
        assert response.status_code in (200, 302), name
    assert client.get(url("home", task))["Location"] == url("queue", task)


def test_a_document_of_another_application_is_not_found_through_this_task(client, task):
    other = file_for_moc()
    foreign = Document.objects.filter(application=other.application_id).first()
    sign_in(client, officer("MOC"))
    response = client.get(reverse("agencies:document", args=["moc", task.pk, foreign.pk]))
    assert response.status_code == 404


def test_an_unknown_agency_is_not_found(client):
    sign_in(client, officer("MOC"))
    assert client.get(reverse("agencies:queue", args=["nope"])).status_code == 404
