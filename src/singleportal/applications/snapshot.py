"""The canonical JSON of an application, frozen at submission, and the diff of two versions."""

import hashlib
from typing import Any

from singleportal.applications.models import Application
from singleportal.audit.chain import canonical_json

SCHEMA = 1


def _one_to_one(app: Application, name: str, fields: list[str]) -> dict[str, Any] | None:
    obj = getattr(app, name, None)
    return {f: getattr(obj, f) for f in fields} if obj is not None else None


def build(app: Application) -> dict[str, Any]:
    assert app.legal_form is not None
    return {
        "schema": SCHEMA,
        "reference": app.reference,
        "legal_form": app.legal_form.code,
        "owner_id": app.owner_id,
        "business": {
            "name_km": app.name_km,
            "name_en": app.name_en,
            "objectives": app.objectives,
            "activities": [
                {"code": a.activity.code, "main": a.main}
                for a in app.activities.select_related("activity")
            ],
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
        },
        "capital": {"capital_khr": app.capital_khr, "share_count": app.share_count},
        "parent_company": {
            "name": app.parent_name,
            "country": app.parent_country,
            "registration_number": app.parent_registration_number,
        },
        "parties": [
            {
                "role": p.role,
                "kind": p.kind,
                "name_km": p.name_km,
                "name_en": p.name_en,
                "nationality": p.nationality,
                "id_kind": p.id_kind,
                "id_number": p.id_number,
                "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else None,
                "shares": p.shares,
            }
            for p in app.parties.all()
        ],
        "beneficial_owners": [
            {
                "name_km": b.name_km,
                "name_en": b.name_en,
                "nationality": b.nationality,
                "id_kind": b.id_kind,
                "id_number": b.id_number,
                "ownership_percent": b.ownership_percent,
                "control_description": b.control_description,
            }
            for b in app.beneficial_owners.all()
        ],
        "employment": _one_to_one(app, "employment", ["khmer_staff", "foreign_staff"]),
        "tax": _one_to_one(
            app,
            "tax",
            ["expected_turnover_khr", "vat_registration", "accounting_year_start_month"],
        ),
        "incentives": _one_to_one(
            app, "incentives", ["wanted", "investment_khr", "project_description"]
        ),
        "signboard": _one_to_one(app, "signboard", ["text_km", "text_en", "width_cm", "height_cm"]),
        "documents": [
            {
                "kind": d.kind,
                "name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
            }
            for d in app.documents.all()
        ],
        "declaration": {
            "no_other_beneficial_owners": app.no_other_beneficial_owners,
            "signed_by": app.declared_by_name,
        },
    }


def digest(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def diff(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """Paths whose values differ between two snapshots, with both values."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes = []
        for key in sorted(set(old) | set(new)):
            changes += diff(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        return changes
    if old != new:
        return [{"path": path, "old": old, "new": new}]
    return []
