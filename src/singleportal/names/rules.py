"""The rules and word lists in force: the operator's rows, or the shipped defaults."""

from dataclasses import dataclass

from singleportal.names.defaults import DEFAULT_RESTRICTED_WORDS, DEFAULT_RULES
from singleportal.names.models import NameRule, RestrictedWord
from singleportal.names.normalization import RuleSet, RuleSpec


def current_rules() -> RuleSet:
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


def current_restricted_words() -> list[WordSpec]:
    rows = list(RestrictedWord.objects.all())
    if not rows:
        return [WordSpec(*row) for row in DEFAULT_RESTRICTED_WORDS]
    return [
        WordSpec(r.code, r.script, r.word, r.kind, r.reason_en, r.reason_km)
        for r in rows
        if r.enabled
    ]
