"""Forms of the owner's catalogue pages. They read what people type (Khmer or ASCII digits,
prices in dollars or riel); the rules themselves are catalog/rules.py, applied by the actions."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from singleportal.catalog import rules
from singleportal.catalog.models import Product
from singleportal.catalog.vocabulary import (
    Category,
    Currency,
    MakerKind,
    MarkKind,
    Material,
    StockStatus,
)
from singleportal.core.text import to_ascii_digits

PRICE_FIELDS = ("retail_min", "retail_max", "wholesale_min", "wholesale_max")


class DigitsIntegerField(forms.IntegerField):
    """A whole number typed in Khmer or ASCII digits."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = to_ascii_digits(value).replace(",", "").strip()
        return super().to_python(value)


def _count(label: Any, **kwargs: Any) -> DigitsIntegerField:
    return DigitsIntegerField(
        label=label, required=False, min_value=0, widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off"}
        ), **kwargs
    )  # fmt: skip


def _price(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class ProductForm(forms.Form):
    """One form in sections (see SECTIONS); the origin village is a geo PlaceForm beside it."""

    title_km = forms.CharField(label=_("Title in Khmer"), required=False, max_length=200)
    title_en = forms.CharField(label=_("Title in English"), required=False, max_length=200)
    description_km = forms.CharField(
        label=_("Description in Khmer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Paragraphs, bold and lists are kept; other formatting is removed."),
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category")), *Category.choices],
        error_messages={"required": _("Choose the product's category.")},
    )
    materials = forms.MultipleChoiceField(
        label=_("Materials"),
        required=False,
        choices=Material.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    technique_km = forms.CharField(label=_("Technique in Khmer"), required=False, max_length=200)
    technique_en = forms.CharField(label=_("Technique in English"), required=False, max_length=200)
    maker_kind = forms.ChoiceField(
        label=_("Who made it"),
        choices=MakerKind.choices,
        initial=MakerKind.BUSINESS,
        widget=forms.RadioSelect,
    )
    maker_name_km = forms.CharField(
        label=_("Name of the group or artisan in Khmer"), required=False, max_length=200
    )
    maker_name_en = forms.CharField(
        label=_("Name of the group or artisan in English"), required=False, max_length=200
    )
    artisan_consent = forms.BooleanField(
        label=_("The artisan agreed to have their name shown with this product"), required=False
    )
    artisan_consent_on = forms.DateField(
        label=_("Day the artisan agreed"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    length_mm = _count(_("Length (mm)"))
    width_mm = _count(_("Width (mm)"))
    height_mm = _count(_("Height (mm)"))
    weight_g = _count(_("Weight (g)"))
    colours = forms.CharField(label=_("Colours"), required=False, max_length=200)
    currency = forms.ChoiceField(
        label=_("Currency of the prices"),
        choices=Currency.choices,
        initial=Currency.USD,
        widget=forms.RadioSelect,
    )
    retail_min = _price(_("Retail price from"))
    retail_max = _price(_("Retail price up to"))
    wholesale_min = _price(_("Wholesale price from"))
    wholesale_max = _price(_("Wholesale price up to"))
    wholesale_min_quantity = _count(_("Wholesale price from how many units"))
    moq = _count(_("Minimum order (units)"))
    lead_time_days = _count(_("Lead time (days)"), max_value=32767)
    hs_code = forms.CharField(
        label=_("HS code"),
        required=False,
        max_length=12,
        help_text=_("4 or 6 digits. Left empty, the portal suggests one from the category and "
                    "materials."),
    )  # fmt: skip
    stock_status = forms.ChoiceField(
        label=_("Availability"), choices=StockStatus.choices, initial=StockStatus.IN_STOCK
    )
    published = forms.BooleanField(
        label=_("Show this product to the public"), required=False, initial=True
    )
    external_ref = forms.CharField(label=_("Your reference"), required=False, max_length=100)

    SECTIONS = (
        (_("Name and description"), ("title_km", "title_en", "description_km", "description_en")),
        (_("Kind of product"), ("category", "materials", "technique_km", "technique_en",
                                "colours")),
        (_("Who made it"), ("maker_kind", "maker_name_km", "maker_name_en", "artisan_consent",
                            "artisan_consent_on")),
        (_("Size and weight"), ("length_mm", "width_mm", "height_mm", "weight_g")),
        (_("Prices"), ("currency", "retail_min", "retail_max", "wholesale_min", "wholesale_max",
                       "wholesale_min_quantity")),
        (_("Ordering"), ("moq", "lead_time_days", "stock_status")),
        (_("Customs and publication"), ("hs_code", "external_ref", "published")),
    )  # fmt: skip

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency = data.get("currency") or Currency.USD
        for name in PRICE_FIELDS:
            try:
                data[name] = rules.parse_amount(data.get(name) or "", currency)
            except rules.AmountError as error:
                self.add_error(
                    name, rules.Problem(name, error.code, {"value": error.value}).message
                )
        # Every rule at once, so one round trip shows all that is wrong (the action checks
        # them again, for the API and imports).
        for problem in rules.product_problems(rules.normalise(data)):
            if problem.field not in self.errors and problem.field in self.fields:
                self.add_error(problem.field, problem.message)
        return data

    def values(self) -> dict[str, Any]:
        """What the actions take (the origin village is added by the view)."""
        return {name: self.cleaned_data[name] for name in self.fields}

    @classmethod
    def initial_from(cls, product: Product) -> dict[str, Any]:
        initial = {name: getattr(product, name) for name in cls.base_fields if name != "materials"}
        initial["materials"] = product.materials_list
        for name in PRICE_FIELDS:
            initial[name] = rules.format_amount(getattr(product, name), product.currency)
        return initial


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at most 8 MB. Location and camera details are removed."),
    )
    alt_km = forms.CharField(label=_("What the photo shows, in Khmer"), required=False,
                             max_length=300)  # fmt: skip
    alt_en = forms.CharField(label=_("What the photo shows, in English"), required=False,
                             max_length=300)  # fmt: skip


class PhotoTextForm(forms.Form):
    alt_km = forms.CharField(label=_("What the photo shows, in Khmer"), required=False,
                             max_length=300)  # fmt: skip
    alt_en = forms.CharField(label=_("What the photo shows, in English"), required=False,
                             max_length=300)  # fmt: skip


class VariantForm(forms.Form):
    label_km = forms.CharField(label=_("Name in Khmer"), required=False, max_length=120)
    label_en = forms.CharField(label=_("Name in English"), required=False, max_length=120)
    colour = forms.CharField(label=_("Colour"), required=False, max_length=60)
    size = forms.CharField(label=_("Size"), required=False, max_length=60)
    sku = forms.CharField(label=_("Stock code (SKU)"), required=False, max_length=60)
    stock_status = forms.ChoiceField(
        label=_("Availability"), choices=StockStatus.choices, initial=StockStatus.IN_STOCK
    )


class MarkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of mark"), choices=MarkKind.choices)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    number = forms.CharField(label=_("Number"), required=False, max_length=100)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if it does not expire."),
    )
    document = forms.FileField(
        label=_("The certificate or letter"),
        help_text=_(
            "PDF, JPEG or PNG. Programme staff check it before the mark shows as verified."
        ),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verified", _("Verify")), ("rejected", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required to reject; the owner sees it)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of products"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_("UTF-8 CSV with the columns described below; at most 20 MB."),
    )
