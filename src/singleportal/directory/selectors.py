"""Reads of profiles, already filtered by who is asking."""

from typing import Any

from django.db.models import QuerySet

from singleportal.directory.models import Profile


def managed_profiles(user: Any) -> QuerySet[Profile]:
    """The profiles `user` is a member of (owner or staff), newest first."""
    if not user.is_authenticated:
        return Profile.objects.none()
    return Profile.objects.filter(members__user=user).order_by("-created_at", "-pk")
