"""The place picker page and the fragment that fills its next list (htmx)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from singleportal.core.access import public
from singleportal.geo import selectors
from singleportal.geo.forms import PlaceForm
from singleportal.geo.models import Level


@public
@require_GET
def place_picker(request: HttpRequest) -> HttpResponse:
    """A demonstration of PlaceForm: a GET form, so each step is a plain, shareable URL."""
    form = PlaceForm(request.GET or None)
    complete = form.is_valid()
    return render(request, "geo/place_picker.html", {"form": form, "complete": complete})


@public
@require_GET
def place_options(request: HttpRequest, level: str) -> HttpResponse:
    """The `level` list under the parent given as ?parent=CODE (or as the parent's own field,
    which is what htmx sends from the parent's select), plus emptied lists below it down to
    ?last= (default: village). ?prefix= names the fields like a prefixed form."""
    last = request.GET.get("last") or Level.VILLAGE
    if level not in Level.values or last not in Level.values:
        raise Http404
    levels = tuple(Level)[: tuple(Level).index(Level(last)) + 1]
    if Level(level) not in levels:
        raise Http404
    prefix = request.GET.get("prefix") or None

    def field_name(each: str) -> str:
        return f"{prefix}-{each}" if prefix else each

    data: dict[str, str] = {}
    if level != Level.PROVINCE:
        parent_level = selectors.PARENT_LEVEL[Level(level)]
        parent_code = request.GET.get("parent") or request.GET.get(field_name(parent_level))
        if not parent_code or selectors.place(parent_level, parent_code) is None:
            raise Http404(f"No {parent_level} with code {parent_code}.")
        ancestors = selectors.ancestors_of(parent_level, parent_code)
        data = {field_name(each): code for each, code in ancestors.items()}
    form = PlaceForm(data, prefix=prefix, place_levels=levels)
    fields = form.place_fields()
    start = levels.index(Level(level))
    return render(
        request,
        "geo/_place_options.html",
        {"field": fields[start], "emptied": fields[start + 1 :]},
    )
