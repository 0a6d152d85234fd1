"""The business-name check the application needs, behind one small function.

Until the names app (issue 4) lands, this checks only what the application itself requires: a
Khmer name in Khmer script, and a Latin name in Latin letters. When the names app is ready,
`check_names` delegates to `singleportal.names.checking` (identical, reserved, forbidden) and
keeps returning the same shape, so callers do not change.
"""

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_LENGTH = 200


@dataclass(frozen=True)
class NameProblem:
    field: str  # "name_km" or "name_en"
    message: str


def _is_khmer(char: str) -> bool:
    return "\u1780" <= char <= "\u17ff" or "\u19e0" <= char <= "\u19ff"


def _has_khmer(text: str) -> bool:
    return any(_is_khmer(c) for c in text)


def _latin_only(text: str) -> bool:
    for char in text:
        if char.isspace() or char.isdigit() or char in ".,&+-'()/":
            continue
        if not unicodedata.name(char, "").startswith("LATIN "):
            return False
    return True


def check_names(name_km: str, name_en: str) -> list[NameProblem]:
    """Problems with the proposed names; an empty list means they may be used."""
    problems = []
    name_km, name_en = name_km.strip(), name_en.strip()
    if not name_km:
        problems.append(NameProblem("name_km", _("Enter the business name in Khmer.")))
    elif not _has_khmer(name_km):
        problems.append(NameProblem("name_km", _("Write the Khmer name in Khmer script.")))
    elif len(name_km) > MAX_LENGTH:
        problems.append(NameProblem("name_km", _("The Khmer name is too long.")))
    if name_en and not _latin_only(name_en):
        problems.append(
            NameProblem("name_en", _("Write the Latin name in Latin letters and digits only."))
        )
    elif len(name_en) > MAX_LENGTH:
        problems.append(NameProblem("name_en", _("The Latin name is too long.")))
    return problems
