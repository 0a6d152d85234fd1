"""Authenticity labels: signed QR codes a business prints for its products.

A LabelRun is one print run for one product: either one label per item (`single`: the run
has `quantity` Label rows, one code each, so each physical item carries its own code) or one
label for a whole batch (`batch`: one Label row whose code stands for `quantity` items). What
a label says (the product, its maker, the village, materials, technique, verified marks) is
copied into the run when it is issued (`facts`) and signed per label (`Label.payload`); later
edits of the product never change a label already printed.

Runs and labels are immutable (AppendOnly). The one column written after a label is made is
its scan counter (`Label.scans`, one UPDATE per scan, see selectors.record_scan). A run is
withdrawn by adding a RunWithdrawal; its labels then scan as "withdrawn".

A LabelSheet is the rendered PDF of a run in one sheet layout: a job row (queued, rendering,
ready, failed) with its progress, so the owner can leave the page and come back.

A CopyReport is a visitor's report of a suspected copy; programme staff review it, each
review an append-only ReportReview row, `CopyReport.status` the cache of the latest one:

    new --review--> likely_copy | not_a_copy | unclear --review--> (any of the three)
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from singleportal.catalog.models import Product
from singleportal.certificates.models import SigningKey
from singleportal.core.models import AppendOnly
from singleportal.directory.models import Profile

CODE_LENGTH = 12
# One label per item: a sheet of this many is about 42 pages and renders in well under two
# minutes in a worker (docs/labels.md); a bigger job is several runs.
MAX_LABELS_PER_RUN = 1000
MAX_BATCH_QUANTITY = 1_000_000


class LabelKind(models.TextChoices):
    SINGLE = "single", _("One label per item")
    BATCH = "batch", _("One label for a whole batch")


class SheetLayout(models.TextChoices):
    """A4 sheets of labels; the code is columns x rows (labels/rendering.py holds the sizes)."""

    SMALL = "3x8", _("24 small labels per sheet (70 x 37 mm)")
    MEDIUM = "2x5", _("10 medium labels per sheet (105 x 57 mm)")
    LARGE = "2x2", _("4 large labels per sheet (105 x 148 mm)")


class LabelRun(AppendOnly):
    # SET_NULL: a product deleted from the catalogue leaves its printed labels verifying (the
    # run holds everything its page shows); `profile` keeps who owns them.
    product = models.ForeignKey(
        Product,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="label_runs",
        verbose_name=_("product"),
    )
    profile = models.ForeignKey(
        Profile, models.PROTECT, related_name="label_runs", verbose_name=_("business profile")
    )
    kind = models.CharField(_("kind of labels"), max_length=8, choices=LabelKind.choices)
    quantity = models.PositiveIntegerField(_("number of items"), validators=[MinValueValidator(1)])
    batch_reference = models.CharField(_("batch or lot reference"), max_length=60, blank=True)
    made_on = models.DateField(_("made on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"))
    key = models.ForeignKey(
        SigningKey, models.PROTECT, related_name="label_runs", verbose_name=_("signing key")
    )
    # What every label of the run states (labels/facts.py), as shown on its page; the signed
    # claims carry a digest of it.
    facts = models.JSONField(_("what the labels state"), default=dict)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("print run of labels")
        verbose_name_plural = _("print runs of labels")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=LabelKind.SINGLE) | Q(quantity__lte=MAX_LABELS_PER_RUN),
                name="labels_single_run_size",
            ),
        ]
        indexes = [models.Index(fields=["profile", "-issued_at"], name="labels_run_profile")]

    def __str__(self) -> str:
        return f"{self.pk} {self.get_kind_display()} x{self.quantity}"

    @property
    def label_count(self) -> int:
        return self.quantity if self.kind == LabelKind.SINGLE else 1


class Label(AppendOnly):
    """One printed code. `item` numbers the items of a single run (1..quantity); a batch's
    one label has none."""

    run = models.ForeignKey(LabelRun, models.PROTECT, related_name="labels")
    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    item = models.PositiveIntegerField(_("item number"), null=True, blank=True)
    payload = models.TextField(_("signed payload"))
    # Written by one UPDATE per scan (selectors.record_scan), never through save().
    scans = models.PositiveIntegerField(_("times scanned"), default=0)

    class Meta:
        ordering = ["run", "item", "pk"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self) -> str:
        return self.code


class RunWithdrawal(AppendOnly):
    """A run taken back by its business (labels stolen, printed in error, product changed):
    its labels scan as withdrawn from now on. Final."""

    run = models.OneToOneField(
        LabelRun, models.PROTECT, related_name="withdrawal", verbose_name=_("print run")
    )
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("withdrawn by")
    )
    at = models.DateTimeField(_("withdrawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("withdrawal of a print run")
        verbose_name_plural = _("withdrawals of print runs")

    def __str__(self) -> str:
        return f"{self.run_id}: {self.reason}"


class SheetStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RENDERING = "rendering", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")


def sheet_path(instance: "LabelSheet", filename: str) -> str:
    return f"labels/{instance.run_id}/{instance.layout}-{instance.pk}.pdf"


class LabelSheet(models.Model):
    """The PDF of a run's labels in one layout, made by a worker (labels/tasks.py)."""

    run = models.ForeignKey(LabelRun, models.CASCADE, related_name="sheets")
    layout = models.CharField(_("sheet layout"), max_length=4, choices=SheetLayout.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.QUEUED
    )
    labels_done = models.PositiveIntegerField(_("labels made"), default=0)
    pdf = models.FileField(_("PDF"), upload_to=sheet_path, max_length=200, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["run", "layout"]
        verbose_name = _("sheet of labels")
        verbose_name_plural = _("sheets of labels")
        constraints = [models.UniqueConstraint(fields=["run", "layout"], name="labels_sheet_once")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.layout}"

    @property
    def percent(self) -> int:
        total = self.run.label_count
        return 100 * self.labels_done // total if total else 0

    @property
    def finished(self) -> bool:
        return self.status in (SheetStatus.READY, SheetStatus.FAILED)


class ReportStatus(models.TextChoices):
    NEW = "new", _("Not reviewed yet")
    LIKELY_COPY = "likely_copy", _("Likely a copy")
    NOT_A_COPY = "not_a_copy", _("Not a copy")
    UNCLEAR = "unclear", _("Cannot tell")


class ReviewFinding(models.TextChoices):
    LIKELY_COPY = ReportStatus.LIKELY_COPY.value, ReportStatus.LIKELY_COPY.label
    NOT_A_COPY = ReportStatus.NOT_A_COPY.value, ReportStatus.NOT_A_COPY.label
    UNCLEAR = ReportStatus.UNCLEAR.value, ReportStatus.UNCLEAR.label


def report_photo_path(instance: "CopyReport", filename: str) -> str:
    # The name core.images gave (a random uuid): nothing the visitor typed reaches the disk.
    return f"labels/reports/{filename}"


class CopyReport(models.Model):
    """A suspected copy seen somewhere, reported by anyone (signed in or not). `label` is the
    code's label when the code is ours; `code` is what the visitor scanned or typed, kept even
    when it is unknown (a forged code is evidence too)."""

    label = models.ForeignKey(Label, models.PROTECT, null=True, blank=True, related_name="reports")
    code = models.CharField(_("code scanned"), max_length=40, blank=True)
    place = models.CharField(_("where you saw it"), max_length=200)
    link = models.URLField(_("web address, if online"), max_length=500, blank=True)
    description = models.TextField(_("what makes you think it is a copy"), max_length=2000)
    photo = models.FileField(_("photo"), upload_to=report_photo_path, max_length=200, blank=True)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=report_photo_path, max_length=200, blank=True
    )
    contact = models.CharField(_("how we can reach you"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    # The latest review's finding; written only by labels.actions.review_report.
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report of a suspected copy")
        verbose_name_plural = _("reports of suspected copies")
        indexes = [models.Index(fields=["status", "-created_at"], name="labels_report_queue")]

    def __str__(self) -> str:
        return f"{self.code or '-'}: {self.place}"


class ReportReview(AppendOnly):
    """Programme staff's review of a report: who, when, what they found, why. Never changed."""

    report = models.ForeignKey(CopyReport, models.CASCADE, related_name="reviews")
    finding = models.CharField(_("finding"), max_length=12, choices=ReviewFinding.choices)
    note = models.CharField(_("note"), max_length=1000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("review of a report")
        verbose_name_plural = _("reviews of reports")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.finding}"
