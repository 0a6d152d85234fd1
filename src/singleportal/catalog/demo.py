"""Demo catalogue: about 300 craft products over the demo profiles, with placeholder photos.

Idempotent: a profile that already has demo products (external_ref "demo-...") is left alone.
Products go through the same actions as an owner's (as the profile's first member), photos
through core.images; the pictures are drawn here (coloured patterns with the craft's initials),
nothing is downloaded. Some products carry variants and marks: OVOP designations verified by a
programme staff user when one exists, WFTO memberships left pending.
"""

import io
import itertools
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from singleportal.accounts.models import Role, User
from singleportal.catalog import actions, hs_codes
from singleportal.catalog.models import Product
from singleportal.catalog.vocabulary import MarkKind
from singleportal.directory.models import Profile, ProfileMember
from singleportal.geo.models import Village

TARGET = 300
DEMO_REF = "demo-"


@dataclass(frozen=True)
class Craft:
    initials: str
    title_km: str
    title_en: str
    description_km: str
    description_en: str
    category: str
    materials: tuple[str, ...]
    technique_km: str
    technique_en: str
    province: str  # where the craft comes from: the village of origin is taken there
    price_usd: tuple[int, int]  # retail range in whole dollars
    colour: tuple[int, int, int]


CRAFTS = (
    Craft("KR", "ក្រមាសូត្រ តាកែវ", "Takeo silk krama",
          "<p>ក្រមាសូត្រត្បាញដោយដៃ លើកីត្បាញឈើ ក្នុងភូមិ។ ពណ៌ធម្មជាតិ។</p>",
          "<p>Hand-woven silk krama from a wooden village loom, in natural dyes.</p>",
          "scarves", ("silk",), "ត្បាញដៃ", "hand-woven", "21", (12, 25), (150, 30, 50)),
    Craft("SC", "កន្សែងបង់កសូត្រ ហូល", "Hol silk scarf",
          "<p>កន្សែងបង់កសូត្រ ចងក្បាច់ហូល តាមបែបបុរាណ។</p>",
          "<p>Silk scarf in the ikat (hol) technique, tied and dyed before weaving.</p>",
          "scarves", ("silk",), "ចងហូល", "ikat (hol) weaving", "21", (25, 60), (120, 40, 110)),
    Craft("SF", "ក្រណាត់សូត្រ មួយម៉ែត្រ", "Silk fabric by the metre",
          "<p>ក្រណាត់សូត្រខ្មែរ ទទឹង ៩០ សង់ទីម៉ែត្រ។</p>",
          "<p>Khmer silk fabric, 90 cm wide, sold by the metre.</p>",
          "fabrics", ("silk",), "ត្បាញដៃ", "hand-woven", "21", (18, 30), (190, 140, 40)),
    Craft("SB", "ប្រអប់ប្រាក់ កោះចិន", "Koh Chen silver box",
          "<p>ប្រអប់ប្រាក់ឆ្លាក់ក្បាច់ខ្មែរ ដោយជាងប្រាក់ភូមិកោះចិន។</p>",
          "<p>Silver box chased with Khmer motifs by the silversmiths of Koh Chen.</p>",
          "baskets_boxes", ("silver",), "ឆ្លាក់ប្រាក់", "repoussé and chasing", "08", (45, 180),
          (160, 160, 170)),
    Craft("SJ", "ខ្សែដៃប្រាក់", "Silver bracelet",
          "<p>ខ្សែដៃប្រាក់ ធ្វើដោយដៃ។</p>", "<p>Hand-made silver bracelet.</p>",
          "jewellery", ("silver",), "ធ្វើដោយដៃ", "hand-forged", "08", (20, 45), (130, 130, 150)),
    Craft("AP", "ផ្ទាំងចម្លាក់ឈើ អប្សរា", "Carved wood Apsara panel",
          "<p>ផ្ទាំងចម្លាក់ឈើរូបអប្សរា តាមក្បាច់ប្រាសាទអង្គរ។</p>",
          "<p>Wood panel carved with an Apsara after the bas-reliefs of Angkor.</p>",
          "decoration", ("wood",), "ឆ្លាក់ឈើ", "wood carving", "17", (60, 240), (120, 80, 40)),
    Craft("ST", "ចម្លាក់ថ្ម ព្រះពុទ្ធ", "Stone Buddha carving",
          "<p>ចម្លាក់ថ្មភក់ ដោយជាងថ្មកំពង់ធំ។</p>",
          "<p>Sandstone carving by the stone carvers of Kampong Thom.</p>",
          "decoration", ("stone",), "ឆ្លាក់ថ្ម", "stone carving", "06", (80, 400), (170, 150, 120)),
    Craft("RB", "កន្ត្រកផ្តៅ", "Rattan basket",
          "<p>កន្ត្រកផ្តៅត្បាញដោយដៃ រឹងមាំ សម្រាប់ប្រើប្រាស់ប្រចាំថ្ងៃ។</p>",
          "<p>Hand-woven rattan basket, sturdy for everyday use.</p>",
          "baskets_boxes", ("rattan",), "ត្បាញផ្តៅ", "rattan weaving", "17", (8, 30), (180, 130, 60)),
    Craft("PT", "ឆ្នាំងដី កំពង់ឆ្នាំង", "Kampong Chhnang clay pot",
          "<p>ឆ្នាំងដីធ្វើដោយដៃ ដុតក្នុងឡបុរាណ។</p>",
          "<p>Hand-shaped clay pot, fired in a traditional kiln.</p>",
          "tableware", ("clay",), "ស្មូនដី", "hand-built pottery", "04", (5, 20), (160, 80, 50)),
    Craft("CV", "ថូដីដុត លម្អ", "Ceramic vase",
          "<p>ថូដីដុតសម្រាប់លម្អផ្ទះ។</p>", "<p>Fired clay vase for the home.</p>",
          "decoration", ("clay",), "ស្មូនដី", "wheel-thrown pottery", "04", (10, 35), (140, 90, 70)),
    Craft("PL", "ប្រអប់ស្លឹកត្នោត", "Palm-leaf box",
          "<p>ប្រអប់ត្បាញពីស្លឹកត្នោត ពីខេត្តកំពង់ស្ពឺ។</p>",
          "<p>Box woven from sugar palm leaves, from Kampong Speu.</p>",
          "baskets_boxes", ("palm_leaf",), "ត្បាញស្លឹកត្នោត", "palm-leaf weaving", "05", (3, 12),
          (200, 170, 90)),
    Craft("RC", "កាបូបពីវត្ថុកែច្នៃ", "Recycled-material bag",
          "<p>កាបូបធ្វើពីថង់ និងក្រណាត់កែច្នៃ។</p>",
          "<p>Bag made from recycled plastic bags and fabric offcuts.</p>",
          "bags", ("recycled",), "ត្បាញកែច្នៃ", "upcycled weaving", "12", (9, 28), (40, 140, 120)),
    Craft("CC", "ស្រោមខ្នើយសូត្រ", "Silk cushion cover",
          "<p>ស្រោមខ្នើយសូត្រ ៤០ គុណ ៤០ សង់ទីម៉ែត្រ។</p>",
          "<p>Silk cushion cover, 40 by 40 cm.</p>",
          "home_textiles", ("silk",), "ត្បាញដៃ", "hand-woven", "21", (15, 35), (30, 90, 140)),
    Craft("WH", "កន្ត្រកកំប្លោក", "Water hyacinth basket",
          "<p>កន្ត្រកត្បាញពីដើមកំប្លោក ពីបឹងទន្លេសាប។</p>",
          "<p>Basket woven from water hyacinth gathered on the Tonle Sap.</p>",
          "baskets_boxes", ("water_hyacinth",), "ត្បាញ", "plaiting", "17", (6, 22), (110, 140, 60)),
)  # fmt: skip

VARIANTS = (
    ("ពណ៌ក្រហម", "Red", "red"),
    ("ពណ៌ខៀវ", "Indigo", "indigo"),
    ("ពណ៌មាស", "Gold", "gold"),
)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def placeholder_photo(craft: Craft, number: int) -> SimpleUploadedFile:
    """A 480x360 picture: the craft's colour in stripes and diamonds, its initials in the
    middle; `number` shifts the pattern so products differ."""
    image = Image.new("RGB", (480, 360), craft.colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 60) for c in craft.colour)
    dark = tuple(max(0, c - 50) for c in craft.colour)
    step = 24 + number % 5 * 4
    for x in range(-360, 480, step * 2):
        draw.polygon([(x, 0), (x + step, 0), (x + step + 360, 360), (x + 360, 360)], fill=light)
    for x in range(0, 480, 60):
        draw.regular_polygon((x + 30, 330, 14), 4, fill=dark)
    draw.ellipse((160, 100, 320, 260), fill=(255, 255, 255))
    draw.text((240, 180), craft.initials, fill=dark, font=_font(64), anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile(f"{craft.initials}.png", out.getvalue(), "image/png")


def _villages(provinces: set[str]) -> dict[str, list[str]]:
    """A few village codes per province, for the products' origin."""
    found: dict[str, list[str]] = {}
    for province in provinces:
        codes = Village.objects.filter(code__startswith=province).order_by("code")
        found[province] = list(codes.values_list("code", flat=True)[:20])
    return found


def _owners() -> dict[int, User]:
    owners: dict[int, User] = {}
    for member in ProfileMember.objects.select_related("user").order_by("created_at", "pk"):
        owners.setdefault(member.profile_id, member.user)
    return owners


# What a demo producer makes, told by the words of its English name (checked in this order:
# "Stone Carvers" carve stone, not wood); a producer named for no craft is told by its province.
TRADES = (
    (("stone", "sandstone"), ("ST",)),
    (("silk", "weav", "phamuong", "hol "), ("KR", "SC", "SF", "CC")),
    (("krama",), ("KR", "CC")),
    (("silver",), ("SB", "SJ")),
    (("wood", "carv"), ("AP",)),
    (("rattan", "bamboo"), ("RB", "WH")),
    (("potter", "ceramic"), ("PT", "CV")),
    (("palm",), ("PL",)),
    (("recycl",), ("RC",)),
)


def crafts_of(profile: Profile) -> list[Craft]:
    """The crafts a demo producer makes: by its name, else by its province; none when neither
    tells (the demo applicant's rice business sells no crafts)."""
    name = f"{profile.name_en} ".lower()
    by_initials = {craft.initials: craft for craft in CRAFTS}
    for words, initials in TRADES:
        if any(word in name for word in words):
            return [by_initials[i] for i in initials]
    return [c for c in CRAFTS if c.province == profile.province_id]


def seed_demo_catalog(target: int = TARGET) -> int:
    """Add demo products to the producers that have none yet, by the profile's first member
    (an owner, or the artisans' association keeping a member's catalogue); returns how many
    were added."""
    owners = _owners()
    makers = [
        (profile, crafts)
        for profile in Profile.objects.filter(pk__in=owners).order_by("pk")
        if (crafts := crafts_of(profile))
    ]
    if not makers:
        return 0
    seeded = set(
        Product.objects.filter(external_ref__startswith=DEMO_REF).values_list(
            "profile_id", flat=True
        )
    )
    staff = User.objects.filter(role_assignments__role=Role.PROGRAMME_STAFF).first()
    villages = _villages({craft.province for craft in CRAFTS})
    per_profile = max(1, target // len(makers))
    added = 0
    counter = itertools.count()
    for index, (profile, crafts) in enumerate(makers):
        if profile.pk in seeded:
            continue
        for number in range(per_profile):
            craft = crafts[(index + number) % len(crafts)]
            added += 1
            _seed_product(profile, owners[profile.pk], staff, craft, number, next(counter),
                          villages)  # fmt: skip
    return added


def _seed_product(
    profile: Profile,
    owner: User,
    staff: User | None,
    craft: Craft,
    number: int,
    serial: int,
    villages: dict[str, list[str]],
) -> None:
    low, high = craft.price_usd
    spread = serial % 4
    retail_min, retail_max = (low + spread) * 100, (high + spread) * 100
    # Made in the producer's own village when its profile names one.
    codes = [profile.village_id] if profile.village_id else villages.get(craft.province) or [""]
    variant = VARIANTS[serial % len(VARIANTS)]
    values = {
        "title_km": f"{craft.title_km} {variant[0]}" if number else craft.title_km,
        "title_en": f"{craft.title_en}, {variant[1].lower()}" if number else craft.title_en,
        "description_km": craft.description_km,
        # Some products have no English description: their page says so in English.
        "description_en": craft.description_en if serial % 7 else "",
        "category": craft.category,
        "materials": list(craft.materials),
        "technique_km": craft.technique_km,
        "technique_en": craft.technique_en,
        "maker_kind": "member_group" if serial % 5 == 0 else "business",
        "maker_name_km": "ក្រុមសិប្បករភូមិ" if serial % 5 == 0 else "",
        "maker_name_en": "Village artisans' group" if serial % 5 == 0 else "",
        "origin_village": codes[serial % len(codes)],
        "colours": variant[2],
        "currency": "USD" if serial % 6 else "KHR",
        "retail_min": retail_min if serial % 6 else retail_min * 41,
        "retail_max": retail_max if serial % 6 else retail_max * 41,
        "wholesale_min": retail_min * 7 // 10 if serial % 3 == 0 and serial % 6 else None,
        "wholesale_max": retail_max * 7 // 10 if serial % 3 == 0 and serial % 6 else None,
        "wholesale_min_quantity": 50 if serial % 3 == 0 and serial % 6 else None,
        "moq": (1, 5, 10, 20)[serial % 4],
        "lead_time_days": (0, 7, 14, 30)[serial % 4] or None,
        "stock_status": ("in_stock", "made_to_order", "in_stock", "out_of_stock")[serial % 4],
        "hs_code": "",
        "published": True,
        "external_ref": f"{DEMO_REF}{number}",
    }
    heading = hs_codes.suggest(craft.category, craft.materials, craft.technique_en)
    values["hs_code"] = heading.code if heading else ""
    product = actions.create_product(profile, by=owner, values=values)
    actions.add_photo(
        product,
        by=owner,
        upload=placeholder_photo(craft, serial),
        alt_km=craft.title_km,
        alt_en=craft.title_en,
    )
    if serial % 4 == 0:
        for label_km, label_en, colour in VARIANTS:
            actions.save_variant(
                product, by=owner, values={"label_km": label_km, "label_en": label_en,
                                           "colour": colour}
            )  # fmt: skip
    if serial % 10 == 0:
        _demo_mark(product, owner, staff, MarkKind.OVOP, "ភូមិមួយផលិតផលមួយ (OVOP)", serial)
    elif serial % 10 == 5:
        _demo_mark(product, owner, None, MarkKind.FAIR_TRADE, "World Fair Trade Organization",
                   serial)  # fmt: skip


def _demo_mark(
    product: Product, owner: User, staff: User | None, kind: str, issuer: str, serial: int
) -> None:
    # A stand-in document: programme staff would open the real certificate here.
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    mark = actions.add_mark(
        product,
        by=owner,
        kind=kind,
        issuer=issuer,
        number=f"{kind.upper()[:4]}-{2025000 + serial}",
        valid_from=date(2025, 1, 1),
        valid_until=date(2027, 12, 31),
        document=SimpleUploadedFile("certificate.pdf", pdf, "application/pdf"),
    )
    if staff is not None:
        actions.decide_mark(mark, by=staff, outcome="verified")
