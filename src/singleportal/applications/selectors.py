"""Reads on applications, restricted to what the user may see: their own files, and files
they hold an active (not revoked) authorisation for."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from singleportal.applications.models import (
    Application,
    ApplicationVersion,
    Authorisation,
    Document,
    LegalForm,
)


def _active_authorisation(user_id: int) -> Exists:
    return Exists(
        Authorisation.objects.filter(
            application=OuterRef("pk"), representative_id=user_id, revoked_at__isnull=True
        )
    )


def visible_to(user) -> QuerySet[Application]:  # type: ignore[no-untyped-def]
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(Q(owner=user) | _active_authorisation(user.pk))


def applications_of(user) -> QuerySet[Application]:  # type: ignore[no-untyped-def]
    """The list page and API list: one query, whatever the number of files."""
    return visible_to(user).select_related("legal_form", "owner").order_by("-updated_at")


def application_for(user, public_id) -> Application:  # type: ignore[no-untyped-def]
    """One application the user may see; 404 otherwise (never revealing that it exists)."""
    found = visible_to(user).select_related("legal_form", "owner").filter(public_id=public_id)
    application = found.first()
    if application is None:
        raise Http404
    return application


def document_for(user, public_id, document_id: int) -> Document:  # type: ignore[no-untyped-def]
    application = application_for(user, public_id)
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


def legal_forms() -> QuerySet[LegalForm]:
    return LegalForm.objects.order_by("position")


def active_authorisations(application: Application) -> QuerySet[Authorisation]:
    return application.authorisations.filter(revoked_at__isnull=True).select_related(
        "representative"
    )


def versions_of(application: Application) -> QuerySet[ApplicationVersion]:
    return application.versions.order_by("number")


def may_edit(user, application: Application) -> bool:  # type: ignore[no-untyped-def]
    return application.owner_id == user.pk or visible_to(user).filter(pk=application.pk).exists()
