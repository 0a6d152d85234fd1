"""Wizard forms: one per step. They turn text into types; the rules live in the actions."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from singleportal.applications.models import DocumentKind, IdKind, PersonKind
from singleportal.core import countries
from singleportal.core.text import to_ascii_digits
from singleportal.geo.forms import PlaceForm


def _countries_with_blank() -> list[tuple[str, Any]]:
    return [("", _("Choose a country")), *countries.choices()]


class WholeNumberField(forms.IntegerField):
    """Khmer or Latin digits, with or without thousands separators. A text input with a numeric
    keyboard: browsers refuse Khmer digits and separators in `type=number`."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = to_ascii_digits(value).replace(",", "").replace(" ", "")
        return super().to_python(value)


class LegalFormForm(forms.Form):
    legal_form = forms.ChoiceField(label=_("Legal form"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_form"].choices = choices  # type: ignore[attr-defined]


class NamesForm(forms.Form):
    name_km = forms.CharField(label=_("Business name in Khmer"), max_length=200, required=False)
    name_en = forms.CharField(
        label=_("Business name in Latin letters"), max_length=200, required=False
    )


class ActivitiesForm(forms.Form):
    objectives = forms.CharField(
        label=_("What will the business do?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    activities = forms.MultipleChoiceField(
        label=_("Activities"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Search above, then tick each activity. The first ticked is the main one."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activities"].choices = choices  # type: ignore[attr-defined]


class AddressForm(PlaceForm):
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=50, required=False)


class ContactForm(forms.Form):
    phone = forms.CharField(
        label=_("Business phone number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Business email address"), required=False)


class CapitalForm(forms.Form):
    capital_khr = WholeNumberField(label=_("Capital in riel (KHR)"), min_value=0)
    share_count = WholeNumberField(label=_("Number of shares"), min_value=1)


class ParentCompanyForm(forms.Form):
    parent_name = forms.CharField(label=_("Name of the parent company"), max_length=200)
    # Lists are callables so that the names follow the language of each request.
    parent_country = forms.ChoiceField(
        label=_("Country of the parent company"), choices=_countries_with_blank
    )
    parent_registration_number = forms.CharField(
        label=_("Registration number abroad"), max_length=100, required=False
    )


class PersonForm(forms.Form):
    name_km = forms.CharField(label=_("Name in Khmer"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in Latin letters"), max_length=200, required=False)
    nationality = forms.ChoiceField(
        label=_("Nationality or country"), choices=countries.choices, initial=countries.CAMBODIA
    )
    id_kind = forms.ChoiceField(label=_("Document"), choices=IdKind.choices)
    id_number = forms.CharField(label=_("Document number"), max_length=50)


class PartyForm(PersonForm):
    role = forms.ChoiceField(label=_("Role"))
    kind = forms.ChoiceField(
        label=_("Person or company"), choices=PersonKind.choices, initial=PersonKind.NATURAL
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    shares = WholeNumberField(label=_("Shares held"), required=False, min_value=1)
    field_order = ["role", "kind", "name_km", "name_en", "nationality", "id_kind", "id_number"]

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]


class BeneficialOwnerForm(PersonForm):
    ownership_percent = WholeNumberField(
        label=_("Ownership or control (%)"), min_value=1, max_value=100
    )
    control_description = forms.CharField(
        label=_("How they own or control the business"), max_length=300, required=False
    )


class ConfirmOwnersForm(forms.Form):
    no_other_beneficial_owners = forms.BooleanField(
        label=_(
            "I confirm that no other person owns or controls a quarter (25 per cent) or more "
            "of the business."
        ),
        required=True,
        error_messages={"required": _("Confirm there are no other beneficial owners.")},
    )


class EmploymentForm(forms.Form):
    khmer_staff = WholeNumberField(label=_("Cambodian staff"), min_value=0, initial=0)
    foreign_staff = WholeNumberField(label=_("Foreign staff"), min_value=0, initial=0)
    opening_date = forms.DateField(
        label=_("Opening date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


MONTHS = [(i, str(i)) for i in range(1, 13)]


class TaxForm(forms.Form):
    expected_turnover_khr = WholeNumberField(
        label=_("Expected turnover in the first year (KHR)"), min_value=0
    )
    vat_registration = forms.BooleanField(label=_("Register for VAT"), required=False)
    accounting_year_start_month = forms.TypedChoiceField(
        label=_("Accounting year starts in month"), choices=MONTHS, coerce=int, initial=1
    )


class IncentivesForm(forms.Form):
    wanted = forms.TypedChoiceField(
        label=_("Do you want to ask the CDC for investment incentives?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    investment_khr = WholeNumberField(
        label=_("Planned investment (KHR)"), min_value=0, required=False
    )
    project_description = forms.CharField(
        label=_("The investment project"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SignboardForm(forms.Form):
    text_km = forms.CharField(label=_("Signboard text in Khmer"), max_length=200, required=False)
    text_en = forms.CharField(
        label=_("Signboard text in Latin letters"), max_length=200, required=False
    )
    width_cm = WholeNumberField(label=_("Width (cm)"), min_value=1)
    height_cm = WholeNumberField(label=_("Height (cm)"), min_value=1)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class RepresentativeForm(forms.Form):
    identifier = forms.CharField(
        label=_("Their email address or mobile phone number"),
        max_length=254,
        help_text=_("They need an account on Single Portal."),
    )


class DeclarationForm(forms.Form):
    declared_by_name = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=200,
        help_text=_("I declare that the information in this application is true and complete."),
    )
