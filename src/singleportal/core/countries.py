"""Countries: the ISO 3166-1 list (alpha-2 codes) with English and Khmer names, from pycountry
and its Khmer `iso3166-1` catalogue. Used for nationalities and for where a company is
registered; the stored value is always the two-letter code.
"""

import gettext
from dataclasses import dataclass
from functools import cache

import pycountry
from django.utils.translation import get_language

from singleportal.core.text import normalize_text

CAMBODIA = "KH"


@dataclass(frozen=True)
class Country:
    code: str
    name_en: str
    name_km: str

    @property
    def name(self) -> str:
        """In the page's language: English on English pages, Khmer otherwise."""
        return self.name_en if (get_language() or "").startswith("en") else self.name_km


@cache
def all_countries() -> dict[str, Country]:
    """Every ISO 3166-1 country by code. English: the common name where ISO gives one ("Viet
    Nam" is shown as "Vietnam"); Khmer: the translation of the ISO name."""
    khmer = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["km"])
    found = {}
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        found[country.alpha_2] = Country(country.alpha_2, english, khmer.gettext(country.name))
    return found


def get(code: str) -> Country | None:
    return all_countries().get((code or "").strip().upper())


def is_country(code: str) -> bool:
    return get(code) is not None


def name(code: str) -> str:
    """The country's name in the page's language, or the code itself if it is not in the list
    (a value stored before the list was checked)."""
    found = get(code)
    return found.name if found else code


@cache
def _sorted(language: str) -> list[tuple[str, str]]:
    english = language.startswith("en")
    pairs = [(c.code, c.name_en if english else c.name_km) for c in all_countries().values()]
    rest = sorted((p for p in pairs if p[0] != CAMBODIA), key=lambda p: normalize_text(p[1]))
    return [p for p in pairs if p[0] == CAMBODIA] + rest


def choices() -> list[tuple[str, str]]:
    """(code, name) for a select: Cambodia first, then the others sorted by their name in the
    page's language."""
    return list(_sorted("en" if (get_language() or "").startswith("en") else "km"))
