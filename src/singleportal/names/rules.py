"""The rules and word lists in force: the operator's rows, or the shipped defaults.

Building a RuleSet compiles every word list, so each process keeps the last one built and
rebuilds it only when the table's stamp (row count, latest `updated_at`) changes: one small
query per check instead of loading every rule. Rows are edited through the admin, whose saves
set `updated_at`; a bulk `QuerySet.update()` must set it too.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, Max, Model

from singleportal.names.defaults import DEFAULT_RESTRICTED_WORDS, DEFAULT_RULES
from singleportal.names.models import NameRule, RestrictedWord
from singleportal.names.normalization import RuleSet, RuleSpec

T = TypeVar("T")
_built: dict[str, tuple[tuple[Any, ...], Any]] = {}


def _cached(model: type[Model], build: Callable[[], T]) -> T:
    stamp = tuple(model._default_manager.aggregate(n=Count("pk"), last=Max("updated_at")).values())
    label = model._meta.label
    if label in _built and _built[label][0] == stamp:
        return _built[label][1]  # type: ignore[no-any-return]
    value = build()
    _built[label] = (stamp, value)
    return value


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
    return _cached(NameRule, _build_rules)


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
    return list(_cached(RestrictedWord, _build_words))
