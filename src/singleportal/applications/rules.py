"""One validator per legal-form rule. Each takes the form's row and the facts it needs and
returns the problems as translated messages (empty when the rule holds)."""

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from singleportal.applications.models import LegalForm, MemberKind, PartyRole, PersonKind


def _khr(amount: int) -> str:
    return f"{amount:,} KHR"


def member_count(form: LegalForm, count: int) -> list[str]:
    noun = {
        MemberKind.OWNER: _("owner"),
        MemberKind.PARTNER: _("partners"),
        MemberKind.SHAREHOLDER: _("shareholders"),
    }.get(MemberKind(form.member_kind))
    if noun is None:
        return []
    if count < form.min_members:
        return [
            ngettext(
                "A %(form)s needs at least %(min)s %(noun)s; you added %(count)s.",
                "A %(form)s needs at least %(min)s %(noun)s; you added %(count)s.",
                form.min_members,
            )
            % {"form": form.name, "min": form.min_members, "noun": noun, "count": count}
        ]
    if form.max_members is not None and count > form.max_members:
        return [
            _("A %(form)s may have at most %(max)s %(noun)s; you added %(count)s.")
            % {"form": form.name, "max": form.max_members, "noun": noun, "count": count}
        ]
    return []


def members_natural(form: LegalForm, kinds: Sequence[str]) -> list[str]:
    if form.members_natural_only and any(k != PersonKind.NATURAL for k in kinds):
        return [_("The owner of a %(form)s must be a person.") % {"form": form.name}]
    return []


def partner_kinds(form: LegalForm, roles: Sequence[str]) -> list[str]:
    if not form.needs_general_and_limited_partners:
        return []
    if PartyRole.GENERAL_PARTNER in roles and PartyRole.LIMITED_PARTNER in roles:
        return []
    return [_("A limited partnership needs at least one general and one limited partner.")]


def minimum_capital(form: LegalForm, capital_khr: int | None) -> list[str]:
    if not form.has_share_capital:
        return []
    if capital_khr is None:
        return [_("Enter the capital in riel.")]
    if capital_khr < form.min_capital_khr:
        return [_("The capital must be at least %(min)s.") % {"min": _khr(form.min_capital_khr)}]
    return []


def par_value(form: LegalForm, capital_khr: int | None, share_count: int | None) -> list[str]:
    if not form.has_share_capital or capital_khr is None:
        return []
    if not share_count:
        return [_("Enter the number of shares.")]
    if capital_khr % share_count:
        return [_("The capital must divide into shares of whole riel.")]
    if capital_khr // share_count < form.min_par_value_khr:
        return [
            _("Each share must be worth at least %(min)s; yours are worth %(value)s.")
            % {"min": _khr(form.min_par_value_khr), "value": _khr(capital_khr // share_count)}
        ]
    return []


def shares_add_up(
    form: LegalForm, share_count: int | None, held: Sequence[int | None]
) -> list[str]:
    if not form.has_share_capital or not share_count:
        return []
    if any(not h for h in held):
        return [_("Enter the number of shares each shareholder holds.")]
    total = sum(h or 0 for h in held)
    if total != share_count:
        return [
            _("The shareholders hold %(held)s shares in all, but the company has %(total)s.")
            % {"held": f"{total:,}", "total": f"{share_count:,}"}
        ]
    return []


def director_count(form: LegalForm, count: int) -> list[str]:
    if count < form.min_directors:
        if form.member_kind == MemberKind.NONE:
            return [_("Add the person who will manage the office in Cambodia.")]
        return [
            ngettext(
                "A %(form)s needs at least %(min)s director.",
                "A %(form)s needs at least %(min)s directors.",
                form.min_directors,
            )
            % {"form": form.name, "min": form.min_directors}
        ]
    if form.max_directors is not None and count > form.max_directors:
        return [
            _("A %(form)s may have at most %(max)s managers or directors.")
            % {"form": form.name, "max": form.max_directors}
        ]
    return []


def articles(form: LegalForm, document_kinds: Sequence[str]) -> list[str]:
    if form.articles_required and "articles" not in document_kinds:
        return [_("Upload the articles of incorporation or the partnership agreement.")]
    return []


def parent_company_name(form: LegalForm, parent_name: str) -> list[str]:
    if form.parent_company_required and not parent_name.strip():
        return [_("Enter the name of the foreign parent company.")]
    return []


def parent_company_documents(form: LegalForm, document_kinds: Sequence[str]) -> list[str]:
    if form.parent_company_required and "parent_company" not in document_kinds:
        return [_("Upload the parent company's registration and articles.")]
    return []
