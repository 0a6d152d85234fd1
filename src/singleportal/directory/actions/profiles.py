"""Creating and editing profiles.

Every write of a story goes through core.richtext.clean_html; every other text is stored as
typed and escaped when shown. The checks below are the action's, so that the pages and the API
refuse the same things with the same messages.
"""

import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from singleportal.audit import chain as audit
from singleportal.core import countries
from singleportal.core.richtext import clean_html
from singleportal.directory.access import can_manage
from singleportal.directory.models import MemberRole, Profile, ProfileMember, SpokenLanguage
from singleportal.geo.models import PLACE_MODELS, Level
from singleportal.registry.models import Business

RICH_TEXT_FIELDS = ("story_km", "story_en")
# Names come from the register once the profile is verified: only a group's own are edited.
NAME_FIELDS = ("name_km", "name_en")
PLACE_FIELDS = ("province", "district", "commune", "village")
EDITABLE_FIELDS = (
    *NAME_FIELDS,
    *PLACE_FIELDS,
    *RICH_TEXT_FIELDS,
    "published",
    "languages",
    "export_experience",
    "export_markets",
    "capacity_units_per_month",
    "lead_time_days",
    "minimum_order_units",
    "payment_terms_km",
    "payment_terms_en",
    "shipping_terms_km",
    "shipping_terms_en",
    "contact_name",
    "contact_phone",
    "contact_email",
    "contact_website",
    "team_size",
    "women_artisans_percent",
)
SLUG_LENGTH = 60
# Paths that a profile's address may not take: the directory's own pages (directory/urls.py),
# and the catalogue's, since a profile's catalogue is /catalog/<slug>/ (catalog/urls.py).
RESERVED_SLUGS = frozenset(
    {"mine", "claim", "claims", "new", "photos", "products", "manage", "marks", "imports"}
)


def unique_slug(*candidates: str) -> str:
    """The first non-empty slug of `candidates` (Khmer names give none) not taken yet, with
    "-2", "-3"... if it is; a random one for a name with no Latin letters at all."""
    base = next((s for s in (slugify(c)[:SLUG_LENGTH].strip("-") for c in candidates) if s), "")
    base = base or f"producer-{secrets.token_hex(3)}"
    slug, number = base, 1
    while slug in RESERVED_SLUGS or Profile.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def copy_from_register(profile: Profile, business: Business) -> None:
    """Names and place as the register has them (the registration number, legal form and
    activities are never copied: pages read them from the business)."""
    profile.business = business
    profile.name_km = business.name_km
    profile.name_en = business.name_en
    if business.province_id:
        profile.province_id = business.province_id
        profile.district_id = business.district_id
        profile.commune_id = business.commune_id
        # A village chosen before outside the registered commune no longer fits.
        if profile.village_id and not (
            business.commune_id and profile.village_id.startswith(business.commune_id)
        ):
            profile.village_id = None


def _check_places(values: Mapping[str, Any]) -> dict[str, str]:
    """Each chosen place must exist and lie inside the level above it."""
    errors: dict[str, str] = {}
    parent = ""  # the nearest level above that is chosen: a village lies in its province too
    for level in PLACE_FIELDS:
        code = values.get(level) or ""
        if not code:
            continue
        if not PLACE_MODELS[Level(level)].objects.filter(code=code).exists():
            errors[level] = _("There is no place with the code %(code)s.") % {"code": code}
        elif parent and not code.startswith(parent):
            errors[level] = _("This place is not inside the one chosen above it.")
        parent = code
    return errors


def _check(profile: Profile, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes, cleaned; ValidationError by field for what is refused."""
    errors: dict[str, Any] = {}
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        errors["__all__"] = _("These fields cannot be changed: %(fields)s.") % {
            "fields": ", ".join(sorted(unknown))
        }
    clean = {k: v for k, v in changes.items() if k in EDITABLE_FIELDS}
    if profile.verified and any(f in clean for f in NAME_FIELDS):
        names = {f: clean.pop(f) for f in NAME_FIELDS if f in clean}
        if any(names[f] != getattr(profile, f) for f in names):
            errors["name_km"] = _(
                "The names of a registered business are those of the register: change them "
                "with the Ministry of Commerce."
            )
    for field in RICH_TEXT_FIELDS:
        if field in clean:
            clean[field] = clean_html(clean[field] or "")
    if "languages" in clean:
        codes = list(dict.fromkeys(clean["languages"] or []))
        if any(code not in SpokenLanguage.values for code in codes):
            errors["languages"] = _("Choose the languages from the list.")
        clean["languages"] = codes
    if "export_markets" in clean:
        markets = list(dict.fromkeys((c or "").strip().upper() for c in clean["export_markets"]))
        wrong = [c for c in markets if not countries.is_country(c)]
        if wrong:
            errors["export_markets"] = _(
                "“%(code)s” is not a country code (two letters, such as FR or JP)."
            ) % {"code": wrong[0]}
        clean["export_markets"] = markets
    percent = clean.get("women_artisans_percent")
    if percent is not None and not 0 <= percent <= 100:
        errors["women_artisans_percent"] = _(
            "The share of women artisans is a percentage: enter a number from 0 to 100."
        )
    if any(f in clean for f in PLACE_FIELDS):
        places = {f: clean.get(f, getattr(profile, f"{f}_id")) for f in PLACE_FIELDS}
        errors.update(_check_places(places))
        for field in PLACE_FIELDS:
            if field in clean:
                clean[f"{field}_id"] = clean.pop(field) or None
    if errors:
        raise ValidationError(errors)
    return clean


def _save(profile: Profile, clean: Mapping[str, Any]) -> None:
    for field, value in clean.items():
        setattr(profile, field, value)
    if not profile.name_km.strip():
        raise ValidationError({"name_km": _("Enter the name in Khmer.")})
    # The model's own checks (lengths, email and website forms, positive numbers).
    profile.full_clean(exclude=["slug", "business", "created_by"])
    profile.save()


def create_unregistered_profile(user: Any, **fields: Any) -> Profile:
    """A profile for a producer that is not in the register (an informal village group).
    Any signed-in user may make one and becomes its owner; it shows no "verified" badge."""
    if not user.is_authenticated:
        raise PermissionDenied
    profile = Profile(created_by=user)
    clean = _check(profile, fields)
    with transaction.atomic():
        profile.slug = unique_slug(fields.get("name_en", ""), fields.get("name_km", ""))
        _save(profile, clean)
        ProfileMember.objects.create(
            profile=profile, user=user, role=MemberRole.OWNER, added_by=user
        )
        audit.record(user, "directory.profile_created", profile, {"slug": profile.slug})
    return profile


def open_profile(business: Business, *, actor: Any = None, **fields: Any) -> Profile:
    """The profile of a registered business, opened before anyone has claimed it (by the
    system, or the demo); its first claimant becomes its owner. Idempotent per business."""
    existing = Profile.objects.filter(business=business).first()
    if existing is not None:
        return existing
    profile = Profile(created_by=actor if getattr(actor, "pk", None) else None)
    copy_from_register(profile, business)
    clean = _check(profile, fields)
    with transaction.atomic():
        audit.hold_head()  # before the insert locks the business's row (audit.chain.hold_head)
        profile.slug = unique_slug(business.name_en, business.registration_number)
        _save(profile, clean)
        audit.record(actor, "directory.profile_opened", profile, {"business": business.pk})
    return profile


def update_profile(profile: Profile, *, by: Any, changes: Mapping[str, Any]) -> Profile:
    """Change the fields in `changes` (see EDITABLE_FIELDS). Only the profile's members may;
    the names of a verified profile are the register's and stay as they are."""
    if not can_manage(by, profile):
        raise PermissionDenied
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        clean = _check(profile, changes)
        _save(profile, clean)
        audit.record(by, "directory.profile_updated", profile, {"fields": sorted(changes)})
    return profile
