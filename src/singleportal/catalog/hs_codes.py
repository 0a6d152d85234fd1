"""The HS heading suggested for a product, from its category and materials.

A suggestion, not a ruling: the product form pre-fills it and the owner may type another code
(customs classifies on the goods themselves). The headings are the first four digits of the
Harmonized System, the same in every country (REFERENCE.md, "Handicraft products: HS codes";
7114, 8306, 4419, 6912, 5208 and 9403 added for silver boxes, brass ornaments, wooden and
ceramic tableware, cotton fabrics and furniture, which the catalogue also holds).

The rule, in order:
1. for each of the product's materials in the order the owner gave them (the first is the main
   material), the heading of (category, material) if the table has one;
2. else the category's own heading (category, None) if the table has one;
3. else no suggestion.
Scarves made by knitting or crochet (said so in the English technique) take 6117 instead of
the woven 6214.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from singleportal.catalog.vocabulary import Category, Material


@dataclass(frozen=True)
class Heading:
    code: str
    description_en: str
    description_km: str


HEADINGS: dict[str, Heading] = {
    heading.code: heading
    for heading in (
        Heading("4202", "Handbags of textile or leather", "កាបូបដៃធ្វើពីក្រណាត់ ឬស្បែក"),
        Heading("4419", "Tableware and kitchenware of wood", "ប្រដាប់ប្រដាតុ និងផ្ទះបាយធ្វើពីឈើ"),
        Heading(
            "4420",
            "Wooden ornaments, marquetry and boxes",
            "វត្ថុលម្អ ប្រអប់ និងការងារចម្លាក់ផ្គុំធ្វើពីឈើ",
        ),
        Heading(
            "4602",
            "Basketwork of rattan, bamboo, palm leaf and other plaiting materials",
            "ការងារត្បាញកន្ត្រកពីផ្តៅ ឫស្សី ស្លឹកត្នោត និងវត្ថុធាតុត្បាញផ្សេងទៀត",
        ),
        Heading("5007", "Woven fabrics of silk", "ក្រណាត់សូត្រត្បាញ"),
        Heading("5208", "Woven fabrics of cotton", "ក្រណាត់កប្បាសត្បាញ"),
        Heading(
            "6117",
            "Shawls, scarves and other clothing accessories, knitted or crocheted",
            "កន្សែងបង់ក និងគ្រឿងបន្ថែមសម្លៀកបំពាក់ផ្សេងទៀត ដែលចាក់ ឬក្រូសេ",
        ),
        Heading(
            "6214",
            "Shawls, scarves and kramas, woven",
            "ក្រមា កន្សែងបង់ក និងកន្សែងរុំ ដែលត្បាញ",
        ),
        Heading("6302", "Bed linen and table linen", "ក្រណាត់គ្រែ និងក្រណាត់តុ"),
        Heading(
            "6304",
            "Furnishing articles (cushion covers, runners)",
            "វត្ថុតុបតែងផ្ទះធ្វើពីក្រណាត់ (ស្រោមខ្នើយ ក្រណាត់ក្រាលតុ)",
        ),
        Heading("6802", "Worked stone (carvings)", "ថ្មឆ្លាក់ និងថ្មកែច្នៃ"),
        Heading("6912", "Ceramic tableware", "ប្រដាប់ប្រដាតុធ្វើពីដីដុត"),
        Heading("6913", "Ceramic ornaments", "វត្ថុលម្អធ្វើពីដីដុត"),
        Heading("7113", "Jewellery of precious metal (silver)", "គ្រឿងអលង្ការធ្វើពីលោហៈមានតម្លៃ (ប្រាក់)"),
        Heading("7114", "Silversmiths' wares (silver boxes)", "វត្ថុធ្វើដោយជាងប្រាក់ (ប្រអប់ប្រាក់)"),
        Heading("7117", "Imitation jewellery", "គ្រឿងអលង្ការសិប្បនិម្មិត"),
        Heading(
            "8306",
            "Statuettes and other ornaments of base metal",
            "រូបចម្លាក់ និងវត្ថុលម្អផ្សេងទៀតធ្វើពីលោហៈធម្មតា",
        ),
        Heading("9403", "Other furniture", "គ្រឿងសង្ហារិមផ្សេងៗ"),
    )
}

_PLAITING = (Material.RATTAN, Material.BAMBOO, Material.WATER_HYACINTH, Material.PALM_LEAF)

# (category, material or None for the category's default) -> heading code.
RULES: dict[tuple[str, str | None], str] = {
    (Category.DECORATION, Material.WOOD): "4420",
    (Category.DECORATION, Material.CLAY): "6913",
    (Category.DECORATION, Material.STONE): "6802",
    (Category.DECORATION, Material.SILVER): "7114",
    (Category.DECORATION, Material.BRASS): "8306",
    **{(Category.DECORATION, m): "4602" for m in _PLAITING},
    (Category.JEWELLERY, Material.SILVER): "7113",
    (Category.JEWELLERY, None): "7117",
    (Category.FABRICS, Material.SILK): "5007",
    (Category.FABRICS, Material.COTTON): "5208",
    (Category.SCARVES, None): "6214",
    (Category.HOME_TEXTILES, None): "6304",
    (Category.BED_TABLE_LINEN, None): "6302",
    **{(Category.BAGS, m): "4602" for m in _PLAITING},
    (Category.BAGS, None): "4202",
    (Category.BASKETS_BOXES, Material.WOOD): "4420",
    (Category.BASKETS_BOXES, Material.SILVER): "7114",
    (Category.BASKETS_BOXES, None): "4602",
    (Category.TABLEWARE, Material.CLAY): "6912",
    (Category.TABLEWARE, Material.WOOD): "4419",
    (Category.TABLEWARE, Material.SILVER): "7114",
    **{(Category.TABLEWARE, m): "4602" for m in _PLAITING},
    (Category.FURNITURE, None): "9403",
}
KNITTED_SCARVES = "6117"
_KNITTING_WORDS = ("knit", "crochet")


def suggest(category: str, materials: Iterable[str], technique_en: str = "") -> Heading | None:
    """The suggested heading (see the module's rule), or None."""
    if category == Category.SCARVES and any(w in technique_en.lower() for w in _KNITTING_WORDS):
        return HEADINGS[KNITTED_SCARVES]
    for material in materials:
        code = RULES.get((category, material))
        if code:
            return HEADINGS[code]
    code = RULES.get((category, None))
    return HEADINGS[code] if code else None


def describe(hs_code: str, language: str) -> str | Promise:
    """What the heading of a stored code (4 or 6 digits) covers, if the table knows it."""
    heading = HEADINGS.get(hs_code[:4])
    if heading is None:
        with translation.override(language):
            return gettext("Heading not in the portal's table")
    return heading.description_km if language == "km" else heading.description_en
