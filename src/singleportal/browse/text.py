"""How a buyer's words are compared with stored titles, names and descriptions.

The query is normalised in Python with the project's Khmer and Latin helpers (invisible
characters dropped, Khmer spelling variants folded, case folded) and split into words; Khmer
has no spaces, so a Khmer query is one word unless the buyer typed spaces. The stored side is
normalised in SQL with the same expression on both databases (`searchable`: English in lower
case, Khmer without invisible characters), so "ក្រមា​សូត្រ" typed with a zero-width space finds
"ក្រមាសូត្រ" and the other way round.

A row matches when every word is found inside one of its fields (any field per word), on both
databases; each word is read as a set of ids per field, through trigram indexes on
PostgreSQL. PostgreSQL also matches English words by their stems (full-text search, 'english'
configuration: "runners" finds "runner"), and, when the words match nothing, titles and names
spelt near them (trigram word similarity). Relevance is the weighted count of (field, word)
hits. docs/search.md has the whole story and the measured costs.
"""

import operator
import unicodedata
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
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

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple]:
        sql, params = compiler.compile(self.source_expressions[0])
        for _char in INVISIBLE:
            sql = f"REPLACE({sql}, %s, '')"
        return sql, (*params, *INVISIBLE)


def searchable(path: str, *, long: bool = False) -> Any:
    """A stored text as queries are compared with it. English (`_en`): in lower case. Khmer
    (`_km`, no case): without invisible characters, which Khmer typists put between words;
    except in long texts, where removing them row by row costs ten times the comparison
    (docs/search.md, "Measured"), so a Khmer phrase is found in a description only as typed."""
    if path.endswith("_en"):
        return Lower(F(path))
    return F(path) if long else WithoutInvisible(F(path))


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
    """Which fields of a model a query looks in, and how much a word found in each weighs.

    Paths are the model's own fields or one relation away ("profile__name_km")."""

    weighted: tuple[tuple[str, int], ...]  # titles, names, techniques: a hit adds the weight
    long: tuple[str, ...]  # descriptions, stories (the model's own): a hit matches, no weight
    fuzzy: tuple[str, ...]  # the model's own, compared by trigram word similarity (PostgreSQL)
    english: tuple[tuple[str, str], ...]  # (field, weight A-D) of the English text vector


def english_vector(fields: TextFields) -> Any:
    vectors = [SearchVector(path, weight=w, config="english") for path, w in fields.english]
    return reduce(operator.add, vectors)


EXTRA_WEIGHT = 3.0  # a word naming a material of the product
STEM_WEIGHT = 4.0  # the English words found by their stems (PostgreSQL)
NOTHING = Q(pk__in=[])


def _ids(model: Any, texts: dict[str, Any], condition: Any) -> QuerySet:
    return model.objects.alias(**texts).filter(condition).values("pk")


def _found_in(model: Any, fields: TextFields, word: str) -> Q:
    """The rows with `word` in one of the fields, as `pk IN (ids)` per field (the producer's
    name: `profile IN (ids)`). Each set of ids is read once per query, through the field's
    trigram index on PostgreSQL when the word is rare enough for it to pay, rather than every
    row's texts compared one by one; one field per set, so each gets the plan that suits it."""
    texts = [(path, False) for path, _weight in fields.weighted]
    # PostgreSQL reads English long texts through the full-text index (`match`): by words and
    # stems, not inside words. Comparing every description row by row cost more than the rest
    # of a search together (docs/search.md, "Measured").
    postgresql = connection.vendor == "postgresql"
    texts += [(f, True) for f in fields.long if not (postgresql and f.endswith("_en"))]
    found = NOTHING
    for path, long in texts:
        relation, _sep, field = path.rpartition("__")
        owner = model._meta.get_field(relation).related_model if relation else model
        ids = _ids(owner, {"_text": searchable(field, long=long)}, Q(_text__contains=word))
        found |= Q(**{f"{relation or 'pk'}__in": ids})
    return found


def _near_spellings(model: Any, query: Query, fields: TextFields) -> tuple[Q, Any]:
    """The rows whose titles or names are spelt near the words (pg_trgm word similarity at
    its threshold, through the trigram indexes), and how near (0 to 1)."""
    texts = {f"_fuzzy_{i}": searchable(path) for i, path in enumerate(fields.fuzzy)}
    # The lookup instance: django.contrib.postgres (which registers it) is not installed.
    near = reduce(operator.or_, (Q(TrigramWordSimilar(F(n), query.phrase)) for n in texts))
    similarities = [TrigramWordSimilarity(query.phrase, searchable(p)) for p in fields.fuzzy]
    best = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
    return Q(pk__in=_ids(model, texts, near)), Cast(best, FloatField())


def match(
    found: QuerySet, query: Query, fields: TextFields, word_extra: Any = None, *, near: bool = False
) -> tuple[QuerySet, Any]:
    """`found` narrowed to the rows the query matches, and their relevance expression.

    `word_extra(word) -> Q | None` adds another way for a word to match (a product's material
    named by the word); a hit that way weighs EXTRA_WEIGHT. Relevance is computed on the
    matching rows only, from their short fields. `near` (PostgreSQL): match near spellings of
    the titles and names instead, the nearest first: for a search that found nothing.
    """
    model = found.model
    if near:
        spelt_near, similarity = _near_spellings(model, query, fields)
        return found.filter(spelt_near), similarity
    names = {path: f"_text_{i}" for i, (path, _w) in enumerate(fields.weighted)}
    found = found.alias(**{name: searchable(path) for path, name in names.items()})
    scores: list[Any] = []
    per_word: list[Q] = []
    for word in query.words:
        anywhere = _found_in(model, fields, word)
        for path, weight in fields.weighted:
            hit = Q(**{f"{names[path]}__contains": word})
            scores.append(Case(When(hit, then=Value(float(weight))), default=Value(0.0)))
        extra = word_extra(word) if word_extra else None
        if extra is not None:
            anywhere |= extra
            scores.append(Case(When(extra, then=Value(EXTRA_WEIGHT)), default=Value(0.0)))
        per_word.append(anywhere)
    condition = reduce(operator.and_, per_word)
    if connection.vendor == "postgresql":
        # English words match by their stems too, read through the vector's index.
        words = SearchQuery(query.phrase, search_type="websearch", config="english")
        stems = Q(pk__in=_ids(model, {"_english": english_vector(fields)}, Q(_english=words)))
        condition |= stems
        scores.append(Case(When(stems, then=Value(STEM_WEIGHT)), default=Value(0.0)))
    return found.filter(condition), Cast(reduce(operator.add, scores), FloatField())
