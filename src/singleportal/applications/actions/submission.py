"""Submission and what follows it: the gap-free reference, the frozen version, a correction
request from an officer, withdrawal."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.accounts.models import Role, User
from singleportal.applications import hooks, snapshot
from singleportal.applications.actions.common import lock, owner_only
from singleportal.applications.models import (
    Application,
    ApplicationVersion,
    ReferenceCounter,
    Status,
)
from singleportal.applications.validation import problems
from singleportal.audit import chain as audit


class NotSubmittable(ValidationError):
    """The file still has problems; `problems` lists them by step."""

    def __init__(self, found: list) -> None:
        super().__init__([p.message for p in found])
        self.problems = found


class AlreadySubmitted(ValidationError):
    pass


def next_reference(year: int) -> str:
    """The next SP-YYYY-NNNNNNN, gap-free: the counter row is locked until the submitting
    transaction ends, and a rolled-back submission gives its number back."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"SP-{year}-{counter.last:07d}"


def submit_application(
    application: Application,
    user: User,
    *,
    declared_by_name: str,
    idempotency_key: str = "",
) -> tuple[ApplicationVersion, bool]:
    """Validate everything, freeze a version, assign the reference, hand over.

    Returns (version, created). A repeat (double click, or a retried API request with the same
    Idempotency-Key) returns the version already frozen with created=False; a file already
    submitted under another key is refused.
    """
    idempotency_key = idempotency_key.strip()[:100]
    with transaction.atomic():
        app = lock(application, user, edit=False)
        latest = app.versions.order_by("-number").first()
        if not app.editable:
            if latest is not None and (
                not idempotency_key or latest.idempotency_key == idempotency_key
            ):
                return latest, False
            raise AlreadySubmitted(_("This application has already been submitted."))
        if not declared_by_name.strip():
            raise ValidationError(
                {"declared_by_name": _("Type your full name to sign the declaration.")}
            )
        found = problems(app)
        if found:
            raise NotSubmittable(found)
        now = timezone.now()
        if app.reference is None:
            app.reference = next_reference(timezone.localdate(now).year)
        app.declared_by_name = declared_by_name.strip()
        app.declared_at = now
        app.submitted_at = now
        app.updated_at = now
        app.save()
        app.move_to(Status.SUBMITTED, by=user)
        frozen = json.loads(audit.canonical_json(snapshot.build(app)))
        version = ApplicationVersion.objects.create(
            application=app,
            number=(latest.number + 1) if latest else 1,
            snapshot=frozen,
            sha256=snapshot.digest(frozen),
            submitted_by=user,
            submitted_at=now,
            idempotency_key=idempotency_key,
        )
        audit.record(
            user,
            "application.submitted",
            app,
            {"reference": app.reference, "version": version.number, "sha256": version.sha256},
        )
        hooks.run_on_submitted(app, version)
    application.refresh_from_db()
    return version, True


def request_correction(application: Application, officer: User, *, reason: str) -> None:
    """An agency officer sends the file back; the applicant edits and submits a new version."""
    if not officer.has_any_role(Role.OFFICER):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say what must be corrected.")})
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        app.move_to(Status.CORRECTION_REQUESTED, by=officer, reason=reason.strip())
        audit.record(officer, "application.correction_requested", app, {"reason": reason})
    application.refresh_from_db()


def withdraw_application(application: Application, user: User) -> None:
    owner_only(application, user)
    with transaction.atomic():
        app = lock(application, user, edit=False)
        app.move_to(Status.WITHDRAWN, by=user)
        audit.record(user, "application.withdrawn", app)
    application.refresh_from_db()
