from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from singleportal.registry.models import LegalForm


def _live(field_id: str) -> dict[str, str]:
    """htmx: fetch the results 300 ms after typing stops, with both names of the form."""
    return {
        "hx-get": str(reverse_lazy("names:check")),
        "hx-trigger": "input changed delay:300ms",
        "hx-target": "#name-results",
        "hx-swap": "outerHTML",
        "hx-include": "closest form",
        "hx-push-url": "true",
        "autocomplete": "off",
        "spellcheck": "false",
        "id": field_id,
    }


class NameCheckForm(forms.Form):
    # Lengths and characters are checked by names.validation, which says what is wrong.
    name_km = forms.CharField(
        label=_("Name in Khmer"),
        required=False,
        help_text=_("The legal name, for example: ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក"),
    )
    name_en = forms.CharField(
        label=_("Name in Latin letters"),
        required=False,
        help_text=_("For example: Angkor Silk Co., Ltd."),
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["name_km"].widget.attrs.update(_live("id_name_km"), lang="km")
        self.fields["name_en"].widget.attrs.update(_live("id_name_en"), lang="en")

    def clean(self) -> dict:
        data = super().clean() or {}
        if not (data.get("name_km") or "").strip() and not (data.get("name_en") or "").strip():
            raise forms.ValidationError(_("Enter a name in Khmer, in Latin letters, or both."))
        return data


class ReserveForm(forms.Form):
    name_km = forms.CharField(widget=forms.HiddenInput)
    name_en = forms.CharField(widget=forms.HiddenInput)
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
