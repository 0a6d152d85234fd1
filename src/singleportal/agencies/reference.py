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


# (agency, when, after, working days). MEF confirms the payment first; MOC registers; the
# others work in parallel once MOC has (REFERENCE.md: MOC 3, GDT 4 after MOC).
PLAN = [
    ("MEF", "always", [], 1),
    ("MOC", "legal_form", ["MEF"], 3),
    ("GDT", "legal_form", ["MOC"], 4),
    ("MLVT", "legal_form", ["MOC"], 3),
    ("MOI", "legal_form", ["MOC"], 3),
    ("CDC", "incentives", ["MOC"], 5),
]

# (agency, kind, code, Khmer, English): what officers choose from.
REASONS = [
    ("MOC", "correction", "NAME_UNCLEAR", "ឈ្មោះអាជីវកម្មត្រូវកែសម្រួល ឬបញ្ជាក់បន្ថែម",
     "The business name must be changed or explained"),
    ("MOC", "correction", "SHARES", "ភាគហ៊ុន ឬដើមទុនមិនត្រូវគ្នា",
     "Shares or capital do not add up"),
    ("MOC", "correction", "ID_UNREADABLE", "ឯកសារអត្តសញ្ញាណមិនច្បាស់",
     "An identity document is unreadable"),
    ("MOC", "correction", "ARTICLES", "លក្ខន្តិកៈមិនពេញលេញ",
     "The articles of incorporation are incomplete"),
    ("MOC", "rejection", "NAME_TAKEN", "ឈ្មោះនេះមានម្ចាស់រួចហើយ",
     "The name belongs to another business"),
    ("MOC", "rejection", "FALSE_DOCUMENT", "ឯកសារមិនពិត", "A document is false"),
    ("GDT", "correction", "TURNOVER", "ចំណូលប្រចាំឆ្នាំត្រូវបញ្ជាក់",
     "The expected turnover must be explained"),
    ("GDT", "correction", "ADDRESS", "អាសយដ្ឋានសារពើពន្ធមិនច្បាស់", "The tax address is unclear"),
    ("GDT", "rejection", "TAX_DEBT", "ម្ចាស់មានបំណុលពន្ធ", "An owner has unpaid tax"),
    ("MLVT", "correction", "STAFF", "បញ្ជីបុគ្គលិកមិនពេញលេញ", "The staff list is incomplete"),
    ("MLVT", "correction", "WORK_PERMITS", "ត្រូវការប័ណ្ណការងារសម្រាប់បុគ្គលិកបរទេស",
     "Foreign staff need work permits"),
    ("MLVT", "rejection", "PROHIBITED_WORK", "ការងារដែលហាមឃាត់", "The work is prohibited"),
    ("MOI", "correction", "SIGNBOARD", "ផ្លាកយីហោមិនស្របតាមបទប្បញ្ញត្តិ",
     "The signboard does not meet the rules"),
    ("MOI", "correction", "ADDRESS", "អាសយដ្ឋានមិនត្រឹមត្រូវ", "The address is wrong"),
    ("MOI", "rejection", "NO_SUCH_PLACE", "មិនមានទីតាំងនេះក្នុងឃុំ/សង្កាត់",
     "The place does not exist in the commune"),
    ("CDC", "correction", "PROJECT", "គម្រោងវិនិយោគត្រូវពន្យល់បន្ថែម",
     "The investment project must be explained"),
    ("CDC", "rejection", "NOT_ELIGIBLE", "គម្រោងមិនមានសិទ្ធិទទួលការលើកទឹកចិត្ត",
     "The project is not eligible for incentives"),
    ("MEF", "correction", "PAYMENT", "ការទូទាត់មិនត្រូវគ្នានឹងវិក្កយបត្រ",
     "The payment does not match the invoice"),
    ("MEF", "rejection", "NOT_PAID", "មិនបានបង់ថ្លៃសេវា", "The fee was not paid"),
]  # fmt: skip

# (agency, code, check, parameter, Khmer, English): straight-through rule sets.
RULES = [
    ("MEF", "MEF-PAID", "fee_settled", None, "ថ្លៃសេវាបានបង់រួច", "The fee is paid"),
    ("MOC", "MOC-NAME", "name_free", None, "ឈ្មោះមិនដូចឈ្មោះដែលបានចុះបញ្ជី ឬកក់ទុក",
     "The name is not identical to a registered or reserved one"),
    ("MOC", "MOC-NAME-CLOSE", "no_close_name", 90, "គ្មានឈ្មោះស្រដៀងគ្នាខ្លាំង (៩០% ឡើង)",
     "No registered name is 90% alike or more"),
    ("MOC", "MOC-CAPITAL", "capital_rules", None, "ដើមទុន និងតម្លៃភាគហ៊ុនស្របតាមច្បាប់",
     "Capital and par value meet the law"),
    ("MOC", "MOC-ACTIVITY", "no_licensed_activity", None, "គ្មានសកម្មភាពដែលត្រូវការអាជ្ញាប័ណ្ណ",
     "No activity that needs a licence"),
    ("MOC", "MOC-IDS", "ids_present", None, "មានឯកសារអត្តសញ្ញាណគ្រប់គ្រាន់",
     "Identity documents are present"),
    ("GDT", "GDT-VAT", "below_vat_threshold", 250_000_000, "ចំណូលក្រោមកម្រិតអាករលើតម្លៃបន្ថែម",
     "Turnover below the VAT threshold, no VAT registration asked"),
    ("MLVT", "MLVT-STAFF", "staff_below", 50, "បុគ្គលិកតិចជាង ៥០ នាក់", "Fewer than 50 staff"),
    ("MLVT", "MLVT-LOCAL", "no_foreign_staff", None, "គ្មានបុគ្គលិកបរទេស", "No foreign staff"),
    ("MOI", "MOI-ADDRESS", "address_complete", None, "អាសយដ្ឋានពេញលេញ", "The address is complete"),
    ("MOI", "MOI-SIGN", "signboard_within", 40_000, "ផ្លាកយីហោមិនលើស ៤ ម៉ែត្រការ៉េ",
     "A signboard of 4 square metres or less"),
]  # fmt: skip


def seed_plan(models: Any) -> None:
    """Idempotent: creates missing rows and leaves the operator's edits alone. `models` is
    apps (in a migration) or django.apps.apps."""
    agency_model = models.get_model("agencies", "Agency")
    agencies = {a.code: a for a in agency_model.objects.all()}
    step_model = models.get_model("agencies", "PlanStep")
    for code, when, after, days in PLAN:
        step, created = step_model.objects.get_or_create(
            agency=agencies[code], defaults={"when": when, "sla_working_days": days}
        )
        if created:
            step.after.set([agencies[a] for a in after])
    reason_model = models.get_model("agencies", "DecisionReason")
    for code, kind, reason, text_km, text_en in REASONS:
        reason_model.objects.get_or_create(
            agency=agencies[code],
            code=reason,
            defaults={"kind": kind, "text_km": text_km, "text_en": text_en},
        )
    rule_model = models.get_model("agencies", "StraightThroughRule")
    for code, rule, check, parameter, text_km, text_en in RULES:
        rule_model.objects.get_or_create(
            code=rule,
            defaults={
                "agency": agencies[code],
                "check_name": check,
                "parameter": parameter,
                "description_km": text_km,
                "description_en": text_en,
            },
        )
