"""Forms of the directory pages. They turn text into types; the rules live in the actions."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from singleportal.applications.forms import WholeNumberField
from singleportal.core import countries
from singleportal.directory.models import ExportExperience, Profile, SpokenLanguage
from singleportal.geo.forms import PlaceForm
from singleportal.geo.models import Level

# A workshop is placed to its commune; the village is welcome but not required.
REQUIRED_PLACE_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def _text(label: Any, *, rows: int = 3, lang: str = "", **kwargs: Any) -> forms.CharField:
    attrs = {"rows": str(rows)}
    if lang:
        attrs["lang"] = lang
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs=attrs), **kwargs
    )


class ClaimForm(forms.Form):
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=32,
        help_text=_("As on the certificate of registration, such as 1000000123."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=_("Number of your identity document"),
        max_length=50,
        required=False,
        help_text=_(
            "Needed unless you made the application yourself: the identity card or passport "
            "number you were named with as an owner, partner or director."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    officer_name = forms.CharField(
        label=_("Your name as the register shows it"),
        max_length=200,
        required=False,
        help_text=_(
            "Only for a business registered before the portal: programme staff check it "
            "against the register."
        ),
    )
    link_profile = forms.ModelChoiceField(
        label=_("Profile of yours to link"),
        queryset=Profile.objects.none(),
        required=False,
        empty_label=_("None: use the register's profile"),
        help_text=_(
            "If your group had a profile before it registered, choose it: it keeps its page "
            "and content and gains the badge."
        ),
    )

    def __init__(self, *args: Any, own_unregistered: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if own_unregistered is not None and own_unregistered.exists():
            self.fields["link_profile"].queryset = own_unregistered  # type: ignore[attr-defined]
        else:
            del self.fields["link_profile"]


class ProfileForm(PlaceForm):
    """The whole profile on one page, in sections (see SECTIONS). A verified profile's names
    are the register's and are not in the form."""

    name_km = forms.CharField(label=_("Name in Khmer"), max_length=255)
    name_en = forms.CharField(label=_("Name in English"), max_length=255, required=False)
    published = forms.BooleanField(
        label=_("Show the profile to the public"), required=False, initial=True
    )
    story_km = _text(
        _("Story in Khmer"),
        rows=8,
        lang="km",
        help_text=_("Who you are, how you work, what makes your craft yours."),
    )
    story_en = _text(_("Story in English"), rows=8, lang="en")
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken with buyers"),
        choices=SpokenLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    export_experience = forms.ChoiceField(
        label=_("Export experience"),
        choices=ExportExperience.choices,
        initial=ExportExperience.NONE,
        widget=forms.RadioSelect,
    )
    export_markets = forms.MultipleChoiceField(
        label=_("Countries exported to"),
        choices=countries.choices,
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": "6"}),
    )
    capacity_units_per_month = WholeNumberField(
        label=_("Capacity (units per month)"), required=False
    )
    lead_time_days = WholeNumberField(label=_("Lead time (days)"), required=False)
    minimum_order_units = WholeNumberField(label=_("Minimum order (units)"), required=False)
    payment_terms_km = _text(_("Payment terms in Khmer"), lang="km")
    payment_terms_en = _text(_("Payment terms in English"), lang="en")
    shipping_terms_km = _text(_("Shipping terms in Khmer"), lang="km")
    shipping_terms_en = _text(_("Shipping terms in English"), lang="en")
    team_size = WholeNumberField(label=_("Team size (people)"), required=False)
    # The range is the action's rule (the same message on the page and in the API).
    women_artisans_percent = WholeNumberField(
        label=_("Share of women artisans (%)"), required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    SECTIONS = (
        (_("Name and workshop"), ("name_km", "name_en", "published")),
        (_("Story"), ("story_km", "story_en")),
        (_("Selling to buyers"), ("languages", "export_experience", "export_markets",
                                  "capacity_units_per_month", "lead_time_days",
                                  "minimum_order_units", "payment_terms_km", "payment_terms_en",
                                  "shipping_terms_km", "shipping_terms_en")),
        (_("Team"), ("team_size", "women_artisans_percent")),
        (_("Contact (shown to signed-in buyers only)"),
         ("contact_name", "contact_phone", "contact_email", "contact_website")),
    )  # fmt: skip

    def __init__(self, *args: Any, verified: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[Level.VILLAGE].required = False
        if verified:
            del self.fields["name_km"], self.fields["name_en"]

    @classmethod
    def data_of(cls, profile: Profile) -> dict[str, Any]:
        """The profile as this form's data (a bound form shows the next place list)."""
        data: dict[str, Any] = {
            name: getattr(profile, name)
            for name in cls.base_fields
            if name not in Level.values and hasattr(profile, name)
        }
        for level in Level:
            code = getattr(profile, f"{level}_id")
            if code:  # an empty level is left out: "not chosen yet", no error on opening
                data[level] = code
        return {k: ("" if v is None else v) for k, v in data.items()}

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """(title, fields) of each section; the place lists go in the first (the template
        renders them with the place picker's own markup)."""
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self.SECTIONS
        ]

    def is_valid(self) -> bool:
        valid = forms.Form.is_valid(self)
        if valid and not all(level in self.chosen for level in REQUIRED_PLACE_LEVELS):
            self.add_error(
                None, _("Choose the province, the district and the commune of the workshop.")
            )
            return False
        return valid

    def changes(self) -> dict[str, Any]:
        """The cleaned data as the action's changes (places by code)."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in Level.values}
        for level in Level:
            place = self.chosen.get(level)
            data[level] = place.code if place else None
        return data


class MemberForm(forms.Form):
    identifier = forms.CharField(
        label=_("Email address or phone number"),
        max_length=200,
        help_text=_("The one they sign in with."),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 8 MB. Location data is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_km = forms.CharField(
        label=_("What the photo shows, in Khmer"), max_length=300, required=False
    )
    alt_en = forms.CharField(
        label=_("What the photo shows, in English"), max_length=300, required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note to the claimant"), max_length=500, required=False)
