"""Choosing a place: province -> district -> commune -> village, each list narrowed by the
level above. Works without JavaScript (Continue brings the next list) and with htmx (choosing
a place swaps in the next list from geo:place_options)."""

from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from singleportal.geo import selectors
from singleportal.geo.models import PLACE_MODELS, Level, Place

CHOOSE = {
    Level.PROVINCE: _("Choose a province"),
    Level.DISTRICT: _("Choose a district"),
    Level.COMMUNE: _("Choose a commune"),
    Level.VILLAGE: _("Choose a village"),
}
CHOOSE_PARENT_FIRST = {
    Level.DISTRICT: _("Choose a province first"),
    Level.COMMUNE: _("Choose a district first"),
    Level.VILLAGE: _("Choose a commune first"),
}
REQUIRED = {
    Level.PROVINCE: _("Choose the province or the capital."),
    Level.DISTRICT: _("Choose the district, municipality or khan."),
    Level.COMMUNE: _("Choose the commune or sangkat."),
    Level.VILLAGE: _("Choose the village."),
}


class PlaceChoiceField(forms.ModelChoiceField):
    """Options by code, named in the page's language."""

    def __init__(self, level: Level) -> None:
        super().__init__(
            queryset=PLACE_MODELS[level].objects.none(),
            to_field_name="code",
            label=level.label,
            empty_label=CHOOSE[level],
            error_messages={"required": REQUIRED[level]},
            widget=forms.Select(attrs={"autocomplete": "off"}),
        )

    def label_from_instance(self, obj: Place) -> str:
        return obj.name


class PlaceForm(forms.Form):
    """A place, narrowed level by level. Reuse it by inheriting (add fields beside it; set
    `place_levels`, or pass it, to stop higher up) and render the levels with
    {% include "geo/_place_fields.html" %}.

    `is_valid()` holds only once every level in `place_levels` is chosen. A list the user has
    not seen yet (just opened by the level above) shows no error; a list seen and left empty
    does. A choice that no longer fits its parent (the parent was changed without JavaScript)
    is cleared without an error.
    """

    place_levels: tuple[Level, ...] = tuple(Level)

    province = PlaceChoiceField(Level.PROVINCE)
    district = PlaceChoiceField(Level.DISTRICT)
    commune = PlaceChoiceField(Level.COMMUNE)
    village = PlaceChoiceField(Level.VILLAGE)

    def __init__(self, *args: Any, place_levels: tuple[Level, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.place_levels = place_levels or self.place_levels
        for level in Level:
            if level not in self.place_levels:
                del self.fields[level]
        self.chosen: dict[str, Place] = {}
        self._narrow()

    def _narrow(self) -> None:
        if self.is_bound:
            # A mutable copy (a QueryDict stays one): stale choices are cleared below.
            self.data = cast(Any, self.data).copy()
        parent: Place | None = None
        shown = True  # is this level's list shown to the user?
        for index, level in enumerate(self.place_levels):
            field = cast(PlaceChoiceField, self.fields[level])
            key = self.add_prefix(level)
            if index + 1 < len(self.place_levels):
                self._ask_htmx_for(field, self.place_levels[index + 1])
            if not shown:
                field.disabled, field.required = True, False
                field.empty_label = CHOOSE_PARENT_FIRST[level]
                continue
            field.queryset = selectors.children_of(level, parent.code if parent else None)
            value = self.data.get(key) if self.is_bound else None
            place = field.queryset.filter(code=value).first() if value else None
            if place is not None:
                self.chosen[level] = parent = place
                continue
            shown = False
            if not (self.is_bound and key in self.data and value == ""):
                field.required = False  # not seen yet, or left from an older parent: no error
                if self.is_bound and key in self.data:
                    cast(Any, self.data)[key] = ""

    def _ask_htmx_for(self, field: forms.Field, next_level: Level) -> None:
        url = reverse("geo:place_options", args=[next_level])
        # The fragment must render the lists exactly as this form does.
        query = {"prefix": self.prefix, "last": self.place_levels[-1]}
        if self.prefix or self.place_levels[-1] != Level.VILLAGE:
            url += "?" + urlencode({k: v for k, v in query.items() if v})
        field.widget.attrs.update(
            {
                "hx-get": url,
                "hx-trigger": "change",
                "hx-target": f"#{self[next_level].auto_id}-field",
                "hx-swap": "outerHTML",
            }
        )

    def is_valid(self) -> bool:
        return super().is_valid() and all(level in self.chosen for level in self.place_levels)

    @property
    def place(self) -> Place | None:
        """The most precise place chosen so far."""
        for level in reversed(self.place_levels):
            if level in self.chosen:
                return self.chosen[level]
        return None

    def chosen_places(self) -> list[tuple[str, Place]]:
        """(level label, place) for each level chosen, from the province down."""
        return [
            (str(self.fields[lv].label), self.chosen[lv])
            for lv in self.place_levels
            if lv in self.chosen
        ]

    def place_fields(self) -> list[forms.BoundField]:
        return [self[level] for level in self.place_levels]
