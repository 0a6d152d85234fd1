from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from singleportal.applications.forms import WholeNumberField
from singleportal.catalog.models import Product
from singleportal.labels.models import (
    MAX_LABELS_PER_RUN,
    LabelKind,
    ReportStatus,
    ReviewFinding,
    SheetLayout,
)


class ProductChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Product) -> str:
        titles = " / ".join(t for t in (obj.title_km, obj.title_en) if t)
        return f"{titles} ({obj.profile})"


class RunForm(forms.Form):
    product = ProductChoice(label=_("Product"), queryset=Product.objects.none())
    kind = forms.ChoiceField(
        label=_("Labels"),
        choices=LabelKind.choices,
        widget=forms.RadioSelect,
        initial=LabelKind.SINGLE,
        help_text=_(
            "One label per item gives each item its own code: a copied label then shows up as "
            "one code scanned in many places. One label for a batch prints the same code on "
            "every item of the batch."
        ),
    )
    quantity = WholeNumberField(
        label=_("Number of items"),
        min_value=1,
        help_text=_("One label per item: at most %(max)s in a run.")
        % {"max": f"{MAX_LABELS_PER_RUN:,}"},
    )
    made_on = forms.DateField(label=_("Made on"), widget=forms.DateInput(attrs={"type": "date"}))
    batch_reference = forms.CharField(
        label=_("Batch or lot reference (optional)"), max_length=60, required=False
    )
    layout = forms.ChoiceField(
        label=_("Sheet size"),
        choices=SheetLayout.choices,
        widget=forms.RadioSelect,
        initial=SheetLayout.SMALL,
    )

    def __init__(self, *args: Any, products: QuerySet[Product], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]


class SheetForm(forms.Form):
    layout = forms.ChoiceField(
        label=_("Sheet size"), choices=SheetLayout.choices, widget=forms.RadioSelect
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are these labels withdrawn?"),
        max_length=300,
        help_text=_("Shown on the page of every label of the run. Withdrawing is final."),
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Code on the label"),
        max_length=40,
        help_text=_("12 letters and digits, printed under the QR code."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ReportForm(forms.Form):
    place = forms.CharField(
        label=_("Where did you see it?"),
        max_length=200,
        help_text=_("The market, shop or town."),
    )
    link = forms.URLField(
        label=_("Web address, if you saw it online (optional)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    description = forms.CharField(
        label=_("What makes you think it is a copy?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP. Location data in the photo is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    contact = forms.CharField(
        label=_("Phone or email, if you agree to be contacted (optional)"),
        max_length=200,
        required=False,
        help_text=_("Seen only by programme staff, never by the business."),
    )


class ReviewForm(forms.Form):
    finding = forms.ChoiceField(
        label=_("What did you find?"), choices=ReviewFinding.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All reports")), *ReportStatus.choices],
        required=False,
    )


class RunFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Runs"),
        choices=[("", _("All runs")), ("active", _("In use")), ("withdrawn", _("Withdrawn"))],
        required=False,
    )
