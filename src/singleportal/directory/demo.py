"""Demo directory for `singleportal demo`: 36 handicraft producers in the villages known for
their crafts (silk in Takeo, Siem Reap and Kampong Cham; silver in Koh Chen, Kandal; wood and
stone carving in Siem Reap and Kampong Thom; rattan and bamboo; pottery in Kampong Chhnang;
kramas; palm leaf), with stories in Khmer and English (a few in Khmer only, to show the
fallback note) and a placeholder photo drawn here with Pillow.

Two thirds are registered businesses, loaded through the register's own import (upsert on the
registration number) and given a profile opened by the system, not yet claimed; the rest are
village groups, made by the artisans' association's demo user. The demo applicant claims the
profile of the first business the register entered from their own application (the agencies'
demo registers it) and owns the Bati silk weavers' group, whose registration waits for payment
in the sandbox bank: once paid, the applicant can claim it and link the group's profile.

Idempotent: businesses are upserted, a profile is made once per business or group name, a
photo only for a profile without one. Call after the demo users, and after the agencies' demo
files for the applicant's verified profile.
"""

import io
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from PIL import Image, ImageDraw

from singleportal.accounts.models import User
from singleportal.applications.models import Application
from singleportal.directory import actions
from singleportal.directory.actions.photos import store_photo
from singleportal.directory.models import ExportExperience, MemberRole, Profile, ProfileMember
from singleportal.geo.models import Village
from singleportal.names.rules import current_rules
from singleportal.registry import importing
from singleportal.registry.models import Business

APPLICANT = "applicant@demo.sp.kh"
ASSOCIATION = "artisans@demo.sp.kh"
# Claims a registered producer whose register entry names no owner: it waits for programme
# staff (ovop@demo.sp.kh) on /directory/claims/.
WAITING_CLAIMANT = "+85512345678"


@dataclass(frozen=True)
class Craft:
    story_km: str
    story_en: str
    alt_km: str
    alt_en: str
    colours: tuple[tuple[int, int, int], ...]
    pattern: str
    capacity: int  # units a month for the smallest group
    women_percent: int


CRAFTS = {
    "silk": Craft(
        "ក្រុមយើងត្បាញសូត្រខ្មែរដោយដៃ នៅភូមិ{village}។ យើងចិញ្ចឹមនាងនួន ស្រាវសូត្រ "
        "និងជ្រលក់ពណ៌ពីរុក្ខជាតិ មុននឹងត្បាញហូល និងផាមួង តាមក្បាច់ដែលដូនតាបន្សល់ទុក។",
        "We weave Khmer silk by hand in {village} village. We raise silkworms, reel the yarn "
        "and dye it with plants before weaving hol and phamuong cloth in the patterns our "
        "grandmothers handed down.",
        "ក្រណាត់សូត្រហូល ត្បាញដោយដៃ",
        "Hand-woven hol silk",
        ((128, 24, 48), (214, 160, 40), (32, 64, 112), (20, 110, 80)),
        "ikat",
        40,
        95,
    ),
    "silver": Craft(
        "ជាងប្រាក់នៃភូមិ{village} ធ្វើគ្រឿងប្រាក់តាំងពីជំនាន់ដូនតា។ យើងដំ និងឆ្លាក់ ប្រអប់ស្លា ខ្សែដៃ និងចានដោយដៃទាំងស្រុង។",
        "The silversmiths of {village} have worked silver for generations. We hammer and "
        "engrave betel boxes, bracelets and bowls entirely by hand.",
        "ប្រអប់ស្លាប្រាក់ ឆ្លាក់ដោយដៃ",
        "Hand-engraved silver betel box",
        ((190, 192, 196), (120, 124, 130), (230, 230, 232)),
        "rings",
        60,
        30,
    ),
    "wood": Craft(
        "សិប្បកររបស់យើងឆ្លាក់ឈើជារូបអប្សរា ព្រះពុទ្ធរូប និងគ្រឿងតុបតែងផ្ទះ នៅភូមិ{village}។ "
        "យើងប្រើតែឈើដែលមានប្រភពច្បាស់លាស់ ហើយបង្ហាត់យុវជនក្នុងភូមិ។",
        "Our artisans carve apsaras, Buddha images and decorations for the home in {village}. "
        "We use only wood of known origin and train the young people of the village.",
        "រូបអប្សរាឆ្លាក់ពីឈើ",
        "Apsara carved in wood",
        ((110, 70, 40), (160, 110, 60), (70, 45, 25)),
        "relief",
        30,
        20,
    ),
    "stone": Craft(
        "ក្រុមជាងចម្លាក់ថ្មនៃភូមិ{village} ឆ្លាក់ថ្មភក់តាមបែបប្រាសាទសម័យអង្គរ ចាប់ពីរូបចម្លាក់"
        "តូចៗ រហូតដល់ក្បាច់លម្អសម្រាប់វត្តអារាម និងសួនច្បារ។",
        "The stone carvers of {village} work sandstone in the style of the Angkor temples, "
        "from small statues to ornaments for pagodas and gardens.",
        "រូបចម្លាក់ថ្មភក់",
        "Sandstone carving",
        ((150, 140, 120), (110, 100, 85), (190, 180, 160)),
        "relief",
        15,
        10,
    ),
    "rattan": Craft(
        "យើងត្បាញកន្ត្រក ល្អី និងគ្រឿងសង្ហារិមពីផ្តៅ នៅភូមិ{village}។ ផ្តៅត្រូវបានប្រមូលពីព្រៃសហគមន៍ ដោយទុកឱ្យដុះឡើងវិញ។",
        "We weave baskets, trays and furniture from rattan in {village}. The rattan comes from "
        "the community forest, cut so that it grows back.",
        "កន្ត្រកផ្តៅ ត្បាញដោយដៃ",
        "Hand-woven rattan basket",
        ((196, 150, 90), (150, 105, 55), (225, 190, 130)),
        "weave",
        120,
        70,
    ),
    "bamboo": Craft(
        "ក្រុមយើងធ្វើល្អី កន្ត្រក និងចង្កៀងពីឫស្សី នៅភូមិ{village}។ ឫស្សីត្រូវបានស្ងួតដោយ"
        "ផ្សែង ដើម្បីការពារកណ្តៀរ ដោយមិនប្រើសារធាតុគីមី។",
        "We make trays, baskets and lamps from bamboo in {village}. The bamboo is smoke-dried "
        "against insects, with no chemicals.",
        "ចង្កៀងឫស្សី",
        "Bamboo lamp",
        ((170, 160, 80), (120, 115, 50), (210, 200, 120)),
        "weave",
        150,
        60,
    ),
    "pottery": Craft(
        "ស្ត្រីនៃភូមិ{village} សូនឆ្នាំង និងក្អមដោយដៃ ដោយគ្មានកង់ឆ្នាំង ពីដីឥដ្ឋក្នុងតំបន់ ហើយដុតក្នុងឡភ្លើងបើកចំហ។",
        "The women of {village} shape cooking pots and water jars by hand, without a wheel, "
        "from local clay, and fire them in open kilns.",
        "ក្អមដីដុត សូនដោយដៃ",
        "Hand-shaped clay water jar",
        ((160, 80, 40), (200, 120, 70), (110, 55, 30)),
        "rings",
        300,
        100,
    ),
    "krama": Craft(
        "យើងត្បាញក្រមាកប្បាស និងក្រមាសូត្រ ដោយកីឈើ នៅភូមិ{village}។ ក្រមាមួយត្រូវការពេល"
        "មួយថ្ងៃដើម្បីត្បាញ ហើយយើងជ្រលក់អំបោះដោយខ្លួនឯង។",
        "We weave cotton and silk kramas on wooden looms in {village}. A krama takes a day to "
        "weave, and we dye the yarn ourselves.",
        "ក្រមាក្រឡាចត្រង្គ",
        "Checked krama scarf",
        ((180, 30, 40), (240, 240, 235), (30, 60, 140)),
        "checks",
        200,
        90,
    ),
    "palm": Craft(
        "ក្រុមយើងធ្វើប្រអប់ កន្ត្រក និងគ្រឿងលម្អពីស្លឹកត្នោត នៅភូមិ{village}។ ស្លឹកត្រូវបានហាលថ្ងៃ និងជ្រលក់ពណ៌ មុននឹងត្បាញ។",
        "We make boxes, baskets and decorations from palm leaves in {village}. The leaves are "
        "sun-dried and dyed before weaving.",
        "ប្រអប់ស្លឹកត្នោត",
        "Palm-leaf box",
        ((200, 170, 100), (150, 40, 60), (90, 120, 60)),
        "weave",
        250,
        85,
    ),
}


@dataclass(frozen=True)
class Producer:
    craft: str
    village: str  # official village code
    name_km: str
    name_en: str
    legal_form: str = ""  # empty: a village group, not in the register


REGISTERED = [
    Producer("silk", "21060903", "សហគ្រាស ត្បាញសូត្រ ព្រៃកប្បាស",
             "Prey Kabbas Silk Weaving Enterprise", "sole_proprietorship"),
    Producer("silk", "21020708", "ក្រុមហ៊ុន សូត្រ ទន្លេបាទី ឯ.ក",
             "Tonle Bati Silk Co., Ltd.", "private_limited_company"),
    Producer("silk", "21091109", "សហគ្រាស ហូល តាកែវ", "Takeo Hol Weavers Enterprise",
             "sole_proprietorship"),
    Producer("silk", "17071109", "ក្រុមហ៊ុន សូត្រ ពួក ឯ.ក", "Puok Silk Farm Co., Ltd.",
             "private_limited_company"),
    Producer("silk", "17070101", "សហគ្រាស ផាមួង សៀមរាប", "Siem Reap Phamuong Enterprise",
             "sole_proprietorship"),
    Producer("silk", "03080101", "ក្រុមហ៊ុន សូត្រ កោះសូទិន ឯ.ក",
             "Koh Sotin Silk SMC Co., Ltd.", "single_member_private_limited_company"),
    Producer("silk", "03060505", "សហគ្រាស ត្បាញ កោះមិត្ត", "Koh Mitt Weaving Enterprise",
             "sole_proprietorship"),
    Producer("silver", "08090505", "សហគ្រាស ប្រាក់ កោះចិន", "Koh Chen Silver Enterprise",
             "sole_proprietorship"),
    Producer("silver", "08090507", "ក្រុមហ៊ុន ជាងប្រាក់ ពញាឮ ឯ.ក",
             "Ponhea Leu Silversmiths SMC Co., Ltd.", "single_member_private_limited_company"),
    Producer("silver", "08090508", "ក្រុមហ៊ុន ប្រាក់ចម្លាក់ ចុងកោះ សហកម្មសិទ្ធិ",
             "Chong Koh Silver Engraving Partnership", "general_partnership"),
    Producer("wood", "17030101", "ក្រុមហ៊ុន ចម្លាក់ឈើ បន្ទាយស្រី ឯ.ក",
             "Banteay Srei Woodcarving Co., Ltd.", "private_limited_company"),
    Producer("wood", "17030105", "សហគ្រាស ចម្លាក់ឈើ ខ្នារសណ្ដាយ",
             "Khnar Sanday Wood Carvers Enterprise", "sole_proprietorship"),
    Producer("wood", "17020402", "សហគ្រាស សិប្បកម្មឈើ អង្គរធំ",
             "Angkor Thom Woodcraft Enterprise", "sole_proprietorship"),
    Producer("stone", "06070113", "សហគ្រាស ចម្លាក់ថ្ម កកោះ",
             "Kakaoh Stone Carving Enterprise", "sole_proprietorship"),
    Producer("stone", "06070107", "ក្រុមហ៊ុន ថ្មភក់ សន្ទុក ឯ.ក", "Santuk Sandstone Co., Ltd.",
             "private_limited_company"),
    Producer("stone", "17020104", "សហគ្រាស ចម្លាក់ថ្ម ទ័ពស្វាយ",
             "Toap Svay Stone Carvers Enterprise", "sole_proprietorship"),
    Producer("rattan", "17040504", "សហគ្រាស ផ្តៅ ជីក្រែង", "Chi Kraeng Rattan Enterprise",
             "sole_proprietorship"),
    Producer("bamboo", "04050603", "សហគ្រាស ឫស្សី កំពង់ត្រឡាច",
             "Kampong Tralach Bamboo Enterprise", "sole_proprietorship"),
    Producer("pottery", "04061110", "សហគ្រាស ស្មូនឆ្នាំង អណ្ដូងឫស្សី",
             "Andoung Russey Pottery Enterprise", "sole_proprietorship"),
    Producer("pottery", "04060406", "ក្រុមហ៊ុន គ្រឿងដីដុត កំពង់ឆ្នាំង ឯ.ក",
             "Kampong Chhnang Ceramics Co., Ltd.", "private_limited_company"),
    Producer("krama", "12110104", "សហគ្រាស ក្រមា កោះដាច់", "Koh Dach Krama Enterprise",
             "sole_proprietorship"),
    Producer("krama", "21050508", "សហគ្រាស ក្រមា កោះអណ្ដែត", "Koh Andaet Krama Enterprise",
             "sole_proprietorship"),
    Producer("palm", "05010101", "សហគ្រាស ស្លឹកត្នោត បរសេដ្ឋ",
             "Basedth Palm Leaf Crafts Enterprise", "sole_proprietorship"),
    Producer("palm", "17060712", "សហគ្រាស សិប្បកម្មត្នោត ក្រឡាញ់",
             "Kralanh Palm Crafts Enterprise", "sole_proprietorship"),
]  # fmt: skip
GROUPS = [
    Producer("silk", "21060904", "ក្រុមត្បាញសូត្រ ភូមិព្រៃកប្បាស ខ", "Prey Kabbas Kha Weavers"),
    Producer("silk", "21060905", "ក្រុមស្ត្រីត្បាញ ភូមិព្រៃកប្បាស គ",
             "Prey Kabbas Ko Women Weavers"),
    Producer("silk", "03080102", "ក្រុមត្បាញ ភូមិកោះចិនលើ", "Koh Chen Leu Weavers"),
    Producer("silver", "08090509", "ក្រុមជាងប្រាក់យុវជន កំពង់រទេះ",
             "Kampong Roteh Young Silversmiths"),
    Producer("wood", "17070407", "ក្រុមឆ្លាក់ឈើ ភូមិស្វាយចេក", "Svay Chek Carvers Group"),
    Producer("stone", "06070201", "ក្រុមចម្លាក់ថ្ម ទួលវិហារ", "Tuol Vihear Stone Group"),
    Producer("rattan", "17040713", "ក្រុមត្បាញផ្តៅ ល្វែងឫស្សី", "Lveaeng Russey Rattan Group"),
    Producer("bamboo", "04040606", "ក្រុមសិប្បកម្មឫស្សី កោះឫស្សី", "Koh Russey Bamboo Group"),
    Producer("pottery", "04060210", "ក្រុមស្មូនឆ្នាំង ឫស្សីដួច", "Russey Duoch Potters"),
    Producer("krama", "21021104", "ក្រុមត្បាញក្រមា ភូមិសំរោង", "Samraong Krama Weavers"),
    Producer("palm", "05010102", "ក្រុមស្លឹកត្នោត ព្រៃគោកត្រប់", "Prey Kouk Trab Palm Leaf Group"),
]  # fmt: skip
# The demo applicant's own group: its registration (agencies' demo, "Bati Silk Weaving Co.,
# Ltd.") waits in the sandbox bank.
APPLICANTS_GROUP = Producer("silk", "21021207", "ក្រុមត្បាញសូត្រ បាទី", "Bati Silk Weavers")

PAYMENT_KM = "កក់ ៥០% ពេលបញ្ជាទិញ នៅសល់ ៥០% មុនដឹកជញ្ជូន។ ទទួលការផ្ទេរតាមធនាគារ និង KHQR។"
PAYMENT_EN = "50% deposit with the order, the rest before shipping. Bank transfer and KHQR."
SHIPPING_KM = "ដឹកជញ្ជូនដល់ភ្នំពេញក្នុង ២ ថ្ងៃ។ ការនាំចេញ តាមរយៈភ្នាក់ងារដឹកជញ្ជូនរបស់យើង។"
SHIPPING_EN = "Delivery to Phnom Penh in 2 days. Export through our freight forwarder (FOB)."
CONTACTS = ["សុខ ស្រីពៅ", "ចាន់ សុភ័ក្ត្រ", "កែវ ម៉ាលី", "ហុង សុវណ្ណារី", "ឈឹម វណ្ណា", "ប៊ុន ធារី"]
RICE_STORY_KM = "<p>យើងទិញស្រូវពីកសិករក្នុងខេត្តព្រះវិហារ កិនជាអង្ករក្រអូប ហើយលក់ដុំនៅក្នុងប្រទេស។</p>"
RICE_STORY_EN = (
    "<p>We buy paddy from farmers in Preah Vihear, mill it into fragrant rice and sell it "
    "wholesale across Cambodia.</p>"
)


def registration_number(index: int) -> str:
    return f"DEMO-H{index + 1:02d}"


def placeholder_photo(craft: Craft, seed: int) -> io.BytesIO:
    """A JPEG drawn from the craft's colours and pattern (no photo is downloaded)."""
    width, height = 1200, 800
    colours = craft.colours
    image = Image.new("RGB", (width, height), colours[0])
    draw = ImageDraw.Draw(image)
    step = 40 + 10 * (seed % 4)
    if craft.pattern in ("ikat", "checks"):
        for n, x in enumerate(range(0, width, step)):
            draw.rectangle([x, 0, x + step // 2, height], fill=colours[n % len(colours)])
        for n, y in enumerate(range(0, height, step * 2)):
            if craft.pattern == "checks":
                draw.rectangle([0, y, width, y + step // 2], fill=colours[(n + 1) % len(colours)])
            else:  # ikat: a row of diamonds
                colour = colours[(n + 2) % len(colours)]
                for x in range(0, width, step * 2):
                    diamond = [(x, y + step), (x + step, y), (x + 2 * step, y + step),
                               (x + step, y + 2 * step)]  # fmt: skip
                    draw.polygon(diamond, fill=colour)
    elif craft.pattern == "rings":
        for n, r in enumerate(range(min(width, height) // 2, 0, -step // 2)):
            box = [width // 2 - r * 1.3, height // 2 - r, width // 2 + r * 1.3, height // 2 + r]
            draw.ellipse(box, outline=colours[n % len(colours)], width=step // 4)
    elif craft.pattern == "weave":
        for y in range(0, height, step):
            for x in range(0, width, step):
                odd = (x // step + y // step) % 2
                draw.rectangle([x + 3, y + 3, x + step - 3, y + step - 3], fill=colours[odd + 1])
    else:  # relief: stacked blocks with shadows
        for y in range(0, height, step * 2):
            for x in range(-(y // step % 2) * step, width, step * 3):
                draw.rectangle([x + 6, y + 6, x + step * 3, y + step * 2], fill=colours[2])
                draw.rectangle([x, y, x + step * 3 - 6, y + step * 2 - 6], fill=colours[1])
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    out.seek(0)
    return out


def _content(producer: Producer, index: int, *, english_story: bool = True) -> dict:
    craft = CRAFTS[producer.craft]
    found = Village.objects.filter(code=producer.village).first()
    places: dict = {}
    names = ("", "")
    if found is not None:
        code = found.code  # each level's code starts with the code of the level above
        places = {"province": code[:2], "district": code[:4], "commune": code[:6], "village": code}
        names = (found.name_km, found.name_en)
    experience = (
        ExportExperience.REGULAR if index % 4 == 0
        else ExportExperience.OCCASIONAL if index % 3 == 0
        else ExportExperience.NONE
    )  # fmt: skip
    markets = {ExportExperience.REGULAR: ["FR", "JP", "US"], ExportExperience.OCCASIONAL: ["TH"]}
    languages = ["km"] + ["en"] * (index % 2 == 0) + ["fr"] * (index % 5 == 0)
    return {
        **places,
        "story_km": f"<p>{craft.story_km.format(village=names[0])}</p>",
        "story_en": f"<p>{craft.story_en.format(village=names[1])}</p>" if english_story else "",
        "languages": languages + ["zh"] * (index % 7 == 0),
        "export_experience": experience,
        "export_markets": markets.get(experience, []),
        "capacity_units_per_month": craft.capacity * (1 + index % 3),
        "lead_time_days": 14 + 7 * (index % 4),
        "minimum_order_units": 10 * (1 + index % 5),
        "payment_terms_km": PAYMENT_KM,
        "payment_terms_en": PAYMENT_EN,
        "shipping_terms_km": SHIPPING_KM,
        "shipping_terms_en": SHIPPING_EN if english_story else "",
        "team_size": 5 + (index * 7) % 40,
        "women_artisans_percent": max(0, craft.women_percent - (index % 3) * 5),
        "contact_name": CONTACTS[index % len(CONTACTS)],
        "contact_phone": f"012 {300 + index:03d} {400 + index:03d}",
        "contact_email": f"producer{index + 1:02d}@handicrafts.example",
    }


def _add_placeholder(profile: Profile, producer: Producer, index: int, actor: User | None) -> None:
    if profile.photos.exists():
        return
    craft = CRAFTS[producer.craft]
    store_photo(profile, placeholder_photo(craft, index), alt_km=craft.alt_km,
                alt_en=craft.alt_en, actor=actor)  # fmt: skip


def _register(producers: list[Producer]) -> list[Business]:
    """The registered producers, upserted through the register's import."""
    rules = current_rules()
    provinces = importing.province_codes()
    rows = []
    for index, producer in enumerate(producers):
        row = {
            "registration_number": registration_number(index),
            "name_km": producer.name_km,
            "name_en": producer.name_en,
            "legal_form": producer.legal_form,
            "status": "active",
            "registered_on": date(2010 + index % 14, 1 + index % 12, 1 + index % 28).isoformat(),
            "province_code": producer.village[:2],
        }
        rows.append(importing.build_row(row, rules, provinces))
    importing.write_batch(rows)
    numbers = [registration_number(i) for i in range(len(producers))]
    found = {
        b.registration_number: b for b in Business.objects.filter(registration_number__in=numbers)
    }
    return [found[number] for number in numbers]


def _applicants_verified_profile(applicant: User) -> None:
    """The applicant claims the first business the register entered from their files."""
    references = Application.objects.filter(owner=applicant, reference__isnull=False)
    business = (
        Business.objects.filter(application_reference__in=references.values("reference"))
        .order_by("registration_number")
        .first()
    )
    if business is None:
        return
    profile = actions.claim_profile(
        applicant, registration_number=business.registration_number
    ).profile
    if profile is not None and not profile.story_km:
        changes = {"story_km": RICE_STORY_KM, "story_en": RICE_STORY_EN,
                   "languages": ["km", "en"], "contact_name": applicant.full_name,
                   "contact_email": "info@pvrice.example", "team_size": 18}  # fmt: skip
        actions.update_profile(profile, by=applicant, changes=changes)


def seed_demo_directory() -> int:
    """Seed the demo directory; returns the number of profiles made by this run."""
    made = 0
    association = User.objects.filter(username=ASSOCIATION).first()
    businesses = _register(REGISTERED)
    for index, (producer, business) in enumerate(zip(REGISTERED, businesses, strict=True)):
        with transaction.atomic():
            existed = Profile.objects.filter(business=business).exists()
            profile = actions.open_profile(
                business, **_content(producer, index, english_story=index % 5 != 4)
            )
            _add_placeholder(profile, producer, index, None)
            if association is not None:
                # Not claimed yet: the artisans' association keeps its member's catalogue
                # meanwhile (staff, so the owner's claim still goes through).
                ProfileMember.objects.get_or_create(
                    profile=profile, user=association, defaults={"role": MemberRole.STAFF}
                )
        made += not existed
    applicant = User.objects.filter(username=APPLICANT).first()
    groups = [(p, association) for p in GROUPS] + [(APPLICANTS_GROUP, applicant)]
    for offset, (producer, owner) in enumerate(groups):
        index = len(REGISTERED) + offset
        if owner is None or Profile.objects.filter(name_km=producer.name_km).exists():
            continue
        with transaction.atomic():
            profile = actions.create_unregistered_profile(
                owner, name_km=producer.name_km, name_en=producer.name_en,
                **_content(producer, index, english_story=index % 5 != 4),
            )  # fmt: skip
            _add_placeholder(profile, producer, index, owner)
        made += 1
    if applicant is not None:
        with transaction.atomic():
            _applicants_verified_profile(applicant)
    claimant = User.objects.filter(username=WAITING_CLAIMANT).first()
    if claimant is not None:  # a retried claim returns the one waiting
        actions.claim_profile(claimant, registration_number=businesses[-1].registration_number,
                              officer_name=claimant.full_name)  # fmt: skip
    return made
