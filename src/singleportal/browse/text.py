"""How a buyer's words are compared with stored titles, names and descriptions.

The query is normalised in Python with the project's Khmer and Latin helpers (invisible
characters dropped, Khmer spelling variants folded, case folded) and split into words; Khmer
has no spaces, so a Khmer query is one word unless the buyer typed spaces. The stored side is
normalised in SQL with the same expression on both databases (`searchable`: invisible
characters removed, lower case), so "ក្រមា​សូត្រ" typed with a zero-width space finds
"ក្រមាសូត្រ" and the other way round.

A row matches when every word is found inside one of its fields (any field per word), on both
databases. PostgreSQL also matches English words by stem (full-text search, 'english'
configuration: "scarves" finds "scarf") and titles or names by trigram word similarity (a typo,
a spelling the owner did not use); both indexed by migration 0001. Relevance is the weighted
count of (field, word) hits, plus on PostgreSQL the full-text rank and the best trigram
similarity. docs/search.md has the whole story and the measured costs.
"""

import operator
import unicodedata
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Greatest, Lower

from singleportal.core.text import INVISIBLE_CHARACTERS, fold_case, remove_invisible
from singleportal.names.normalization import op_khmer_spelling

MAX_QUERY_LENGTH = 100
MAX_WORDS = 6
INVISIBLE = "".join(INVISIBLE_CHARACTERS)


class WithoutInvisible(Func):
    """The text with core.text's invisible characters removed. PostgreSQL: one TRANSLATE, the
    expression the trigram indexes of migration 0001 are built on; SQLite has no TRANSLATE, so
    one REPLACE per character."""

    function = "TRANSLATE"
    output_field = TextField()

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, Value(INVISIBLE), Value(""))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        params = list(params)
        for char in INVISIBLE:
            sql = f"REPLACE({sql}, %s, '')"
            params.append(char)
        return sql, params


def searchable(path: str) -> Func:
    """A stored text as queries are compared with it."""
    return Lower(WithoutInvisible(F(path)))


def _trim(word: str) -> str:
    """A word without the punctuation around it ("silk," -> "silk", "សូត្រ។" -> "សូត្រ")."""
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] in "PS":
        end -= 1
    return word[start:end]


def normalise(text: str) -> str:
    """A query as it is compared: NFC, without invisible characters, Khmer spelling variants
    folded (names.normalization), case folded."""
    text = remove_invisible(unicodedata.normalize("NFC", text))
    return fold_case(op_khmer_spelling(text, {}))


@dataclass(frozen=True)
class Query:
    text: str  # as typed (trimmed), to put back in the search box
    words: tuple[str, ...]  # normalised, at most MAX_WORDS, without repeats

    @classmethod
    def parse(cls, raw: str) -> "Query":
        text = " ".join(raw.split())[:MAX_QUERY_LENGTH]
        words: list[str] = []
        for word in normalise(text).split():
            word = _trim(word)
            if word and word not in words:
                words.append(word)
        return cls(text=text, words=tuple(words[:MAX_WORDS]))

    @property
    def phrase(self) -> str:
        """The normalised words as one string (full-text and trigram comparisons)."""
        return " ".join(self.words)

    def __bool__(self) -> bool:
        return bool(self.words)


@dataclass(frozen=True)
class TextFields:
    """Which fields of a model a query looks in, and how much a hit in each weighs."""

    weighted: tuple[tuple[str, int], ...]  # (field path, weight of a word found in it)
    fuzzy: tuple[str, ...]  # compared by trigram word similarity (PostgreSQL)
    english: tuple[tuple[str, str], ...]  # (field, weight A-D) of the English text vector


def english_vector(fields: TextFields) -> Any:
    vectors = [SearchVector(path, weight=w, config="english") for path, w in fields.english]
    return reduce(operator.add, vectors)


EXTRA_WEIGHT = 3.0
FULL_TEXT_WEIGHT = 8.0  # ts_rank is small (about 0.1 to 1): scaled to weigh like a title hit
SIMILARITY_WEIGHT = 4.0


def match(
    found: QuerySet, query: Query, fields: TextFields, word_extra: Any = None
) -> tuple[QuerySet, Any]:
    """`found` narrowed to the rows the query matches, and their relevance expression.

    `word_extra(word) -> Q | None` adds another way for a word to match (a product's material
    named by the word); a hit that way weighs EXTRA_WEIGHT.
    """
    names = {path: f"_text_{i}" for i, (path, _w) in enumerate(fields.weighted)}
    found = found.alias(**{name: searchable(path) for path, name in names.items()})
    scores: list[Any] = []
    per_word: list[Q] = []
    for word in query.words:
        anywhere = Q()
        for path, weight in fields.weighted:
            hit = Q(**{f"{names[path]}__contains": word})
            anywhere |= hit
            scores.append(Case(When(hit, then=Value(float(weight))), default=Value(0.0)))
        extra = word_extra(word) if word_extra else None
        if extra is not None:
            anywhere |= extra
            scores.append(Case(When(extra, then=Value(EXTRA_WEIGHT)), default=Value(0.0)))
        per_word.append(anywhere)
    condition = reduce(operator.and_, per_word)
    if connection.vendor == "postgresql":
        # Stems of English words, and near spellings of titles and names, match as well.
        words = SearchQuery(query.phrase, search_type="websearch", config="english")
        found = found.alias(_english=english_vector(fields))
        condition |= Q(_english=words)
        for path in fields.fuzzy:
            # The lookup instance: django.contrib.postgres (which registers it) is not installed.
            condition |= Q(TrigramWordSimilar(F(names[path]), query.phrase))
        similarities = [TrigramWordSimilarity(query.phrase, names[path]) for path in fields.fuzzy]
        best = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
        scores += [
            SearchRank(F("_english"), words) * FULL_TEXT_WEIGHT,
            Cast(best, FloatField()) * SIMILARITY_WEIGHT,
        ]
    return found.filter(condition), Cast(reduce(operator.add, scores), FloatField())
