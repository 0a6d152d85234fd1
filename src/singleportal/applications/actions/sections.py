"""The agency sections: staff (MLVT), tax (GDT), investment incentives (CDC), signboard (MOI)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from singleportal.accounts.models import User
from singleportal.applications.actions.common import editing
from singleportal.applications.models import (
    Application,
    EmploymentPlan,
    IncentiveRequest,
    Signboard,
    TaxDetails,
)


def _save_one_to_one(
    application: Application,
    user: User,
    model: Any,
    action: str,
    values: dict[str, Any],
    *,
    section: str,
) -> None:
    with editing(application, user, action, section=section) as app:
        model.objects.update_or_create(application=app, defaults=values)


def save_employment(
    application: Application, user: User, *, khmer_staff: int, foreign_staff: int, **extra: Any
) -> None:
    values = {"khmer_staff": khmer_staff, "foreign_staff": foreign_staff, **extra}
    _save_one_to_one(
        application, user, EmploymentPlan, "employment_saved", values, section="employees"
    )


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
    _save_one_to_one(application, user, TaxDetails, "tax_saved", values, section="tax")


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
    _save_one_to_one(
        application, user, IncentiveRequest, "incentives_saved", values, section="incentives"
    )


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
    _save_one_to_one(application, user, Signboard, "signboard_saved", values, section="signboard")
