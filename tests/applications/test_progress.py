"""The applicant's progress page and its API: each agency's step and date, what was asked and
why (never officers' comments), the deadlines, and the register's numbers once registered."""

import pytest
from django.test import override_settings
from django.utils import timezone

from singleportal.accounts.actions import create_api_token
from singleportal.agencies import actions as agency_actions
from singleportal.agencies import sla
from singleportal.applications import actions
from singleportal.registry.models import Business
from tests.applications.helpers import (
    complete_application,
    submitted_application,
    task_in_review,
    task_of,
)
from tests.factories import UserFactory, officer
from tests.payments.helpers import pay

pytestmark = pytest.mark.django_db


def bearer(user):
    _, token = create_api_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


def registered(user, django_capture_on_commit_callbacks):
    """A clean file, submitted with the on-commit work run: the rules approve every task."""
    app = complete_application(user)
    with (
        override_settings(CELERY_TASK_ALWAYS_EAGER=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.submit_application(app, user, declared_by_name="Sok Chanda")
        pay(app)
    app.refresh_from_db()
    return app


def test_progress_page_shows_each_agency_and_the_deadlines(client):
    user = UserFactory()
    app = submitted_application(user)
    client.force_login(user)
    response = client.get(f"/applications/{app.public_id}/progress/")
    page = response.content.decode()
    assert response.status_code == 200
    assert app.reference in page and "In progress" in page
    for name in ("Ministry of Economy and Finance", "Ministry of Commerce", "Taxation"):
        assert name in page
    assert "Waiting for another agency" in page and "expected by" in page
    deadline = sla.file_due_on(timezone.localdate(app.submitted_at))
    assert "Legal deadline" in page and deadline.strftime("%Y") in page
    # While agencies work, the status part asks again by itself.
    assert 'hx-trigger="every 5s"' in page
    assert f'hx-get="/applications/{app.public_id}/progress/"' in page


def test_htmx_gets_the_fragment_alone(client):
    user = UserFactory()
    app = submitted_application(user)
    client.force_login(user)
    response = client.get(f"/applications/{app.public_id}/progress/", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="file-progress"')
    assert "<html" not in page


def test_a_correction_shows_the_reason_and_sections_but_never_internal_comments(client):
    user = UserFactory()
    app = submitted_application(user)
    moc = officer("MOC")
    task = task_in_review(app, "MOC", moc)
    agency_actions.comment_on_task(task, moc, text="Looks like a shell company to me.")
    agency_actions.request_correction(
        task, moc, reason="NAME_UNCLEAR", sections=["names", "documents"], note="Explain Mekong."
    )
    client.force_login(user)
    page = client.get(f"/applications/{app.public_id}/progress/").content.decode()
    assert "Correction needed" in page and "What you need to correct" in page
    assert "The business name must be changed or explained" in page
    assert "Explain Mekong." in page
    assert f"/applications/{app.public_id}/step/names/" in page
    assert f"/applications/{app.public_id}/step/documents/" in page
    assert "Looks like a shell company" not in page
    assert "hx-trigger" not in page  # nothing changes until the applicant acts

    body = client.get(f"/api/v1/applications/{app.public_id}/progress", **bearer(user)).json()
    assert body["status"] == "correction_requested"
    assert body["correction_sections"] == [  # in the wizard's order
        {"code": "names", "label": "Business name"},
        {"code": "documents", "label": "Documents"},
    ]
    moc_step = next(s for s in body["agencies"] if s["agency"] == "MOC")
    assert moc_step["reason"] == "The business name must be changed or explained"
    assert moc_step["note"] == "Explain Mekong." and moc_step["on"] is None
    assert "shell company" not in str(body)


def test_registered_file_shows_the_registration_number_tin_and_records(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    app = registered(user, django_capture_on_commit_callbacks)
    business = Business.objects.get(application_reference=app.reference)
    client.force_login(user)
    page = client.get(f"/applications/{app.public_id}/progress/").content.decode()
    assert "Your business is registered" in page
    assert business.registration_number in page and business.tin in page
    assert "Declaration of opening" in page and "Address confirmation" in page
    assert "Completed on" in page and "hx-trigger" not in page
    number = business.registration_number
    assert f'href="/certificates/business/{number}/"' in page
    assert f'href="/registry/{number}/"' in page

    body = client.get(f"/api/v1/applications/{app.public_id}/progress", **bearer(user)).json()
    assert body["status"] == "approved" and body["status_label"] == "Registered"
    assert body["registration"]["registration_number"] == business.registration_number
    assert body["registration"]["tin"] == business.tin
    kinds = {r["kind"] for r in body["registration"]["records"]}
    assert {"registration", "tax_registration", "opening_declaration"} <= kinds
    assert all(step["done"] and step["on"] for step in body["agencies"])
    assert body["expected_completion"] == str(timezone.localdate())


def test_steps_come_in_the_order_agencies_work(client):
    user = UserFactory()
    app = submitted_application(user)
    body = client.get(f"/api/v1/applications/{app.public_id}/progress", **bearer(user)).json()
    codes = [s["agency"] for s in body["agencies"]]
    assert codes[:2] == ["MEF", "MOC"] and set(codes[2:]) == {"GDT", "MLVT", "MOI"}
    expected = {s["agency"]: s["on"] for s in body["agencies"]}
    assert expected["MEF"] < expected["MOC"] < expected["GDT"]
    assert body["expected_completion"] == max(expected.values())


def test_rejection_shows_the_reason(client):
    user = UserFactory()
    app = submitted_application(user)
    mef = officer("MEF")
    agency_actions.reject_task(
        task_in_review(app, "MEF", mef), mef, reason="NOT_PAID", note="No payment in 30 days."
    )
    client.force_login(user)
    page = client.get(f"/applications/{app.public_id}/progress/").content.decode()
    assert "Your application was rejected" in page
    assert "The fee was not paid" in page and "No payment in 30 days." in page
    assert task_of(app, "MOC").status == "cancelled"


@pytest.mark.parametrize("who", ["owner", "representative", "stranger", "revoked"])
def test_only_the_owner_and_an_active_representative_see_the_progress(client, who):
    owner = UserFactory()
    app = submitted_application(owner)
    caller = owner if who == "owner" else UserFactory()
    if who in ("representative", "revoked"):
        authorisation = actions.authorise_representative(app, owner, caller.email)
        if who == "revoked":
            actions.revoke_representative(app, owner, authorisation.pk)
    allowed = who in ("owner", "representative")
    api = client.get(f"/api/v1/applications/{app.public_id}/progress", **bearer(caller))
    assert api.status_code == (200 if allowed else 404)
    client.force_login(caller)
    page = client.get(f"/applications/{app.public_id}/progress/")
    assert page.status_code == (200 if allowed else 404)


def test_progress_page_needs_sign_in(client):
    app = submitted_application(UserFactory())
    response = client.get(f"/applications/{app.public_id}/progress/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    api = client.get(f"/api/v1/applications/{app.public_id}/progress")
    assert api.status_code == 401


def test_list_and_submitted_pages_link_to_the_progress(client):
    user = UserFactory()
    app = submitted_application(user)
    client.force_login(user)
    progress = f"/applications/{app.public_id}/progress/"
    assert progress in client.get("/applications/").content.decode()
    assert progress in client.get(f"/applications/{app.public_id}/submitted/").content.decode()


def test_progress_page_queries_do_not_grow_with_decisions(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    user = UserFactory()
    app = registered(user, django_capture_on_commit_callbacks)
    client.force_login(user)
    with django_assert_max_num_queries(10):
        assert client.get(f"/applications/{app.public_id}/progress/").status_code == 200
