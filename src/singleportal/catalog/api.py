"""The product catalogue as an API: /api/v1/catalog/.

Public reads (no sign-in): published products, filtered and paged by cursor. Owners (members
of the product's profile, with a token or the page session) add, change and delete products,
add photos and import CSV files; others get 404 (another business's products are not even
confirmed to exist), anonymous callers 401. Writes call catalog.actions, as the pages do; a
rule broken is a 422 naming each field.

Money is integer minor units of the product's `currency`: US cents for USD, riel for KHR.
"""

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import File, Form, PatchDict, Router, Schema
from ninja.files import UploadedFile

from singleportal.catalog import actions, importing, presenting, selectors
from singleportal.catalog.models import Product
from singleportal.core.refusals import ErrorOut, refusal

router = Router(tags=["catalog"])
MONEY_DOC = " Prices are integer minor units of `currency`: US cents for USD, riel for KHR."


class ProfileRefOut(Schema):
    slug: str
    name_km: str
    name_en: str
    verified: bool


class ProductRowOut(Schema):
    slug: str
    url: str
    profile: ProfileRefOut
    title_km: str
    title_en: str
    category: str
    materials: list[str]
    origin_province: str | None
    origin_village: str | None
    currency: str
    retail_min: int | None
    retail_max: int | None
    wholesale_min: int | None
    wholesale_max: int | None
    wholesale_min_quantity: int | None
    moq: int | None
    lead_time_days: int | None
    hs_code: str
    stock_status: str
    published: bool
    thumbnail_url: str | None
    updated_at: datetime


class ProductPageOut(Schema):
    items: list[ProductRowOut]
    next_cursor: str | None


class PhotoOut(Schema):
    url: str
    thumbnail_url: str
    width: int
    height: int
    alt_km: str
    alt_en: str


class VariantOut(Schema):
    label_km: str
    label_en: str
    colour: str
    size: str
    sku: str
    stock_status: str


class MarkOut(Schema):
    kind: str
    issuer: str
    number: str
    valid_from: date
    valid_until: date | None
    status: str
    is_current: bool


class ProductOut(ProductRowOut):
    description_km: str
    description_en: str
    technique_km: str
    technique_en: str
    maker_kind: str
    maker_name_km: str
    maker_name_en: str
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None
    weight_g: int | None
    colours: str
    external_ref: str
    photos: list[PhotoOut]
    variants: list[VariantOut]
    marks: list[MarkOut]


class ProductFields(Schema):
    title_km: str = ""
    title_en: str = ""
    description_km: str = ""
    description_en: str = ""
    category: str = ""
    materials: list[str] = []
    technique_km: str = ""
    technique_en: str = ""
    maker_kind: str = "business"
    maker_name_km: str = ""
    maker_name_en: str = ""
    artisan_consent: bool = False
    artisan_consent_on: date | None = None
    origin_village: str = ""
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    weight_g: int | None = None
    colours: str = ""
    currency: str = "USD"
    retail_min: int | None = None
    retail_max: int | None = None
    wholesale_min: int | None = None
    wholesale_max: int | None = None
    wholesale_min_quantity: int | None = None
    moq: int | None = None
    lead_time_days: int | None = None
    hs_code: str = ""
    stock_status: str = "in_stock"
    published: bool = True
    external_ref: str = ""


class ProductIn(ProductFields):
    profile: str


class ImportProblemOut(Schema):
    line: int
    column: str
    code: str
    message: str


class ImportOut(Schema):
    id: int
    profile: str
    file_name: str
    status: str
    rows_total: int
    rows_done: int
    created: int
    updated: int
    unchanged: int
    rows_with_errors: int
    errors: list[ImportProblemOut]
    created_at: datetime
    finished_at: datetime | None


def _json(data: object, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _refusal(status: int, detail: str) -> JsonResponse:
    return _json({"detail": detail, "problems": []}, status)


def _answers_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """An action's refusals as the statuses the schemas document: 422 with each field's
    messages, 404 for what the caller may not manage."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except ValidationError as error:
            return _json(refusal(error), 422)
        except (PermissionDenied, Http404):
            return _refusal(404, _("No such product or profile among those you manage."))

    return wrapper


def _detail(product: Product, user: Any) -> dict:
    return presenting.product_api(selectors.product_for_page(user, product.slug), detail=True)


OWNER = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get(
    "/products",
    response={200: ProductPageOut, 422: ErrorOut},
    auth=None,
    summary="Search published products",
    description=(
        "Filters: `category`, `material` (codes as in docs/catalog.md), `province` (2-digit "
        "code of the province of origin), `profile` (a profile's slug). Newest first; pass "
        "`next_cursor` back as `cursor` for the next page." + MONEY_DOC
    ),
)
def list_products(
    request: HttpRequest,
    category: str = "",
    material: str = "",
    province: str = "",
    profile: str = "",
    cursor: str = "",
    limit: int = selectors.PAGE_SIZE,
) -> HttpResponse:
    filters = selectors.Filters(category, material, province, profile)
    problems = filters.errors()
    after = selectors.decode_cursor(cursor)
    if cursor and after is None:
        problems.append(_("This cursor is not valid."))
    if not 1 <= limit <= selectors.MAX_PAGE_SIZE:
        problems.append(
            _("limit must be between 1 and %(max)s.") % {"max": selectors.MAX_PAGE_SIZE}
        )
    if problems:
        return _refusal(422, " ".join(problems))
    page = selectors.page_of(filters.apply(selectors.public_products()), after=after, limit=limit)
    body = {
        "items": [presenting.product_api(product) for product in page.products],
        "next_cursor": page.next_cursor,
    }
    return _json(ProductPageOut.model_validate(body).model_dump(mode="json"))


@router.get(
    "/products/{slug}",
    response={200: ProductOut, 404: ErrorOut},
    auth=None,
    summary="One product, with its photos, variants and marks",
    description=(
        "A mark's `status` is `verified` once programme staff checked its document; "
        "`is_current` is true when it is verified and valid today." + MONEY_DOC
    ),
)
def get_product(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        product = selectors.product_for_page(request.user, slug)
    except Http404:
        return _refusal(404, _("No such product."))
    return _json(ProductOut(**presenting.product_api(product, detail=True)).model_dump(mode="json"))


@router.post(
    "/products",
    response={201: ProductOut, **OWNER},
    summary="Add a product to a profile you manage",
    description="`profile` is the profile's slug. Descriptions are sanitised HTML." + MONEY_DOC,
)
@_answers_errors
def create_product(request: HttpRequest, payload: ProductIn) -> HttpResponse:
    user = request.auth  # type: ignore[attr-defined]
    values = payload.model_dump()
    profile = selectors.managed_profile(user, values.pop("profile"))
    product = actions.create_product(profile, by=user, values=values)
    return _json(ProductOut(**_detail(product, user)).model_dump(mode="json"), 201)


@router.patch(
    "/products/{slug}",
    response={200: ProductOut, **OWNER},
    summary="Change some fields of a product you manage",
    description="Fields left out keep their value; the slug never changes." + MONEY_DOC,
)
@_answers_errors
def update_product(
    request: HttpRequest, slug: str, payload: PatchDict[ProductFields]
) -> HttpResponse:
    user = request.auth  # type: ignore[attr-defined]
    product = selectors.managed_product(user, slug)
    actions.update_product(product, by=user, values=payload)
    return _json(ProductOut(**_detail(product, user)).model_dump(mode="json"))


@router.delete(
    "/products/{slug}",
    response={204: None, **OWNER},
    summary="Delete a product you manage, with its photos, variants and marks",
)
@_answers_errors
def delete_product(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.auth  # type: ignore[attr-defined]
    actions.delete_product(selectors.managed_product(user, slug), by=user)
    return HttpResponse(status=204)


@router.post(
    "/products/{slug}/photos",
    response={201: PhotoOut, **OWNER},
    summary="Add a photo (multipart: `image`, and `alt_km` and/or `alt_en`)",
    description=(
        "JPEG, PNG or WebP by content, at most 8 MB; re-encoded without EXIF or location; "
        "a description in at least one language is required."
    ),
)
@_answers_errors
def add_photo(
    request: HttpRequest,
    slug: str,
    image: File[UploadedFile],
    alt_km: Form[str] = "",
    alt_en: Form[str] = "",
) -> HttpResponse:
    user = request.auth  # type: ignore[attr-defined]
    product = selectors.managed_product(user, slug)
    photo = actions.add_photo(product, by=user, upload=image, alt_km=alt_km, alt_en=alt_en)
    return _json(presenting.photo_api(photo), 201)


def _import_out(found: Any) -> dict:
    return {
        "id": found.pk,
        "profile": found.profile.slug,
        "file_name": found.file_name,
        "status": found.status,
        "rows_total": found.rows_total,
        "rows_done": found.rows_done,
        "created": found.created_count,
        "updated": found.updated_count,
        "unchanged": found.unchanged_count,
        "rows_with_errors": found.error_count,
        "errors": [
            {
                "line": e["line"],
                "column": e["column"],
                "code": e["code"],
                "message": importing.message(e),
            }
            for e in found.errors
        ],
        "created_at": found.created_at,
        "finished_at": found.finished_at,
    }


@router.post(
    "/imports",
    response={202: ImportOut, **OWNER},
    summary="Import products from a CSV file (multipart: `profile`, `file`)",
    description=(
        "The file is imported in the background; ask GET /imports/{id} for its progress and, "
        "when `status` is `done`, each row's problems. Columns: docs/catalog.md."
    ),
)
@_answers_errors
def start_import(
    request: HttpRequest, profile: Form[str], file: File[UploadedFile]
) -> HttpResponse:
    user = request.auth  # type: ignore[attr-defined]
    started = actions.start_import(selectors.managed_profile(user, profile), by=user, upload=file)
    found = selectors.import_for(user, started.pk)  # the task may already have run it
    return _json(ImportOut(**_import_out(found)).model_dump(mode="json"), 202)


@router.get(
    "/imports/{import_id}",
    response={200: ImportOut, 401: ErrorOut, 404: ErrorOut},
    summary="An import's status, counts and row-level problems",
)
@_answers_errors
def get_import(request: HttpRequest, import_id: int) -> HttpResponse:
    found = selectors.import_for(request.auth, import_id)  # type: ignore[attr-defined]
    return _json(ImportOut(**_import_out(found)).model_dump(mode="json"))
