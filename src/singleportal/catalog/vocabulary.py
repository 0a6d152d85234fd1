"""The catalogue's closed lists: categories, materials, makers, stock, currencies, marks.

Codes are what the database, the API and CSV files carry; labels are translated. Adding a
value here is enough for forms, filters, the API and the CSV import to accept it (the HS code
table in catalog/hs_codes.py may then say which heading it suggests).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    DECORATION = "decoration", _("Decoration and ornaments")
    JEWELLERY = "jewellery", _("Jewellery")
    FABRICS = "fabrics", _("Fabrics by the metre")
    SCARVES = "scarves", _("Scarves, shawls and kramas")
    HOME_TEXTILES = "home_textiles", _("Home textiles (cushion covers, runners)")
    BED_TABLE_LINEN = "bed_table_linen", _("Bed and table linen")
    FASHION_ACCESSORIES = "fashion_accessories", _("Fashion accessories")
    BAGS = "bags", _("Bags")
    BASKETS_BOXES = "baskets_boxes", _("Baskets and boxes")
    TABLEWARE = "tableware", _("Tableware")
    FURNITURE = "furniture", _("Furniture")
    OTHER = "other", _("Other crafts")


class Material(models.TextChoices):
    SILK = "silk", _("Silk")
    COTTON = "cotton", _("Cotton")
    SILVER = "silver", _("Silver")
    BRASS = "brass", _("Brass or bronze")
    WOOD = "wood", _("Wood")
    RATTAN = "rattan", _("Rattan")
    BAMBOO = "bamboo", _("Bamboo")
    WATER_HYACINTH = "water_hyacinth", _("Water hyacinth")
    PALM_LEAF = "palm_leaf", _("Palm leaf")
    STONE = "stone", _("Stone")
    CLAY = "clay", _("Clay")
    LEATHER = "leather", _("Leather")
    RECYCLED = "recycled", _("Recycled materials")
    OTHER = "other", _("Other material")


class MakerKind(models.TextChoices):
    BUSINESS = "business", _("The business itself")
    MEMBER_GROUP = "member_group", _("A member group")
    ARTISAN = "artisan", _("A named artisan")


class StockStatus(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    MADE_TO_ORDER = "made_to_order", _("Made to order")
    OUT_OF_STOCK = "out_of_stock", _("Out of stock")


class Currency(models.TextChoices):
    KHR = "KHR", _("Riel (KHR)")
    USD = "USD", _("US dollar (USD)")


class MarkKind(models.TextChoices):
    OVOP = "ovop", _("One Village One Product designation")
    GEOGRAPHICAL_INDICATION = "geographical_indication", _("Geographical indication")
    QUALITY_MARK = "quality_mark", _("Cambodian quality mark")
    FAIR_TRADE = "fair_trade", _("Fair trade (WFTO) membership")
    CRAFT_AWARD = "craft_award", _("Craft excellence award")


class MarkStatus(models.TextChoices):
    PENDING = "pending", _("Not verified yet")
    VERIFIED = "verified", _("Verified by programme staff")
    REJECTED = "rejected", _("Rejected by programme staff")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Could not be read")
