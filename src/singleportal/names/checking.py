"""Check a proposed name against the register, reservations and the word lists.

Blocking: identical (same normalised form as a registered name), reserved (same normalised form
as someone else's active reservation), forbidden words. Warnings: similar names (the closest
ten above the threshold of the similarity rule) and restricted words (a licence is needed).
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from singleportal.names.normalization import LATIN, NormalizedName, RuleSet
from singleportal.names.rules import WordSpec, current_configuration
from singleportal.names.search import similar_businesses
from singleportal.names.selectors import holders_of_name
from singleportal.names.validation import clean_name

IDENTICAL = "identical"
SIMILAR = "similar"
RESERVED = "reserved"
FORBIDDEN = "forbidden"
RESTRICTED = "restricted"
BLOCKING = frozenset({IDENTICAL, RESERVED, FORBIDDEN})
SIMILAR_LIMIT = 10


@dataclass(frozen=True)
class Conflict:
    name: str
    registration_number: str | None
    status: str
    kind: str
    rule: str
    score: float
    explanation: str
    rules: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "registration_number": self.registration_number,
            "status": self.status,
            "kind": self.kind,
            "rule": self.rule,
            "score": self.score,
            "explanation": self.explanation,
            "rules": list(self.rules),
        }


@dataclass(frozen=True)
class CheckResult:
    name: str
    script: str
    normalized: str
    conflicts: list[Conflict]

    @property
    def available(self) -> bool:
        return not any(c.kind in BLOCKING for c in self.conflicts)

    def by_kind(self, kind: str) -> list[Conflict]:
        return [c for c in self.conflicts if c.kind == kind]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "normalized": self.normalized,
            "available": self.available,
            "conflicts": [c.as_dict() for c in self.conflicts],
        }


def _rule_list(rules: RuleSet, codes: list[str]) -> str:
    language = get_language()
    return "; ".join(f"{code} ({rules.rules[code].description(language)})" for code in codes)


def _union(*applied: tuple[str, ...]) -> list[str]:
    seen: list[str] = []
    for codes in applied:
        seen.extend(c for c in codes if c not in seen)
    return seen


def _name_field(script: str) -> str:
    return "name_en" if script == LATIN else "name_km"


def _word_hits(name: NormalizedName, words: list[WordSpec], rules: RuleSet) -> list[WordSpec]:
    hits = []
    for word in words:
        if word.script != name.script:
            continue
        canonical = rules.normalize(word.word, word.script)
        if not canonical.words:
            continue
        if name.script == LATIN:
            phrase, n = list(canonical.words), len(canonical.words)
            found = any(
                list(name.words[i : i + n]) == phrase for i in range(len(name.words) - n + 1)
            )
        else:
            found = canonical.normalized in name.normalized
        if found:
            hits.append(word)
    return hits


def check_name(
    raw: str | None,
    script: str,
    *,
    user: Any = None,
    rules: RuleSet | None = None,
    words: list[WordSpec] | None = None,
) -> CheckResult:
    """Raises ValidationError for input that is not a possible name; stores nothing."""
    name = clean_name(raw, script)
    if rules is None or words is None:
        rules_in_force, words_in_force = current_configuration()
        rules = rules or rules_in_force
        words = words_in_force if words is None else words
    normalized = rules.normalize(name, script)
    if not normalized.normalized:
        raise ValidationError(_("A business name needs at least one letter."), code="no_letter")
    if rules.only_legal_words(normalized):
        raise ValidationError(
            _("Add a distinctive word: a name cannot be only its legal form."), code="only_legal"
        )
    language = get_language()
    conflicts: list[Conflict] = []

    for word in _word_hits(normalized, words, rules):
        params = {"word": word.word, "reason": word.reason(language), "rule": word.code}
        if word.kind == FORBIDDEN:
            text = _(
                "Contains “%(word)s”, which a business name may not use. %(reason)s (%(rule)s)"
            )
        else:
            text = _(
                "Contains “%(word)s”. %(reason)s You may use it only with that licence or "
                "approval. (%(rule)s)"
            )
        conflicts.append(
            Conflict(word.word, None, "", word.kind, word.code, 1.0, text % params, [word.code])
        )

    name_field = _name_field(script)
    mine = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    registered, reserved = holders_of_name(
        script, normalized.normalized, limit=SIMILAR_LIMIT, not_applicant=mine
    )
    for business in registered:
        existing = getattr(business, name_field)
        codes = []
        if existing.strip() != name:
            codes = _union(normalized.applied, rules.normalize(existing, script).applied)
        if codes:
            text = _(
                "The same as the registered name “%(name)s” once these rules are applied: "
                "%(rules)s."
            ) % {"name": existing, "rules": _rule_list(rules, codes)}
        else:
            text = _("Exactly the same as the registered name “%(name)s”.") % {"name": existing}
        conflicts.append(
            Conflict(existing, business.registration_number, business.status, IDENTICAL,
                     codes[0] if codes else "EXACT", 1.0, text, codes)
        )  # fmt: skip

    for reservation in reserved:
        existing = getattr(reservation, name_field)
        codes = _union(normalized.applied, rules.normalize(existing, script).applied)
        assert reservation.expires_at is not None
        text = _(
            "Another applicant has reserved this name until %(date)s (rules applied: %(rules)s)."
        ) % {
            "date": formats.date_format(timezone.localtime(reservation.expires_at)),
            "rules": _rule_list(rules, codes) or "-",
        }
        conflicts.append(
            Conflict(existing, None, reservation.status, RESERVED, "RESERVED", 1.0, text,
                     ["RESERVED", *codes])
        )  # fmt: skip

    similar_rule = rules.similarity_rule(script)
    if similar_rule is not None:
        threshold = rules.threshold(script)
        matches = similar_businesses(
            normalized.key,
            script,
            threshold=threshold,
            limit=SIMILAR_LIMIT,
            exclude_normalized=normalized.normalized,
        )
        codes = [*normalized.key_applied, similar_rule.code]
        for match in matches:
            existing = getattr(match, name_field)
            text = _(
                "%(percent)s%% alike in its distinctive words to the registered name "
                "“%(name)s”. Examiners may refuse a name this close. Rules: %(rules)s."
            ) % {
                "percent": round(match.score * 100),
                "name": existing,
                "rules": _rule_list(rules, codes),
            }
            conflicts.append(
                Conflict(existing, match.registration_number, match.status, SIMILAR,
                         similar_rule.code, round(match.score, 3), text, codes)
            )  # fmt: skip
    return CheckResult(name, script, normalized.display, conflicts)
