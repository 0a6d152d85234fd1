"""Submission and what follows it: the gap-free reference, the frozen version, withdrawal.
Corrections are asked for by the agencies (agencies.actions)."""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.accounts.models import User
from singleportal.applications import hooks, snapshot
from singleportal.applications.actions.common import lock, owner_only
from singleportal.applications.models import (
    Application,
    ApplicationVersion,
    Status,
)
from singleportal.applications.validation import problems
from singleportal.audit import chain as audit
from singleportal.core.counters import next_number


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
    return f"SP-{year}-{next_number(f'application-reference-{year}'):07d}"


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
        app.correction_sections = []
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


def withdraw_application(application: Application, user: User) -> None:
    owner_only(application, user)
    with transaction.atomic():
        app = lock(application, user, edit=False)
        app.move_to(Status.WITHDRAWN, by=user)
        audit.record(user, "application.withdrawn", app)
        hooks.run_on_withdrawn(app, user)
    application.refresh_from_db()
