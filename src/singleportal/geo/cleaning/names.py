"""Tidying one name, step by step, so the report can say which step changed what.

Each step is a small pure function; `tidy_khmer` and `tidy_english` run them in order and
return the tidied text with the ids of the steps that changed it.
"""

import re
import unicodedata
from collections.abc import Callable

KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Quote marks (straight, curly, angle) typed around the ka/kha suffix ("ក"), and backticks.
KHMER_STRAY = dict.fromkeys(map(ord, "\"'`\u2039\u203a\u00ab\u00bb\u201c\u201d\u2018\u2019"))
# The Khmer letters used as suffixes (village "A", "B", ...) as they are romanised.
LETTER_SUFFIX = r"(?:Ka|Kha|Ko|Kho)"

Step = tuple[str, Callable[[str], str]]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def drop_invisible(text: str) -> str:
    """Zero-width spaces, joiners and soft hyphens carry no letter (they only steer wrapping)."""
    return text.translate(INVISIBLE)


def drop_khmer_stray_marks(text: str) -> str:
    return text.translate(KHMER_STRAY)


def khmer_digits(text: str) -> str:
    """Khmer names write numbers in Khmer digits; an ASCII digit among them is a typing slip."""
    return text.translate(KHMER_DIGITS)


def drop_quote_marks(text: str) -> str:
    """`Prasout "Ka"`, `Krang (Ka)` -> `Prasout Ka`, `Krang Ka`: most rows write the letter
    suffix bare, and quote marks are never part of a name."""
    text = text.replace('"', " ")
    return re.sub(rf"\(\s*({LETTER_SUFFIX})\s*\)", r" \1", text)


def split_joined_words(text: str) -> str:
    """`PhumThmei` -> `Phum Thmei`, `OMal` -> `O Mal`: romanised syllables are written as
    separate words."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", text)


def collapse_spaces(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"\(\s*(.*?)\s*\)", r"(\1)", text)


def title_case(text: str) -> str:
    """First letter of each word upper-case, the rest lower-case (`B'ier` stays `B'ier`,
    unlike str.title())."""
    return " ".join(_title_word(word) for word in text.split(" "))


def _title_word(word: str) -> str:
    for i, char in enumerate(word):
        if char.isalpha():
            return word[:i] + char.upper() + word[i + 1 :].lower()
    return word


KHMER_STEPS: list[Step] = [
    ("nfc", nfc),
    ("invisible_characters", drop_invisible),
    ("stray_marks", drop_khmer_stray_marks),
    ("latin_digits_in_khmer", khmer_digits),
    ("whitespace", collapse_spaces),
]
ENGLISH_STEPS: list[Step] = [
    ("nfc", nfc),
    ("invisible_characters", drop_invisible),
    ("quote_marks", drop_quote_marks),
    ("joined_words", split_joined_words),
    ("whitespace", collapse_spaces),
    ("capitalisation", title_case),
]


def run_steps(text: str, steps: list[Step]) -> tuple[str, list[str]]:
    fired = []
    for step_id, step in steps:
        tidied = step(text)
        if tidied != text:
            fired.append(step_id)
            text = tidied
    return text, fired


def tidy_khmer(text: str) -> tuple[str, list[str]]:
    return run_steps(text, KHMER_STEPS)


def tidy_english(text: str) -> tuple[str, list[str]]:
    return run_steps(text, ENGLISH_STEPS)


def loose_key(text: str) -> str:
    """Equal for names that differ only by case, spaces or invisible characters (Siemreap,
    Siem Reap): used to find the same place written twice."""
    return "".join(drop_invisible(nfc(text)).split()).casefold()


def spelling_key(text: str) -> str:
    """Equal for spellings that differ only by case, repeated spaces or invisible characters:
    such a difference is not worth keeping as an alias (a space between words is)."""
    return " ".join(drop_invisible(nfc(text)).split()).casefold()
