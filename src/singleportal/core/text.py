"""Text helpers shared by every app (the names app builds its identity rules on these).

`normalize_text` makes comparison and search keys. It applies the rules below in this order;
each is a small function so that a test (or a conflict report) can name the rule that applied.
Word breaking for display (U+200B between Khmer words) is not done here.
"""

import unicodedata
from functools import cache

KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"
_TO_ASCII = str.maketrans(KHMER_DIGITS, "0123456789")

# Rule: invisible characters carry no identity. Khmer text is typed with ZWSP as a word break
# and copied with BOMs and soft hyphens; two names differing only by these are the same name.
INVISIBLE_CHARACTERS = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",  # the successor of U+FEFF as a no-break joiner
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
    "\u00ad": "SOFT HYPHEN",
}
_DROP_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE_CHARACTERS))

# Rule: accents are dropped from Latin letters only. These are the general-purpose diacritic
# blocks that decomposed Latin letters use; Khmer vowel signs, coeng and other Khmer signs
# (U+17B4-U+17DD) are outside them and are never dropped: they change the word.
LATIN_DIACRITIC_BLOCKS = (
    (0x0300, 0x036F),  # Combining Diacritical Marks
    (0x1AB0, 0x1AFF),  # Combining Diacritical Marks Extended
    (0x1DC0, 0x1DFF),  # Combining Diacritical Marks Supplement
    (0x20D0, 0x20FF),  # Combining Diacritical Marks for Symbols
    (0xFE20, 0xFE2F),  # Combining Half Marks
)


def to_ascii_digits(text: str) -> str:
    """Khmer digits to ASCII digits; forms accept both systems."""
    return text.translate(_TO_ASCII)


def remove_invisible(text: str) -> str:
    """Drop the zero-width and soft-hyphen characters listed in INVISIBLE_CHARACTERS."""
    return text.translate(_DROP_INVISIBLE)


def fold_case(text: str) -> str:
    """Unicode full case folding ("Straße" -> "strasse"); result in NFC.

    Khmer has no case, so folding the whole string only changes cased scripts (Latin, and
    Greek or Cyrillic where they appear).
    """
    return unicodedata.normalize("NFC", text.casefold())


@cache
def _is_latin_letter(char: str) -> bool:
    # Judged on the case-folded form too: folding turns a few non-Latin symbols into Latin
    # letters (U+2183 ROMAN NUMERAL REVERSED ONE HUNDRED -> U+2184 LATIN SMALL LETTER REVERSED C).
    return any(unicodedata.name(c, "").startswith("LATIN ") for c in char + char.casefold())


def _is_latin_diacritic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in LATIN_DIACRITIC_BLOCKS)


def strip_latin_accents(text: str) -> str:
    """Remove diacritics that sit on a Latin letter ("Café" -> "Cafe"); result in NFC.

    A mark is dropped only when it is in LATIN_DIACRITIC_BLOCKS and its base letter is Latin,
    so Khmer signs survive, and so do accents on Greek or Cyrillic.
    """
    kept = []
    base_is_latin = False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) or unicodedata.category(char).startswith("M"):
            if base_is_latin and _is_latin_diacritic(char):
                continue
        else:
            base_is_latin = _is_latin_letter(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def collapse_whitespace(text: str) -> str:
    """Any run of Unicode whitespace (tabs, no-break spaces, newlines) is one space; trimmed."""
    return " ".join(text.split())


def normalize_text(text: str) -> str:
    """The comparison and search key of a piece of Khmer or Latin text.

    Rules, in order: drop invisible characters; strip accents from Latin letters; fold case
    (NFC result); Khmer digits to ASCII; collapse whitespace. Applying it twice changes nothing.
    Accents go before case folding because folding turns some marks into letters (U+0345
    becomes a Greek iota), which would then escape the accent rule.
    """
    text = remove_invisible(text)
    text = strip_latin_accents(text)
    text = fold_case(text)
    text = to_ascii_digits(text)
    return collapse_whitespace(text)
