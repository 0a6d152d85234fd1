"""The directory as an API (/api/v1/directory/): public reads, and the profile's members'
edits through the same action as the edit page (same rules, same messages, in the language of
Accept-Language).

Reads are public; a caller who sends a token or a session is recognised, so that buyers,
members and programme staff receive the contact details the public does not (`contact` is null
otherwise). A wrong token is refused with 401 rather than answered as the public.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError

from singleportal.accounts.api_auth import BearerToken, Session
from singleportal.core.refusals import ErrorOut, refusal
from singleportal.directory import actions, presenting, selectors
from singleportal.directory.access import contact_visible_ids
from singleportal.directory.models import Profile

router = Router(tags=["directory"])


class Caller:
    """Optional authentication: a valid token or session is the caller; none is the anonymous
    public; a token that is not valid is a 401."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            found = BearerToken()(request)
            if not found:
                raise AuthenticationError
            return found
        return Session()(request) or AnonymousUser()


# ---------------------------------------------------------------- schemas


class PlaceOut(Schema):
    code: str
    name_km: str
    name_en: str


class ActivityOut(Schema):
    code: str
    name_km: str
    name_en: str
    main: bool


class RegistrationOut(Schema):
    registration_number: str
    legal_form: str
    status: str
    registry_url: str
    activities: list[ActivityOut] | None = None


class PhotoOut(Schema):
    url: str
    thumbnail_url: str
    width: int
    height: int
    alt_km: str
    alt_en: str


class ContactOut(Schema):
    name: str
    phone: str
    email: str
    website: str


class ProfileSummaryOut(Schema):
    slug: str
    url: str
    verified: bool
    registration: RegistrationOut | None
    name_km: str
    name_en: str
    province: PlaceOut | None
    village: PlaceOut | None
    photo: PhotoOut | None
    contact: ContactOut | None


class ProfilePageOut(Schema):
    items: list[ProfileSummaryOut]
    next_cursor: str | None


class ProfileOut(ProfileSummaryOut):
    district: PlaceOut | None
    commune: PlaceOut | None
    published: bool
    story_km: str
    story_en: str
    languages: list[str]
    export_experience: str
    export_markets: list[str]
    capacity_units_per_month: int | None
    lead_time_days: int | None
    minimum_order_units: int | None
    payment_terms_km: str
    payment_terms_en: str
    shipping_terms_km: str
    shipping_terms_en: str
    team_size: int | None
    women_artisans_percent: int | None
    photos: list[PhotoOut]
    updated_at: str


class ProfilePatchIn(Schema):
    """Only the fields sent are changed. Places by their official codes; a verified profile's
    names are the register's and cannot be changed."""

    name_km: str | None = None
    name_en: str | None = None
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    village: str | None = None
    published: bool | None = None
    story_km: str | None = None
    story_en: str | None = None
    languages: list[str] | None = None
    export_experience: str | None = None
    export_markets: list[str] | None = None
    capacity_units_per_month: int | None = None
    lead_time_days: int | None = None
    minimum_order_units: int | None = None
    payment_terms_km: str | None = None
    payment_terms_en: str | None = None
    shipping_terms_km: str | None = None
    shipping_terms_en: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    contact_website: str | None = None
    team_size: int | None = None
    women_artisans_percent: int | None = None


# ---------------------------------------------------------------- shapes


def _photo(profile: Profile) -> dict[str, Any] | None:
    photo = presenting.first_photo(profile)
    return _photo_dict(photo) if photo else None


def _photo_dict(photo: Any) -> dict[str, Any]:
    return {
        "url": presenting.photo_url(photo),
        "thumbnail_url": presenting.photo_url(photo, thumbnail=True),
        "width": photo.width,
        "height": photo.height,
        "alt_km": photo.alt_km,
        "alt_en": photo.alt_en,
    }


def _registration(profile: Profile, *, activities: bool) -> dict[str, Any] | None:
    """The register's facts as the page shows them (RegistrationOut keeps the fields it
    names), with the registry link on the public site."""
    facts = presenting.register_facts(profile, activities=activities)
    if facts is None:
        return None
    return {**facts, "registry_url": presenting.absolute(facts["registry_url"])}


def _summary(profile: Profile, contact_ids: Iterable[int], *, full: bool = False) -> dict:
    contact = None
    if profile.pk in contact_ids:
        contact = {
            "name": profile.contact_name,
            "phone": profile.contact_phone,
            "email": profile.contact_email,
            "website": profile.contact_website,
        }
    return {
        "slug": profile.slug,
        "url": presenting.absolute(presenting.page_url(profile)),
        "verified": profile.verified,
        "registration": _registration(profile, activities=full),
        "name_km": profile.name_km,
        "name_en": profile.name_en,
        "province": presenting.place_dict(profile.province),
        "village": presenting.place_dict(profile.village),
        "photo": _photo(profile),
        "contact": contact,
    }


def _detail(profile: Profile, user: Any) -> dict[str, Any]:
    plain = (
        "published", "story_km", "story_en", "languages", "export_experience", "export_markets",
        "capacity_units_per_month", "lead_time_days", "minimum_order_units", "payment_terms_km",
        "payment_terms_en", "shipping_terms_km", "shipping_terms_en", "team_size",
        "women_artisans_percent",
    )  # fmt: skip
    return {
        **_summary(profile, contact_visible_ids(user, [profile]), full=True),
        **{name: getattr(profile, name) for name in plain},
        "district": presenting.place_dict(profile.district),
        "commune": presenting.place_dict(profile.commune),
        "photos": [_photo_dict(p) for p in profile.photos.all()],
        "updated_at": profile.updated_at.isoformat(),
    }


def _not_found() -> Status:
    return Status(404, {"detail": _("There is no profile at this address.")})


# ---------------------------------------------------------------- endpoints


@router.get(
    "/profiles",
    response={200: ProfilePageOut, 401: ErrorOut, 422: ErrorOut},
    auth=Caller(),
    summary="List published profiles",
    description=(
        "Newest first. Filters: `province` (two-digit code), `verified` (true: only businesses "
        "verified in the register). Pass `next_cursor` back as `cursor` for the next page. "
        "Public; `contact` is given only to buyers, the profile's members and programme staff."
    ),
)
def list_profiles(
    request: HttpRequest,
    province: str = "",
    verified: bool = False,
    cursor: str = "",
    limit: int = selectors.PAGE_SIZE,
) -> Any:
    filters = selectors.Filters(province=province.strip(), verified=verified)
    errors = filters.errors()
    after = selectors.decode_cursor(cursor) if cursor else None
    if cursor and after is None:
        errors.append(_("This cursor is not valid."))
    if not 1 <= limit <= selectors.MAX_PAGE_SIZE:
        errors.append(
            _("The limit is a number from 1 to %(max)s.") % {"max": selectors.MAX_PAGE_SIZE}
        )
    if errors:
        return Status(422, {"detail": " ".join(errors)})
    page = selectors.public_profiles(filters, after=after, limit=limit)
    visible = contact_visible_ids(request.auth, page.profiles)  # type: ignore[attr-defined]
    return {
        "items": [_summary(p, visible) for p in page.profiles],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/profiles/{slug}",
    response={200: ProfileOut, 401: ErrorOut, 404: ErrorOut},
    auth=Caller(),
    summary="One profile",
    description="Public, as its page; `contact` as in the list.",
)
def get_profile(request: HttpRequest, slug: str) -> Any:
    found = selectors.profile_for(slug, request.auth)  # type: ignore[attr-defined]
    if found is None:
        return _not_found()
    return _detail(found, request.auth)  # type: ignore[attr-defined]


@router.patch(
    "/profiles/{slug}",
    response={200: ProfileOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Change a profile (its members only)",
    description="The fields sent are changed, as on the edit page; stories are cleaned of HTML "
    "outside p, br, strong, em, ul, ol and li.",
)
def patch_profile(request: HttpRequest, slug: str, payload: ProfilePatchIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    found = selectors.profile_for(slug, user)
    if found is None:
        return _not_found()
    try:
        actions.update_profile(found, by=user, changes=payload.dict(exclude_unset=True))
    except PermissionDenied:
        return Status(403, {"detail": _("Only the profile's members may change it.")})
    except ValidationError as exc:
        return Status(422, refusal(exc))
    return _detail(selectors.profile_for(slug, user), user)  # type: ignore[arg-type]
