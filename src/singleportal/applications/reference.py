"""The eight legal forms and their rules: defaults seeded by migration 0002, edited by the
operator. Figures from the Law on Commercial Enterprises (2005) and REFERENCE.md; where the law
leaves a number to practice (public company capital and board size) the value is a default."""

from typing import Any

BASE_AGENCIES = ["MOC", "GDT", "MLVT", "MOI"]  # CDC joins when incentives are asked for
COMPANY_CAPITAL = {
    "has_share_capital": True,
    "min_capital_khr": 4_000_000,
    "min_par_value_khr": 4_000,
}

LEGAL_FORMS: list[dict[str, Any]] = [
    {
        "code": "sole_proprietorship",
        "name_km": "សហគ្រាសឯកបុគ្គល",
        "name_en": "Sole proprietorship",
        "member_kind": "owner",
        "min_members": 1,
        "max_members": 1,
        "members_natural_only": True,
    },
    {
        "code": "general_partnership",
        "name_km": "ក្រុមហ៊ុនសហកម្មសិទ្ធិទូទៅ",
        "name_en": "General partnership",
        "member_kind": "partner",
        "min_members": 2,
        "articles_required": True,
    },
    {
        "code": "limited_partnership",
        "name_km": "ក្រុមហ៊ុនសហកម្មសិទ្ធិមានកម្រិត",
        "name_en": "Limited partnership",
        "member_kind": "partner",
        "min_members": 2,
        "needs_general_and_limited_partners": True,
        "articles_required": True,
    },
    {
        "code": "private_limited_company",
        "name_km": "ក្រុមហ៊ុនឯកជនទទួលខុសត្រូវមានកម្រិត",
        "name_en": "Private limited company",
        "member_kind": "shareholder",
        "min_members": 2,
        "max_members": 30,
        **COMPANY_CAPITAL,
        "min_directors": 1,
        "articles_required": True,
    },
    {
        "code": "single_member_private_limited_company",
        "name_km": "ក្រុមហ៊ុនឯកជនទទួលខុសត្រូវមានកម្រិតមានសមាជិកតែម្នាក់",
        "name_en": "Single-member private limited company",
        "member_kind": "shareholder",
        "min_members": 1,
        "max_members": 1,
        **COMPANY_CAPITAL,
        "min_directors": 1,
        "articles_required": True,
    },
    {
        "code": "public_limited_company",
        "name_km": "ក្រុមហ៊ុនមហាជនទទួលខុសត្រូវមានកម្រិត",
        "name_en": "Public limited company",
        "member_kind": "shareholder",
        "min_members": 2,
        **COMPANY_CAPITAL,
        "min_directors": 3,  # a board of directors; default, operator-editable
        "articles_required": True,
    },
    {
        "code": "branch_of_foreign_company",
        "name_km": "សាខាក្រុមហ៊ុនបរទេស",
        "name_en": "Branch of a foreign company",
        "member_kind": "none",
        "min_directors": 1,  # the branch manager
        "max_directors": 1,
        "parent_company_required": True,
    },
    {
        "code": "representative_office",
        "name_km": "ការិយាល័យតំណាង",
        "name_en": "Representative office of a foreign company",
        "member_kind": "none",
        "min_directors": 1,  # the office's representative
        "max_directors": 1,
        "parent_company_required": True,
        "commercial_sales_allowed": False,
    },
]


def seed_legal_forms(legal_form_model: Any) -> None:
    """Idempotent; takes the model so that a migration can pass its historical one."""
    for position, row in enumerate(LEGAL_FORMS, start=1):
        defaults = {k: v for k, v in row.items() if k != "code"}
        legal_form_model.objects.update_or_create(
            code=row["code"], defaults={**defaults, "position": position, "agencies": BASE_AGENCIES}
        )
