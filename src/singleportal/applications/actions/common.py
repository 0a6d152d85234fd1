"""Helpers shared by the action modules: the lock and permission check, the editing block
that stamps and audits a change, and small field checks. Not for callers outside the package."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.accounts.models import User
from singleportal.applications.models import Application
from singleportal.applications.selectors import visible_to
from singleportal.audit import chain as audit
from singleportal.core import countries


def lock(
    application: Application, user: User, *, edit: bool = True, section: str = ""
) -> Application:
    """The locked row, if `user` may act on it (owner, or a representative with an active
    authorisation). With `edit`, the file must be open for changes to `section` (a Section
    value, or "form" for the legal form): a draft is open everywhere; a file sent back for
    correction only in the sections the agencies named. Callers are inside
    transaction.atomic()."""
    if not visible_to(user).filter(pk=application.pk).exists():
        raise PermissionDenied
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if edit and not locked.editable:
        raise ValidationError(
            _("This application has been submitted and can no longer be changed."),
            code="not_editable",
        )
    if edit and not locked.open_for(section):
        raise ValidationError(
            _("Only the parts the agencies asked you to correct can be changed now: %(sections)s.")
            % {"sections": ", ".join(locked.correction_labels)},
            code="section_closed",
        )
    return locked


def owner_only(application: Application, user: User) -> None:
    if application.owner_id != user.pk:
        raise PermissionDenied


@contextmanager
def editing(
    application: Application,
    user: User,
    action: str,
    details: dict | None = None,
    *,
    section: str,
) -> Iterator[Application]:
    """The locked file, open for a change to `section`; the change is stamped and audited."""
    with transaction.atomic():
        locked = lock(application, user, section=section)
        yield locked
        locked.updated_at = timezone.now()
        locked.save(update_fields=["updated_at"])
        audit.record(user, f"application.{action}", locked, details or {})
    application.refresh_from_db()


def require(data: dict, *names: str) -> None:
    missing = {n: _("This field is required.") for n in names if data.get(n) in (None, "")}
    if missing:
        raise ValidationError(missing)


def country_code(value: str, field: str) -> str:
    """The ISO 3166-1 alpha-2 code, upper case, if it names a country."""
    value = (value or "").strip().upper()
    if not countries.is_country(value):
        raise ValidationError({field: _("Choose a country.")})
    return value


def remember_step(application: Application, slug: str) -> None:
    """Where the pages take the applicant back to: the step after the last one saved. Not
    audited: it records navigation, not the file."""
    Application.objects.filter(pk=application.pk).update(resume_step=slug)
