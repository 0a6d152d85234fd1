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
    which is what htmx sends from the parent's select), plus emptied lists below it."""
    if level not in Level.values:
        raise Http404
    prefix = request.GET.get("prefix") or None
    data: dict[str, str] = {}
    if level != Level.PROVINCE:
        parent_level = selectors.PARENT_LEVEL[Level(level)]
        parent_key = f"{prefix}-{parent_level}" if prefix else parent_level
        parent_code = request.GET.get("parent") or request.GET.get(parent_key, "")
        if selectors.place(parent_level, parent_code) is None:
            raise Http404(f"No {parent_level} with code {parent_code}.")
        data = {
            (f"{prefix}-{each}" if prefix else each): code
            for each, code in selectors.ancestors_of(parent_level, parent_code).items()
        }
    form = PlaceForm(data, prefix=prefix)
    fields = form.place_fields()
    start = form.place_levels.index(Level(level))
    return render(
        request,
        "geo/_place_options.html",
        {"field": fields[start], "emptied": fields[start + 1 :]},
    )
