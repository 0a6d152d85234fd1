"""Submitting freezes one version with a reference number, exactly once."""

import pytest
from django.core.exceptions import ValidationError

from singleportal.agencies import actions as agency_actions
from singleportal.applications import actions, hooks, snapshot
from singleportal.applications.models import ApplicationVersion, Status
from singleportal.audit.models import AuditEntry
from singleportal.core.access import Rule  # noqa: F401  (imported to prove no cycle)
from tests.applications.helpers import complete_application, task_in_review
from tests.factories import UserFactory, officer

pytestmark = pytest.mark.django_db


def test_submission_freezes_a_hashed_version_and_assigns_a_reference():
    user = UserFactory()
    app = complete_application(user)
    seen = []
    handler = hooks.on_submitted(lambda a, v: seen.append(v.pk))
    try:
        version, created = actions.submit_application(app, user, declared_by_name="សុខ ចន្ទា")
    finally:
        hooks.remove_on_submitted(handler)
    app.refresh_from_db()
    assert created and app.status == Status.SUBMITTED
    assert app.reference.startswith("SP-") and len(app.reference) == len("SP-2026-0000001")
    assert version.sha256 == snapshot.digest(version.snapshot)
    assert version.snapshot["business"]["name_km"] == "ក្រុមហ៊ុន មេគង្គ ម្រេច"
    assert seen == [version.pk]
    assert AuditEntry.objects.filter(action="application.submitted").count() == 1


def test_references_are_consecutive():
    user = UserFactory()
    first = complete_application(user)
    second = complete_application(user)
    actions.submit_application(first, user, declared_by_name="A")
    actions.submit_application(second, user, declared_by_name="A")
    first.refresh_from_db()
    second.refresh_from_db()
    assert int(second.reference[-7:]) == int(first.reference[-7:]) + 1


def test_double_submission_gives_one_version():
    user = UserFactory()
    app = complete_application(user)
    one, created_one = actions.submit_application(
        app, user, declared_by_name="A", idempotency_key="k"
    )
    two, created_two = actions.submit_application(
        app, user, declared_by_name="A", idempotency_key="k"
    )
    three, _ = actions.submit_application(app, user, declared_by_name="A")
    assert (created_one, created_two) == (True, False)
    assert one.pk == two.pk == three.pk
    assert ApplicationVersion.objects.filter(application=app).count() == 1
    with pytest.raises(actions.AlreadySubmitted):
        actions.submit_application(app, user, declared_by_name="A", idempotency_key="other")


def test_an_incomplete_file_is_not_submitted():
    user = UserFactory()
    app = actions.create_application(user, legal_form="private_limited_company")
    with pytest.raises(actions.NotSubmittable) as caught:
        actions.submit_application(app, user, declared_by_name="A")
    assert {p.step for p in caught.value.problems} >= {"names", "people", "owners"}
    app.refresh_from_db()
    assert app.reference is None and app.status == Status.DRAFT


def test_a_submitted_file_cannot_be_edited_until_a_correction_is_requested():
    user = UserFactory()
    app = complete_application(user)
    actions.submit_application(app, user, declared_by_name="A")
    with pytest.raises(ValidationError):
        actions.save_contact(app, user, phone="012 999 888")
    moc = officer("MOC")
    agency_actions.request_correction(
        task_in_review(app, "MOC", moc), moc, reason="ID_UNREADABLE", sections=["contact"]
    )
    actions.save_contact(app, user, phone="012 999 888")
    version, created = actions.submit_application(app, user, declared_by_name="A")
    assert created and version.number == 2
    old = app.versions.get(number=1)
    changes = snapshot.diff(old.snapshot, version.snapshot)
    assert {"path": "business.phone", "old": "+85512345678", "new": "+85512999888"} in changes


def test_versions_are_immutable():
    user = UserFactory()
    app = complete_application(user)
    version, _ = actions.submit_application(app, user, declared_by_name="A")
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
