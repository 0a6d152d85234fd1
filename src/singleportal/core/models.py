from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from singleportal.core.images import ProcessedPhoto


class PublicHoliday(models.Model):
    """A day off across Cambodia; working-day deadlines skip it (see core.calendar).

    Each year is seeded once from the `holidays` package (see HolidaySeedYear); after that the
    operator adds, edits or deletes days when a sub-decree moves one.
    """

    class Source(models.TextChoices):
        SEED = "seed", _("seeded from the holidays package")
        OPERATOR = "operator", _("entered by the operator")

    date = models.DateField(_("date"), unique=True)
    name_km = models.CharField(_("name in Khmer"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255)
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.OPERATOR
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_km


class HolidaySeedYear(models.Model):
    """A year whose holidays were taken from the package: seeding skips it from then on, so a
    day the operator deleted stays deleted."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    seeded_at = models.DateTimeField(_("seeded at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("seeded holiday year")
        verbose_name_plural = _("seeded holiday years")

    def __str__(self) -> str:
        return str(self.year)


class Counter(models.Model):
    """The last number handed out in a series (references, registration numbers, TINs).
    Locked while a transaction takes the next, so numbers are gap-free (core.counters)."""

    name = models.CharField(max_length=64, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last}"


class AppendOnly(models.Model):
    """Rows that are written once and never changed or deleted (decisions, versions, records):
    a change is a new row."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(f"A {self._meta.verbose_name} is never changed: add a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(f"A {self._meta.verbose_name} is never deleted.")


class Photo(models.Model):
    """A photo re-encoded by core.images (EXIF and GPS gone), with its thumbnail, described in
    Khmer or English. Subclasses say what it is a photo of, and where its files go (`image`,
    `thumbnail`)."""

    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    alt_km = models.CharField(_("description in Khmer"), max_length=300, blank=True)
    alt_en = models.CharField(_("description in English"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        abstract = True
        constraints = [
            # A photo a screen reader cannot describe is not accepted.
            models.CheckConstraint(
                condition=~models.Q(alt_km="") | ~models.Q(alt_en=""),
                name="%(app_label)s_photo_has_alt",
            )
        ]

    # Each subclass's FileFields (where the files go is theirs to say).
    image: FieldFile
    thumbnail: FieldFile

    def __str__(self) -> str:
        return self.alt_km or self.alt_en

    def take_sizes(self, processed: "ProcessedPhoto") -> None:
        """The sizes of a processed upload that this kind of photo keeps."""
        self.width, self.height = processed.width, processed.height
