"""Starting an application and the business itself: legal form, names, activities, address,
contact, capital and the foreign parent company."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from singleportal.accounts.identifiers import IdentifierError, normalize_identifier
from singleportal.accounts.models import User
from singleportal.activities import selectors as activity_selectors
from singleportal.applications import naming
from singleportal.applications.actions.common import country_code, editing, require
from singleportal.applications.models import Application, ApplicationActivity, LegalForm
from singleportal.audit import chain as audit

MAX_ACTIVITIES = 10


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
    with editing(
        application, user, "legal_form_chosen", {"legal_form": code}, section="form"
    ) as app:
        app.legal_form = form
        app.save(update_fields=["legal_form"])
    return application


def save_names(application: Application, user: User, *, name_km: str, name_en: str = "") -> None:
    """The names must pass the names app's check; a representative files under the owner's
    name, so the owner's reservations are the ones that count."""
    name_km, name_en = name_km.strip(), name_en.strip()
    found = naming.check_names(name_km, name_en, user=application.owner)
    if found:
        raise ValidationError({p.field: p.message for p in found})
    with editing(application, user, "names_saved", section="names") as app:
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
    # A division already on the file (chosen before classes were loaded) may stay; anything new
    # must be a class, the most specific level.
    kept = application.activities.values_list("activity__code", flat=True)
    known = activity_selectors.by_codes(codes, keep=kept)
    unknown = [c for c in codes if c not in known]
    if unknown and "activities" not in errors:
        broad = activity_selectors.existing_codes(unknown)
        if len(broad) < len(unknown):
            errors["activities"] = _("These activity codes do not exist: %(codes)s.") % {
                "codes": ", ".join(c for c in unknown if c not in broad)
            }
        else:
            errors["activities"] = _(
                "Choose a more specific activity, with a four-digit code, instead of %(codes)s."
            ) % {"codes": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    main = main if main in codes else codes[0]
    with editing(
        application, user, "activities_saved", {"codes": codes}, section="activities"
    ) as app:
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
    with editing(
        application, user, "address_saved", {"village": village_code}, section="address"
    ) as app:
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
    with editing(application, user, "contact_saved", section="contact") as app:
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
    with editing(
        application, user, "capital_saved", {"capital_khr": capital_khr}, section="capital"
    ) as app:
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
    require({"parent_name": parent_name.strip()}, "parent_name")
    country = country_code(parent_country, "parent_country")
    with editing(application, user, "parent_company_saved", section="parent") as app:
        app.parent_name = parent_name.strip()
        app.parent_country = country
        app.parent_registration_number = parent_registration_number.strip()
        app.save()
