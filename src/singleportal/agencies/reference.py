"""The six agencies: reference data seeded by a migration (and again after a test flush)."""

from typing import Any

AGENCIES = [
    ("MOC", "ក្រសួងពាណិជ្ជកម្ម", "Ministry of Commerce"),
    ("GDT", "អគ្គនាយកដ្ឋានពន្ធដារ", "General Department of Taxation"),
    ("MLVT", "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ", "Ministry of Labour and Vocational Training"),
    ("CDC", "ក្រុមប្រឹក្សាអភិវឌ្ឍន៍កម្ពុជា", "Council for the Development of Cambodia"),
    ("MOI", "ក្រសួងមហាផ្ទៃ", "Ministry of Interior"),
    ("MEF", "ក្រសួងសេដ្ឋកិច្ច និងហិរញ្ញវត្ថុ", "Ministry of Economy and Finance"),
]


def seed_agencies(agency_model: Any) -> None:
    """Idempotent; takes the model so that a migration can pass its historical one."""
    for code, name_km, name_en in AGENCIES:
        agency_model.objects.update_or_create(
            code=code, defaults={"name_km": name_km, "name_en": name_en}
        )
