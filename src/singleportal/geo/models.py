"""Cambodia's administrative divisions: province -> district -> commune -> village.

Codes are the official ones (province 2 digits, district 4, commune 6, village 8); each
level's code starts with its parent's code. Rows come from the shipped, cleaned file
(geo/data/cambodia_geo.json.gz) through the 0002 migration or `manage.py load_geo`.
Code is unique but not the primary key, so that a re-numbered place can keep the rows that
refer to it.
"""

from typing import Any, ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province or capital")
    DISTRICT = "district", _("District, municipality or khan")
    COMMUNE = "commune", _("Commune or sangkat")
    VILLAGE = "village", _("Village")


CODE_LENGTHS: dict[str, int] = {
    Level.PROVINCE: 2,
    Level.DISTRICT: 4,
    Level.COMMUNE: 6,
    Level.VILLAGE: 8,
}


def _code_field(level: Level) -> models.CharField:
    length = CODE_LENGTHS[level]
    return models.CharField(
        _("code"),
        max_length=length,
        unique=True,
        validators=[RegexValidator(rf"^\d{{{length}}}$", _("Enter the official code in digits."))],
    )


class Place(models.Model):
    """What every level has: the official code and the name in Khmer and English."""

    # Each level declares its own `code` field (lengths differ); typed here for code that
    # handles any level.
    code: str
    objects: ClassVar[models.Manager[Any]]

    name_km = models.CharField(_("name in Khmer"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        """The name in the page's language (Khmer unless English is active)."""
        if (get_language() or "").startswith("en"):
            return self.name_en or self.name_km
        return self.name_km or self.name_en


class ProvinceKind(models.TextChoices):
    PROVINCE = "province", _("province")
    CAPITAL = "capital", _("capital")


class Province(Place):
    code = _code_field(Level.PROVINCE)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ProvinceKind.choices, default=ProvinceKind.PROVINCE
    )

    class Meta(Place.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class DistrictKind(models.TextChoices):
    DISTRICT = "district", _("district (srok)")
    MUNICIPALITY = "municipality", _("municipality (krong)")
    KHAN = "khan", _("khan")


class District(Place):
    code = _code_field(Level.DISTRICT)
    # Blank where the source does not say (it names no kind outside the capital).
    kind = models.CharField(_("kind"), max_length=12, choices=DistrictKind.choices, blank=True)
    province = models.ForeignKey(
        Province, models.PROTECT, related_name="districts", verbose_name=_("province")
    )

    class Meta(Place.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class CommuneKind(models.TextChoices):
    COMMUNE = "commune", _("commune (khum)")
    SANGKAT = "sangkat", _("sangkat")


class Commune(Place):
    code = _code_field(Level.COMMUNE)
    kind = models.CharField(_("kind"), max_length=8, choices=CommuneKind.choices, blank=True)
    district = models.ForeignKey(
        District, models.PROTECT, related_name="communes", verbose_name=_("district")
    )

    class Meta(Place.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")


class Village(Place):
    code = _code_field(Level.VILLAGE)
    commune = models.ForeignKey(
        Commune, models.PROTECT, related_name="villages", verbose_name=_("commune")
    )

    class Meta(Place.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")


class AliasReason(models.TextChoices):
    SOURCE_SPELLING = "source_spelling", _("spelling in the source data, since tidied")
    SOURCE_CODE = "source_code", _("code in the source data, since corrected")
    COMMON_SPELLING = "common_spelling", _("common alternative spelling")
    OTHER = "other", _("other")


class PlaceAlias(models.Model):
    """Another way a place is written or coded, so that old or untidy input still finds it.

    Points at the place by (level, code) rather than by a foreign key: one table serves the
    four levels and survives a reload of the places.
    """

    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    code = models.CharField(_("code of the place"), max_length=8, db_index=True)
    alias = models.CharField(_("alias"), max_length=100)
    reason = models.CharField(
        _("reason"), max_length=16, choices=AliasReason.choices, default=AliasReason.OTHER
    )

    class Meta:
        ordering = ["level", "code", "alias"]
        verbose_name = _("place alias")
        verbose_name_plural = _("place aliases")
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "alias"], name="geo_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.alias} -> {self.level} {self.code}"


PLACE_MODELS: dict[str, type[Place]] = {
    Level.PROVINCE: Province,
    Level.DISTRICT: District,
    Level.COMMUNE: Commune,
    Level.VILLAGE: Village,
}
# The foreign key from each level to its parent level.
PARENT_FIELD: dict[str, str] = {
    Level.DISTRICT: "province",
    Level.COMMUNE: "district",
    Level.VILLAGE: "commune",
}


def place_field(place: type[Place], verbose_name: Any, *, db_column: str) -> Any:
    """An optional reference to a place by its official code (stored in `<name>_code`, so that
    raw SQL and exports read the code itself), with no reverse accessor on the place."""
    return models.ForeignKey(
        place,
        models.PROTECT,
        to_field="code",
        db_column=db_column,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )
