"""Demo register for `singleportal demo`: a few hundred handicraft, trading and construction
businesses with Khmer and English names, so that name checks have something to find.
Idempotent (upsert on registration number). The forbidden/restricted word list and the rules
come with migration 0002."""

import random
from datetime import date, timedelta

from singleportal.names.rules import current_rules
from singleportal.registry import importing

DISTINCTIVE = [
    ("អង្គរ", "Angkor"), ("មេគង្គ", "Mekong"), ("បាយ័ន", "Bayon"), ("ទន្លេសាប", "Tonle Sap"),
    ("ស៊ីលក៍", "Silk"), ("ផ្កាឈូក", "Lotus"), ("កំពត", "Kampot"), ("សៀមរាប", "Siem Reap"),
    ("បាត់ដំបង", "Battambang"), ("ក្រចេះ", "Kratie"), ("ត្បូង", "Gem"), ("មាស", "Golden"),
    ("ប្រាក់", "Silver"), ("ក្រមា", "Krama"), ("ចម្លាក់", "Carving"), ("ត្នោត", "Palm"),
    ("ម្រេច", "Pepper"), ("ឫស្សី", "Bamboo"), ("រតនៈ", "Ratana"), ("សុខា", "Sokha"),
    ("ពន្លឺ", "Light"), ("ដំរី", "Elephant"), ("តោ", "Lion"), ("ផ្កាយ", "Star"),
    ("ខ្មែរ", "Khmer"), ("ភ្នំ", "Phnom"), ("ឧដុង្គ", "Oudong"), ("កោះកុង", "Koh Kong"),
    ("មង្គល", "Mongkol"), ("ជ័យ", "Chey"), ("ថ្មី", "Thmey"), ("សាមគ្គី", "Samaki"),
    ("វឌ្ឍនៈ", "Vathanak"), ("សិរី", "Serey"), ("ចន្ទ", "Chan"), ("មហានគរ", "Mohanokor"),
    ("អប្សរា", "Apsara"), ("នាគ", "Naga"), ("គ្រុឌ", "Garuda"), ("ស្រមោល", "Shadow"),
]  # fmt: skip
DESCRIPTIVE = [
    ("សិប្បកម្ម", "Handicraft"), ("ពាណិជ្ជកម្ម", "Trading"), ("សំណង់", "Construction"),
    ("សេវាកម្ម", "Services"), ("ផលិតកម្ម", "Manufacturing"), ("នាំចេញ នាំចូល", "Import Export"),
    ("ទេសចរណ៍", "Travel"), ("", ""),
]  # fmt: skip
# (legal form code, Khmer prefix, Khmer suffix, English suffix)
FORMS = [
    ("private_limited_company", "ក្រុមហ៊ុន", "ឯ.ក", "Co., Ltd."),
    ("single_member_private_limited_company", "ក្រុមហ៊ុន", "ឯ.ក", "SMC Co., Ltd."),
    ("sole_proprietorship", "សហគ្រាស", "", "Enterprise"),
    ("public_limited_company", "ក្រុមហ៊ុន", "ម.ក", "PLC"),
    ("general_partnership", "ក្រុមហ៊ុន", "សហកម្មសិទ្ធិ", "Partnership"),
]
FIXED = [
    ("ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក", "Angkor Silk Co., Ltd.", "private_limited_company"),
    ("សហគ្រាស ក្រមា កំពត", "Kampot Krama Enterprise", "sole_proprietorship"),
    ("ក្រុមហ៊ុន សំណង់ មេគង្គ ឯ.ក", "Mekong Construction Co., Ltd.", "private_limited_company"),
    ("ក្រុមហ៊ុន ពាណិជ្ជកម្ម បាយ័ន ឯ.ក", "Bayon Trading Co., Ltd.", "private_limited_company"),
    ("ក្រុមហ៊ុន ប្រាក់ ចម្លាក់ ខ្មែរ ឯ.ក", "Khmer Silver Carving Co., Ltd.",
     "single_member_private_limited_company"),
]  # fmt: skip
STATUSES = ["active"] * 18 + ["suspended", "dissolved"]


def demo_rows(count: int = 300, seed: int = 4) -> list[dict[str, str]]:
    generator = random.Random(seed)  # noqa: S311  (demo data, not secrets)
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    start = date(2008, 1, 1)

    def add(name_km: str, name_en: str, form: str) -> None:
        key = name_en.lower()
        if key in seen:
            return
        seen.add(key)
        number = f"DEMO-{len(rows) + 1:05d}"
        rows.append(
            {
                "registration_number": number,
                "name_km": name_km,
                "name_en": name_en,
                "legal_form": form,
                "status": generator.choice(STATUSES) if len(rows) >= len(FIXED) else "active",
                "registered_on": (start + timedelta(days=generator.randrange(6500))).isoformat(),
                "province_code": f"{generator.randint(1, 25):02d}",
            }
        )

    for name_km, name_en, form in FIXED:
        add(name_km, name_en, form)
    while len(rows) < count:
        words = generator.sample(DISTINCTIVE, generator.choice([1, 2, 2]))
        desc_km, desc_en = generator.choice(DESCRIPTIVE)
        form, prefix, suffix, suffix_en = generator.choice(FORMS)
        km = " ".join(p for p in [prefix, desc_km, *[w[0] for w in words], suffix] if p)
        en = " ".join(p for p in [*[w[1] for w in words], desc_en, suffix_en] if p)
        add(km, en, form)
    return rows


def seed_demo_names(count: int = 300) -> int:
    """Upsert the demo register; returns the number of businesses written."""
    rules = current_rules()
    provinces = importing.province_codes()
    built = []
    for row in demo_rows(count):
        if row["province_code"] not in provinces:
            row["province_code"] = ""
        built.append(importing.build_row(row, rules, provinces))
    importing.write_batch(built)
    return len(built)
