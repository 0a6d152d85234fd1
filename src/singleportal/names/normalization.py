"""Name identity and search keys, computed by rules that are data (the `NameRule` table).

Each rule has an id (`LAT-LEGAL`), a kind (one of the operations below, implemented here), its
parameters (word lists, a threshold) and a description in Khmer and English. A name passes
through the enabled rules of its script in order; every rule that changes the text is recorded,
so that a conflict can say which rules made two names the same.

Two stages:
- identity rules make `normalized`: two names with the same normalised form are the same name;
- similarity rules (descriptive words, the threshold) only shape the search key, the
  distinctive part of the name that trigram similarity compares.

The search key is ASCII on purpose: PostgreSQL's pg_trgm decides what a "word character" is
from the database locale (a C-locale database would ignore every Khmer letter), so Khmer is
spelled out two letters per code point. Python's `trigram_similarity` below reproduces pg_trgm's
`similarity()` on such keys exactly, which is what lets SQLite and PostgreSQL give the same
answers.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from singleportal.core.text import fold_case, remove_invisible, strip_latin_accents, to_ascii_digits

LATIN = "latin"
KHMER = "khmer"
IDENTITY = "identity"
SIMILARITY = "similarity"


@dataclass(frozen=True)
class RuleSpec:
    code: str
    script: str
    kind: str
    position: int
    params: dict = field(default_factory=dict, hash=False, compare=False)
    description_km: str = ""
    description_en: str = ""
    stage: str = IDENTITY
    enabled: bool = True

    def description(self, language: str | None) -> str:
        if (language or "").startswith("en"):
            return self.description_en or self.description_km
        return self.description_km or self.description_en


@dataclass(frozen=True)
class NormalizedName:
    original: str
    script: str
    words: tuple[str, ...]  # the identity form as words (Khmer: one word, no spaces)
    key: str  # ASCII search key of the distinctive words
    applied: tuple[str, ...]  # ids of identity rules that changed the text
    key_applied: tuple[str, ...]  # ids of similarity rules that changed the key

    @property
    def normalized(self) -> str:
        """The identity key: equal keys are the same name."""
        return "".join(self.words)

    @property
    def display(self) -> str:
        return " ".join(self.words)


# --- operations ------------------------------------------------------------------------------

Operation = Callable[[str, dict], str]

_ASCII_FOLD = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D",
     "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "\u0131": "i", "ß": "ss"}
)  # fmt: skip
_APOSTROPHES = re.compile(r"['\u2019\u02bc\u2018`]")
_NOT_WORD = re.compile(r"[^\w\s]|_")


def _tokens(text: str) -> list[str]:
    return text.split()


@lru_cache(maxsize=64)
def _ordered_phrases(phrases: tuple[str, ...]) -> list[list[str]]:
    return sorted((p.split() for p in phrases if p.strip()), key=len, reverse=True)


def _drop_phrases(tokens: list[str], phrases: Iterable[str], *, where: str) -> list[str]:
    """Remove whole-word phrases (longest first) anywhere, from the start or from the end,
    unless that would leave nothing: a name made only of such words keeps them."""
    ordered = _ordered_phrases(tuple(phrases))
    if not ordered or not tokens:
        return list(tokens)
    present = set(tokens)
    ordered = [p for p in ordered if p[0] in present]
    result = list(tokens)
    changed = True
    while changed:
        changed = False
        for phrase in ordered:
            n = len(phrase)
            if where == "start":
                spots = [0] if result[:n] == phrase else []
            elif where == "end":
                spots = [len(result) - n] if n <= len(result) and result[-n:] == phrase else []
            else:
                spots = [i for i in range(len(result) - n + 1) if result[i : i + n] == phrase][:1]
            for i in spots:
                candidate = result[:i] + result[i + n :]
                if candidate:
                    result = candidate
                    changed = True
    return result


def op_nfc(text: str, params: dict) -> str:
    return unicodedata.normalize("NFC", text)


def op_invisible(text: str, params: dict) -> str:
    return remove_invisible(text)


def op_accents(text: str, params: dict) -> str:
    return strip_latin_accents(text).translate(_ASCII_FOLD)


def op_case(text: str, params: dict) -> str:
    return fold_case(text)


def op_digits(text: str, params: dict) -> str:
    return to_ascii_digits(text)


def op_conjunctions(text: str, params: dict) -> str:
    canonical = params.get("canonical", "and")
    for symbol in params.get("symbols", ["&", "+"]):
        text = text.replace(symbol, f" {canonical} ")
    words = set(params.get("words", ["plus"]))
    return " ".join(canonical if t in words else t for t in _tokens(text))


def op_punctuation(text: str, params: dict) -> str:
    text = _APOSTROPHES.sub("", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def op_leading_words(text: str, params: dict) -> str:
    return " ".join(_drop_phrases(_tokens(text), params.get("words", []), where="start"))


def op_legal_words(text: str, params: dict) -> str:
    return " ".join(_drop_phrases(_tokens(text), params.get("words", []), where="anywhere"))


def op_trailing_words(text: str, params: dict) -> str:
    return " ".join(_drop_phrases(_tokens(text), params.get("words", []), where="end"))


_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}


def op_number_words(text: str, params: dict) -> str:
    """Number words to digits ("three" -> "3", "twenty one" -> "21")."""
    extra = {k: int(v) for k, v in params.get("extra", {}).items()}
    table = NUMBER_WORDS | extra
    out: list[str] = []
    for token in _tokens(text):
        value = table.get(token)
        if value is None:
            out.append(token)
            continue
        previous = out[-1] if out else ""
        # "twenty" followed by "one": one number.
        tens = previous.isdigit() and previous.endswith("0") and 20 <= int(previous) < 100
        if tens and value < 10:
            out[-1] = str(int(previous) + value)
            continue
        out.append(str(value))
    return " ".join(out)


@lru_cache(maxsize=65536)
def _singular(word: str, exceptions: frozenset[str]) -> str:
    if len(word) <= 3 or word in exceptions or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("xes", "zes", "ches", "shes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def op_plurals(text: str, params: dict) -> str:
    exceptions = frozenset(params.get("exceptions", []))
    return " ".join(_singular(t, exceptions) for t in _tokens(text))


def op_remove_spaces(text: str, params: dict) -> str:
    """Khmer: spaces are optional between words, so they go."""
    return "".join(text.split())


def op_spacing(text: str, params: dict) -> str:
    """Latin: words are kept for the search key and joined in `normalized` (so "Angkor Silk"
    and "AngkorSilk" are the same name); the engine records the rule when it joins words."""
    return text


# Khmer spellings that Unicode allows for the same visible text, or that it deprecates.
KHMER_REPLACEMENTS = (
    ("\u17a3", "\u17a2"),  # deprecated independent vowel QAQ -> QA
    ("\u17a4", "\u17a2\u17b6"),  # deprecated QAA -> QA + AA
    ("\u17a8", "\u17a7\u1780"),  # obsolete QUK -> QU + KA
    ("\u17b4", ""),  # inherent vowels: invisible, discouraged
    ("\u17b5", ""),
    ("\u17d3", ""),  # deprecated BATHAMASAT
    ("\u17d8", "\u17d4\u179b\u17d4"),  # deprecated BEYYAL -> KHAN LO KHAN
    ("\u17c1\u17b8", "\u17be"),  # E + II drawn as OE
    ("\u17c1\u17b6", "\u17c4"),  # E + AA drawn as OO
)
_VOWEL = "[\u17b6-\u17c5]"
_SIGN = "[\u17c6\u17cb\u17cd\u17ce\u17cf\u17d0\u17d1]"
_SUB = "\u17d2[\u1780-\u17a2]"
KHMER_REORDERINGS = (
    # register shifter typed after the vowel -> before it
    (re.compile(f"({_VOWEL})([\u17c9\u17ca])"), r"\2\1"),
    # subscript typed after a vowel or sign -> straight after the base
    (re.compile(f"((?:{_VOWEL}|{_SIGN})+)({_SUB})"), r"\2\1"),
    # coeng RO typed before another subscript -> last (it is drawn around the cluster)
    (re.compile(f"\u17d2\u179a({_SUB})"), "\\1\u17d2\u179a"),
    # sign (nikahit, ...) typed before the vowel -> after it
    (re.compile(f"({_SIGN})({_VOWEL})"), r"\2\1"),
)


def op_khmer_spelling(text: str, params: dict) -> str:
    for _ in range(len(text) + 1):
        before = text
        for old, new in KHMER_REPLACEMENTS:
            text = text.replace(old, new)
        for pattern, replacement in KHMER_REORDERINGS:
            text = pattern.sub(replacement, text)
        # Removing a sign can bring marks together that NFC orders differently.
        text = unicodedata.normalize("NFC", text)
        if text == before:
            break
    return text


def _is_khmer_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PSZ" or char in "\u17d4\u17d5\u17d6\u17da"


def op_khmer_punctuation(text: str, params: dict) -> str:
    return "".join(c for c in text if not _is_khmer_punctuation(c))


def _strip_ends(text: str, words: Sequence[str], *, start: bool, end: bool) -> str:
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        if text in ordered:
            break  # a name that is one of these words keeps it (and is refused as such)
        for word in ordered:
            if start and text.startswith(word) and len(text) > len(word):
                text, changed = text[len(word) :], True
            if end and text.endswith(word) and len(text) > len(word):
                text, changed = text[: -len(word)], True
    return text


def op_khmer_legal_words(text: str, params: dict) -> str:
    return _strip_ends(text, params.get("words", []), start=True, end=True)


def op_khmer_trailing_words(text: str, params: dict) -> str:
    return _strip_ends(text, params.get("words", []), start=False, end=True)


def op_descriptive_words(text: str, params: dict) -> str:
    return " ".join(_drop_phrases(_tokens(text), params.get("words", []), where="anywhere"))


def op_khmer_descriptive_words(text: str, params: dict) -> str:
    for word in sorted(params.get("words", []), key=len, reverse=True):
        if word and word in text and text.replace(word, ""):
            text = text.replace(word, "")
    return text


def op_similarity(text: str, params: dict) -> str:
    return text  # carries the threshold; changes nothing


OPERATIONS: dict[str, Operation] = {
    "nfc": op_nfc,
    "invisible": op_invisible,
    "accents": op_accents,
    "case": op_case,
    "digits": op_digits,
    "conjunctions": op_conjunctions,
    "punctuation": op_punctuation,
    "leading_words": op_leading_words,
    "legal_words": op_legal_words,
    "trailing_words": op_trailing_words,
    "number_words": op_number_words,
    "plurals": op_plurals,
    "remove_spaces": op_remove_spaces,
    "spacing": op_spacing,
    "khmer_spelling": op_khmer_spelling,
    "khmer_punctuation": op_khmer_punctuation,
    "khmer_legal_words": op_khmer_legal_words,
    "khmer_trailing_words": op_khmer_trailing_words,
    "descriptive_words": op_descriptive_words,
    "khmer_descriptive_words": op_khmer_descriptive_words,
    "similarity": op_similarity,
}


# --- the search key and trigram similarity (pg_trgm's, reproduced) --------------------------

_KHMER_BLOCK = range(0x1780, 0x1800)
_KEY_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def _khmer_key_char(char: str) -> str:
    code = ord(char)
    if code in _KHMER_BLOCK:
        offset = code - 0x1780
        return chr(97 + offset // 26) + chr(97 + offset % 26)
    if char.isascii() and char.isalnum():
        return char.lower()
    return ""


def search_key(text: str, script: str) -> str:
    if script == KHMER:
        return "".join(_khmer_key_char(c) for c in text)
    # Trigrams ignore word order and repeats, so the key does too: names with the same
    # trigrams then have the same key, which an ordinary index finds at once.
    return " ".join(sorted(set(_KEY_WORD.findall(text.lower()))))


def trigrams(key: str) -> frozenset[str]:
    """pg_trgm's trigrams of an ASCII key: each word padded with two spaces before, one after."""
    grams: set[str] = set()
    for word in _KEY_WORD.findall(key):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def trigram_similarity(a: frozenset[str] | str, b: frozenset[str] | str) -> float:
    """pg_trgm `similarity()`: shared trigrams over all distinct trigrams of the two."""
    ta = trigrams(a) if isinstance(a, str) else a
    tb = trigrams(b) if isinstance(b, str) else b
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


# --- the engine ------------------------------------------------------------------------------


_WORD_LIST_KINDS = {
    "leading_words", "legal_words", "trailing_words", "descriptive_words",
    "khmer_legal_words", "khmer_trailing_words", "khmer_descriptive_words",
}  # fmt: skip


def canonical_word(word: str, script: str) -> str:
    """A word-list entry spelled as the text it is compared with at that point of the rules."""
    if script == KHMER:
        text = op_khmer_spelling(remove_invisible(unicodedata.normalize("NFC", word)), {})
        return op_khmer_punctuation(op_remove_spaces(to_ascii_digits(text), {}), {})
    return op_punctuation(fold_case(op_accents(word, {})), {})


def _canonical(rule: RuleSpec) -> RuleSpec:
    if rule.kind not in _WORD_LIST_KINDS:
        return rule
    words = [canonical_word(w, rule.script) for w in rule.params.get("words", [])]
    return replace(rule, params={**rule.params, "words": [w for w in words if w]})


MEMO_SIZE = 10_000


class RuleSet:
    """The enabled rules of both scripts, in order. Immutable once built, so a process keeps
    one (names/rules.py) and remembers the names it normalised last (restricted words and
    registered names come back in every check)."""

    def __init__(self, rules: Iterable[RuleSpec]) -> None:
        self._memo: dict[tuple[str, str], NormalizedName] = {}
        ordered = sorted(
            (_canonical(r) for r in rules if r.enabled), key=lambda r: (r.position, r.code)
        )
        self.rules = {r.code: r for r in ordered}
        self.by_script: dict[str, list[RuleSpec]] = {LATIN: [], KHMER: []}
        for rule in ordered:
            if rule.kind not in OPERATIONS:
                raise ValueError(f"Rule {rule.code}: unknown kind {rule.kind!r}")
            self.by_script.setdefault(rule.script, []).append(rule)

    def threshold(self, script: str, default: float = 0.5) -> float:
        for rule in self.by_script.get(script, []):
            if rule.kind == "similarity":
                return float(rule.params.get("threshold", default))
        return default

    def similarity_rule(self, script: str) -> RuleSpec | None:
        return next((r for r in self.by_script.get(script, []) if r.kind == "similarity"), None)

    def normalize(self, name: str, script: str) -> NormalizedName:
        found = self._memo.get((name, script))
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[(name, script)] = self._normalize(name, script)
        return found

    def _normalize(self, name: str, script: str) -> NormalizedName:
        text = name
        applied: list[str] = []
        key_applied: list[str] = []
        identity_text: str | None = None
        for rule in self.by_script.get(script, []):
            if rule.stage == SIMILARITY and identity_text is None:
                identity_text = text
            changed = OPERATIONS[rule.kind](text, rule.params)
            if rule.kind == "spacing" and len(text.split()) > 1:
                applied.append(rule.code)
            if changed != text:
                (key_applied if rule.stage == SIMILARITY else applied).append(rule.code)
                text = changed
        if identity_text is None:
            identity_text = text
        words = (
            tuple(identity_text.split()) if script == LATIN else ("".join(identity_text.split()),)
        )
        words = tuple(w for w in words if w)
        return NormalizedName(
            original=name,
            script=script,
            words=words,
            key=search_key(text, script),
            applied=tuple(applied),
            key_applied=tuple(key_applied),
        )

    def only_legal_words(self, name: NormalizedName) -> bool:
        """True when nothing but legal-form words is left (the rule kept them, having
        nothing else): such a name has no distinctive part."""
        for rule in self.by_script.get(name.script, []):
            if rule.kind in ("legal_words", "khmer_legal_words"):
                legal = set(rule.params.get("words", []))
                if name.script == KHMER:
                    return name.normalized in legal
                return " ".join(name.words) in legal or set(name.words) <= legal
        return False

    def as_params(self) -> list[dict[str, Any]]:
        return [r.__dict__ for r in self.rules.values()]
