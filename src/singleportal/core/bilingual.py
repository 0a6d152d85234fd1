"""Khmer and English versions of a text field (`<field>_km`, `<field>_en`).

A page shows the version in its own language; when that one is empty it shows the other and
says so, so an English reader of a Khmer-only story knows an English version is missing rather
than nothing being written. Templates use the `bilingual` tag (core/templatetags/bilingual.py).
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

LANGUAGES = ("km", "en")


def page_language() -> str:
    """'en' on English pages, else 'km' (Khmer first)."""
    return "en" if (get_language() or "").startswith("en") else "km"


def pick(obj: Any, field: str, language: str | None = None) -> tuple[str, str | None]:
    """The text of `obj.<field>_<language>` (the page's language by default) and None; or, when
    that is empty, the other language's text and that language's code; ("", None) when both are
    empty."""
    wanted = language or page_language()
    text = getattr(obj, f"{field}_{wanted}", "") or ""
    if text:
        return text, None
    other = "en" if wanted == "km" else "km"
    fallback = getattr(obj, f"{field}_{other}", "") or ""
    if fallback:
        return fallback, other
    return "", None


@dataclass(frozen=True)
class Bilingual:
    """What a template needs: the text, its language (for the `lang` attribute) and the note
    to show when it is not the page's language."""

    text: str
    lang: str
    fallback: bool

    @property
    def note(self) -> str:
        if not self.fallback:
            return ""
        if self.lang == "km":
            return _("Shown in Khmer: no English version yet.")
        return _("Shown in English: no Khmer version yet.")

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def bilingual(obj: Any, field: str, language: str | None = None) -> Bilingual:
    wanted = language or page_language()
    text, fallback = pick(obj, field, wanted)
    return Bilingual(text=text, lang=fallback or wanted, fallback=fallback is not None)
