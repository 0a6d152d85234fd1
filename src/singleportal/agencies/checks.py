"""The checks straight-through rules can use: each looks at the frozen version of a file.

A StraightThroughRule row names a check by its key in CHECKS and may give it a parameter (a
threshold). A check returns None when it holds, or a translated sentence saying why not, which
the officer then sees on the task.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from singleportal.activities.models import Activity
from singleportal.applications import hooks, naming, rules
from singleportal.applications.models import Application, LegalForm
from singleportal.names.checking import SIMILAR, check_name
from singleportal.names.normalization import KHMER, LATIN


@dataclass(frozen=True)
class Facts:
    application: Application
    snapshot: dict[str, Any]
    legal_form: LegalForm


Check = Callable[[Facts, int | None], str | None]


def _name_free(facts: Facts, parameter: int | None) -> str | None:
    business = facts.snapshot["business"]
    found = naming.check_names(
        business["name_km"], business["name_en"], user=facts.application.owner
    )
    return " ".join(p.message for p in found) or None


def _no_close_name(facts: Facts, parameter: int | None) -> str | None:
    """No registered name at least `parameter` per cent alike (the examiner looks then)."""
    limit = (parameter or 80) / 100
    business = facts.snapshot["business"]
    for field, script in (("name_km", KHMER), ("name_en", LATIN)):
        if not business[field]:
            continue
        for conflict in check_name(business[field], script).conflicts:
            if conflict.kind == SIMILAR and conflict.score >= limit:
                return conflict.explanation
    return None


def _capital_rules(facts: Facts, parameter: int | None) -> str | None:
    capital = facts.snapshot["capital"]
    found = rules.minimum_capital(facts.legal_form, capital["capital_khr"]) + rules.par_value(
        facts.legal_form, capital["capital_khr"], capital["share_count"]
    )
    return " ".join(found) or None


def _no_licensed_activity(facts: Facts, parameter: int | None) -> str | None:
    codes = [a["code"] for a in facts.snapshot["business"]["activities"]]
    licensed = Activity.objects.filter(code__in=codes, needs_licence=True).order_by("code")
    names = [f"{a.code} {a.name}" for a in licensed]
    if names:
        return _("These activities need a licence: %(activities)s.") % {
            "activities": "; ".join(names)
        }
    return None


def _ids_present(facts: Facts, parameter: int | None) -> str | None:
    people = facts.snapshot["parties"] + facts.snapshot["beneficial_owners"]
    if any(not p["id_number"].strip() for p in people):
        return _("A person in the file has no identity document number.")
    if not any(d["kind"] == "identity" for d in facts.snapshot["documents"]):
        return _("No identity document is attached.")
    return None


def _below_vat_threshold(facts: Facts, parameter: int | None) -> str | None:
    tax = facts.snapshot["tax"] or {}
    if tax.get("vat_registration"):
        return _("The applicant asks for VAT registration.")
    turnover = tax.get("expected_turnover_khr") or 0
    if parameter is not None and turnover >= parameter:
        return _("Expected turnover of %(turnover)s KHR reaches the VAT threshold.") % {
            "turnover": f"{turnover:,}"
        }
    return None


def _staff_below(facts: Facts, parameter: int | None) -> str | None:
    staff = facts.snapshot["employment"] or {}
    total = (staff.get("khmer_staff") or 0) + (staff.get("foreign_staff") or 0)
    if parameter is not None and total >= parameter:
        return _("%(count)s staff planned: an officer reviews files with %(limit)s or more.") % {
            "count": total,
            "limit": parameter,
        }
    return None


def _no_foreign_staff(facts: Facts, parameter: int | None) -> str | None:
    staff = facts.snapshot["employment"] or {}
    if staff.get("foreign_staff"):
        return _("Foreign staff are planned: work permits are reviewed by an officer.")
    return None


def _signboard_within(facts: Facts, parameter: int | None) -> str | None:
    """A signboard of at most `parameter` square centimetres."""
    board = facts.snapshot["signboard"]
    if board is None:
        return _("No signboard is described.")
    area = board["width_cm"] * board["height_cm"]
    if parameter is not None and area > parameter:
        return _("The signboard is larger than the commune approves without a visit.")
    return None


def _address_complete(facts: Facts, parameter: int | None) -> str | None:
    address = facts.snapshot["business"]["address"]
    if not (address["village"] and (address["street"] or address["house_number"])):
        return _("The address has no street or house number.")
    return None


def _fee_settled(facts: Facts, parameter: int | None) -> str | None:
    if hooks.fee_outstanding(facts.application):
        return _("The fee has not been paid.")
    return None


CHECKS: dict[str, Check] = {
    "name_free": _name_free,
    "no_close_name": _no_close_name,
    "capital_rules": _capital_rules,
    "no_licensed_activity": _no_licensed_activity,
    "ids_present": _ids_present,
    "below_vat_threshold": _below_vat_threshold,
    "staff_below": _staff_below,
    "no_foreign_staff": _no_foreign_staff,
    "signboard_within": _signboard_within,
    "address_complete": _address_complete,
    "fee_settled": _fee_settled,
}
