"""Everything an application must satisfy before it is submitted, as a list of problems, each
naming the wizard step (and field) to fix. Drafts may be incomplete; submission may not."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from singleportal.applications import naming, rules
from singleportal.applications.models import (
    MEMBER_ROLES,
    Application,
    MemberKind,
    PartyRole,
    PersonKind,
    Status,
)

OWNERSHIP_THRESHOLD_PERCENT = 25


@dataclass(frozen=True)
class Problem:
    step: str
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"step": self.step, "field": self.field, "message": self.message}


def suggested_beneficial_owners(app: Application) -> list[str]:
    """Names of natural-person members holding >= 25 % of the shares (or, in a partnership, an
    equal share of >= 25 %) who are not yet listed as beneficial owners: hints for the page."""
    form = app.legal_form
    if form is None:
        return []
    parties = list(app.parties.all())
    members = [p for p in parties if p.role in MEMBER_ROLES[MemberKind(form.member_kind)]]
    listed = {b.id_number.strip().upper() for b in app.beneficial_owners.all()}
    total = sum(p.shares or 0 for p in members)
    hints = []
    for member in members:
        if member.kind != PersonKind.NATURAL:
            continue
        percent = 100 * (member.shares or 0) / total if total else 100 / len(members)
        if (
            percent >= OWNERSHIP_THRESHOLD_PERCENT
            and member.id_number.strip().upper() not in listed
        ):
            hints.append(member.name_km or member.name_en)
    return hints


def problems(app: Application) -> list[Problem]:
    found: list[Problem] = []

    def add(step: str, field: str, messages: list[str]) -> None:
        found.extend(Problem(step, field, m) for m in messages)

    form = app.legal_form
    if form is None:
        add("form", "legal_form", [_("Choose the legal form.")])
        return found
    # A file sent back for correction with its names closed keeps the names the agencies
    # accepted: once MOC has approved, they are on the register as this very business, which
    # the check would count as a conflict the applicant could not fix.
    if app.status != Status.CORRECTION_REQUESTED or app.open_for("names"):
        for problem in naming.check_names(app.name_km, app.name_en, user=app.owner):
            add("names", problem.field, [problem.message])
    if not app.objectives.strip():
        add("activities", "objectives", [_("Describe what the business will do.")])
    if not app.activities.exists():
        add("activities", "activities", [_("Choose at least one activity.")])
    if not app.village_code:
        add("address", "province", [_("Choose the address of the business.")])
    if not (app.phone or app.email):
        add("contact", "phone", [_("Enter a phone number or an email address.")])

    parties = list(app.parties.all())
    documents = list(app.documents.values_list("kind", flat=True))
    member_roles = MEMBER_ROLES[MemberKind(form.member_kind)]
    members = [p for p in parties if p.role in member_roles]
    directors = [p for p in parties if p.role in (PartyRole.DIRECTOR, PartyRole.BRANCH_MANAGER)]
    add("capital", "capital_khr", rules.minimum_capital(form, app.capital_khr))
    add("capital", "share_count", rules.par_value(form, app.capital_khr, app.share_count))
    add("parent", "parent_name", rules.parent_company_name(form, app.parent_name))
    add("people", "members", rules.member_count(form, len(members)))
    add("people", "members", rules.members_natural(form, [p.kind for p in members]))
    add("people", "members", rules.partner_kinds(form, [p.role for p in members]))
    add(
        "people", "members", rules.shares_add_up(form, app.share_count, [p.shares for p in members])
    )
    add("people", "directors", rules.director_count(form, len(directors)))
    foreign = {
        p.role
        for p in parties
        if p.role not in member_roles | {PartyRole.DIRECTOR, PartyRole.BRANCH_MANAGER}
    }
    if foreign:
        add("people", "members", [_("Some people have a role this legal form does not have.")])

    if not app.beneficial_owners.exists():
        add("owners", "beneficial_owners", [_("Add at least one beneficial owner.")])
    for name in suggested_beneficial_owners(app):
        add(
            "owners",
            "beneficial_owners",
            [_("%(name)s holds 25%% or more: add them as a beneficial owner.") % {"name": name}],
        )
    if not app.no_other_beneficial_owners:
        add(
            "owners",
            "no_other_beneficial_owners",
            [_("Confirm there are no other beneficial owners.")],
        )

    if not hasattr(app, "employment"):
        add("employees", "khmer_staff", [_("Say how many staff you plan to employ.")])
    if not hasattr(app, "tax"):
        add("tax", "expected_turnover_khr", [_("Enter the expected yearly turnover.")])
    if not hasattr(app, "signboard"):
        add("signboard", "text_km", [_("Describe the signboard.")])

    if "identity" not in documents:
        add("documents", "kind", [_("Upload an identity card or passport.")])
    if "lease" not in documents:
        add("documents", "kind", [_("Upload the lease or proof of address.")])
    add("documents", "kind", rules.articles(form, documents))
    add("documents", "kind", rules.parent_company_documents(form, documents))
    return found
