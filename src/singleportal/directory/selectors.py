"""Reads of profiles, already filtered by who is asking."""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from singleportal.directory.access import can_see_unpublished
from singleportal.directory.models import (
    MemberRole,
    Profile,
    ProfileClaim,
    ProfileMember,
    ProfilePhoto,
)
from singleportal.registry.models import BusinessActivity

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
PROVINCE_CODE = re.compile(r"^\d{2}$")


def managed_profiles(user: Any) -> QuerySet[Profile]:
    """The profiles `user` is a member of (owner or staff), newest first."""
    if not user.is_authenticated:
        return Profile.objects.none()
    return Profile.objects.filter(members__user=user).order_by("-created_at", "-pk")


def owned_unregistered(user: Any) -> QuerySet[Profile]:
    """The unregistered profiles `user` owns: those a claim may link to a business."""
    if not user.is_authenticated:
        return Profile.objects.none()
    return Profile.objects.filter(
        business__isnull=True, members__user=user, members__role=MemberRole.OWNER
    ).order_by("name_km", "pk")


def _photos() -> Prefetch:
    return Prefetch("photos", ProfilePhoto.objects.order_by("position", "pk"))


@dataclass(frozen=True)
class Filters:
    province: str = ""
    verified: bool = False

    @classmethod
    def from_params(cls, params: Any) -> "Filters":
        verified = (params.get("verified") or "").strip().lower() in ("1", "true", "yes", "on")
        return cls(province=(params.get("province") or "").strip(), verified=verified)

    def errors(self) -> list[str]:
        if self.province and not PROVINCE_CODE.match(self.province):
            return [_("A province is chosen by its two-digit code.")]
        return []

    def as_params(self) -> dict[str, str]:
        params = {"province": self.province} if self.province else {}
        if self.verified:
            params["verified"] = "1"
        return params


@dataclass(frozen=True)
class Page:
    profiles: list[Profile]
    next_cursor: str | None


def decode_cursor(cursor: str) -> int | None:
    """The id after which the next page starts; None for a cursor that is not ours."""
    return int(cursor) if cursor.isascii() and cursor.isdigit() else None


def public_profiles(filters: Filters, *, after: int | None = None, limit: int = PAGE_SIZE) -> Page:
    """Published profiles, newest first, `limit` at a time: the page after the profile whose
    id is `after` (stable while profiles are added). Two queries whatever the page size."""
    found = Profile.objects.filter(published=True)
    if filters.province:
        found = found.filter(province_id=filters.province)
    if filters.verified:
        found = found.filter(business__isnull=False)
    if after is not None:
        found = found.filter(pk__lt=after)
    rows = list(
        found.select_related("province", "district", "commune", "village", "business")
        .prefetch_related(_photos())
        .order_by("-pk")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, str(rows[-1].pk) if more and rows else None)


def profile_for(slug: str, user: Any) -> Profile | None:
    """The profile at `slug` as `user` may see it: published, or hidden but theirs to manage
    (or programme staff's); None otherwise."""
    profile = (
        Profile.objects.select_related("province", "district", "commune", "village", "business")
        .prefetch_related(_photos())
        .filter(slug=slug)
        .first()
    )
    if profile is None or (not profile.published and not can_see_unpublished(user, profile)):
        return None
    return profile


def activities_of(profile: Profile) -> list[BusinessActivity]:
    """The register's activities of a verified profile's business, read live."""
    if profile.business_id is None:
        return []
    return list(
        BusinessActivity.objects.filter(business_id=profile.business_id).select_related("activity")
    )


def members_of(profile: Profile) -> QuerySet[ProfileMember]:
    return profile.members.select_related("user", "added_by").order_by("role", "created_at")


def pending_claims() -> QuerySet[ProfileClaim]:
    """Claims waiting for programme staff, oldest first, with the register's officers."""
    return (
        ProfileClaim.objects.filter(decision__isnull=True)
        .select_related("user", "business")
        .prefetch_related("business__officers")
        .order_by("created_at", "pk")
    )


def claims_of(user: Any) -> QuerySet[ProfileClaim]:
    """The user's own claims with their decisions, newest first."""
    return (
        ProfileClaim.objects.filter(user=user)
        .select_related("business", "decision")
        .order_by("-created_at", "-pk")
    )
