"""Writes on profiles, by topic: profiles (create, open, edit), claims (the claim rule and
programme staff's decisions), members (owners add and remove staff), photos."""

from singleportal.directory.actions.claims import ClaimResult, claim_profile, decide_claim
from singleportal.directory.actions.members import add_member, remove_member
from singleportal.directory.actions.photos import add_photo, remove_photo
from singleportal.directory.actions.profiles import (
    EDITABLE_FIELDS,
    create_unregistered_profile,
    open_profile,
    update_profile,
)

__all__ = [
    "EDITABLE_FIELDS",
    "ClaimResult",
    "add_member",
    "add_photo",
    "claim_profile",
    "create_unregistered_profile",
    "decide_claim",
    "open_profile",
    "remove_member",
    "remove_photo",
    "update_profile",
]
