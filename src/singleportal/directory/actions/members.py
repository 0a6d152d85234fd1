"""The people who edit a profile: its owners add and remove staff members."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from singleportal.accounts.identifiers import IdentifierError, normalize_identifier
from singleportal.accounts.models import User
from singleportal.audit import chain as audit
from singleportal.directory.access import is_owner
from singleportal.directory.models import MemberRole, Profile, ProfileMember


def add_member(profile: Profile, *, by: Any, identifier: str) -> ProfileMember:
    """An owner adds a staff member by the email address or phone number they sign in with.
    Adding someone who is already a member changes nothing."""
    if not is_owner(by, profile):
        raise PermissionDenied
    try:
        login = normalize_identifier((identifier or "").strip()).value
    except IdentifierError as exc:
        raise ValidationError({"identifier": exc.messages}) from exc
    user = User.objects.filter(username=login, is_active=True).first()
    if user is None:
        raise ValidationError(
            {
                "identifier": _(
                    "No account signs in with %(login)s. Ask them to create an account first."
                )
                % {"login": login}
            }
        )
    with transaction.atomic():
        member, created = ProfileMember.objects.get_or_create(
            profile=profile, user=user, defaults={"role": MemberRole.STAFF, "added_by": by}
        )
        if created:
            audit.record(by, "directory.member_added", profile, {"user": user.pk})
    return member


def remove_member(profile: Profile, *, by: Any, member_id: int) -> None:
    """An owner removes a staff member; owners themselves are not removed here."""
    if not is_owner(by, profile):
        raise PermissionDenied
    with transaction.atomic():
        member = ProfileMember.objects.filter(profile=profile, pk=member_id).first()
        if member is None:
            return
        if member.role == MemberRole.OWNER:
            raise ValidationError(_("An owner cannot be removed from the profile."))
        member.delete()
        audit.record(by, "directory.member_removed", profile, {"user": member.user_id})
