"""Claiming the profile of a registered business, and programme staff's decisions on the
claims the register cannot settle by itself.

    claim ──(register proves it)──────────────► approved: the claimant owns the profile
      │
      ├──(imported business, officer named)──► pending ──(programme staff)──► approved | refused
      │   (or the register names nobody)
      │
      └──(otherwise)─────────────────────────► refused at once, nothing stored

Claims and decisions are append-only rows (ProfileClaim, ClaimDecision).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from singleportal.accounts.models import Role
from singleportal.applications.models import Application, PartyRole
from singleportal.audit import chain as audit
from singleportal.core.text import normalize_text, to_ascii_digits
from singleportal.directory.actions.profiles import copy_from_register, unique_slug
from singleportal.directory.models import (
    ClaimBasis,
    ClaimDecision,
    ClaimOutcome,
    MemberRole,
    Profile,
    ProfileClaim,
    ProfileMember,
)
from singleportal.registry.models import NAME_HOLDING_STATUSES, Business, OfficerRole

# The parties of an application who speak for the business (shareholders alone do not).
SPEAKING_PARTY_ROLES = (
    PartyRole.OWNER,
    PartyRole.GENERAL_PARTNER,
    PartyRole.LIMITED_PARTNER,
    PartyRole.DIRECTOR,
)
SPEAKING_OFFICER_ROLES = (OfficerRole.OWNER, OfficerRole.DIRECTOR)


@dataclass(frozen=True)
class ClaimResult:
    claim: ProfileClaim | None  # None: the user was already a member (a retried claim)
    profile: Profile | None  # None while the claim waits for programme staff
    pending: bool


def normalize_id_number(value: str) -> str:
    """Identity document numbers compare without spaces or dashes, in ASCII digits, upper case
    ("០១០ ២០៣-០៤០" is "010203040")."""
    text = to_ascii_digits(value or "").upper()
    return "".join(c for c in text if c.isalnum())


def same_person_name(typed: str, *names: str) -> bool:
    """A loose match of a person's name: case, accents, spacing and word order aside
    ("SOK Chantha", "Chantha Sok", "សុខចន្ទា" all match "សុខ ចន្ទា" / "Sok Chantha")."""
    key = normalize_text(typed or "")
    if not key:
        return False
    for name in names:
        other = normalize_text(name or "")
        if other and (
            key.replace(" ", "") == other.replace(" ", "")
            or sorted(key.split()) == sorted(other.split())
        ):
            return True
    return False


def _find_business(registration_number: str) -> Business:
    number = to_ascii_digits(registration_number or "").strip()
    business = (
        Business.objects.filter(registration_number__iexact=number).first() if number else None
    )
    if business is None:
        raise ValidationError(
            _(
                "No business in the register has the number %(number)s. Check the number on "
                "the certificate of registration."
            )
            % {"number": number or "—"},
            code="business_not_found",
        )
    if business.status not in NAME_HOLDING_STATUSES:
        raise ValidationError(
            _("The register shows %(name)s as %(status)s: its profile can no longer be claimed.")
            % {"name": business.name_km, "status": business.get_status_display()},
            code="business_closed",
        )
    return business


def _owner_of(business: Business) -> ProfileMember | None:
    return ProfileMember.objects.filter(profile__business=business, role=MemberRole.OWNER).first()


def _proven_basis(user: Any, business: Business, id_number: str) -> str | None:
    """How the application behind `business` proves the user speaks for it, if it does."""
    application = Application.objects.filter(reference=business.application_reference).first()
    if application is None:
        return None
    if application.owner_id == user.pk:
        return ClaimBasis.APPLICANT
    wanted = normalize_id_number(id_number)
    if not wanted:
        return None
    for party in application.parties.filter(role__in=SPEAKING_PARTY_ROLES):
        if normalize_id_number(party.id_number) == wanted and same_person_name(
            user.full_name, party.name_km, party.name_en
        ):
            return ClaimBasis.IDENTITY_DOCUMENT
    return None


def _check_officer_name(business: Business, officer_name: str) -> None:
    """A business imported without an application: the claimant types their name as the register
    shows it among the owners and directors, and it must be one of them. When the register names
    none (older entries are incomplete), the name goes to programme staff as typed, for them to
    check against the Ministry of Commerce's records."""
    if not officer_name.strip():
        raise ValidationError(
            _(
                "%(name)s was registered before the portal: type your name as the register "
                "shows it among the owners and directors, and programme staff will check it."
            )
            % {"name": business.name_km},
            code="officer_name_needed",
        )
    officers = list(business.officers.filter(role__in=SPEAKING_OFFICER_ROLES))
    if officers and not any(same_person_name(officer_name, o.name_km, o.name_en) for o in officers):
        raise ValidationError(
            _(
                "The register names no owner or director “%(typed)s” of %(name)s. Type your "
                "name as the register shows it, or ask the owner to add you."
            )
            % {"typed": officer_name.strip(), "name": business.name_km},
            code="not_in_register",
        )


def _check_link(user: Any, business: Business, link_profile: Profile | None) -> None:
    if link_profile is None:
        return
    mine = ProfileMember.objects.filter(
        profile=link_profile, user=user, role=MemberRole.OWNER
    ).exists()
    if not mine:
        raise PermissionDenied
    if link_profile.business_id is not None:
        raise ValidationError(
            _("This profile is already linked to a registered business."), code="linked"
        )
    if Profile.objects.filter(business=business).exists():
        raise ValidationError(
            _(
                "%(name)s already has a profile in the directory: claim it without choosing "
                "a profile of yours to link."
            )
            % {"name": business.name_km},
            code="business_has_profile",
        )


def _grant(claim: ProfileClaim) -> Profile:
    """Make the claimant the owner: of the business's profile if it has one, else of the
    unregistered profile they asked to link (its slug and content kept), else of a new one.
    Names and place are taken from the register."""
    business = claim.business
    profile = Profile.objects.select_for_update().filter(business=business).first()
    if profile is None:
        profile = claim.link_profile or Profile(created_by=claim.user)
        if profile.pk is None:
            profile.slug = unique_slug(business.name_en, business.registration_number)
    copy_from_register(profile, business)
    profile.save()
    ProfileMember.objects.update_or_create(
        profile=profile, user=claim.user, defaults={"role": MemberRole.OWNER}
    )
    return profile


def claim_profile(
    user: Any,
    *,
    registration_number: str,
    id_number: str = "",
    officer_name: str = "",
    link_profile: Profile | None = None,
) -> ClaimResult:
    """Claim the profile of the business registered under `registration_number`.

    The rule: the claim succeeds at once when the register's own file proves the user speaks
    for the business, that is (a) the user is the applicant whose application registered it,
    or (b) `id_number` matches the identity document of an owner, partner or director of that
    application (spaces, dashes and Khmer digits aside) whose name loosely matches the user's
    full name. A business imported without an application has no such file: the user names
    the register's owner or director they are (`officer_name`, which must match one, unless the
    register names none), and the claim waits for programme staff, who approve or refuse it
    (decide_claim).

    Refused, with a message saying why: no business has the number; the business is closed;
    its profile already has an owner (who adds staff members instead); the register does not
    name the user. The first successful claimant becomes the owner. Retrying is harmless: an
    existing membership or a pending claim is returned as it is.
    `link_profile`: an unregistered profile the user owns, to become this business's profile
    (the group has registered since); its slug and content are kept and the badge appears.
    """
    if not user.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        business = _find_business(registration_number)
        # One claim at a time per business: the first claimant alone becomes the owner. The
        # audit head first, as an agency's decision takes it (audit.chain.hold_head).
        audit.hold_head()
        business = Business.objects.select_for_update().get(pk=business.pk)
        member = ProfileMember.objects.filter(profile__business=business, user=user).first()
        if member is not None:
            return ClaimResult(None, member.profile, pending=False)
        if _owner_of(business) is not None:
            raise ValidationError(
                _(
                    "The profile of %(name)s already has an owner. Ask them to add you as a "
                    "staff member on the profile's members page."
                )
                % {"name": business.name_km},
                code="already_claimed",
            )
        waiting = ProfileClaim.objects.filter(
            business=business, user=user, decision__isnull=True
        ).first()
        if waiting is not None:
            return ClaimResult(waiting, None, pending=True)
        _check_link(user, business, link_profile)
        if business.application_reference:
            basis = _proven_basis(user, business, id_number)
            if basis is None:
                raise ValidationError(
                    _(
                        "The register does not name you as the applicant, an owner, a partner "
                        "or a director of %(name)s. Enter the number of your identity document "
                        "as it was given in the application, or ask the owner to add you."
                    )
                    % {"name": business.name_km},
                    code="not_in_register",
                )
            claim = ProfileClaim.objects.create(
                user=user, business=business, basis=basis, link_profile=link_profile
            )
            ClaimDecision.objects.create(claim=claim, outcome=ClaimOutcome.APPROVED)
            profile = _grant(claim)
            audit.record(user, "directory.profile_claimed", profile,
                         {"business": business.pk, "basis": basis})  # fmt: skip
            return ClaimResult(claim, profile, pending=False)
        _check_officer_name(business, officer_name)
        claim = ProfileClaim.objects.create(
            user=user,
            business=business,
            basis=ClaimBasis.OFFICER_NAME,
            officer_name=officer_name.strip(),
            link_profile=link_profile,
        )
        audit.record(user, "directory.claim_submitted", claim, {"business": business.pk})
        return ClaimResult(claim, None, pending=True)


def decide_claim(claim: ProfileClaim, *, by: Any, approve: bool, note: str = "") -> ClaimDecision:
    """Programme staff approve or refuse a pending claim (once). An approval is refused when
    someone else has become the owner meanwhile: the claimant asks that owner instead."""
    if not (by.is_authenticated and by.has_any_role(Role.PROGRAMME_STAFF)):
        raise PermissionDenied
    with transaction.atomic():
        audit.hold_head()  # before the business's row (audit.chain.hold_head)
        Business.objects.select_for_update().filter(pk=claim.business_id).first()
        claim = ProfileClaim.objects.select_related("business", "user", "link_profile").get(
            pk=claim.pk
        )
        if ClaimDecision.objects.filter(claim=claim).exists():
            raise ValidationError(_("This claim has already been decided."), code="decided")
        if approve and _owner_of(claim.business) is not None:
            raise ValidationError(
                _("The profile has had an owner since this claim was made: refuse the claim."),
                code="already_claimed",
            )
        outcome = ClaimOutcome.APPROVED if approve else ClaimOutcome.REFUSED
        decision = ClaimDecision.objects.create(
            claim=claim, outcome=outcome, decided_by=by, note=note.strip()
        )
        details = {"outcome": outcome, "claimant": claim.user_id}
        if approve:
            _grant(claim)
        audit.record(by, "directory.claim_decided", claim, details)
    return decision
