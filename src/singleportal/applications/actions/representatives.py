"""Representatives: the owner lets another account file the application, and can stop it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.accounts.identifiers import IdentifierError, normalize_identifier
from singleportal.accounts.models import Role, User
from singleportal.applications.actions.common import lock, owner_only
from singleportal.applications.models import Application, Authorisation
from singleportal.audit import chain as audit


def authorise_representative(
    application: Application, owner: User, identifier: str
) -> Authorisation:
    """The owner lets the account with this email or phone number file on their behalf."""
    owner_only(application, owner)
    try:
        found = normalize_identifier(identifier)
    except IdentifierError as exc:
        raise ValidationError({"identifier": exc.messages}) from exc
    lookup = {"email__iexact": found.value} if found.kind == "email" else {"phone": found.value}
    representative = User.objects.filter(is_active=True, **lookup).first()
    if representative is None:
        raise ValidationError(
            {
                "identifier": _(
                    "No account uses this email or phone number. Ask them to sign up first."
                )
            }
        )
    if representative.pk == owner.pk:
        raise ValidationError({"identifier": _("You already own this application.")})
    with transaction.atomic():
        app = lock(application, owner, edit=False)
        existing = app.authorisations.filter(
            representative=representative, revoked_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        authorisation = Authorisation.objects.create(
            application=app, representative=representative, granted_by=owner
        )
        from singleportal.accounts.models import RoleAssignment

        RoleAssignment.objects.get_or_create(
            user=representative, role=Role.REPRESENTATIVE, agency=None
        )
        audit.record(
            owner,
            "application.representative_authorised",
            app,
            {"representative": representative.pk},
        )
    return authorisation


def revoke_representative(application: Application, owner: User, authorisation_id: int) -> None:
    """Ends the representative's access at once: every read and write checks it."""
    owner_only(application, owner)
    with transaction.atomic():
        app = lock(application, owner, edit=False)
        updated = app.authorisations.filter(pk=authorisation_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("This authorisation is not active."))
        audit.record(owner, "application.representative_revoked", app, {"id": authorisation_id})
