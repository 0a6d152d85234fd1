"""The shipped defaults for name rules and restricted words.

Migration 0002 seeds the tables from these lists; from then on the operator edits the rows in
the admin. These are defaults, not law: the Ministry of Commerce's examiners decide the lists.
When a table is empty (a fresh test database flushed by a transactional test, say) the engine
falls back to these lists so that name checks never run without rules.
"""

from singleportal.names.normalization import IDENTITY, KHMER, LATIN, SIMILARITY, RuleSpec

LATIN_LEGAL_WORDS = [
    "co", "company", "ltd", "limited", "plc", "public limited company",
    "public company limited", "private limited company", "private limited", "pte", "smc",
    "single member company", "enterprise", "enterprises", "sole proprietorship",
    "sole proprietor", "branch", "representative office", "rep office", "corporation", "corp",
    "inc", "incorporated", "llc", "general partnership", "limited partnership", "partnership",
]  # fmt: skip

LATIN_DESCRIPTIVE_WORDS = [
    "trading", "trade", "trader", "construction", "service", "import", "export", "general",
    "group", "holding", "development", "investment", "international", "industry",
    "industrial", "manufacturing", "manufacturer", "agriculture", "agro", "logistic",
    "transport", "travel", "tour", "real estate", "property", "engineering", "consulting",
    "consultancy", "consultant", "supply", "handicraft", "craft", "product", "solution",
    "technology", "tech", "media", "design", "food", "restaurant", "hotel", "garment",
    "textile", "printing", "security", "distribution", "distributor", "commercial",
    "business", "shop", "store", "center", "centre", "and",
]  # fmt: skip

KHMER_LEGAL_WORDS = [
    "ក្រុមហ៊ុន", "ឯកជនទទួលខុសត្រូវមានកម្រិត", "ទទួលខុសត្រូវមានកម្រិត", "មានកម្រិត",
    "ឯកជន", "ឯក", "សក", "សហគ្រាស", "ឯកបុគ្គល", "មហាជន", "សហកម្មសិទ្ធិ", "សាខា",
    "ការិយាល័យតំណាង", "មានសមាជិកតែម្នាក់", "ទូទៅ",
]  # fmt: skip

KHMER_DESCRIPTIVE_WORDS = [
    "ពាណិជ្ជកម្ម", "សំណង់", "សេវាកម្ម", "នាំចេញ", "នាំចូល", "ទេសចរណ៍", "អភិវឌ្ឍន៍",
    "វិនិយោគ", "អន្តរជាតិ", "ឧស្សាហកម្ម", "ផលិតកម្ម", "កសិកម្ម", "ដឹកជញ្ជូន",
    "អចលនទ្រព្យ", "វិស្វកម្ម", "ប្រឹក្សា", "ផ្គត់ផ្គង់", "សិប្បកម្ម", "ចែកចាយ", "គ្រុប",
]  # fmt: skip


def _rule(code, script, kind, position, en, km, params=None, stage=IDENTITY):  # type: ignore[no-untyped-def]
    return RuleSpec(
        code=code,
        script=script,
        kind=kind,
        position=position,
        params=params or {},
        description_en=en,
        description_km=km,
        stage=stage,
    )


DEFAULT_RULES: list[RuleSpec] = [
    _rule("LAT-INVISIBLE", LATIN, "invisible", 10,
          "Invisible characters (zero-width spaces and joiners, soft hyphens) are ignored.",
          "តួអក្សរមើលមិនឃើញ (ដកឃ្លាសូន្យ តួភ្ជាប់ និងសញ្ញាភ្ជាប់ពាក្យ) មិនត្រូវបានគិតទេ។"),
    _rule("LAT-ACCENTS", LATIN, "accents", 20,
          "Accents are ignored (Café = Cafe).",
          "សញ្ញាលើអក្សរឡាតាំងមិនត្រូវបានគិតទេ (Café = Cafe)។"),
    _rule("LAT-CASE", LATIN, "case", 30,
          "Capital and small letters are the same.",
          "អក្សរធំ និងអក្សរតូច ចាត់ទុកថាដូចគ្នា។"),
    _rule("LAT-DIGITS", LATIN, "digits", 40,
          "Khmer digits are the same as Arabic digits (៣ = 3).",
          "លេខខ្មែរ និងលេខអារ៉ាប់ ចាត់ទុកថាដូចគ្នា (៣ = 3)។"),
    _rule("LAT-AND", LATIN, "conjunctions", 50,
          "&, +, \"plus\" and \"and\" are the same.",
          "&, +, \"plus\" និង \"and\" ចាត់ទុកថាដូចគ្នា។",
          {"symbols": ["&", "+"], "words": ["plus", "and"], "canonical": "and"}),
    _rule("LAT-PUNCT", LATIN, "punctuation", 60,
          "Punctuation is ignored.",
          "វណ្ណយុត្តិមិនត្រូវបានគិតទេ។"),
    _rule("LAT-THE", LATIN, "leading_words", 70,
          "A leading \"The\" is ignored.",
          "ពាក្យ \"The\" នៅដើមឈ្មោះ មិនត្រូវបានគិតទេ។",
          {"words": ["the"]}),
    _rule("LAT-LEGAL", LATIN, "legal_words", 80,
          "Legal-form words and abbreviations (Co., Ltd., Limited, PLC, SMC, Enterprise, "
          "Sole Proprietorship, Branch, Representative Office, ...) are ignored.",
          "ពាក្យ និងអក្សរកាត់នៃទម្រង់គតិយុត្ត (Co., Ltd., Limited, PLC, SMC, Enterprise, "
          "Sole Proprietorship, Branch, Representative Office ...) មិនត្រូវបានគិតទេ។",
          {"words": LATIN_LEGAL_WORDS}),
    _rule("LAT-COUNTRY", LATIN, "trailing_words", 90,
          "\"Cambodia\" or \"Kingdom of Cambodia\" at the end is ignored.",
          "ពាក្យ \"Cambodia\" ឬ \"Kingdom of Cambodia\" នៅចុងឈ្មោះ មិនត្រូវបានគិតទេ។",
          {"words": ["cambodia", "kingdom of cambodia"]}),
    _rule("LAT-NUMBER", LATIN, "number_words", 100,
          "Number words are the same as digits (three = 3).",
          "លេខដែលសរសេរជាពាក្យ ចាត់ទុកថាដូចលេខ (three = 3)។"),
    _rule("LAT-PLURAL", LATIN, "plurals", 110,
          "Plural and singular are the same (Silks = Silk).",
          "ពហុវចនៈ និងឯកវចនៈ ចាត់ទុកថាដូចគ្នា (Silks = Silk)។",
          {"exceptions": ["news", "series", "species", "express", "swiss", "always", "lotus",
                          "angkorwatts", "plus", "bus", "gas", "atlas", "canvas"]}),
    _rule("LAT-SPACE", LATIN, "spacing", 120,
          "Spacing is ignored (Angkor Silk = AngkorSilk).",
          "ដកឃ្លាមិនត្រូវបានគិតទេ (Angkor Silk = AngkorSilk)។"),
    _rule("LAT-DESCRIPTIVE", LATIN, "descriptive_words", 200,
          "Descriptive words (trading, construction, services, ...) are left out when the "
          "distinctive parts of names are compared.",
          "ពាក្យពិពណ៌នា (trading, construction, services ...) មិនត្រូវបានយកមកប្រៀបធៀប "
          "ពេលប្រៀបធៀបផ្នែកសម្គាល់នៃឈ្មោះទេ។",
          {"words": LATIN_DESCRIPTIVE_WORDS}, SIMILARITY),
    _rule("LAT-SIMILAR", LATIN, "similarity", 210,
          "Names whose distinctive parts share most of their three-letter groups (trigram "
          "similarity at or above the threshold) are similar.",
          "ឈ្មោះដែលផ្នែកសម្គាល់មានក្រុមអក្សរបីៗភាគច្រើនដូចគ្នា (ភាពស្រដៀងត្រីក្រាម "
          "ចាប់ពីកម្រិតកំណត់) ចាត់ទុកថាស្រដៀងគ្នា។",
          {"threshold": 0.5}, SIMILARITY),
    _rule("KM-NFC", KHMER, "nfc", 10,
          "Text is put in Unicode normal form C (NFC).",
          "អត្ថបទត្រូវបានដាក់ជាទម្រង់ស្តង់ដារយូនីកូដ NFC។"),
    _rule("KM-INVISIBLE", KHMER, "invisible", 20,
          "Zero-width spaces and joiners (U+200B, U+200C, U+200D) are ignored.",
          "ដកឃ្លាសូន្យ និងតួភ្ជាប់ (U+200B, U+200C, U+200D) មិនត្រូវបានគិតទេ។"),
    _rule("KM-SPELLING", KHMER, "khmer_spelling", 65,
          "Spellings that show the same text are the same: the order of subscripts, register "
          "signs, vowels and signs, and obsolete vowel signs.",
          "អក្ខរាវិរុទ្ធដែលបង្ហាញអត្ថបទដូចគ្នា ចាត់ទុកថាដូចគ្នា៖ លំដាប់ជើង សញ្ញាប្តូរសំឡេង ស្រៈ "
          "និងសញ្ញា ព្រមទាំងស្រៈដែលលែងប្រើ។"),
    _rule("KM-DIGITS", KHMER, "digits", 30,
          "Khmer digits are the same as Arabic digits (៣ = 3).",
          "លេខខ្មែរ និងលេខអារ៉ាប់ ចាត់ទុកថាដូចគ្នា (៣ = 3)។"),
    _rule("KM-SPACE", KHMER, "remove_spaces", 40,
          "Spaces are ignored.",
          "ដកឃ្លាមិនត្រូវបានគិតទេ។"),
    _rule("KM-PUNCT", KHMER, "khmer_punctuation", 50,
          "Punctuation (។ . ( ) - and the like) is ignored.",
          "វណ្ណយុត្តិ (។ . ( ) - ជាដើម) មិនត្រូវបានគិតទេ។"),
    _rule("KM-LEGAL", KHMER, "khmer_legal_words", 70,
          "Legal-form words at the start or end (ក្រុមហ៊ុន, ឯកជន, ឯ.ក, ស.ក, សហគ្រាស, "
          "មានកម្រិត, ទទួលខុសត្រូវមានកម្រិត, ...) are ignored.",
          "ពាក្យទម្រង់គតិយុត្តនៅដើម ឬចុងឈ្មោះ (ក្រុមហ៊ុន, ឯកជន, ឯ.ក, ស.ក, សហគ្រាស, "
          "មានកម្រិត, ទទួលខុសត្រូវមានកម្រិត ...) មិនត្រូវបានគិតទេ។",
          {"words": KHMER_LEGAL_WORDS}),
    _rule("KM-COUNTRY", KHMER, "khmer_trailing_words", 80,
          "\"កម្ពុជា\" or \"ព្រះរាជាណាចក្រកម្ពុជា\" at the end is ignored.",
          "ពាក្យ \"កម្ពុជា\" ឬ \"ព្រះរាជាណាចក្រកម្ពុជា\" នៅចុងឈ្មោះ មិនត្រូវបានគិតទេ។",
          {"words": ["កម្ពុជា", "ព្រះរាជាណាចក្រកម្ពុជា"]}),
    _rule("KM-DESCRIPTIVE", KHMER, "khmer_descriptive_words", 200,
          "Descriptive words (ពាណិជ្ជកម្ម, សំណង់, សេវាកម្ម, ...) are left out when the "
          "distinctive parts of names are compared.",
          "ពាក្យពិពណ៌នា (ពាណិជ្ជកម្ម, សំណង់, សេវាកម្ម ...) មិនត្រូវបានយកមកប្រៀបធៀប "
          "ពេលប្រៀបធៀបផ្នែកសម្គាល់នៃឈ្មោះទេ។",
          {"words": KHMER_DESCRIPTIVE_WORDS}, SIMILARITY),
    _rule("KM-SIMILAR", KHMER, "similarity", 210,
          "Names whose distinctive parts share most of their letter groups (trigram "
          "similarity at or above the threshold) are similar.",
          "ឈ្មោះដែលផ្នែកសម្គាល់មានក្រុមអក្សរភាគច្រើនដូចគ្នា (ភាពស្រដៀងត្រីក្រាម "
          "ចាប់ពីកម្រិតកំណត់) ចាត់ទុកថាស្រដៀងគ្នា។",
          {"threshold": 0.5}, SIMILARITY),
]  # fmt: skip

FORBIDDEN = "forbidden"
RESTRICTED = "restricted"

_STATE_EN = "Implies a state body; only the State may use it."
_STATE_KM = "បង្កប់ន័យថាជាស្ថាប័នរដ្ឋ មានតែរដ្ឋទេដែលអាចប្រើបាន។"
_ROYAL_EN = "Implies a link with the Royal Palace or the Royal Government."
_ROYAL_KM = "បង្កប់ន័យថាមានទំនាក់ទំនងជាមួយព្រះបរមរាជវាំង ឬរាជរដ្ឋាភិបាល។"
_FORCE_EN = "Implies the police or the armed forces."
_FORCE_KM = "បង្កប់ន័យថាជានគរបាល ឬកងកម្លាំងប្រដាប់អាវុធ។"
_BANK_EN = "Banking and microfinance need a licence from the National Bank of Cambodia."
_BANK_KM = "អាជីវកម្មធនាគារ និងមីក្រូហិរញ្ញវត្ថុ ត្រូវមានអាជ្ញាប័ណ្ណពីធនាគារជាតិនៃកម្ពុជា។"
_INSURANCE_EN = "Insurance needs a licence from the Insurance Regulator of Cambodia."
_INSURANCE_KM = "អាជីវកម្មធានារ៉ាប់រង ត្រូវមានអាជ្ញាប័ណ្ណពីនិយ័តករធានារ៉ាប់រងកម្ពុជា។"
_SECURITIES_EN = "Securities business needs a licence from the Securities and Exchange Regulator."
_SECURITIES_KM = "អាជីវកម្មមូលបត្រ ត្រូវមានអាជ្ញាប័ណ្ណពីនិយ័តករមូលបត្រកម្ពុជា។"

# (code, script, word, kind, reason_en, reason_km)
DEFAULT_RESTRICTED_WORDS: list[tuple[str, str, str, str, str, str]] = [
    ("RW-ROYAL", LATIN, "royal", FORBIDDEN, _ROYAL_EN, _ROYAL_KM),
    ("RW-GOVERNMENT", LATIN, "government", FORBIDDEN, _STATE_EN, _STATE_KM),
    ("RW-MINISTRY", LATIN, "ministry", FORBIDDEN, _STATE_EN, _STATE_KM),
    ("RW-NATIONAL-ASSEMBLY", LATIN, "national assembly", FORBIDDEN, _STATE_EN, _STATE_KM),
    ("RW-POLICE", LATIN, "police", FORBIDDEN, _FORCE_EN, _FORCE_KM),
    ("RW-MILITARY", LATIN, "military", FORBIDDEN, _FORCE_EN, _FORCE_KM),
    ("RW-BANK", LATIN, "bank", RESTRICTED, _BANK_EN, _BANK_KM),
    ("RW-BANKING", LATIN, "banking", RESTRICTED, _BANK_EN, _BANK_KM),
    ("RW-MICROFINANCE", LATIN, "microfinance", RESTRICTED, _BANK_EN, _BANK_KM),
    ("RW-INSURANCE", LATIN, "insurance", RESTRICTED, _INSURANCE_EN, _INSURANCE_KM),
    ("RW-ASSURANCE", LATIN, "assurance", RESTRICTED, _INSURANCE_EN, _INSURANCE_KM),
    ("RW-KM-ROYAL", KHMER, "ព្រះរាជ", FORBIDDEN, _ROYAL_EN, _ROYAL_KM),
    ("RW-KM-GOVERNMENT", KHMER, "រដ្ឋាភិបាល", FORBIDDEN, _STATE_EN, _STATE_KM),
    ("RW-KM-MINISTRY", KHMER, "ក្រសួង", FORBIDDEN, _STATE_EN, _STATE_KM),
    ("RW-KM-POLICE", KHMER, "នគរបាល", FORBIDDEN, _FORCE_EN, _FORCE_KM),
    ("RW-KM-MILITARY", KHMER, "យោធា", FORBIDDEN, _FORCE_EN, _FORCE_KM),
    ("RW-KM-BANK", KHMER, "ធនាគារ", RESTRICTED, _BANK_EN, _BANK_KM),
    ("RW-KM-MICROFINANCE", KHMER, "មីក្រូហិរញ្ញវត្ថុ", RESTRICTED, _BANK_EN, _BANK_KM),
    ("RW-KM-INSURANCE", KHMER, "ធានារ៉ាប់រង", RESTRICTED, _INSURANCE_EN, _INSURANCE_KM),
    ("RW-KM-SECURITIES", KHMER, "មូលបត្រ", RESTRICTED, _SECURITIES_EN, _SECURITIES_KM),
]
