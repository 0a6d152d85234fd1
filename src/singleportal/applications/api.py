"""The registration wizard as an API: /api/v1/applications/. Same actions, same validation and
messages as the pages (in the language of Accept-Language)."""

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from singleportal.accounts.models import User
from singleportal.activities import selectors as activity_selectors
from singleportal.agencies.progress import progress_of
from singleportal.applications import actions, selectors
from singleportal.applications.models import Application
from singleportal.core import countries, refusals

router = Router(tags=["applications"])
T = TypeVar("T")


# ---------------------------------------------------------------- schemas


class ProblemOut(refusals.ProblemOut):
    step: str = ""


class ErrorOut(refusals.ErrorOut):
    problems: list[ProblemOut] = []


class LegalFormOut(Schema):
    code: str
    name_km: str
    name_en: str
    member_kind: str
    min_members: int
    max_members: int | None
    has_share_capital: bool
    min_capital_khr: int
    min_par_value_khr: int
    min_directors: int
    max_directors: int | None
    articles_required: bool
    parent_company_required: bool
    agencies: list[str]


class ActivityOut(Schema):
    code: str
    name_en: str
    name_km: str
    translated: bool


class CountryOut(Schema):
    code: str
    name_en: str
    name_km: str


class CreateIn(Schema):
    legal_form: str = ""


class LegalFormIn(Schema):
    legal_form: str


class NamesIn(Schema):
    name_km: str
    name_en: str = ""


class ActivitiesIn(Schema):
    objectives: str
    activities: list[str]
    main: str = ""


class AddressIn(Schema):
    village: str
    street: str = ""
    house_number: str = ""


class ContactIn(Schema):
    phone: str = ""
    email: str = ""


class CapitalIn(Schema):
    capital_khr: int
    share_count: int


class ParentCompanyIn(Schema):
    parent_name: str
    parent_country: str
    parent_registration_number: str = ""


class PersonIn(Schema):
    name_km: str = ""
    name_en: str = ""
    nationality: str
    id_kind: str
    id_number: str


class PartyIn(PersonIn):
    role: str
    kind: str = "natural"
    date_of_birth: date | None = None
    shares: int | None = None


class PartyOut(PartyIn):
    id: int


class BeneficialOwnerIn(PersonIn):
    ownership_percent: int
    control_description: str = ""


class BeneficialOwnerOut(BeneficialOwnerIn):
    id: int


class ConfirmIn(Schema):
    no_other_beneficial_owners: bool


class EmploymentIn(Schema):
    khmer_staff: int
    foreign_staff: int
    opening_date: date | None = None


class TaxIn(Schema):
    expected_turnover_khr: int
    vat_registration: bool = False
    accounting_year_start_month: int = 1


class IncentivesIn(Schema):
    wanted: bool
    investment_khr: int = 0
    project_description: str = ""


class SignboardIn(Schema):
    text_km: str
    text_en: str = ""
    width_cm: int
    height_cm: int


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    sha256: str
    url: str


class RepresentativeIn(Schema):
    identifier: str


class AuthorisationOut(Schema):
    id: int
    representative: str
    granted_at: datetime


class AddressOut(Schema):
    province: str
    district: str
    commune: str
    village: str
    street: str
    house_number: str


class SummaryOut(Schema):
    id: UUID
    reference: str | None
    status: str
    legal_form: str | None
    name_km: str
    name_en: str
    updated_at: datetime


class ApplicationOut(SummaryOut):
    owner: str
    created_at: datetime
    submitted_at: datetime | None
    objectives: str
    activities: list[str]
    main_activity: str | None
    address: AddressOut
    phone: str
    email: str
    capital_khr: int | None
    share_count: int | None
    parent_name: str
    parent_country: str
    parent_registration_number: str
    parties: list[PartyOut]
    beneficial_owners: list[BeneficialOwnerOut]
    no_other_beneficial_owners: bool
    employment: EmploymentIn | None
    tax: TaxIn | None
    incentives: IncentivesIn | None
    signboard: SignboardIn | None
    documents: list[DocumentOut]
    representatives: list[AuthorisationOut]


class ValidationOut(Schema):
    ready: bool
    problems: list[ProblemOut]


class SubmitIn(Schema):
    declared_by_name: str


class VersionOut(Schema):
    number: int
    reference: str
    sha256: str
    submitted_at: datetime


class VersionDetailOut(VersionOut):
    snapshot: dict


class SectionOut(Schema):
    code: str
    label: str


class AgencyStepOut(Schema):
    agency: str
    agency_name: str
    status: str
    status_label: str
    on: date | None  # done on that day, or expected by it (see `done`)
    done: bool
    reason: str  # when the agency asked for a correction or rejected
    note: str
    sections: list[SectionOut]


class RecordOut(Schema):
    kind: str
    kind_label: str
    agency: str
    number: str
    issued_at: datetime


class RegistrationOut(Schema):
    registration_number: str
    tin: str | None
    name_km: str
    name_en: str
    registered_on: date
    records: list[RecordOut]


class ProgressOut(Schema):
    id: UUID
    reference: str | None
    status: str
    status_label: str
    submitted_at: datetime | None
    expected_completion: date | None
    legal_deadline: date | None
    correction_sections: list[SectionOut]
    agencies: list[AgencyStepOut]
    registration: RegistrationOut | None


# ---------------------------------------------------------------- helpers


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run an action; its errors become 422 (with the problems), 403 or 404."""
    try:
        return fn(*args, **kwargs)
    except actions.AlreadySubmitted as exc:
        raise _Error(409, exc) from exc
    except ValidationError as exc:
        raise _Error(422, exc) from exc
    except PermissionDenied as exc:
        raise HttpError(403, "Only the owner may do this.") from exc


class _Error(Exception):
    def __init__(self, status: int, error: ValidationError) -> None:
        super().__init__(status)
        self.status = status
        self.body = refusals.refusal(error)


def _answers_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """An action's ValidationError as the status and body the schema documents."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except _Error as exc:
            return Status(exc.status, exc.body)

    return wrapper


def _app(request: HttpRequest, application_id: UUID) -> Application:
    try:
        return selectors.application_for(_user(request), application_id)
    except Http404 as exc:
        raise HttpError(404, "No such application.") from exc


def _detail(app: Application) -> dict[str, Any]:
    activities = list(app.activities.select_related("activity"))
    main = next((a.activity.code for a in activities if a.main), None)

    def one(name: str) -> Any:
        return getattr(app, name, None)

    return {
        "id": app.public_id,
        "reference": app.reference,
        "status": app.status,
        "legal_form": app.legal_form.code if app.legal_form else None,
        "name_km": app.name_km,
        "name_en": app.name_en,
        "updated_at": app.updated_at,
        "owner": str(app.owner),
        "created_at": app.created_at,
        "submitted_at": app.submitted_at,
        "objectives": app.objectives,
        "activities": [a.activity.code for a in activities],
        "main_activity": main,
        "address": {
            "province": app.province_code,
            "district": app.district_code,
            "commune": app.commune_code,
            "village": app.village_code,
            "street": app.street,
            "house_number": app.house_number,
        },
        "phone": app.phone,
        "email": app.email,
        "capital_khr": app.capital_khr,
        "share_count": app.share_count,
        "parent_name": app.parent_name,
        "parent_country": app.parent_country,
        "parent_registration_number": app.parent_registration_number,
        "parties": list(app.parties.all()),
        "beneficial_owners": list(app.beneficial_owners.all()),
        "no_other_beneficial_owners": app.no_other_beneficial_owners,
        "employment": one("employment"),
        "tax": one("tax"),
        "incentives": one("incentives"),
        "signboard": one("signboard"),
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
                "url": reverse("applications:document", args=[app.public_id, d.pk]),
            }
            for d in app.documents.all()
        ],
        "representatives": [
            {"id": a.pk, "representative": str(a.representative), "granted_at": a.granted_at}
            for a in selectors.active_authorisations(app)
        ],
    }


def _saved(request: HttpRequest, application_id: UUID, action: Callable, **data: Any) -> dict:
    app = _app(request, application_id)
    _call(action, app, _user(request), **data)
    return _detail(selectors.application_for(_user(request), application_id))


ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# ---------------------------------------------------------------- reference lists


@router.get("/legal-forms", response=list[LegalFormOut], summary="Legal forms and their rules")
def list_legal_forms(request: HttpRequest) -> list:
    return list(selectors.legal_forms())


@router.get(
    "/activities",
    response=list[ActivityOut],
    summary="Search ISIC Rev. 4 activities by code or name (Khmer or English)",
)
def search_activities(request: HttpRequest, q: str = "") -> list:
    return activity_selectors.search(q)


@router.get(
    "/countries",
    response=list[CountryOut],
    summary="ISO 3166-1 countries for nationality and parent_country (Cambodia first)",
)
def list_countries(request: HttpRequest) -> list:
    return [countries.get(code) for code, _name in countries.choices()]


# ---------------------------------------------------------------- applications


@router.get("/", response=list[SummaryOut], summary="My applications (own or authorised)")
def list_applications(request: HttpRequest) -> list:
    return [
        {
            "id": a.public_id,
            "reference": a.reference,
            "status": a.status,
            "legal_form": a.legal_form.code if a.legal_form else None,
            "name_km": a.name_km,
            "name_en": a.name_en,
            "updated_at": a.updated_at,
        }
        for a in selectors.applications_of(_user(request))
    ]


@router.post("/", response={201: ApplicationOut, 422: ErrorOut}, summary="Start an application")
@_answers_errors
def create_application(request: HttpRequest, payload: CreateIn) -> Status:
    app = _call(actions.create_application, _user(request), legal_form=payload.legal_form)
    return Status(201, _detail(app))


@router.get(
    "/{application_id}", response={200: ApplicationOut, 404: ErrorOut}, summary="One application"
)
def get_application(request: HttpRequest, application_id: UUID) -> dict:
    return _detail(_app(request, application_id))


def _section(path: str, schema: type[Schema], action: Callable, summary: str) -> None:
    @_answers_errors
    def endpoint(request: HttpRequest, application_id: UUID, payload: Any) -> dict:
        return _saved(request, application_id, action, **payload.dict())

    endpoint.__annotations__["payload"] = schema
    endpoint.__name__ = f"save_{path.replace('-', '_')}"
    router.put(
        f"/{{application_id}}/{path}", response={200: ApplicationOut, **ERRORS}, summary=summary
    )(endpoint)


def _legal_form(app: Application, user: User, *, legal_form: str) -> None:
    actions.choose_legal_form(app, user, legal_form)


def _activities(
    app: Application, user: User, *, objectives: str, activities: list, main: str
) -> None:
    actions.save_activities(app, user, objectives=objectives, codes=activities, main=main)


def _address(app: Application, user: User, *, village: str, street: str, house_number: str) -> None:
    actions.save_address(app, user, village_code=village, street=street, house_number=house_number)


def _confirm(app: Application, user: User, *, no_other_beneficial_owners: bool) -> None:
    actions.confirm_beneficial_owners(app, user, confirmed=no_other_beneficial_owners)


_section("legal-form", LegalFormIn, _legal_form, "Choose the legal form")
_section("names", NamesIn, actions.save_names, "Business names (Khmer required)")
_section("activities", ActivitiesIn, _activities, "Objectives and ISIC activity codes")
_section("address", AddressIn, _address, "Address by village code, street and house number")
_section("contact", ContactIn, actions.save_contact, "Phone and email")
_section("capital", CapitalIn, actions.save_capital, "Capital in riel and number of shares")
_section("parent-company", ParentCompanyIn, actions.save_parent_company, "Foreign parent company")
_section(
    "beneficial-owners-confirmation", ConfirmIn, _confirm, "Declare no other beneficial owners"
)
_section("employment", EmploymentIn, actions.save_employment, "Staff planned (MLVT)")
_section("tax", TaxIn, actions.save_tax, "Tax details (GDT)")
_section("incentives", IncentivesIn, actions.save_incentives, "Investment incentives (CDC)")
_section("signboard", SignboardIn, actions.save_signboard, "Signboard (MOI)")


@router.post(
    "/{application_id}/parties",
    response={201: ApplicationOut, **ERRORS},
    summary="Add an owner, partner, shareholder, director or manager",
)
@_answers_errors
def add_party(request: HttpRequest, application_id: UUID, payload: PartyIn) -> Status:
    return Status(201, _saved(request, application_id, actions.add_party, **payload.dict()))


@router.delete(
    "/{application_id}/parties/{party_id}",
    response={200: ApplicationOut, **ERRORS},
    summary="Remove a person",
)
@_answers_errors
def remove_party(request: HttpRequest, application_id: UUID, party_id: int) -> dict:
    return _saved(request, application_id, actions.remove_party, party_id=party_id)


@router.post(
    "/{application_id}/beneficial-owners",
    response={201: ApplicationOut, **ERRORS},
    summary="Add a beneficial owner (25 % or more, or control)",
)
@_answers_errors
def add_beneficial_owner(
    request: HttpRequest, application_id: UUID, payload: BeneficialOwnerIn
) -> Status:
    return Status(
        201, _saved(request, application_id, actions.add_beneficial_owner, **payload.dict())
    )


@router.delete(
    "/{application_id}/beneficial-owners/{owner_id}",
    response={200: ApplicationOut, **ERRORS},
    summary="Remove a beneficial owner",
)
@_answers_errors
def remove_beneficial_owner(request: HttpRequest, application_id: UUID, owner_id: int) -> dict:
    return _saved(request, application_id, actions.remove_beneficial_owner, owner_id=owner_id)


@router.post(
    "/{application_id}/documents",
    response={201: ApplicationOut, **ERRORS},
    summary="Upload a document (PDF, JPEG or PNG, checked by content)",
)
@_answers_errors
def upload_document(
    request: HttpRequest,
    application_id: UUID,
    kind: Form[str],
    file: File[UploadedFile],
) -> Status:
    app = _app(request, application_id)
    _call(
        actions.upload_document,
        app,
        _user(request),
        kind=kind,
        file=file,
        name=file.name or "",
        size=file.size or 0,
    )
    return Status(201, _detail(_app(request, application_id)))


@router.delete(
    "/{application_id}/documents/{document_id}",
    response={200: ApplicationOut, **ERRORS},
    summary="Remove a document",
)
@_answers_errors
def remove_document(request: HttpRequest, application_id: UUID, document_id: int) -> dict:
    return _saved(request, application_id, actions.remove_document, document_id=document_id)


@router.post(
    "/{application_id}/representatives",
    response={201: ApplicationOut, **ERRORS},
    summary="Authorise a representative by their account's email or phone (owner only)",
)
@_answers_errors
def authorise_representative(
    request: HttpRequest, application_id: UUID, payload: RepresentativeIn
) -> Status:
    app = _app(request, application_id)
    _call(actions.authorise_representative, app, _user(request), payload.identifier)
    return Status(201, _detail(app))


@router.delete(
    "/{application_id}/representatives/{authorisation_id}",
    response={200: ApplicationOut, **ERRORS},
    summary="Revoke a representative (owner only); their access ends at once",
)
@_answers_errors
def revoke_representative(
    request: HttpRequest, application_id: UUID, authorisation_id: int
) -> dict:
    app = _app(request, application_id)
    _call(actions.revoke_representative, app, _user(request), authorisation_id)
    return _detail(app)


@router.get(
    "/{application_id}/validation",
    response={200: ValidationOut, 404: ErrorOut},
    summary="Everything that still stops submission, by step",
)
def validate_application(request: HttpRequest, application_id: UUID) -> dict:
    from singleportal.applications.validation import problems

    found = problems(_app(request, application_id))
    return {"ready": not found, "problems": [p.as_dict() for p in found]}


@router.post(
    "/{application_id}/submit",
    response={200: VersionOut, 201: VersionOut, 409: ErrorOut, **ERRORS},
    summary="Submit: validates, freezes a version, assigns the reference",
    description=(
        "Send an `Idempotency-Key` header: a retried request with the same key returns the "
        "same version (200) instead of submitting again (201 the first time). A file already "
        "submitted under another key answers 409."
    ),
)
@_answers_errors
def submit_application(request: HttpRequest, application_id: UUID, payload: SubmitIn) -> Status:
    app = _app(request, application_id)
    version, created = _call(
        actions.submit_application,
        app,
        _user(request),
        declared_by_name=payload.declared_by_name,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    body = {
        "number": version.number,
        "reference": version.snapshot["reference"],
        "sha256": version.sha256,
        "submitted_at": version.submitted_at,
    }
    return Status(201 if created else 200, body)


@router.get(
    "/{application_id}/versions",
    response={200: list[VersionDetailOut], 404: ErrorOut},
    summary="Every submitted version, with its frozen snapshot",
)
def list_versions(request: HttpRequest, application_id: UUID) -> list:
    return [
        {
            "number": v.number,
            "reference": v.snapshot["reference"],
            "sha256": v.sha256,
            "submitted_at": v.submitted_at,
            "snapshot": v.snapshot,
        }
        for v in selectors.versions_of(_app(request, application_id))
    ]


@router.get(
    "/{application_id}/progress",
    response={200: ProgressOut, 404: ErrorOut},
    summary="Where the file is with each agency, and what the register holds",
    description=(
        "Each agency's step (done on, or expected by, a date), what an agency asked to correct "
        "and why, the expected completion of the whole file and its legal deadline; once the "
        "business is registered, its registration number, TIN and the other agencies' records."
    ),
)
def get_progress(request: HttpRequest, application_id: UUID) -> dict:
    app = _app(request, application_id)
    found = progress_of(app)
    business = found.business
    return {
        "id": app.public_id,
        "reference": app.reference,
        "status": app.status,
        "status_label": app.get_status_display(),
        "submitted_at": app.submitted_at,
        "expected_completion": found.expected_completion,
        "legal_deadline": found.legal_deadline,
        "correction_sections": found.correction_sections,
        "agencies": [
            {
                "agency": step.agency_code,
                "agency_name": step.agency_name,
                "status": step.status,
                "status_label": step.status_label,
                "on": step.on,
                "done": step.done,
                "reason": step.reason,
                "note": step.note,
                "sections": step.sections,
            }
            for step in found.steps
        ],
        "registration": business
        and {
            "registration_number": business.registration_number,
            "tin": business.tin,
            "name_km": business.name_km,
            "name_en": business.name_en,
            "registered_on": business.registered_on,
            "records": [
                {
                    "kind": r.kind,
                    "kind_label": r.get_kind_display(),
                    "agency": r.agency_code,
                    "number": r.number,
                    "issued_at": r.issued_at,
                }
                for r in found.records
            ],
        },
    }
