"""The business-name check the application needs, behind one small function.

The application's own rule: a Khmer name is required, a Latin name is optional. Each name given
goes through the names app (`singleportal.names.checking.check_name`): input it refuses (script,
characters, length) and blocking conflicts (identical to a registered name, reserved by someone
else, a forbidden word) become problems. Warnings (similar names, restricted words) do not stop
the application; examiners see them. A name the applicant holds an active reservation for passes:
the reservation is the promise that they may use it.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from singleportal.names.checking import BLOCKING, check_name
from singleportal.names.normalization import KHMER, LATIN
from singleportal.names.rules import current_rules
from singleportal.names.selectors import active_reservations_of_name

SCRIPTS = {"name_km": KHMER, "name_en": LATIN}


@dataclass(frozen=True)
class NameProblem:
    field: str  # "name_km" or "name_en"
    message: str


def holds_reservation(user: Any, name: str, script: str) -> bool:
    """Whether `user` has an active, unexpired reservation of this name (same identity key)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    normalized = current_rules().normalize(name, script).normalized
    return active_reservations_of_name(script, normalized).filter(applicant=user).exists()


def _check_one(field: str, name: str, user: Any) -> list[NameProblem]:
    script = SCRIPTS[field]
    if holds_reservation(user, name, script):
        return []
    try:
        result = check_name(name, script, user=user)
    except ValidationError as exc:
        return [NameProblem(field, message) for message in exc.messages]
    return [
        NameProblem(field, conflict.explanation)
        for conflict in result.conflicts
        if conflict.kind in BLOCKING
    ]


def check_names(name_km: str, name_en: str, *, user: Any = None) -> list[NameProblem]:
    """Problems with the proposed names; an empty list means they may be used. `user` is the
    applicant: their own reservations do not block them, and a reserved name passes."""
    name_km, name_en = name_km.strip(), name_en.strip()
    problems: list[NameProblem] = []
    if not name_km:
        problems.append(NameProblem("name_km", _("Enter the business name in Khmer.")))
    else:
        problems += _check_one("name_km", name_km, user)
    if name_en:
        problems += _check_one("name_en", name_en, user)
    return problems
