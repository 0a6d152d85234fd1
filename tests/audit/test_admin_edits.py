from datetime import date

import pytest
from django.urls import reverse

from singleportal.accounts.models import Role
from singleportal.agencies.models import (
    Agency,
    DecisionReason,
    PlanStep,
    StraightThroughRule,
    Task,
)
from singleportal.audit.chain import verify
from singleportal.audit.models import AuditEntry
from singleportal.core.models import PublicHoliday
from tests.conftest import in_english
from tests.factories import PASSWORD, UserFactory, current_totp, totp_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client):
    """An operator signed in with password and second factor, as the admin requires."""
    operator = UserFactory(roles=[Role.OPERATOR], is_staff=True, is_superuser=True)
    device = totp_device(operator)
    client.post(reverse("accounts:login"), {"username": operator.email, "password": PASSWORD})
    client.post(reverse("accounts:second_factor"), {"token": current_totp(device)})
    return client


def test_admin_needs_the_second_factor(client):
    operator = UserFactory(roles=[Role.OPERATOR], is_staff=True)
    totp_device(operator)
    client.post(reverse("accounts:login"), {"username": operator.email, "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second_factor") + "?next=%2Fadmin%2F"


def test_a_holiday_added_in_the_admin_is_audited_and_marked_operator(operator_client):
    response = operator_client.post(
        "/admin/core/publicholiday/add/",
        {"date": "2026-12-31", "name_km": "ថ្ងៃឈប់សម្រាកបន្ថែម", "name_en": "Extra day off"},
    )
    assert response.status_code == 302
    holiday = PublicHoliday.objects.get(date=date(2026, 12, 31))
    assert holiday.source == PublicHoliday.Source.OPERATOR
    entry = AuditEntry.objects.get(action="admin.added")
    assert entry.object_id == str(holiday.pk)
    assert verify().ok


def test_a_holiday_deleted_in_the_admin_leaves_an_audit_entry_naming_it(operator_client):
    holiday = PublicHoliday.objects.filter(date__year=2026).first()
    operator_client.post(f"/admin/core/publicholiday/{holiday.pk}/delete/", {"post": "yes"})
    assert not PublicHoliday.objects.filter(pk=holiday.pk).exists()
    entry = AuditEntry.objects.get(action="admin.deleted")
    assert entry.details["model"] == "core.publicholiday"
    assert entry.details["id"] == str(holiday.pk)


# -- agencies: rules are edited with an audit trail, decisions are never written here ---------


@pytest.fixture
def planned_task():
    """A submitted file: its tasks planned, MEF's open (one decision: waiting -> open)."""
    from singleportal.applications import actions
    from tests.applications.helpers import complete_application

    owner = UserFactory()
    app = complete_application(owner)
    actions.submit_application(app, owner, declared_by_name="Owner")
    return Task.objects.get(application=app, agency__code="MEF")


def test_a_straight_through_rule_edited_in_the_admin_is_audited(operator_client):
    rule = StraightThroughRule.objects.get(code="MLVT-STAFF")
    page = operator_client.get(f"/admin/agencies/straightthroughrule/{rule.pk}/change/")
    assert '<option value="staff_below" selected>' in page.content.decode()
    response = operator_client.post(
        f"/admin/agencies/straightthroughrule/{rule.pk}/change/",
        {
            "agency": rule.agency_id,
            "check_name": "staff_below",
            "parameter": "30",
            "description_km": "បុគ្គលិកតិចជាង ៣០ នាក់",
            "description_en": "Fewer than 30 staff",
            "active": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.parameter == 30
    entry = AuditEntry.objects.get(action="admin.changed")
    assert entry.object_id == str(rule.pk)
    assert entry.details["fields"] == ["description_en", "description_km", "parameter"]
    assert verify().ok


def test_a_rule_can_only_name_a_check_the_code_has(operator_client):
    page = operator_client.get("/admin/agencies/straightthroughrule/add/")
    assert '<option value="no_foreign_staff">' in page.content.decode()
    response = operator_client.post(
        "/admin/agencies/straightthroughrule/add/",
        {
            "agency": Agency.objects.get(code="MOI").pk,
            "code": "MOI-GUESS",
            "check_name": "looks_fine",
            "description_km": "ល្អ",
            "description_en": "Looks fine",
            "active": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert not StraightThroughRule.objects.filter(code="MOI-GUESS").exists()
    assert not AuditEntry.objects.filter(action="admin.added").exists()


def test_rules_reasons_and_plan_steps_are_retired_not_deleted(operator_client):
    rule = StraightThroughRule.objects.first()
    reason = DecisionReason.objects.first()
    step = PlanStep.objects.first()
    for path in (
        f"/admin/agencies/straightthroughrule/{rule.pk}/delete/",
        f"/admin/agencies/decisionreason/{reason.pk}/delete/",
        f"/admin/agencies/planstep/{step.pk}/delete/",
    ):
        assert operator_client.post(path, {"post": "yes"}).status_code == 403
    assert StraightThroughRule.objects.filter(pk=rule.pk).exists()


def test_a_plan_step_deadline_edited_in_the_admin_is_audited(operator_client):
    step = PlanStep.objects.get(agency__code="GDT")
    after = [a.pk for a in step.after.all()]
    assert operator_client.get(f"/admin/agencies/planstep/{step.pk}/change/").status_code == 200
    response = operator_client.post(
        f"/admin/agencies/planstep/{step.pk}/change/",
        {"when": step.when, "after": after, "sla_working_days": "5"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.sla_working_days == 5
    assert AuditEntry.objects.get(action="admin.changed").details["fields"] == ["sla_working_days"]


def test_decisions_cannot_be_added_changed_or_deleted_in_the_admin(operator_client, planned_task):
    decision = planned_task.decisions.get()
    base = "/admin/agencies/taskdecision/"
    assert operator_client.get(base).status_code == 200
    assert operator_client.get(f"{base}add/").status_code == 403
    assert operator_client.post(f"{base}add/", {"task": planned_task.pk}).status_code == 403
    page = operator_client.get(f"{base}{decision.pk}/change/")
    assert page.status_code == 200  # shown, read-only
    assert 'name="note"' not in page.content.decode()
    response = operator_client.post(
        f"{base}{decision.pk}/change/", {"note": "edited", "to_status": "approved"}
    )
    assert response.status_code == 403
    assert operator_client.post(f"{base}{decision.pk}/delete/", {"post": "yes"}).status_code == 403
    decision.refresh_from_db()
    assert (decision.to_status, decision.note) == ("open", "")
    assert not AuditEntry.objects.filter(action__startswith="admin.").exists()


def test_a_task_is_shown_read_only_with_its_decisions(operator_client, planned_task):
    in_english(operator_client)
    page = operator_client.get(f"/admin/agencies/task/{planned_task.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="decisions-0-note"' not in html  # shown, not editable
    assert "Waiting for another agency" in html  # the first decision: waiting -> open
    refused = operator_client.post(
        f"/admin/agencies/task/{planned_task.pk}/change/", {"status": "approved"}
    )
    assert refused.status_code == 403
    planned_task.refresh_from_db()
    assert planned_task.status == "open"


def test_business_records_are_read_only_in_the_admin(operator_client):
    from django.utils import timezone

    from singleportal.registry.models import BusinessRecord
    from tests.registry.factories import register

    business = register()
    record = BusinessRecord.objects.create(
        business=business, kind="registration", agency_code="MOC", number="1000000999",
        issued_at=timezone.now(),
    )  # fmt: skip
    base = "/admin/registry/businessrecord/"
    assert operator_client.get(base).status_code == 200
    assert operator_client.get(f"{base}add/").status_code == 403
    assert operator_client.post(f"{base}{record.pk}/change/", {"number": "1"}).status_code == 403
    page = operator_client.get(f"/admin/registry/business/{business.pk}/change/")
    assert "1000000999" in page.content.decode()


@pytest.mark.parametrize(
    "model",
    [
        "agencies/planstep",
        "agencies/decisionreason",
        "agencies/straightthroughrule",
        "agencies/task",
        "agencies/taskdecision",
        "registry/business",
        "registry/businessrecord",
    ],
)
def test_the_operator_lists_agency_and_register_data(operator_client, planned_task, model):
    assert operator_client.get(f"/admin/{model}/").status_code == 200


def test_a_plan_step_may_not_wait_for_an_agency_that_waits_for_it(operator_client):
    in_english(operator_client)
    step = PlanStep.objects.get(agency__code="MEF")
    response = operator_client.post(
        f"/admin/agencies/planstep/{step.pk}/change/",
        {"when": step.when, "after": [Agency.objects.get(code="GDT").pk], "sla_working_days": "1"},
    )
    assert "wait for each other for ever" in response.content.decode()
    assert not step.after.exists()
    assert not AuditEntry.objects.filter(action="admin.changed").exists()
