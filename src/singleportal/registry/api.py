"""Open data API of the register (/api/v1/registry/): search, one business, the change stream.

Public: no sign-in. Anonymous callers get REGISTRY_API_ANON_RATE per address; a key in the
X-Api-Key header (made by the operator in the admin) gets its higher rate; a wrong key is a
401. Over the limit: 429 with Retry-After. Answers are the selectors' dictionaries, already in
the documented shapes below, sent without re-validation (as the name check does).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from singleportal.core.refusals import ErrorOut
from singleportal.registry import metering, selectors

router = Router(tags=["registry"])
KEY_DOC = (
    " Public; send your key in the X-Api-Key header for a higher rate (a wrong key is refused "
    "with 401). Over the limit: 429 with Retry-After."
)


class PlaceOut(Schema):
    code: str
    name_km: str
    name_en: str


class BusinessRowOut(Schema):
    registration_number: str
    name_km: str
    name_en: str
    legal_form: str
    status: str
    registered_on: str
    tin: str | None
    province: PlaceOut | None


class BusinessPageOut(Schema):
    items: list[BusinessRowOut]
    next_cursor: str | None


class AddressOut(Schema):
    province: PlaceOut | None
    district: PlaceOut | None
    commune: PlaceOut | None


class ActivityOut(Schema):
    code: str
    name_km: str
    name_en: str
    main: bool


class OfficerOut(Schema):
    role: str
    name_km: str
    name_en: str


class FilingOut(Schema):
    kind: str
    agency: str
    number: str
    issued_at: str


class BusinessOut(Schema):
    registration_number: str
    name_km: str
    name_en: str
    legal_form: str
    status: str
    registered_on: str
    tin: str | None
    address: AddressOut
    activities: list[ActivityOut]
    officers: list[OfficerOut]
    filings: list[FilingOut]
    updated_at: str


class EventOut(Schema):
    id: str
    kind: str
    registration_number: str
    at: str
    data: dict


class EventPageOut(Schema):
    events: list[EventOut]
    next_cursor: str


def _json(data: object, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


@router.get(
    "/businesses",
    response={200: BusinessPageOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Search registered businesses",
    description=(
        "By name (`q`, Khmer or Latin: names whose normalised form starts with the query's), "
        "registration number, TIN, province code, legal form, status and activity (ISIC class, "
        "division or section). A name search comes in name order (the identical name first), "
        "the others in registration-number order; pass `next_cursor` back as `cursor` for the "
        "next page (stable while businesses are added)." + KEY_DOC
    ),
)
def list_businesses(
    request: HttpRequest,
    q: str = "",
    registration_number: str = "",
    tin: str = "",
    province: str = "",
    legal_form: str = "",
    status: str = "",
    activity: str = "",
    cursor: str = "",
    limit: int = selectors.PAGE_SIZE,
) -> HttpResponse:
    _caller, refused = metering.meter(request)
    if refused is not None:
        return refused
    filters = selectors.Filters.from_params(
        {"q": q, "registration_number": registration_number, "tin": tin, "province": province,
         "legal_form": legal_form, "status": status, "activity": activity}
    )  # fmt: skip
    errors = filters.errors()
    if errors:
        return metering.label(_json({"detail": " ".join(errors)}, 422), request)
    after = None
    if cursor:
        after = selectors.decode_cursor(cursor)
        if after is None:
            return metering.label(_json({"detail": _("This cursor is not valid.")}, 422), request)
    if not 1 <= limit <= selectors.MAX_PAGE_SIZE:
        detail = _("limit must be between 1 and %(max)s.") % {"max": selectors.MAX_PAGE_SIZE}
        return metering.label(_json({"detail": detail}, 422), request)
    page = selectors.search(filters, after=after, limit=limit)
    body = {
        "items": [row.as_dict() for row in page.rows],
        "next_cursor": page.after,
    }
    return metering.label(_json(body), request)


def _etag(version: str) -> str:
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


@router.get(
    "/businesses/{registration_number}",
    response={200: BusinessOut, 304: None, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="One registered business",
    description=(
        "Names, number, form, status, dates, address to the commune, activities, officers "
        "(names and roles) and filings. Sends an ETag: ask again with If-None-Match to get "
        "304 Not Modified while the entry has not changed." + KEY_DOC
    ),
)
def get_business(request: HttpRequest, registration_number: str) -> HttpResponse:
    _caller, refused = metering.meter(request)
    if refused is not None:
        return refused
    version = selectors.version_of(registration_number)
    if version is None:
        detail = _("No business has this registration number.")
        return metering.label(_json({"detail": detail}, 404), request)
    etag = _etag(version)
    asked = request.headers.get("If-None-Match", "")
    if etag in {tag.strip().removeprefix("W/") for tag in asked.split(",")} or asked == "*":
        response = HttpResponse(status=304)
    else:
        key = f"registry:api:{version}"
        body = cache.get(key)
        if body is None:
            entry = selectors.public_entry(registration_number)
            if entry is None:  # removed between the two reads
                return metering.label(_json({"detail": _("No such business.")}, 404), request)
            body = _json(entry).content
            cache.set(key, body, settings.REGISTRY_CACHE_SECONDS)
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=60"
    return metering.label(response, request)


@router.get(
    "/events",
    response={200: EventPageOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="The register's change stream",
    description=(
        "Registrations (`registered`), new records such as the TIN or a declaration "
        "(`record_added`) and status changes (`status_changed`), oldest first, after the cursor "
        "`after` (0 or absent: from the start). Resume from `next_cursor`. The same stream is "
        "served as Server-Sent Events at /registry/events/stream." + KEY_DOC
    ),
)
def list_events(request: HttpRequest, after: str = "0", limit: int = 100) -> HttpResponse:
    _caller, refused = metering.meter(request)
    if refused is not None:
        return refused
    cursor = selectors.event_cursor(after or "0")
    if cursor is None:
        return metering.label(_json({"detail": _("This cursor is not valid.")}, 422), request)
    if not 1 <= limit <= selectors.MAX_EVENTS_LIMIT:
        detail = _("limit must be between 1 and %(max)s.") % {"max": selectors.MAX_EVENTS_LIMIT}
        return metering.label(_json({"detail": detail}, 422), request)
    events = selectors.events_after(cursor, limit=limit)
    body = {"events": events, "next_cursor": events[-1]["id"] if events else str(cursor)}
    return metering.label(_json(body), request)
