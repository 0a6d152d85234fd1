"""Name check (public, rate-limited) and reservations (signed-in applicants)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from singleportal.core.refusals import ErrorOut
from singleportal.names import actions, ratelimit, selectors
from singleportal.names.checking import check_name
from singleportal.names.normalization import KHMER, LATIN

router = Router()
LANGUAGES = {"km": KHMER, "en": LATIN}


class ConflictOut(Schema):
    name: str
    registration_number: str | None
    status: str
    kind: str
    rule: str
    score: float
    explanation: str
    rules: list[str]  # every rule behind the conflict (`rule` is the deciding one)


class CheckOut(Schema):
    name: str
    normalized: str
    available: bool
    conflicts: list[ConflictOut]


def too_many_requests(retry_after: int) -> JsonResponse:
    response = JsonResponse(
        {"detail": _("Too many name checks from your address. Try again in %(seconds)s seconds.")
         % {"seconds": retry_after}},
        status=429,
    )  # fmt: skip
    response["Retry-After"] = str(retry_after)
    return response


@router.get(
    "/check",
    response={200: CheckOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    tags=["names"],
    summary="Check a proposed business name (Khmer or Latin) against the register",
)
def check(request: HttpRequest, name: str = "", lang: str = "km") -> object:
    verdict = ratelimit.hit("names-check", ratelimit.client_ident(request), ratelimit.check_rate())
    if not verdict.allowed:
        return too_many_requests(verdict.retry_after)
    if lang not in LANGUAGES:
        raise HttpError(422, _("Choose the language of the name: km (Khmer) or en (Latin)."))
    try:
        result = check_name(name, LANGUAGES[lang], user=request.user)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    # Already in the documented shape: skipping the schema's re-validation saves ~1 ms a check.
    return JsonResponse(result.as_dict(), json_dumps_params={"ensure_ascii": False})


class ReservationIn(Schema):
    name_km: str
    name_en: str
    legal_form: str


class ReservationOut(Schema):
    id: int
    name_km: str
    name_en: str
    legal_form: str
    status: str
    created_at: datetime
    expires_at: datetime
    extended_at: datetime | None
    can_extend: bool


def _user(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.auth  # type: ignore[attr-defined]


def _errors(exc: ValidationError) -> HttpError:
    return HttpError(422, " ".join(exc.messages))


@router.get(
    "/reservations",
    response=list[ReservationOut],
    tags=["name reservations"],
    summary="My name reservations",
)
def list_reservations(request: HttpRequest) -> list:
    return list(selectors.reservations_of(_user(request)))


@router.post(
    "/reservations",
    response={201: ReservationOut, 422: ErrorOut},
    tags=["name reservations"],
    summary="Reserve a checked, available Khmer and Latin name pair",
)
def create_reservation(request: HttpRequest, payload: ReservationIn) -> Status:
    try:
        reservation = actions.reserve_name(_user(request), **payload.dict())
    except ValidationError as exc:
        raise _errors(exc) from exc
    return Status(201, reservation)


def _mine(request: HttpRequest, reservation_id: int):  # type: ignore[no-untyped-def]
    reservation = selectors.reservation_of(_user(request), reservation_id)
    if reservation is None:
        raise HttpError(404, _("No such reservation."))
    return reservation


@router.post(
    "/reservations/{reservation_id}/extend",
    response={200: ReservationOut, 404: ErrorOut, 422: ErrorOut},
    tags=["name reservations"],
    summary="Extend a reservation (once)",
)
def extend(request: HttpRequest, reservation_id: int) -> object:
    try:
        return actions.extend_reservation(_user(request), _mine(request, reservation_id))
    except ValidationError as exc:
        raise _errors(exc) from exc
    except PermissionDenied as exc:
        raise HttpError(404, _("No such reservation.")) from exc


@router.post(
    "/reservations/{reservation_id}/cancel",
    response={200: ReservationOut, 404: ErrorOut, 422: ErrorOut},
    tags=["name reservations"],
    summary="Cancel a reservation and release the name",
)
def cancel(request: HttpRequest, reservation_id: int) -> object:
    try:
        return actions.cancel_reservation(_user(request), _mine(request, reservation_id))
    except ValidationError as exc:
        raise _errors(exc) from exc
    except PermissionDenied as exc:
        raise HttpError(404, _("No such reservation.")) from exc
