from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """One of the six agencies joined on the platform (seeded by a data migration)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_km = models.CharField(_("name in Khmer"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_km
