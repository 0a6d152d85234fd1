"""The people on the file: owners, partners, shareholders, directors or the branch manager, and
the beneficial owners."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from singleportal.accounts.models import User
from singleportal.applications.actions.common import country_code, editing
from singleportal.applications.models import (
    MEMBER_ROLES,
    Application,
    BeneficialOwner,
    IdKind,
    LegalForm,
    MemberKind,
    Party,
    PartyRole,
    PersonKind,
)

MAX_PARTIES = 60


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
        nationality = country_code(data.get("nationality") or "", "nationality")
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
    with editing(application, user, "party_added", {"role": role}, section="people") as app:
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
    with editing(application, user, "party_removed", {"party": party_id}, section="people") as app:
        deleted, _rows = app.parties.filter(pk=party_id).delete()
        if not deleted:
            raise ValidationError(_("This person is not in the application."))


def add_beneficial_owner(application: Application, user: User, **data: Any) -> BeneficialOwner:
    fields = _clean_person(data, shares=False)
    percent = data.get("ownership_percent")
    if percent is None or not 0 < int(percent) <= 100:
        raise ValidationError({"ownership_percent": _("Enter a percentage from 1 to 100.")})
    with editing(application, user, "beneficial_owner_added", section="owners") as app:
        owner = BeneficialOwner.objects.create(
            application=app,
            ownership_percent=int(percent),
            control_description=(data.get("control_description") or "").strip(),
            **fields,
        )
    return owner


def remove_beneficial_owner(application: Application, user: User, owner_id: int) -> None:
    with editing(
        application, user, "beneficial_owner_removed", {"id": owner_id}, section="owners"
    ) as app:
        deleted, _rows = app.beneficial_owners.filter(pk=owner_id).delete()
        if not deleted:
            raise ValidationError(_("This beneficial owner is not in the application."))


def confirm_beneficial_owners(application: Application, user: User, *, confirmed: bool) -> None:
    with editing(application, user, "beneficial_owners_confirmed", section="owners") as app:
        app.no_other_beneficial_owners = confirmed
        app.save(update_fields=["no_other_beneficial_owners"])
