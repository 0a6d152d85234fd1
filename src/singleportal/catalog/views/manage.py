"""The owner's catalogue pages: products, photos, variants, marks and CSV imports.

Signed-in users only; every page then asks the selectors for a product or profile the user
manages, which answer 404 for anyone else (another business's products are not even confirmed
to exist). Writes go through catalog.actions, the same as the API's.
"""

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from singleportal.catalog import actions, hs_codes, importing, presenting, selectors
from singleportal.catalog.forms import (
    ImportForm,
    MarkForm,
    PhotoForm,
    PhotoTextForm,
    ProductForm,
    VariantForm,
)
from singleportal.catalog.models import Product
from singleportal.core.access import signed_in
from singleportal.core.bilingual import bilingual, page_language
from singleportal.core.forms import apply_errors
from singleportal.directory.selectors import managed_profiles
from singleportal.geo import selectors as geo_selectors
from singleportal.geo.forms import PlaceForm
from singleportal.geo.models import Level, Village


@signed_in
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """Every product of every profile the user manages, with the way to add more."""
    profiles = list(managed_profiles(request.user))
    products = selectors.products_of_managed_profiles(request.user)
    context = {
        "profiles": [{"profile": p, "name": bilingual(p, "name")} for p in profiles],
        "cards": [presenting.card(p) for p in products],
    }
    return render(request, "catalog/manage/mine.html", context)


def _origin_form(request: HttpRequest, product: Product | None) -> PlaceForm:
    if request.method == "POST":
        return PlaceForm(request.POST, prefix="origin")
    if product is not None and product.origin_village_id:
        data = geo_selectors.ancestors_of(Level.VILLAGE, product.origin_village_id)
        data[Level.VILLAGE] = product.origin_village_id
        return PlaceForm({f"origin-{k}": v for k, v in data.items()}, prefix="origin")
    return PlaceForm(prefix="origin")


def _origin_code(form: ProductForm, origin: PlaceForm, request: HttpRequest) -> str | None:
    """The village code chosen ("" for none), or None when a choice is half made."""
    if not request.POST.get("origin-province"):
        return ""
    if origin.is_valid() and isinstance(origin.place, Village):
        return origin.place.code
    form.add_error(None, _("Choose the village of origin down to the village, or leave the "
                           "province empty."))  # fmt: skip
    return None


def _hs_hint(form: ProductForm) -> dict[str, Any] | None:
    # A posted form has been validated (cleaned_data holds what was readable).
    data = form.cleaned_data if form.is_bound else form.initial
    heading = hs_codes.suggest(
        data.get("category") or "", data.get("materials") or [], data.get("technique_en") or ""
    )
    if heading is None:
        return None
    language = page_language()
    return {"code": heading.code, "description": getattr(heading, f"description_{language}")}


def _product_form_page(
    request: HttpRequest, *, profile: Any, product: Product | None
) -> HttpResponse:
    initial = ProductForm.initial_from(product) if product else {}
    form = ProductForm(request.POST or None, initial=initial)
    origin = _origin_form(request, product)
    if request.method == "POST" and form.is_valid():
        village = _origin_code(form, origin, request)
        if village is not None:
            values = {**form.values(), "origin_village": village}
            if not values["hs_code"]:
                hint = _hs_hint(form)
                values["hs_code"] = hint["code"] if hint else ""
            try:
                if product is None:
                    saved = actions.create_product(profile, by=request.user, values=values)
                    messages.success(request, _("The product was added. Now add its photos."))
                    return redirect("catalog:photos", slug=saved.slug)
                actions.update_product(product, by=request.user, values=values)
                messages.success(request, _("Your changes were saved."))
                return redirect("catalog:product", slug=product.slug)
            except ValidationError as error:
                apply_errors(form, error)
    context = {
        "form": form,
        "origin": origin,
        "profile": profile,
        "profile_name": bilingual(profile, "name"),
        "product": product,
        "hs_hint": _hs_hint(form),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "catalog/manage/product_form.html", context, status=status)


@signed_in
def add_product(request: HttpRequest, profile_slug: str) -> HttpResponse:
    profile = selectors.managed_profile(request.user, profile_slug)
    return _product_form_page(request, profile=profile, product=None)


@signed_in
def edit_product(request: HttpRequest, slug: str) -> HttpResponse:
    product = selectors.managed_product(request.user, slug)
    return _product_form_page(request, profile=product.profile, product=product)


@signed_in
def delete_product(request: HttpRequest, slug: str) -> HttpResponse:
    product = selectors.managed_product(request.user, slug)
    if request.method == "POST":
        actions.delete_product(product, by=request.user)
        messages.success(request, _("The product was deleted."))
        return redirect("catalog:mine")
    return render(
        request,
        "catalog/manage/delete_product.html",
        {"product": product, "title": bilingual(product, "title")},
    )


# -- photos -----------------------------------------------------------------------------------


@signed_in
def photos(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload photos (one at a time, each with its description), reorder, describe, delete."""
    product = selectors.managed_product(request.user, slug)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_photo(
                product,
                by=request.user,
                upload=form.cleaned_data["image"],
                alt_km=form.cleaned_data["alt_km"],
                alt_en=form.cleaned_data["alt_en"],
            )
            messages.success(request, _("The photo was added."))
            return redirect("catalog:photos", slug=slug)
        except ValidationError as error:
            apply_errors(form, error)
    context = {
        "product": product,
        "title": bilingual(product, "title"),
        "form": form,
        "photos": [
            {
                "photo": photo,
                "url": presenting.photo_url(photo, thumbnail=True),
                "alt": bilingual(photo, "alt"),
                "form": PhotoTextForm(
                    initial={"alt_km": photo.alt_km, "alt_en": photo.alt_en}, prefix=f"p{photo.pk}"
                ),
            }
            for photo in product.photos.order_by("position", "pk")
        ],
    }
    return render(
        request, "catalog/manage/photos.html", context, status=422 if form.errors else 200
    )


@signed_in
@require_POST
def photo_change(request: HttpRequest, slug: str, photo_id: int) -> HttpResponse:
    """One photo's buttons: earlier, later, save its description, delete."""
    product = selectors.managed_product(request.user, slug)
    photo = get_object_or_404(product.photos, pk=photo_id)
    change = request.POST.get("change")
    if change in ("up", "down"):
        actions.move_photo(photo, by=request.user, offset=-1 if change == "up" else 1)
    elif change == "delete":
        actions.delete_photo(photo, by=request.user)
        messages.success(request, _("The photo was deleted."))
    else:
        form = PhotoTextForm(request.POST, prefix=f"p{photo.pk}")
        form.is_valid()
        try:
            actions.describe_photo(
                photo,
                by=request.user,
                alt_km=form.cleaned_data.get("alt_km", ""),
                alt_en=form.cleaned_data.get("alt_en", ""),
            )
            messages.success(request, _("The description was saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("catalog:photos", slug=slug)


# -- variants ---------------------------------------------------------------------------------


@signed_in
def variants(request: HttpRequest, slug: str, variant_id: int | None = None) -> HttpResponse:
    """The product's variants and a form to add one (or change the one in the URL)."""
    product = selectors.managed_product(request.user, slug)
    variant = get_object_or_404(product.variants, pk=variant_id) if variant_id else None
    initial = {name: getattr(variant, name) for name in VariantForm.base_fields} if variant else {}
    form = VariantForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("change") == "delete" and variant:
        actions.delete_variant(variant, by=request.user)
        messages.success(request, _("The variant was deleted."))
        return redirect("catalog:variants", slug=slug)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_variant(
                product, by=request.user, values=form.cleaned_data, variant=variant
            )
            messages.success(request, _("The variant was saved."))
            return redirect("catalog:variants", slug=slug)
        except ValidationError as error:
            apply_errors(form, error)
    context = {
        "product": product,
        "title": bilingual(product, "title"),
        "form": form,
        "variant": variant,
        "variants": [
            {"variant": v, "label": bilingual(v, "label")} for v in product.variants.all()
        ],
    }
    return render(
        request, "catalog/manage/variants.html", context, status=422 if form.errors else 200
    )


# -- marks ------------------------------------------------------------------------------------


@signed_in
def marks(request: HttpRequest, slug: str) -> HttpResponse:
    product = selectors.managed_product(request.user, slug)
    form = MarkForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("delete"):
        mark = get_object_or_404(product.marks, pk=request.POST["delete"])
        actions.delete_mark(mark, by=request.user)
        messages.success(request, _("The mark was removed."))
        return redirect("catalog:marks", slug=slug)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_mark(product, by=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("The mark was added. It shows as not verified until programme staff check it."),
            )
            return redirect("catalog:marks", slug=slug)
        except ValidationError as error:
            apply_errors(form, error)
    context = {
        "product": product,
        "title": bilingual(product, "title"),
        "form": form,
        "marks": [
            {"mark": mark, "badge": presenting.mark_badge(mark),
             "decision": next(iter(mark.decisions.all()), None)}
            for mark in selectors.marks_of(product)
        ],
    }  # fmt: skip
    return render(request, "catalog/manage/marks.html", context, status=422 if form.errors else 200)


@signed_in
@require_GET
def mark_document(request: HttpRequest, mark_id: int) -> FileResponse:
    """A mark's document: for its product's members and programme staff only."""
    mark = selectors.mark_for_document(request.user, mark_id)
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(mark.document_type, "jpg")
    response = FileResponse(
        mark.document.open("rb"),
        content_type=mark.document_type,
        filename=f"mark-{mark.pk}.{extension}",
    )
    response["Cache-Control"] = "private, max-age=0"
    return response


# -- CSV imports ------------------------------------------------------------------------------


@signed_in
def import_products(request: HttpRequest, profile_slug: str) -> HttpResponse:
    profile = selectors.managed_profile(request.user, profile_slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = actions.start_import(
                profile, by=request.user, upload=form.cleaned_data["file"]
            )
            return redirect("catalog:import", import_id=started.pk)
        except ValidationError as error:
            apply_errors(form, error)
    context = {
        "profile": profile,
        "profile_name": bilingual(profile, "name"),
        "form": form,
        "columns": importing.COLUMNS,
        "imports": selectors.imports_of(profile)[:10],
    }
    return render(
        request, "catalog/manage/import.html", context, status=422 if form.errors else 200
    )


ERRORS_SHOWN = 200


@signed_in
@require_GET
def import_result(request: HttpRequest, import_id: int) -> HttpResponse:
    """Progress while it runs (the page refreshes itself), then counts and the bad rows."""
    found = selectors.import_for(request.user, import_id)
    errors = [
        {**entry, "message": importing.message(entry)} for entry in found.errors[:ERRORS_SHOWN]
    ]
    context = {
        "product_import": found,
        "profile_name": bilingual(found.profile, "name"),
        "errors": errors,
        "more_errors": max(len(found.errors) - ERRORS_SHOWN, 0),
    }
    return render(request, "catalog/manage/import_result.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _inert(cell: object) -> object:
    """A cell a spreadsheet will not run as a formula (column names come from the file)."""
    text = str(cell)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else cell


@signed_in
@require_GET
def import_errors_csv(request: HttpRequest, import_id: int) -> HttpResponseBase:
    """The row-level report as CSV (line, column, reason), in the reader's language."""
    found = selectors.import_for(request.user, import_id)
    writer = csv.writer(_Echo())
    lines = [writer.writerow([_("line"), _("column"), _("problem")])]
    lines += [
        writer.writerow([entry["line"], _inert(entry["column"]), _inert(importing.message(entry))])
        for entry in found.errors
    ]
    response = HttpResponse("\ufeff" + "".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{found.pk}-errors.csv"'
    return response
