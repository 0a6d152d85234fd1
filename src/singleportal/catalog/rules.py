"""What makes a product's values acceptable: one set of rules for the form, the API and CSV.

`product_problems(values)` takes the values as Python data (ints in minor units, dates, codes)
and returns every problem as a `Problem(field, code, params)`; nothing is read from the
database, so the CSV import checks 10,000 rows without a query each. Messages are looked up by
code (MESSAGES) and translated when shown, so an import's report reads in the reader's language.

Money is parsed from what people type ("12.50" dollars, "40,000" riel, Khmer digits) into
integer minor units by `parse_amount`, never through a float.
"""

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from singleportal.catalog.vocabulary import Category, Currency, MakerKind, Material, StockStatus
from singleportal.core.richtext import clean_html
from singleportal.core.text import to_ascii_digits

TITLE_MAX = 200
HS_CODE = re.compile(r"^(\d{4}|\d{6})$")
MARKUP = re.compile(r"<[a-zA-Z/!]")
MAX_AMOUNT = 10**12  # minor units; far above any craft product, below a 64-bit column
MAX_QUANTITY = 10**9

MESSAGES: dict[str, Promise] = {
    "title_missing": _("Give the product a title in Khmer or in English."),
    "title_too_long": _("A title may be at most %(max)s characters."),
    "title_markup": _("A title is plain text: remove the HTML tags."),
    "category_unknown": _("“%(value)s” is not a category of the catalogue."),
    "category_missing": _("Choose the product's category."),
    "material_unknown": _("“%(value)s” is not a material of the catalogue."),
    "maker_unknown": _("“%(value)s” is not a kind of maker (business, member_group or artisan)."),
    "artisan_name_missing": _("Give the artisan's name."),
    "artisan_consent_missing": _(
        "A named artisan is shown only with their consent: confirm it and give the day they agreed."
    ),
    "currency_unknown": _("The currency must be KHR or USD."),
    "amount_invalid": _("“%(value)s” is not an amount of money."),
    "amount_riel_fraction": _("Riel amounts are whole numbers."),
    "amount_cents_fraction": _("Dollar amounts have at most two decimals."),
    "amount_negative": _("An amount cannot be negative."),
    "amount_too_large": _("This amount is too large."),
    "price_min_above_max": _("The lowest price is above the highest price."),
    "wholesale_quantity_missing": _("Say from how many units the wholesale price applies."),
    "number_invalid": _("“%(value)s” is not a whole number."),
    "number_too_large": _("This number is too large."),
    "dimensions_invalid": _(
        "Write the dimensions as length x width x height in millimetres, such as 300x200x50."
    ),
    "hs_code_invalid": _("An HS code is 4 or 6 digits."),
    "stock_status_unknown": _(
        "“%(value)s” is not an availability (in_stock, made_to_order or out_of_stock)."
    ),
    "village_unknown": _("No village has the code “%(value)s”."),
    "date_invalid": _("“%(value)s” is not a date (write it as 2026-03-31)."),
    "boolean_invalid": _("“%(value)s” is not yes or no."),
    "text_too_long": _("This text is longer than %(max)s characters."),
    "external_ref_repeated": _("Reference “%(value)s” is already used on line %(first_line)s."),
    "column_missing": _("The file has no “%(value)s” column."),
    "column_unknown": _("The column “%(value)s” is not one the portal reads; it was ignored."),
    "file_not_utf8": _("The file is not UTF-8 text. Save it as “CSV UTF-8” and send it again."),
    "file_empty": _("The file is empty."),
    "file_not_csv": _("The file could not be read as CSV."),
    "file_too_many_rows": _("The file has %(rows)s rows; send at most %(max)s rows at a time."),
}


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params if self.params else str(MESSAGES[self.code])


class AmountError(ValueError):
    def __init__(self, code: str, value: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.value = value


def parse_amount(text: str, currency: str) -> int | None:
    """'12.50' USD -> 1250 cents; '40,000' or '៤០០០០' KHR -> 40000 riel; '' -> None."""
    cleaned = to_ascii_digits(text).strip().replace(",", "").replace(" ", "")
    cleaned = cleaned.removesuffix("៛").removeprefix("$")
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise AmountError("amount_invalid", text) from None
    if not amount.is_finite():
        raise AmountError("amount_invalid", text)
    if amount < 0:
        raise AmountError("amount_negative", text)
    minor = amount * 100 if currency == Currency.USD else amount
    if minor != minor.to_integral_value():
        code = "amount_cents_fraction" if currency == Currency.USD else "amount_riel_fraction"
        raise AmountError(code, text)
    if minor > MAX_AMOUNT:
        raise AmountError("amount_too_large", text)
    return int(minor)


def format_amount(amount: int | None, currency: str) -> str:
    """The inverse of parse_amount, for putting a stored price back in a form."""
    if amount is None:
        return ""
    if currency == Currency.USD:
        return f"{amount // 100}.{amount % 100:02d}"
    return str(amount)


def normalise(values: dict[str, Any]) -> dict[str, Any]:
    """Values as they are stored: texts trimmed, descriptions sanitised, HS code digits only,
    the province of origin taken from the village code."""
    out = dict(values)
    for name, value in out.items():
        if isinstance(value, str) and name not in ("description_km", "description_en"):
            out[name] = value.strip()
    for name in ("description_km", "description_en"):
        if name in out:
            out[name] = clean_html(out[name] or "")
    if "hs_code" in out:
        out["hs_code"] = to_ascii_digits(out["hs_code"] or "").replace(".", "").replace(" ", "")
    if "origin_village" in out:
        village = out["origin_village"] or ""
        out["origin_village"] = village
        out["origin_province"] = village[:2]
    if out.get("maker_kind") != MakerKind.ARTISAN and "artisan_consent" in out:
        out["artisan_consent"], out["artisan_consent_on"] = False, None
    return out


def product_problems(values: dict[str, Any]) -> list[Problem]:
    """Every rule a stored product must meet; the values are as `normalise` returns them."""
    problems: list[Problem] = []
    add = problems.append
    if not (values.get("title_km") or values.get("title_en")):
        add(Problem("title_km", "title_missing"))
    for name in ("title_km", "title_en"):
        title = values.get(name) or ""
        if len(title) > TITLE_MAX:
            add(Problem(name, "title_too_long", {"max": TITLE_MAX}))
        if MARKUP.search(title):
            add(Problem(name, "title_markup"))
    category = values.get("category") or ""
    if not category:
        add(Problem("category", "category_missing"))
    elif category not in Category.values:
        add(Problem("category", "category_unknown", {"value": category}))
    for material in values.get("materials") or []:
        if material not in Material.values:
            add(Problem("materials", "material_unknown", {"value": material}))
    maker = values.get("maker_kind") or MakerKind.BUSINESS
    if maker not in MakerKind.values:
        add(Problem("maker_kind", "maker_unknown", {"value": maker}))
    if maker == MakerKind.ARTISAN:
        if not (values.get("maker_name_km") or values.get("maker_name_en")):
            add(Problem("maker_name_km", "artisan_name_missing"))
        if not (values.get("artisan_consent") and values.get("artisan_consent_on")):
            add(Problem("artisan_consent", "artisan_consent_missing"))
    if values.get("currency") not in Currency.values:
        add(Problem("currency", "currency_unknown"))
    for low, high in (("retail_min", "retail_max"), ("wholesale_min", "wholesale_max")):
        for name in (low, high):
            amount = values.get(name)
            if amount is not None and not 0 <= amount <= MAX_AMOUNT:
                add(Problem(name, "amount_too_large" if amount > 0 else "amount_negative"))
        low_amount, high_amount = values.get(low), values.get(high)
        if low_amount is not None and high_amount is not None and low_amount > high_amount:
            add(Problem(low, "price_min_above_max"))
    has_wholesale = (
        values.get("wholesale_min") is not None or values.get("wholesale_max") is not None
    )
    if has_wholesale and not values.get("wholesale_min_quantity"):
        add(Problem("wholesale_min_quantity", "wholesale_quantity_missing"))
    for name in (
        "length_mm", "width_mm", "height_mm", "weight_g", "wholesale_min_quantity", "moq",
        "lead_time_days",
    ):  # fmt: skip
        number = values.get(name)
        if number is not None and not 0 <= number <= (
            32767 if name == "lead_time_days" else MAX_QUANTITY
        ):
            add(Problem(name, "number_too_large"))
    hs_code = values.get("hs_code") or ""
    if hs_code and not HS_CODE.match(hs_code):
        add(Problem("hs_code", "hs_code_invalid"))
    stock = values.get("stock_status") or StockStatus.IN_STOCK
    if stock not in StockStatus.values:
        add(Problem("stock_status", "stock_status_unknown", {"value": stock}))
    return problems
