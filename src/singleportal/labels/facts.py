"""What a run's labels state, taken from the catalogue when the run is issued.

The facts are a plain dictionary (stored in LabelRun.facts, digested into every label's signed
claims, shown on the scan page and sent by the API). Names come in both languages; materials
and mark kinds as codes, translated when shown.

    {"kind", "quantity", "batch_reference", "made_on",
     "product": {"slug", "title_km", "title_en", "technique_km", "technique_en", "materials"},
     "maker": {"profile", "name_km", "name_en", "registration_number" (None: not registered),
               "made_by", "maker_km", "maker_en"},
     "origin": {"village", "village_km", "village_en", "commune_km", "commune_en",
                "district_km", "district_en", "province_km", "province_en"} or None,
     "marks": [{"kind", "issuer", "number", "valid_until"}]}

The origin is the product's village, or the profile's when the product names none. Marks are
those programme staff verified and that are valid on the day of issue. The maker's own name
(a member group, or an artisan who agreed to be named) is in "maker_km"/"maker_en".
"""

import datetime
from typing import Any

from singleportal.catalog.models import Product
from singleportal.catalog.vocabulary import MakerKind, MarkStatus
from singleportal.geo.models import Village


def _origin(village: Village | None) -> dict[str, Any] | None:
    if village is None:
        return None
    commune = village.commune
    district = commune.district
    province = district.province
    return {
        "village": village.code,
        "village_km": village.name_km,
        "village_en": village.name_en,
        "commune_km": commune.name_km,
        "commune_en": commune.name_en,
        "district_km": district.name_km,
        "district_en": district.name_en,
        "province_km": province.name_km,
        "province_en": province.name_en,
    }


def facts_of(
    product: Product, *, kind: str, quantity: int, batch_reference: str, made_on: datetime.date
) -> dict[str, Any]:
    profile = product.profile
    business = profile.business
    # A member group is named; an artisan only with their consent (catalog enforces it too).
    named = product.maker_kind == MakerKind.MEMBER_GROUP or (
        product.maker_kind == MakerKind.ARTISAN and product.artisan_consent
    )
    village = product.origin_village or profile.village
    if village is not None:
        village = Village.objects.select_related("commune__district__province").get(pk=village.pk)
    marks = [
        {
            "kind": mark.kind,
            "issuer": mark.issuer,
            "number": mark.number,
            "valid_until": mark.valid_until.isoformat() if mark.valid_until else None,
        }
        for mark in product.marks.filter(status=MarkStatus.VERIFIED).order_by("kind", "pk")
        if mark.in_validity()
    ]
    return {
        "kind": kind,
        "quantity": quantity,
        "batch_reference": batch_reference,
        "made_on": made_on.isoformat(),
        "product": {
            "slug": product.slug,
            "title_km": product.title_km,
            "title_en": product.title_en,
            "technique_km": product.technique_km,
            "technique_en": product.technique_en,
            "materials": list(
                product.material_rows.order_by("position", "pk").values_list("material", flat=True)
            ),
        },
        "maker": {
            "profile": profile.slug,
            "name_km": profile.name_km,
            "name_en": profile.name_en,
            "registration_number": business.registration_number if business else None,
            "made_by": product.maker_kind,
            "maker_km": product.maker_name_km if named else "",
            "maker_en": product.maker_name_en if named else "",
        },
        "origin": _origin(village),
        "marks": marks,
    }
