"""The rules and word lists in force: the operator's rows, or the shipped defaults.

Building a RuleSet compiles every word list, so each process keeps the last one built and
rebuilds it only when the tables' stamp (row counts, latest `updated_at`) changes: one small
query per check instead of loading every rule. Rows are edited through the admin, whose saves
set `updated_at`; a bulk `QuerySet.update()` must set it too.
"""

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from singleportal.names.defaults import DEFAULT_RESTRICTED_WORDS, DEFAULT_RULES
from singleportal.names.models import NameRule, RestrictedWord
from singleportal.names.normalization import RuleSet, RuleSpec


@dataclass(frozen=True)
class WordSpec:
    code: str
    script: str
    word: str
    kind: str
    reason_en: str
    reason_km: str

    def reason(self, language: str | None) -> str:
        if (language or "").startswith("en"):
            return self.reason_en or self.reason_km
        return self.reason_km or self.reason_en


_built: dict[str, Any] = {"stamp": None}


def _stamp() -> tuple[Any, ...]:
    """Both tables' row counts and latest edits, in one statement."""
    parts = [
        f"(SELECT {aggregate} FROM {model._meta.db_table})"  # noqa: S608 (names from models)
        for model in (NameRule, RestrictedWord)
        for aggregate in ("COUNT(*)", "MAX(updated_at)")
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return tuple(cursor.fetchone() or ())


def current_configuration() -> tuple[RuleSet, list[WordSpec]]:
    """The rule set and the forbidden and restricted words, rebuilt when an operator edits
    (seen within settings.NAMES_REFRESH_MILLISECONDS)."""
    now = time.monotonic()
    if (
        _built["stamp"] is None
        or now - _built["checked"] >= settings.NAMES_REFRESH_MILLISECONDS / 1000
    ):
        stamp = _stamp()
        if _built["stamp"] != stamp:
            _built.update(stamp=stamp, rules=_build_rules(), words=_build_words())
        _built["checked"] = now
    return _built["rules"], list(_built["words"])


def forget_configuration() -> None:
    """Tests roll back edits; production never does (a stamp only moves forwards)."""
    _built["stamp"] = None


def _build_rules() -> RuleSet:
    rows = list(NameRule.objects.all())
    if not rows:
        return RuleSet(DEFAULT_RULES)
    return RuleSet(
        RuleSpec(
            code=r.code,
            script=r.script,
            kind=r.kind,
            position=r.position,
            params=r.params or {},
            description_km=r.description_km,
            description_en=r.description_en,
            stage=r.stage,
            enabled=r.enabled,
        )
        for r in rows
    )


def current_rules() -> RuleSet:
    return current_configuration()[0]


def _build_words() -> list[WordSpec]:
    rows = list(RestrictedWord.objects.all())
    if not rows:
        return [WordSpec(*row) for row in DEFAULT_RESTRICTED_WORDS]
    return [
        WordSpec(r.code, r.script, r.word, r.kind, r.reason_en, r.reason_km)
        for r in rows
        if r.enabled
    ]


def current_restricted_words() -> list[WordSpec]:
    return current_configuration()[1]
