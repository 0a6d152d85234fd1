"""What a search asks for, read from a query string: the page's GET form and the API take the
same parameters, so a search is shared by copying its address.

Lists (category, material, province, mark, language) repeat the parameter
(`?material=silk&material=cotton`): any of the values in one facet, every facet at once.
"""

import re
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils.translation import gettext as _

from singleportal.catalog.vocabulary import Category, Currency, MarkKind, Material
from singleportal.core.text import to_ascii_digits
from singleportal.directory.models import SpokenLanguage

PROVINCE_CODE = re.compile(r"^\d{2}$")
MAX_VALUES = 30  # per facet: more than any vocabulary has
MAX_AMOUNT = 10**12  # minor units, as the catalogue's prices
MAX_QUANTITY = 10**9
TRUE = ("1", "true", "yes", "on")


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    ALL = (RELEVANCE, NEWEST)


class Params(Protocol):
    def get(self, key: str, default: Any = ...) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...


def _text(params: Params, name: str, limit: int = 100) -> str:
    return " ".join(str(params.get(name) or "").split())[:limit]


def _codes(params: Params, name: str) -> tuple[str, ...]:
    values: list[str] = []
    for value in params.getlist(name)[:MAX_VALUES]:
        value = to_ascii_digits(str(value).strip())
        if value and value not in values:
            values.append(value)
    return tuple(values)


def _flag(params: Params, name: str) -> bool:
    return str(params.get(name) or "").strip().lower() in TRUE


def _unknown(values: tuple[str, ...], known: Any, message: str) -> list[str]:
    return [message % {"code": v} for v in values if v not in known]


def _provinces(values: tuple[str, ...]) -> list[str]:
    if all(PROVINCE_CODE.match(v) for v in values):
        return []
    return [_("A province is given by its two-digit code.")]


def parse_amount(text: str, currency: str) -> int:
    """What a buyer typed ("12.50", "40,000", Khmer digits) in minor units of `currency`;
    ValueError when it is not an amount. Fractions of a minor unit round down: a bound, not
    a price."""
    cleaned = to_ascii_digits(text).replace(",", "").replace(" ", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(text)
    minor = int(amount * 100) if currency == Currency.USD else int(amount)
    if minor > MAX_AMOUNT:
        raise ValueError(text)
    return minor


def parse_quantity(text: str) -> int:
    cleaned = to_ascii_digits(text).replace(",", "").replace(" ", "")
    if not cleaned.isascii() or not cleaned.isdigit() or int(cleaned) > MAX_QUANTITY:
        raise ValueError(text)
    return int(cleaned)


@dataclass(frozen=True)
class Filters:
    """Shared by both searches: the words, the sort and the business facets."""

    q: str = ""
    province: tuple[str, ...] = ()
    verified: bool = False
    export: bool = False
    category: tuple[str, ...] = ()
    material: tuple[str, ...] = ()
    sort: str = ""

    def errors(self) -> list[str]:
        found = _provinces(self.province)
        found += _unknown(self.category, Category.values, _("Unknown category “%(code)s”."))
        found += _unknown(self.material, Material.values, _("Unknown material “%(code)s”."))
        if self.sort and self.sort not in Sort.ALL:
            found.append(_("Results are sorted by relevance or newest first."))
        return found

    def as_params(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs, in a stable order (links, the share URL)."""
        pairs: list[tuple[str, str]] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                pairs += [(f.name, v) for v in value]
            elif value is True:
                pairs.append((f.name, "1"))
            elif value:
                pairs.append((f.name, value))
        return pairs

    @property
    def empty(self) -> bool:
        return not self.as_params()

    @property
    def chosen(self) -> int:
        """How many facet values are ticked (the words and the sort are not facets)."""
        return sum(1 for name, _v in self.as_params() if name not in ("q", "sort"))


def _common(params: Params) -> dict[str, Any]:
    return {
        "q": _text(params, "q"),
        "province": _codes(params, "province"),
        "verified": _flag(params, "verified"),
        "export": _flag(params, "export"),
        "category": _codes(params, "category"),
        "material": _codes(params, "material"),
        "sort": _text(params, "sort", 20),
    }


@dataclass(frozen=True)
class ProductFilters(Filters):
    mark: tuple[str, ...] = ()
    currency: str = ""
    price_min: str = ""  # as typed; parsed by `bounds`
    price_max: str = ""
    moq_max: str = ""

    @classmethod
    def from_params(cls, params: Params) -> "ProductFilters":
        price_min, price_max = _text(params, "price_min", 30), _text(params, "price_max", 30)
        # The form always sends a currency: it means something only with a price.
        currency = _text(params, "currency", 3).upper() if price_min or price_max else ""
        return cls(
            **_common(params),
            mark=_codes(params, "mark"),
            currency=currency,
            price_min=price_min,
            price_max=price_max,
            moq_max=_text(params, "moq_max", 30),
        )

    @property
    def price_currency(self) -> str:
        """The currency the bounds are in: the buyer's choice, US dollars unless chosen."""
        return self.currency or Currency.USD

    def bounds(self) -> tuple[int | None, int | None]:
        """The price bounds in minor units of `price_currency` (after `errors` is empty)."""
        low = parse_amount(self.price_min, self.price_currency) if self.price_min else None
        high = parse_amount(self.price_max, self.price_currency) if self.price_max else None
        return low, high

    def moq(self) -> int | None:
        return parse_quantity(self.moq_max) if self.moq_max else None

    def errors(self) -> list[str]:
        found = super().errors()
        found += _unknown(self.mark, MarkKind.values, _("Unknown kind of mark “%(code)s”."))
        if self.currency and self.currency not in Currency.values:
            found.append(_("Prices are in KHR or USD."))
            return found
        messages = (
            (self.price_min, _("The lowest price “%(value)s” is not an amount of money.")),
            (self.price_max, _("The highest price “%(value)s” is not an amount of money.")),
        )
        bounds: list[int] = []
        for text, message in messages:
            try:
                if text:
                    bounds.append(parse_amount(text, self.price_currency))
            except ValueError:
                found.append(message % {"value": text})
        if self.price_min and self.price_max and len(bounds) == 2 and bounds[0] > bounds[1]:
            found.append(_("The lowest price is above the highest price."))
        if self.moq_max:
            try:
                self.moq()
            except ValueError:
                found.append(
                    _("The minimum order “%(value)s” is not a whole number of units.")
                    % {"value": self.moq_max}
                )
        return found


@dataclass(frozen=True)
class BusinessFilters(Filters):
    language: tuple[str, ...] = ()

    @classmethod
    def from_params(cls, params: Params) -> "BusinessFilters":
        return cls(**_common(params), language=_codes(params, "language"))

    def errors(self) -> list[str]:
        found = super().errors()
        found += _unknown(self.language, SpokenLanguage.values, _("Unknown language “%(code)s”."))
        return found
