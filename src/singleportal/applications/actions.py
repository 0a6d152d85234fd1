"""Writes on applications. Each takes the acting user, checks they may act on the file, runs in
one transaction with the application row locked, and appends an audit entry."""

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.accounts.identifiers import IdentifierError, normalize_identifier
from singleportal.accounts.models import Role, User
from singleportal.activities import selectors as activity_selectors
from singleportal.applications import hooks, naming, snapshot, uploads
from singleportal.applications.models import (
    MEMBER_ROLES,
    Application,
    ApplicationActivity,
    ApplicationVersion,
    Authorisation,
    BeneficialOwner,
    Document,
    DocumentKind,
    EmploymentPlan,
    IdKind,
    IncentiveRequest,
    LegalForm,
    MemberKind,
    Party,
    PartyRole,
    PersonKind,
    ReferenceCounter,
    Signboard,
    Status,
    TaxDetails,
)
from singleportal.applications.selectors import visible_to
from singleportal.applications.validation import problems
from singleportal.audit import chain as audit

MAX_ACTIVITIES = 10
MAX_PARTIES = 60


class NotSubmittable(ValidationError):
    """The file still has problems; `problems` lists them by step."""

    def __init__(self, found: list) -> None:
        super().__init__([p.message for p in found])
        self.problems = found


class AlreadySubmitted(ValidationError):
    pass


# ---------------------------------------------------------------- helpers


def _lock(application: Application, user: User, *, edit: bool = True) -> Application:
    """The locked row, if `user` may act on it (owner, or a representative with an active
    authorisation). Callers are inside transaction.atomic()."""
    if not visible_to(user).filter(pk=application.pk).exists():
        raise PermissionDenied
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if edit and not locked.editable:
        raise ValidationError(
            _("This application has been submitted and can no longer be changed."),
            code="not_editable",
        )
    return locked


def _owner_only(application: Application, user: User) -> None:
    if application.owner_id != user.pk:
        raise PermissionDenied


@contextmanager
def _editing(
    application: Application, user: User, action: str, details: dict | None = None
) -> Iterator[Application]:
    with transaction.atomic():
        locked = _lock(application, user)
        yield locked
        locked.updated_at = timezone.now()
        locked.save(update_fields=["updated_at"])
        audit.record(user, f"application.{action}", locked, details or {})
    application.refresh_from_db()


def _required(data: dict, *names: str) -> None:
    missing = {n: _("This field is required.") for n in names if data.get(n) in (None, "")}
    if missing:
        raise ValidationError(missing)


def _country(value: str, field: str) -> str:
    value = (value or "").strip().upper()
    if len(value) != 2 or not value.isalpha() or not value.isascii():
        raise ValidationError({field: _("Choose a country.")})
    return value


# ---------------------------------------------------------------- creating


def create_application(user: User, *, legal_form: str = "") -> Application:
    """A new draft owned by `user`."""
    with transaction.atomic():
        application = Application.objects.create(owner=user)
        if legal_form:
            application.legal_form = _legal_form(legal_form)
            application.save(update_fields=["legal_form"])
        audit.record(user, "application.created", application, {"legal_form": legal_form})
    return application


def _legal_form(code: str) -> LegalForm:
    found = LegalForm.objects.filter(code=code).first()
    if found is None:
        raise ValidationError({"legal_form": _("Choose the legal form.")})
    return found


def choose_legal_form(application: Application, user: User, code: str) -> Application:
    form = _legal_form(code)
    with _editing(application, user, "legal_form_chosen", {"legal_form": code}) as app:
        app.legal_form = form
        app.save(update_fields=["legal_form"])
    return application


# ---------------------------------------------------------------- business


def save_names(application: Application, user: User, *, name_km: str, name_en: str = "") -> None:
    name_km, name_en = name_km.strip(), name_en.strip()
    found = naming.check_names(name_km, name_en)
    if found:
        raise ValidationError({p.field: p.message for p in found})
    with _editing(application, user, "names_saved") as app:
        app.name_km, app.name_en = name_km, name_en
        app.save(update_fields=["name_km", "name_en"])


def save_activities(
    application: Application,
    user: User,
    *,
    objectives: str,
    codes: list[str],
    main: str = "",
) -> None:
    objectives = objectives.strip()
    codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    errors: dict[str, str] = {}
    if not objectives:
        errors["objectives"] = _("Describe what the business will do.")
    if not codes:
        errors["activities"] = _("Choose at least one activity.")
    elif len(codes) > MAX_ACTIVITIES:
        errors["activities"] = _("Choose at most %(max)s activities.") % {"max": MAX_ACTIVITIES}
    known = activity_selectors.by_codes(codes)
    unknown = [c for c in codes if c not in known]
    if unknown and "activities" not in errors:
        errors["activities"] = _("These activity codes do not exist: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    if errors:
        raise ValidationError(errors)
    main = main if main in codes else codes[0]
    with _editing(application, user, "activities_saved", {"codes": codes}) as app:
        app.objectives = objectives
        app.save(update_fields=["objectives"])
        app.activities.all().delete()
        ApplicationActivity.objects.bulk_create(
            ApplicationActivity(application=app, activity=known[c], main=c == main) for c in codes
        )


def save_address(
    application: Application,
    user: User,
    *,
    village_code: str,
    street: str = "",
    house_number: str = "",
) -> None:
    """The address by village code; the province, district and commune follow from it."""
    from singleportal.geo import selectors as geo

    village = geo.place("village", village_code) if village_code else None
    if village is None:
        raise ValidationError({"village": _("Choose the village.")})
    codes = geo.ancestors_of("village", village_code)
    with _editing(application, user, "address_saved", {"village": village_code}) as app:
        app.province_code = codes.get("province", "")
        app.district_code = codes.get("district", "")
        app.commune_code = codes.get("commune", "")
        app.village_code = village_code
        app.street, app.house_number = street.strip(), house_number.strip()
        app.save()


def save_contact(application: Application, user: User, *, phone: str = "", email: str = "") -> None:
    phone, email = phone.strip(), email.strip()
    if not (phone or email):
        raise ValidationError({"phone": _("Enter a phone number or an email address.")})
    if phone:
        try:
            phone = normalize_identifier(phone).value
        except IdentifierError as exc:
            raise ValidationError({"phone": _("Enter a Cambodian phone number.")}) from exc
        if not phone.startswith("+"):
            raise ValidationError({"phone": _("Enter a Cambodian phone number.")})
    with _editing(application, user, "contact_saved") as app:
        app.phone, app.email = phone, email
        app.save(update_fields=["phone", "email"])


def save_capital(
    application: Application, user: User, *, capital_khr: int, share_count: int
) -> None:
    from singleportal.applications import rules

    form = application.legal_form
    if form is None:
        raise ValidationError({"capital_khr": _("Choose the legal form first.")})
    errors = {}
    if found := rules.minimum_capital(form, capital_khr):
        errors["capital_khr"] = found
    if found := rules.par_value(form, capital_khr, share_count):
        errors["share_count"] = found
    if errors:
        raise ValidationError(errors)
    with _editing(application, user, "capital_saved", {"capital_khr": capital_khr}) as app:
        app.capital_khr, app.share_count = capital_khr, share_count
        app.save(update_fields=["capital_khr", "share_count"])


def save_parent_company(
    application: Application,
    user: User,
    *,
    parent_name: str,
    parent_country: str,
    parent_registration_number: str = "",
) -> None:
    _required({"parent_name": parent_name.strip()}, "parent_name")
    country = _country(parent_country, "parent_country")
    with _editing(application, user, "parent_company_saved") as app:
        app.parent_name = parent_name.strip()
        app.parent_country = country
        app.parent_registration_number = parent_registration_number.strip()
        app.save()


# ---------------------------------------------------------------- people


def _party_roles(form: LegalForm | None) -> set[str]:
    if form is None:
        return set()
    roles: set[str] = set(MEMBER_ROLES[MemberKind(form.member_kind)])
    if form.member_kind == MemberKind.NONE:
        roles.add(PartyRole.BRANCH_MANAGER)
    elif form.min_directors or form.has_share_capital:
        roles.add(PartyRole.DIRECTOR)
    return roles


def allowed_party_roles(application: Application) -> list[str]:
    allowed = _party_roles(application.legal_form)
    return [r for r in PartyRole.values if r in allowed]


def _clean_person(data: dict[str, Any], *, shares: bool) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name_km = (data.get("name_km") or "").strip()
    name_en = (data.get("name_en") or "").strip()
    if not (name_km or name_en):
        errors["name_km"] = _("Enter the name in Khmer or in Latin letters.")
    if data.get("id_kind") not in IdKind.values:
        errors["id_kind"] = _("Choose the kind of document.")
    if not (data.get("id_number") or "").strip():
        errors["id_number"] = _("Enter the document number.")
    try:
        nationality = _country(data.get("nationality") or "", "nationality")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        nationality = ""
    if shares and data.get("shares") is not None and int(data["shares"]) <= 0:
        errors["shares"] = _("Enter a whole number of shares above zero.")
    if errors:
        raise ValidationError(errors)
    return {
        "name_km": name_km,
        "name_en": name_en,
        "nationality": nationality,
        "id_kind": data["id_kind"],
        "id_number": data["id_number"].strip(),
    }


def add_party(application: Application, user: User, **data: Any) -> Party:
    """Add an owner, partner, shareholder, director or manager allowed by the legal form."""
    role = data.get("role")
    if role not in _party_roles(application.legal_form):
        raise ValidationError({"role": _("Choose a role this legal form has.")})
    kind = data.get("kind") or PersonKind.NATURAL
    if kind not in PersonKind.values:
        raise ValidationError({"kind": _("Choose a person or a company.")})
    if kind == PersonKind.JURIDICAL and role in (
        PartyRole.DIRECTOR,
        PartyRole.BRANCH_MANAGER,
        PartyRole.OWNER,
    ):
        raise ValidationError({"kind": _("A director or manager must be a person.")})
    fields = _clean_person(data, shares=True)
    is_shareholder = role == PartyRole.SHAREHOLDER
    shares = data.get("shares") if is_shareholder else None
    if is_shareholder and not shares:
        raise ValidationError({"shares": _("Enter the number of shares this shareholder holds.")})
    with _editing(application, user, "party_added", {"role": role}) as app:
        if app.parties.count() >= MAX_PARTIES:
            raise ValidationError(_("This application has too many people."))
        position = (app.parties.aggregate(m=Max("position"))["m"] or 0) + 1
        party = Party.objects.create(
            application=app,
            role=role,
            kind=kind,
            shares=shares,
            date_of_birth=data.get("date_of_birth"),
            position=position,
            **fields,
        )
    return party


def remove_party(application: Application, user: User, party_id: int) -> None:
    with _editing(application, user, "party_removed", {"party": party_id}) as app:
        deleted, _rows = app.parties.filter(pk=party_id).delete()
        if not deleted:
            raise ValidationError(_("This person is not in the application."))


def add_beneficial_owner(application: Application, user: User, **data: Any) -> BeneficialOwner:
    fields = _clean_person(data, shares=False)
    percent = data.get("ownership_percent")
    if percent is None or not 0 < int(percent) <= 100:
        raise ValidationError({"ownership_percent": _("Enter a percentage from 1 to 100.")})
    with _editing(application, user, "beneficial_owner_added") as app:
        owner = BeneficialOwner.objects.create(
            application=app,
            ownership_percent=int(percent),
            control_description=(data.get("control_description") or "").strip(),
            **fields,
        )
    return owner


def remove_beneficial_owner(application: Application, user: User, owner_id: int) -> None:
    with _editing(application, user, "beneficial_owner_removed", {"id": owner_id}) as app:
        deleted, _rows = app.beneficial_owners.filter(pk=owner_id).delete()
        if not deleted:
            raise ValidationError(_("This beneficial owner is not in the application."))


def confirm_beneficial_owners(application: Application, user: User, *, confirmed: bool) -> None:
    with _editing(application, user, "beneficial_owners_confirmed") as app:
        app.no_other_beneficial_owners = confirmed
        app.save(update_fields=["no_other_beneficial_owners"])


# ---------------------------------------------------------------- agency sections


def _save_one_to_one(
    application: Application, user: User, model: Any, action: str, values: dict[str, Any]
) -> None:
    with _editing(application, user, action) as app:
        model.objects.update_or_create(application=app, defaults=values)


def save_employment(
    application: Application, user: User, *, khmer_staff: int, foreign_staff: int, **extra: Any
) -> None:
    values = {"khmer_staff": khmer_staff, "foreign_staff": foreign_staff, **extra}
    _save_one_to_one(application, user, EmploymentPlan, "employment_saved", values)


def save_tax(
    application: Application,
    user: User,
    *,
    expected_turnover_khr: int,
    vat_registration: bool,
    accounting_year_start_month: int = 1,
) -> None:
    if not 1 <= accounting_year_start_month <= 12:
        raise ValidationError({"accounting_year_start_month": _("Choose a month.")})
    values = {
        "expected_turnover_khr": expected_turnover_khr,
        "vat_registration": vat_registration,
        "accounting_year_start_month": accounting_year_start_month,
    }
    _save_one_to_one(application, user, TaxDetails, "tax_saved", values)


def save_incentives(
    application: Application,
    user: User,
    *,
    wanted: bool,
    investment_khr: int = 0,
    project_description: str = "",
) -> None:
    if wanted and not project_description.strip():
        raise ValidationError(
            {"project_description": _("Describe the investment project you want incentives for.")}
        )
    values = {
        "wanted": wanted,
        "investment_khr": investment_khr if wanted else 0,
        "project_description": project_description.strip() if wanted else "",
    }
    _save_one_to_one(application, user, IncentiveRequest, "incentives_saved", values)


def save_signboard(
    application: Application,
    user: User,
    *,
    text_km: str,
    text_en: str = "",
    width_cm: int,
    height_cm: int,
) -> None:
    if not text_km.strip():
        raise ValidationError({"text_km": _("Enter the signboard text in Khmer.")})
    values = {
        "text_km": text_km.strip(),
        "text_en": text_en.strip(),
        "width_cm": width_cm,
        "height_cm": height_cm,
    }
    _save_one_to_one(application, user, Signboard, "signboard_saved", values)


# ---------------------------------------------------------------- documents


def upload_document(
    application: Application, user: User, *, kind: str, file: IO[bytes], name: str, size: int
) -> Document:
    """Store an uploaded file under MEDIA_ROOT with a random name, once its content proves it
    is a PDF, JPEG or PNG within the size limit, and the scanner passes it."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose the document type.")})
    content_type = uploads.check_upload(file, size)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    with _editing(application, user, "document_uploaded", {"kind": kind}) as app:
        document = Document(
            application=app,
            kind=kind,
            original_name=uploads.safe_display_name(name),
            content_type=content_type,
            size=size,
            sha256=digest.hexdigest(),
            scan_status="clean",
            uploaded_by=user,
        )
        document.file.save("upload", File(file), save=False)
        try:
            document.save()
        except BaseException:
            document.file.delete(save=False)  # no orphan file when the row is not written
            raise
    return document


def remove_document(application: Application, user: User, document_id: int) -> None:
    with _editing(application, user, "document_removed", {"id": document_id}) as app:
        document = app.documents.filter(pk=document_id).first()
        if document is None:
            raise ValidationError(_("This document is not in the application."))
        name = document.file.name or ""
        document.delete()
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------- representatives


def authorise_representative(
    application: Application, owner: User, identifier: str
) -> Authorisation:
    """The owner lets the account with this email or phone number file on their behalf."""
    _owner_only(application, owner)
    try:
        found = normalize_identifier(identifier)
    except IdentifierError as exc:
        raise ValidationError({"identifier": exc.messages}) from exc
    lookup = {"email__iexact": found.value} if found.kind == "email" else {"phone": found.value}
    representative = User.objects.filter(is_active=True, **lookup).first()
    if representative is None:
        raise ValidationError(
            {
                "identifier": _(
                    "No account uses this email or phone number. Ask them to sign up first."
                )
            }
        )
    if representative.pk == owner.pk:
        raise ValidationError({"identifier": _("You already own this application.")})
    with transaction.atomic():
        app = _lock(application, owner, edit=False)
        existing = app.authorisations.filter(
            representative=representative, revoked_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        authorisation = Authorisation.objects.create(
            application=app, representative=representative, granted_by=owner
        )
        from singleportal.accounts.models import RoleAssignment

        RoleAssignment.objects.get_or_create(
            user=representative, role=Role.REPRESENTATIVE, agency=None
        )
        audit.record(
            owner,
            "application.representative_authorised",
            app,
            {"representative": representative.pk},
        )
    return authorisation


def revoke_representative(application: Application, owner: User, authorisation_id: int) -> None:
    """Ends the representative's access at once: every read and write checks it."""
    _owner_only(application, owner)
    with transaction.atomic():
        app = _lock(application, owner, edit=False)
        updated = app.authorisations.filter(pk=authorisation_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("This authorisation is not active."))
        audit.record(owner, "application.representative_revoked", app, {"id": authorisation_id})


# ---------------------------------------------------------------- submission


def next_reference(year: int) -> str:
    """The next SP-YYYY-NNNNNNN, gap-free: the counter row is locked until the submitting
    transaction ends, and a rolled-back submission gives its number back."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"SP-{year}-{counter.last:07d}"


def submit_application(
    application: Application,
    user: User,
    *,
    declared_by_name: str,
    idempotency_key: str = "",
) -> tuple[ApplicationVersion, bool]:
    """Validate everything, freeze a version, assign the reference, hand over.

    Returns (version, created). A repeat (double click, or a retried API request with the same
    Idempotency-Key) returns the version already frozen with created=False; a file already
    submitted under another key is refused.
    """
    idempotency_key = idempotency_key.strip()[:100]
    with transaction.atomic():
        app = _lock(application, user, edit=False)
        latest = app.versions.order_by("-number").first()
        if not app.editable:
            if latest is not None and (
                not idempotency_key or latest.idempotency_key == idempotency_key
            ):
                return latest, False
            raise AlreadySubmitted(_("This application has already been submitted."))
        if not declared_by_name.strip():
            raise ValidationError(
                {"declared_by_name": _("Type your full name to sign the declaration.")}
            )
        found = problems(app)
        if found:
            raise NotSubmittable(found)
        now = timezone.now()
        if app.reference is None:
            app.reference = next_reference(timezone.localdate(now).year)
        app.declared_by_name = declared_by_name.strip()
        app.declared_at = now
        app.submitted_at = now
        app.updated_at = now
        app.save()
        app.move_to(Status.SUBMITTED, by=user)
        frozen = json.loads(audit.canonical_json(snapshot.build(app)))
        version = ApplicationVersion.objects.create(
            application=app,
            number=(latest.number + 1) if latest else 1,
            snapshot=frozen,
            sha256=snapshot.digest(frozen),
            submitted_by=user,
            submitted_at=now,
            idempotency_key=idempotency_key,
        )
        audit.record(
            user,
            "application.submitted",
            app,
            {"reference": app.reference, "version": version.number, "sha256": version.sha256},
        )
        hooks.run_on_submitted(app, version)
    application.refresh_from_db()
    return version, True


def request_correction(application: Application, officer: User, *, reason: str) -> None:
    """An agency officer sends the file back; the applicant edits and submits a new version."""
    if not officer.has_any_role(Role.OFFICER):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say what must be corrected.")})
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        app.move_to(Status.CORRECTION_REQUESTED, by=officer, reason=reason.strip())
        audit.record(officer, "application.correction_requested", app, {"reason": reason})
    application.refresh_from_db()


def withdraw_application(application: Application, user: User) -> None:
    _owner_only(application, user)
    with transaction.atomic():
        app = _lock(application, user, edit=False)
        app.move_to(Status.WITHDRAWN, by=user)
        audit.record(user, "application.withdrawn", app)
    application.refresh_from_db()
