"""Products of a business profile, their photos, variants, materials, marks and imports.

Money is integer minor units of the product's currency (riel for KHR, cents for USD), as in
payments. Descriptions are rich text cleaned by core.richtext.clean_html on every write
(catalog/actions). A product is public when it and its profile are published.

A mark (OVOP, geographical indication, ...) is claimed by the owner and decided by programme
staff; each decision is an append-only MarkDecision row and `ProductMark.status` is the cache
of the latest one:

    pending --verify--> verified
    pending --reject--> rejected
    verified/rejected --(a new decision)--> verified/rejected
"""

import datetime
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from singleportal.catalog.vocabulary import (
    Category,
    Currency,
    ImportStatus,
    MakerKind,
    MarkKind,
    MarkStatus,
    Material,
    StockStatus,
)
from singleportal.core.images import ProcessedPhoto
from singleportal.core.models import AppendOnly, Photo
from singleportal.directory.models import Profile
from singleportal.geo.models import Province, Village, place_field

HS_CODE_PATTERN = r"^(\d{4}|\d{6})$"


def _stored_name(folder: str, filename: str) -> str:
    # Random name: nothing the uploader typed reaches the file system.
    extension = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"catalog/{folder}/{uuid.uuid4().hex}{extension[:8]}"


def photo_path(instance: "ProductPhoto", filename: str) -> str:
    return _stored_name("photos", filename)


def mark_document_path(instance: "ProductMark", filename: str) -> str:
    return _stored_name("marks", filename)


def import_file_path(instance: "ProductImport", filename: str) -> str:
    return _stored_name("imports", filename)


class Product(models.Model):
    profile = models.ForeignKey(
        Profile, models.CASCADE, related_name="products", verbose_name=_("profile")
    )
    slug = models.SlugField(_("address of the page"), max_length=80, unique=True)
    title_km = models.CharField(_("title in Khmer"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description_km = models.TextField(_("description in Khmer"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    technique_km = models.CharField(_("technique in Khmer"), max_length=200, blank=True)
    technique_en = models.CharField(_("technique in English"), max_length=200, blank=True)

    maker_kind = models.CharField(
        _("made by"), max_length=16, choices=MakerKind.choices, default=MakerKind.BUSINESS
    )
    maker_name_km = models.CharField(_("maker's name in Khmer"), max_length=200, blank=True)
    maker_name_en = models.CharField(_("maker's name in English"), max_length=200, blank=True)
    # A named artisan is shown only with their consent, and the day they gave it.
    artisan_consent = models.BooleanField(_("the artisan agreed to be named"), default=False)
    artisan_consent_on = models.DateField(_("consent given on"), null=True, blank=True)

    origin_village = place_field(Village, _("village of origin"), db_column="origin_village_code")
    # Copied from the village on every write (its code's first two digits), for the filters.
    origin_province = place_field(
        Province, _("province of origin"), db_column="origin_province_code"
    )

    length_mm = models.PositiveIntegerField(_("length (mm)"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("width (mm)"), null=True, blank=True)
    height_mm = models.PositiveIntegerField(_("height (mm)"), null=True, blank=True)
    weight_g = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    colours = models.CharField(_("colours"), max_length=200, blank=True)

    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )
    retail_min = models.PositiveBigIntegerField(_("retail price from"), null=True, blank=True)
    retail_max = models.PositiveBigIntegerField(_("retail price up to"), null=True, blank=True)
    wholesale_min = models.PositiveBigIntegerField(_("wholesale price from"), null=True, blank=True)
    wholesale_max = models.PositiveBigIntegerField(
        _("wholesale price up to"), null=True, blank=True
    )
    wholesale_min_quantity = models.PositiveIntegerField(
        _("wholesale from (units)"), null=True, blank=True
    )
    moq = models.PositiveIntegerField(_("minimum order (units)"), null=True, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)
    hs_code = models.CharField(
        _("HS code"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(HS_CODE_PATTERN, _("An HS code is 4 or 6 digits."))],
    )
    stock_status = models.CharField(
        _("availability"), max_length=16, choices=StockStatus.choices, default=StockStatus.IN_STOCK
    )
    published = models.BooleanField(_("shown to the public"), default=True)
    # The owner's own reference (CSV import): importing it again updates the same product.
    external_ref = models.CharField(_("your reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "external_ref"],
                condition=~Q(external_ref=""),
                name="catalog_external_ref_once_per_profile",
            ),
            models.CheckConstraint(
                condition=~Q(title_km="") | ~Q(title_en=""), name="catalog_product_has_title"
            ),
            models.CheckConstraint(
                condition=Q(retail_min__isnull=True)
                | Q(retail_max__isnull=True)
                | Q(retail_min__lte=models.F("retail_max")),
                name="catalog_retail_min_le_max",
            ),
            models.CheckConstraint(
                condition=Q(wholesale_min__isnull=True)
                | Q(wholesale_max__isnull=True)
                | Q(wholesale_min__lte=models.F("wholesale_max")),
                name="catalog_wholesale_min_le_max",
            ),
            models.CheckConstraint(
                condition=~Q(maker_kind=MakerKind.ARTISAN)
                | Q(artisan_consent=True, artisan_consent_on__isnull=False),
                name="catalog_artisan_named_with_consent",
            ),
        ]
        indexes = [
            models.Index(fields=["category", "published"], name="catalog_category"),
            models.Index(fields=["origin_province", "published"], name="catalog_province"),
            models.Index(fields=["stock_status", "published"], name="catalog_stock"),
            models.Index(fields=["published", "-created_at", "-id"], name="catalog_published_new"),
            models.Index(fields=["profile", "published", "-id"], name="catalog_profile_list"),
        ]

    def __str__(self) -> str:
        return self.title_km or self.title_en

    @property
    def materials_list(self) -> list[str]:
        """Material codes in the owner's order (uses the prefetched rows when there are)."""
        return [row.material for row in self.material_rows.all()]


class ProductMaterial(models.Model):
    """One material of a product, a row each so that the catalogue filters and indexes them."""

    product = models.ForeignKey(Product, models.CASCADE, related_name="material_rows")
    material = models.CharField(_("material"), max_length=20, choices=Material.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["product", "position", "pk"]
        verbose_name = _("material of a product")
        verbose_name_plural = _("materials of products")
        constraints = [
            models.UniqueConstraint(fields=["product", "material"], name="catalog_material_once")
        ]
        indexes = [models.Index(fields=["material", "product"], name="catalog_material")]

    def __str__(self) -> str:
        return self.get_material_display()


class ProductVariant(models.Model):
    """A version of a product that differs in colour or size."""

    product = models.ForeignKey(Product, models.CASCADE, related_name="variants")
    label_km = models.CharField(_("name in Khmer"), max_length=120, blank=True)
    label_en = models.CharField(_("name in English"), max_length=120, blank=True)
    colour = models.CharField(_("colour"), max_length=60, blank=True)
    size = models.CharField(_("size"), max_length=60, blank=True)
    sku = models.CharField(_("stock code (SKU)"), max_length=60, blank=True)
    stock_status = models.CharField(
        _("availability"), max_length=16, choices=StockStatus.choices, default=StockStatus.IN_STOCK
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["product", "position", "pk"]
        verbose_name = _("variant of a product")
        verbose_name_plural = _("variants of products")
        constraints = [
            models.CheckConstraint(
                condition=~Q(label_km="") | ~Q(label_en=""), name="catalog_variant_has_label"
            ),
            models.UniqueConstraint(
                fields=["product", "sku"], condition=~Q(sku=""), name="catalog_sku_once"
            ),
        ]

    def __str__(self) -> str:
        return self.label_km or self.label_en


class ProductPhoto(Photo):
    product = models.ForeignKey(Product, models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=photo_path, max_length=200)
    thumbnail_width = models.PositiveIntegerField(_("thumbnail width"))
    thumbnail_height = models.PositiveIntegerField(_("thumbnail height"))

    class Meta(Photo.Meta):
        ordering = ["product", "position", "pk"]
        verbose_name = _("photo of a product")
        verbose_name_plural = _("photos of products")

    def take_sizes(self, processed: ProcessedPhoto) -> None:
        super().take_sizes(processed)
        self.thumbnail_width = processed.thumbnail_width
        self.thumbnail_height = processed.thumbnail_height


class ProductMark(models.Model):
    """A certificate, designation or award the owner says the product holds, with its
    document. Programme staff verify or reject it (MarkDecision); `status` caches the latest
    decision and is only written by catalog.actions.decide_mark."""

    product = models.ForeignKey(Product, models.CASCADE, related_name="marks")
    kind = models.CharField(_("kind"), max_length=24, choices=MarkKind.choices)
    issuer = models.CharField(_("issued by"), max_length=200)
    number = models.CharField(_("number"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to=mark_document_path, max_length=200)
    document_type = models.CharField(_("document type"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=MarkStatus.choices, default=MarkStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["product", "kind", "pk"]
        verbose_name = _("mark of a product")
        verbose_name_plural = _("marks of products")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="catalog_mark_valid_period",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="catalog_mark_queue")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    def in_validity(self, day: datetime.date | None = None) -> bool:
        today = day or timezone.localdate()
        return self.valid_from <= today and (self.valid_until is None or today <= self.valid_until)

    @property
    def is_current(self) -> bool:
        """Verified by programme staff and valid today."""
        return self.status == MarkStatus.VERIFIED and self.in_validity()


class MarkOutcome(models.TextChoices):
    VERIFIED = MarkStatus.VERIFIED.value, _("Verified")
    REJECTED = MarkStatus.REJECTED.value, _("Rejected")


class MarkDecision(AppendOnly):
    """Programme staff's decision on a mark: who, when, what, why. Never changed."""

    mark = models.ForeignKey(ProductMark, models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=10, choices=MarkOutcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["mark", "decided_at", "pk"]
        verbose_name = _("decision on a mark")
        verbose_name_plural = _("decisions on marks")

    def __str__(self) -> str:
        return f"{self.mark_id}: {self.outcome}"


class ProductImport(models.Model):
    """One CSV file of products sent by an owner: who, what, how far, and every bad row.

    `errors` holds one {"line", "column", "code", "params"} per problem; the message is
    translated when shown (catalog/importing.py), in the reader's language. `rows_done` is
    committed with each batch, so a restarted task resumes after the last committed row.
    """

    profile = models.ForeignKey(
        Profile, models.CASCADE, related_name="product_imports", verbose_name=_("profile")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    created_count = models.PositiveIntegerField(_("products added"), default=0)
    updated_count = models.PositiveIntegerField(_("products updated"), default=0)
    # Rows naming a product that already says what the row says: nothing is written.
    unchanged_count = models.PositiveIntegerField(_("products already up to date"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import of products")
        verbose_name_plural = _("imports of products")

    def __str__(self) -> str:
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        return 100 * self.rows_done // self.rows_total if self.rows_total else 0
