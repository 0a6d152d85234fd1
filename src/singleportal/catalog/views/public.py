"""Public catalogue pages (no sign-in): one product, a profile's catalogue, photo files.

Light for a phone: no htmx, thumbnails lazy-loaded with their sizes, a profile's catalogue
paged by cursor (tests/catalog/test_pages.py weighs it and counts its queries).
"""

from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from singleportal.catalog import presenting, selectors
from singleportal.catalog.vocabulary import Category
from singleportal.core.access import public
from singleportal.core.bilingual import bilingual
from singleportal.directory.access import can_manage


@public
@require_GET
def product(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.product_for_page(request.user, slug)
    photos = found.photo_list  # type: ignore[attr-defined]
    village = found.origin_village
    places = []
    if village is not None:
        commune = village.commune
        places = [village, commune, commune.district, commune.district.province]
    url = presenting.page_url(found)
    context = {
        "product": found,
        "title": bilingual(found, "title"),
        "description": bilingual(found, "description"),
        "technique": bilingual(found, "technique"),
        "summary": presenting.summary(found),
        "canonical": presenting.absolute(url),
        "og_image": presenting.absolute(presenting.photo_url(photos[0])) if photos else "",
        "photos": [
            {
                "url": presenting.photo_url(photo),
                "alt": bilingual(photo, "alt"),
                "width": photo.width,
                "height": photo.height,
            }
            for photo in photos
        ],
        "maker": presenting.maker(found),
        "places": [place.name for place in places],
        "materials": presenting.material_labels(found),
        "dimensions": presenting.dimensions(found),
        "retail": presenting.price_range(found.retail_min, found.retail_max, found.currency),
        "wholesale": presenting.price_range(
            found.wholesale_min, found.wholesale_max, found.currency
        ),
        "hs_heading": presenting.hs_heading(found),
        "variants": [{"label": bilingual(v, "label"), "variant": v} for v in found.variants.all()],
        "marks": [presenting.mark_badge(mark) for mark in found.marks.all()],
        "can_manage": can_manage(request.user, found.profile),
    }
    return render(request, "catalog/product.html", context)


@public
@require_GET
def profile_catalogue(request: HttpRequest, profile_slug: str) -> HttpResponse:
    """A profile's published products, newest first, 24 a page, filterable by category."""
    profile = selectors.public_profile(profile_slug)
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    products = selectors.public_products().filter(profile=profile)
    if category:
        products = products.filter(category=category)
    after = selectors.decode_cursor(request.GET.get("after", ""))
    page = selectors.page_of(products, after=after)
    params = {"category": category} if category else {}
    context = {
        "profile": profile,
        "name": bilingual(profile, "name"),
        "cards": [presenting.card(p) for p in page.products],
        "categories": Category.choices,
        "category": category,
        "next_url": f"?{urlencode({**params, 'after': page.next_cursor})}"
        if page.next_cursor
        else "",
        "first_url": f"?{urlencode(params)}" if after is not None else "",
        "canonical": presenting.absolute(request.path),
    }
    return render(request, "catalog/profile_catalogue.html", context)


@public
@require_GET
def photo(request: HttpRequest, photo_id: int, kind: str) -> FileResponse:
    """A product photo's file (re-encoded, no EXIF), for whoever may see its product."""
    found = selectors.photo_by_id(photo_id)
    if found is None or kind not in ("full", "thumb"):
        raise Http404
    if not selectors.can_see(request.user, found.product):
        raise Http404
    field = found.thumbnail if kind == "thumb" else found.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    # A photo's file never changes (a new photo is a new row): cache it long where public.
    shown = found.product.published and found.product.profile.published
    response["Cache-Control"] = "public, max-age=604800" if shown else "private, max-age=0"
    return response
