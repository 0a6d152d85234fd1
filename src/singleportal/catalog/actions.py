"""Writes on the catalogue. Pages, the API, tasks and the demo all call these.

Rule for every action on a product, its photos, variants and marks: only members of the
product's profile (directory.access.can_manage) may do it; anyone else gets PermissionDenied.
Only programme staff decide on marks. Each action runs in one transaction with an audit entry.
"""

from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from singleportal.applications import uploads
from singleportal.audit import chain as audit
from singleportal.catalog import importing, rules, tasks
from singleportal.catalog.models import (
    MarkDecision,
    MarkOutcome,
    Product,
    ProductImport,
    ProductMark,
    ProductMaterial,
    ProductPhoto,
    ProductVariant,
)
from singleportal.catalog.slugs import unique_slugs
from singleportal.catalog.vocabulary import MarkKind, StockStatus
from singleportal.core.photos import add_last, described
from singleportal.core.storage import delete_on_commit, deleted_if_failed
from singleportal.directory.access import can_manage, is_programme_staff
from singleportal.directory.models import Profile
from singleportal.geo.models import Village

# The fields an owner sets on a product (materials are their own rows).
PRODUCT_FIELDS = (
    "title_km", "title_en", "description_km", "description_en", "category", "technique_km",
    "technique_en", "maker_kind", "maker_name_km", "maker_name_en", "artisan_consent",
    "artisan_consent_on", "length_mm", "width_mm", "height_mm", "weight_g", "colours",
    "currency", "retail_min", "retail_max", "wholesale_min", "wholesale_max",
    "wholesale_min_quantity", "moq", "lead_time_days", "hs_code", "stock_status", "published",
    "external_ref",
)  # fmt: skip


def ensure_can_manage(user: Any, profile: Profile) -> None:
    if not can_manage(user, profile):
        raise PermissionDenied(_("Only the members of this business may change its catalogue."))


def problems_error(problems: Iterable[rules.Problem]) -> ValidationError:
    by_field: dict[str, list[str]] = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(problem.message)
    return ValidationError(by_field)


def _checked_values(values: dict[str, Any]) -> dict[str, Any]:
    """Normalised values, or ValidationError naming each field that breaks a rule."""
    clean = rules.normalise(values)
    problems = rules.product_problems(clean)
    village = clean.get("origin_village") or ""
    if village and not Village.objects.filter(code=village).exists():
        problems.append(rules.Problem("origin_village", "village_unknown", {"value": village}))
    if problems:
        raise problems_error(problems)
    return clean


def _apply(product: Product, clean: dict[str, Any]) -> None:
    for name in PRODUCT_FIELDS:
        if name in clean:
            setattr(product, name, clean[name])
    if "origin_village" in clean:
        product.origin_village_id = clean["origin_village"] or None
        product.origin_province_id = clean["origin_province"] or None


def _set_materials(product: Product, materials: list[str]) -> None:
    ProductMaterial.objects.filter(product=product).delete()
    ProductMaterial.objects.bulk_create(
        ProductMaterial(product=product, material=code, position=index)
        for index, code in enumerate(dict.fromkeys(materials))
    )


def create_product(profile: Profile, *, by: Any, values: dict[str, Any]) -> Product:
    """Add a product to the profile's catalogue. `values` holds PRODUCT_FIELDS, `materials`
    (codes, main material first) and `origin_village` (a village code or "")."""
    ensure_can_manage(by, profile)
    clean = _checked_values(values)
    with transaction.atomic():
        product = Product(profile=profile, created_by=by)
        _apply(product, clean)
        product.slug = unique_slugs([(product.title_en, product.title_km)])[0]
        product.save()
        _set_materials(product, clean.get("materials") or [])
        audit.record(by, "catalog.product_created", product, {"profile": profile.slug})
    return product


def update_product(product: Product, *, by: Any, values: dict[str, Any]) -> Product:
    """Change the given fields of a product (others keep their value). The slug never
    changes, so shared links keep working."""
    ensure_can_manage(by, product.profile)
    current = {name: getattr(product, name) for name in PRODUCT_FIELDS}
    current["origin_village"] = product.origin_village_id or ""
    current["materials"] = product.materials_list
    clean = _checked_values({**current, **values})
    changed = sorted(name for name in values if clean.get(name) != current.get(name))
    with transaction.atomic():
        _apply(product, clean)
        product.save()
        if "materials" in values:
            _set_materials(product, clean.get("materials") or [])
        audit.record(by, "catalog.product_updated", product, {"fields": changed})
    return product


def delete_product(product: Product, *, by: Any) -> None:
    """Remove a product with its photos, variants and marks (their files go after commit)."""
    ensure_can_manage(by, product.profile)
    files = [f for photo in product.photos.all() for f in (photo.image, photo.thumbnail)]
    files += [mark.document for mark in product.marks.all()]
    with transaction.atomic():
        audit.record(by, "catalog.product_deleted", product, {"slug": product.slug})
        product.delete()
        delete_on_commit(*files)


# -- photos -----------------------------------------------------------------------------------


def add_photo(
    product: Product, *, by: Any, upload: IO[bytes], alt_km: str = "", alt_en: str = ""
) -> ProductPhoto:
    """Check and re-encode the photo (core.photos), then add it last."""
    ensure_can_manage(by, product.profile)
    alt_km, alt_en = described(alt_km, alt_en)
    return add_last(
        ProductPhoto(product=product, alt_km=alt_km, alt_en=alt_en),
        upload,
        siblings=product.photos.all(),
        field="image",
        record=lambda photo: audit.record(by, "catalog.photo_added", product, {"photo": photo.pk}),
    )


def describe_photo(photo: ProductPhoto, *, by: Any, alt_km: str, alt_en: str) -> ProductPhoto:
    ensure_can_manage(by, photo.product.profile)
    alt_km, alt_en = described(alt_km, alt_en)
    with transaction.atomic():
        photo.alt_km, photo.alt_en = alt_km, alt_en
        photo.save(update_fields=["alt_km", "alt_en"])
        audit.record(by, "catalog.photo_described", photo.product, {"photo": photo.pk})
    return photo


def move_photo(photo: ProductPhoto, *, by: Any, offset: int) -> None:
    """Move a photo `offset` places (-1 earlier, +1 later); the first photo is the main one."""
    product = photo.product
    ensure_can_manage(by, product.profile)
    with transaction.atomic():
        photos = list(product.photos.select_for_update().order_by("position", "pk"))
        index = next(i for i, each in enumerate(photos) if each.pk == photo.pk)
        target = min(max(index + offset, 0), len(photos) - 1)
        photos.insert(target, photos.pop(index))
        for position, each in enumerate(photos):
            each.position = position
        ProductPhoto.objects.bulk_update(photos, ["position"])
        audit.record(by, "catalog.photo_moved", product, {"photo": photo.pk, "to": target})


def delete_photo(photo: ProductPhoto, *, by: Any) -> None:
    product = photo.product
    ensure_can_manage(by, product.profile)
    files = [photo.image, photo.thumbnail]
    with transaction.atomic():
        audit.record(by, "catalog.photo_deleted", product, {"photo": photo.pk})
        photo.delete()
        delete_on_commit(*files)


# -- variants ---------------------------------------------------------------------------------

VARIANT_FIELDS = ("label_km", "label_en", "colour", "size", "sku", "stock_status")


def _variant_values(values: dict[str, Any]) -> dict[str, Any]:
    clean = {name: (values.get(name) or "").strip() for name in VARIANT_FIELDS}
    clean["stock_status"] = clean["stock_status"] or StockStatus.IN_STOCK
    errors: dict[str, str] = {}
    if not (clean["label_km"] or clean["label_en"]):
        errors["label_km"] = _("Name the variant in Khmer or in English.")
    if clean["stock_status"] not in StockStatus.values:
        errors["stock_status"] = _("Choose the availability.")
    if errors:
        raise ValidationError(errors)
    return clean


def save_variant(
    product: Product, *, by: Any, values: dict[str, Any], variant: ProductVariant | None = None
) -> ProductVariant:
    """Add a variant (colour, size) to the product, or change `variant`."""
    ensure_can_manage(by, product.profile)
    clean = _variant_values(values)
    if clean["sku"]:
        clash = product.variants.filter(sku=clean["sku"])
        if variant is not None:
            clash = clash.exclude(pk=variant.pk)
        if clash.exists():
            raise ValidationError({"sku": _("Another variant of this product has this code.")})
    with transaction.atomic():
        if variant is None:
            last = product.variants.aggregate(last=Max("position"))["last"]
            variant = ProductVariant(product=product, position=0 if last is None else last + 1)
        for name, value in clean.items():
            setattr(variant, name, value)
        variant.save()
        audit.record(by, "catalog.variant_saved", product, {"variant": variant.pk})
    return variant


def delete_variant(variant: ProductVariant, *, by: Any) -> None:
    ensure_can_manage(by, variant.product.profile)
    with transaction.atomic():
        audit.record(by, "catalog.variant_deleted", variant.product, {"variant": variant.pk})
        variant.delete()


# -- marks ------------------------------------------------------------------------------------


def add_mark(
    product: Product,
    *,
    by: Any,
    kind: str,
    issuer: str,
    number: str,
    valid_from: Any,
    valid_until: Any,
    document: File,
) -> ProductMark:
    """The owner claims a mark with its document (PDF, JPEG or PNG by content, size-capped);
    it shows as "not verified" until programme staff decide."""
    ensure_can_manage(by, product.profile)
    errors: dict[str, str] = {}
    if kind not in MarkKind.values:
        errors["kind"] = _("Choose the kind of mark.")
    if not issuer.strip():
        errors["issuer"] = _("Say who issued it.")
    if valid_from is None:
        errors["valid_from"] = _("Give the day it became valid.")
    elif valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("The end of validity is before its start.")
    try:
        content_type = uploads.check_upload(document, document.size or 0)
    except ValidationError as error:
        errors["document"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    mark = ProductMark(
        product=product,
        kind=kind,
        issuer=issuer.strip(),
        number=number.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        document_type=content_type,
        created_by=by,
    )
    mark.document.save(document.name or "document", document, save=False)
    with deleted_if_failed(mark.document), transaction.atomic():
        mark.save()
        audit.record(by, "catalog.mark_added", product, {"mark": mark.pk, "kind": kind})
    return mark


def delete_mark(mark: ProductMark, *, by: Any) -> None:
    ensure_can_manage(by, mark.product.profile)
    files = [mark.document]
    with transaction.atomic():
        audit.record(by, "catalog.mark_deleted", mark.product, {"mark": mark.pk})
        mark.delete()
        delete_on_commit(*files)


def decide_mark(mark: ProductMark, *, by: Any, outcome: str, reason: str = "") -> MarkDecision:
    """Programme staff verify or reject a mark; a rejection says why. Each decision is a new
    row; the mark's status follows the latest."""
    if not is_programme_staff(by):
        raise PermissionDenied(_("Only programme staff verify marks."))
    if outcome not in MarkOutcome.values:
        raise ValidationError({"outcome": _("Choose verify or reject.")})
    if outcome == MarkOutcome.REJECTED and not reason.strip():
        raise ValidationError({"reason": _("Say why the mark is rejected; the owner will see it.")})
    with transaction.atomic():
        locked = ProductMark.objects.select_for_update().get(pk=mark.pk)
        decision = MarkDecision.objects.create(
            mark=locked, outcome=outcome, decided_by=by, reason=reason.strip()
        )
        locked.status = outcome
        locked.save(update_fields=["status"])
        audit.record(
            by, "catalog.mark_decided", locked, {"outcome": outcome, "reason": reason.strip()}
        )
    mark.status = outcome
    return decision


# -- CSV imports ------------------------------------------------------------------------------


def import_max_bytes() -> int:
    return settings.CATALOG_IMPORT_MAX_BYTES


def start_import(profile: Profile, *, by: Any, upload: File) -> ProductImport:
    """Keep the owner's CSV file and queue its import (catalog.tasks.import_products); the
    import page shows its progress and, at the end, each bad row."""
    ensure_can_manage(by, profile)
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > import_max_bytes():
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)s MB. Split it into smaller files.")
                % {"limit": import_max_bytes() // (1024 * 1024)}
            }
        )
    product_import = ProductImport(
        profile=profile, created_by=by, file_name=uploads.safe_display_name(upload.name or "")
    )
    product_import.file.save("products.csv", upload, save=False)
    with transaction.atomic():
        product_import.save()
        audit.record(
            by, "catalog.import_started", product_import, {"file": product_import.file_name}
        )
        transaction.on_commit(lambda: tasks.import_products.delay(product_import.pk))
    return product_import


def run_import(import_id: int) -> ProductImport:
    """Import the file of a queued (or interrupted) import; a finished one is left alone."""
    product_import = ProductImport.objects.select_related("profile", "created_by").get(pk=import_id)
    if product_import.finished:
        return product_import
    with product_import.file.open("rb") as stored:
        data = stored.read()
    importing.run(product_import, data)
    with transaction.atomic():
        audit.record(
            product_import.created_by,
            "catalog.products_imported",
            product_import,
            {
                "status": product_import.status,
                "created": product_import.created_count,
                "updated": product_import.updated_count,
                "rows_with_errors": product_import.error_count,
            },
        )
    return product_import
