"""What a business name may contain, checked before any rule runs or any row is read."""

import unicodedata
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from singleportal.names.normalization import KHMER, LATIN

# Bidirectional controls (LRM, RLM, embeddings, overrides, isolates, ALM): they can make a
# name display differently from what it is, so they are refused rather than removed.
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Zero-width characters are allowed (Khmer typing uses them) and ignored by the rules.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
LATIN_PUNCTUATION = frozenset(" .,&+-'\u2019()/")
KHMER_PUNCTUATION = frozenset(" .-()។៕៖ៗ")


def max_length() -> int:
    return int(getattr(settings, "NAMES_MAX_LENGTH", 200))


@lru_cache(maxsize=8192)
def _is_khmer(char: str) -> bool:
    return "\u1780" <= char <= "\u17ff" or "\u19e0" <= char <= "\u19ff"


@lru_cache(maxsize=8192)
def _is_digit(char: str) -> bool:
    return (char.isascii() and char.isdigit()) or "\u17e0" <= char <= "\u17e9"


@lru_cache(maxsize=8192)
def _is_latin_letter(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN ")


@lru_cache(maxsize=8192)
def _latin_allowed(c: str) -> bool:
    return (
        _is_latin_letter(c) or _is_digit(c) or c in LATIN_PUNCTUATION or c in ZERO_WIDTH
        or unicodedata.category(c) == "Mn"
    )  # fmt: skip


@lru_cache(maxsize=8192)
def _khmer_allowed(c: str) -> bool:
    return _is_khmer(c) or _is_digit(c) or c in KHMER_PUNCTUATION or c in ZERO_WIDTH


def clean_name(raw: str | None, script: str) -> str:
    """The name, trimmed, or a ValidationError whose message the applicant can act on."""
    name = (raw or "").strip()
    if not name.strip("".join(ZERO_WIDTH)).strip():
        raise ValidationError(_("Enter a name."), code="empty")
    if len(name) > max_length():
        raise ValidationError(
            _("A business name can have at most %(max)s characters.") % {"max": max_length()},
            code="too_long",
        )
    if any(c in BIDI_CONTROLS for c in name):
        raise ValidationError(
            _("The name contains hidden text-direction characters. Type it again without them."),
            code="bidi",
        )
    if any(c < " " or "\x7f" <= c <= "\x9f" for c in name):
        raise ValidationError(
            _("The name contains control characters (such as tabs or line breaks). "
              "Type it on one line."),
            code="control",
        )  # fmt: skip
    if script == LATIN:
        if any(_is_khmer(c) and not _is_digit(c) for c in name):
            raise ValidationError(
                _("Write the Latin name in Latin letters only; the Khmer name has its own box."),
                code="mixed_scripts",
            )
        allowed = _latin_allowed
        has_letter = any(_is_latin_letter(c) for c in name)
    elif script == KHMER:
        if any(_is_latin_letter(c) for c in name):
            raise ValidationError(
                _("Write the Khmer name in Khmer letters only; the Latin name has its own box."),
                code="mixed_scripts",
            )
        allowed = _khmer_allowed
        has_letter = any(_is_khmer(c) and not _is_digit(c) for c in name)
    else:
        raise ValidationError(_("Choose Khmer or Latin."), code="script")
    bad = sorted({c for c in name if not allowed(c)})
    if bad:
        shown = " ".join(bad[:10])
        raise ValidationError(
            _("A business name cannot contain these characters: %(chars)s") % {"chars": shown},
            code="characters",
        )
    if not has_letter:
        raise ValidationError(_("A business name needs at least one letter."), code="no_letter")
    return name
