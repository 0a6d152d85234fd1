"""Who may do what with a profile. Views and the API ask these; they never decide themselves."""

from collections.abc import Iterable
from typing import Any

from singleportal.accounts.models import Role
from singleportal.directory.models import MemberRole, Profile, ProfileMember


def _member_role(user: Any, profile: Profile) -> str | None:
    if not user.is_authenticated or profile.pk is None:
        return None
    return (
        ProfileMember.objects.filter(profile=profile, user=user)
        .values_list("role", flat=True)
        .first()
    )


def can_manage(user: Any, profile: Profile) -> bool:
    """A member of the profile (owner or staff) edits it; nobody else does."""
    return _member_role(user, profile) is not None


def is_owner(user: Any, profile: Profile) -> bool:
    """Owners add and remove the profile's staff members."""
    return _member_role(user, profile) == MemberRole.OWNER


def is_programme_staff(user: Any) -> bool:
    return user.is_authenticated and user.has_any_role(Role.PROGRAMME_STAFF)


def can_see_contact(user: Any, profile: Profile) -> bool:
    """Contact details are for buyers, the profile's members and programme staff; anonymous
    visitors and other users are asked to sign in as a buyer."""
    if not user.is_authenticated:
        return False
    if user.has_any_role(Role.BUYER, Role.PROGRAMME_STAFF):
        return True
    return can_manage(user, profile)


def contact_visible_ids(user: Any, profiles: Iterable[Profile]) -> set[int]:
    """The ids among `profiles` whose contact details `user` may see (can_see_contact), in
    one query at most, for lists."""
    ids = {p.pk for p in profiles}
    if not ids or not user.is_authenticated:
        return set()
    if user.has_any_role(Role.BUYER, Role.PROGRAMME_STAFF):
        return ids
    mine = ProfileMember.objects.filter(user=user, profile_id__in=ids)
    return set(mine.values_list("profile_id", flat=True))


def can_see_unpublished(user: Any, profile: Profile) -> bool:
    """A hidden profile is still shown to its members and to programme staff."""
    return is_programme_staff(user) or can_manage(user, profile)
