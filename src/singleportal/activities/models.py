"""Business activities: ISIC Rev. 4 (the base of Cambodia's CSIC) as sections, divisions and
classes, seeded by a migration from activities/data/isic_rev4.tsv and edited by the operator.

A blank Khmer name means "not translated yet": pages show the English name, marked as such.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ActivityLevel(models.TextChoices):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")
    GROUP = "group", _("Group")
    CLASS = "class", _("Class")


class Activity(models.Model):
    """One node of the classification. Codes: section a letter, division 2 digits, group 3,
    class 4."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    level = models.CharField(_("level"), max_length=8, choices=ActivityLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    name_en = models.CharField(_("name in English"), max_length=300)
    name_km = models.CharField(_("name in Khmer"), max_length=300, blank=True)
    active = models.BooleanField(_("may be chosen"), default=True)
    # Banking, insurance, gambling, security, telecoms...: a ministry's licence comes first, so
    # an officer examines the file (agencies.checks).
    needs_licence = models.BooleanField(_("needs a licence"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def translated(self) -> bool:
        return bool(self.name_km)

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") or not self.name_km:
            return self.name_en
        return self.name_km
