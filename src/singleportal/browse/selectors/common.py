"""What both searches share: the result page, its cursors, facet counting helpers."""

import base64
import binascii
import json
import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.dateparse import parse_datetime

from singleportal.browse.filters import Filters, Sort
from singleportal.browse.text import NOTHING, Query, TextFields, match
from singleportal.geo.models import Province

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
PROVINCES_CACHE_KEY = "browse:provinces"
PROVINCES_CACHE_SECONDS = 3600
# Relevance pages are offsets: past this many rows a search should be narrowed, not paged.
MAX_OFFSET = 1000


@dataclass(frozen=True)
class Results:
    """One page of a search and the counts of every facet for the same search."""

    items: list[Any]
    total: int  # rows matching every filter
    facets: dict[str, dict[str, int]]  # facet -> {value code: rows}; flags under "1"
    next_cursor: str | None
    first_page: bool
    sort: str
    query: Query
    near_spellings: bool  # nothing matched the words as typed: these are spelt near them


@dataclass(frozen=True)
class RelatedFacet:
    """A facet on rows of another table (a product's materials, a producer's products): it
    filters by a set of ids, and counts each value with one grouped query over the ids."""

    having: Callable[[tuple[str, ...]], Q]  # the rows having any of these values
    count: Callable[[QuerySet], dict[str, int]]  # {value: rows} among these rows' ids


class Search:
    """One search: its filters, words and facet conditions, built once and reused by the
    results and the counts. Subclasses say what is searched and what the facets are."""

    text: TextFields

    def __init__(self, filters: Filters) -> None:
        self.filters = filters
        self.query = Query.parse(filters.q)
        self.values = self.facet_values()
        self.related = self.related_facets()
        # Each chosen filter by name: a facet's is any of its ticked values.
        self.conditions = {**self._chosen(filters), **self.other_conditions(filters)}
        self.near = False  # match the words by near spellings instead (match(..., near=True))

    def _chosen(self, filters: Filters) -> dict[str, Q]:
        chosen = {}
        for facet in (*self.values, *self.related):
            ticked = getattr(filters, facet)
            codes = ("1",) if ticked is True else tuple(ticked or ())
            if not codes:
                continue
            if facet in self.related:
                chosen[facet] = self.related[facet].having(codes)
            else:
                # A value no row can have (a province code that does not exist) finds none.
                options = self.values[facet]
                chosen[facet] = reduce(operator.or_, (options.get(c, NOTHING) for c in codes))
        return chosen

    def base(self) -> QuerySet:
        raise NotImplementedError

    def other_conditions(self, filters: Any) -> dict[str, Q]:
        """The chosen filters that have no counts (price, minimum order), by name."""
        return {}

    def facet_values(self) -> dict[str, dict[str, Q]]:
        """The facets on the row's own columns (or one join away): every value, and what a
        row having it is; the flags (verified, export) as one value "1"."""
        raise NotImplementedError

    def related_facets(self) -> dict[str, RelatedFacet]:
        return {}

    def word_extra(self, word: str) -> Q | None:
        """Another way than the text fields for a word to match (none by default)."""
        return None

    def rows(self, *, leave_out: tuple[str, ...] = ()) -> tuple[QuerySet, Any]:
        """The rows matching the words and every filter but those left out, and their
        relevance expression (None without words)."""
        found = self.base()
        kept = [q for name, q in self.conditions.items() if name not in leave_out]
        if kept:
            found = found.filter(*kept)
        if not self.query:
            return found, None
        return match(found, self.query, self.text, self.word_extra, near=self.near)

    def counts(self) -> tuple[int, dict[str, dict[str, int]]]:
        """The total and the count of every facet value, each leaving its facet's own filter
        out (ticking "silk" leaves "cotton" its count). The facets on the row's columns in one
        query: a conditional count per value over the rows matching everything else; then one
        grouped query per related facet."""
        values = self.values
        found, _relevance = self.rows(leave_out=tuple(values))
        chosen = {name: q for name, q in self.conditions.items() if name in values}
        aggregates = {"total": count_with(all_of(list(chosen.values())))}
        keys: dict[str, tuple[str, str]] = {}
        for facet, options in values.items():
            others = [q for name, q in chosen.items() if name != facet]
            for code, having in options.items():
                key = f"n{len(keys)}"
                keys[key] = (facet, code)
                aggregates[key] = count_with(all_of([having, *others]))
        row = found.aggregate(**aggregates)
        facets: dict[str, dict[str, int]] = {facet: {} for facet in values}
        for key, (facet, code) in keys.items():
            if row[key]:
                facets[facet][code] = row[key]
        for facet, related in self.related.items():
            ids = self.rows(leave_out=(facet,))[0].values("pk")
            facets[facet] = related.count(ids)
        return row["total"], facets

    def words_match_anything(self) -> bool:
        """Whether the words as typed match any row, whatever the filters."""
        return self.rows(leave_out=tuple(self.conditions))[0].exists()


def sort_of(filters: Filters, query: Query) -> str:
    """Relevance when there are words to be relevant to, else newest first."""
    if query and filters.sort in ("", Sort.RELEVANCE):
        return Sort.RELEVANCE
    return Sort.NEWEST


def all_of(conditions: list[Q]) -> Q | None:
    return reduce(operator.and_, conditions) if conditions else None


def count_with(condition: Q | None) -> Count:
    return Count("pk", filter=condition) if condition is not None else Count("pk")


def grouped(found: QuerySet, column: str, counted: str) -> dict[str, int]:
    """{value of `column`: distinct `counted`} among `found`."""
    rows = found.values(column).annotate(n=Count(counted, distinct=True)).order_by()
    return {str(r[column]): r["n"] for r in rows}


def provinces() -> list[tuple[str, str, str]]:
    """(code, Khmer name, English name) of every province, kept in the cache: the facet
    labels cost no query after the first page."""
    found = cache.get(PROVINCES_CACHE_KEY)
    if found is None:
        found = list(Province.objects.order_by("code").values_list("code", "name_km", "name_en"))
        cache.set(PROVINCES_CACHE_KEY, found, PROVINCES_CACHE_SECONDS)
    return found


# -- cursors: opaque to clients. Newest first pages by keyset (created_at, id), stable while
# rows are added; relevance pages by offset (a rank is a float: no safe keyset on it).


def encode_cursor(position: list[Any]) -> str:
    raw = json.dumps(["b1", *position], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any] | None:
    """The position a cursor stands for, or None for one this service did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        values = json.loads(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(values, list) or values[:1] != ["b1"]:
        return None
    return values[1:]


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None
    first: bool  # no rows come before these


def page_of(found: QuerySet, sort: str, cursor: str, limit: int) -> Page:
    """One page of `found` (annotated with `relevance` for a relevance sort) after `cursor`.
    A cursor of the other sort, or none of ours, starts at the first page."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    position = decode_cursor(cursor) if cursor else None
    if sort == Sort.RELEVANCE:
        offset = _offset(position)
        found = found.order_by("-relevance", "-created_at", "-pk")
        rows = list(found[offset : offset + limit + 1])
        more = len(rows) > limit
        after = encode_cursor(["o", offset + limit]) if more else None
        return Page(rows[:limit], after, first=offset == 0)
    found = found.order_by("-created_at", "-pk")
    after_row = _keyset(position)
    if after_row is not None:
        created, pk = after_row
        found = found.filter(Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk))
    rows = list(found[: limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    last = rows[-1] if rows else None
    after = encode_cursor(["n", last.created_at.isoformat(), last.pk]) if more and last else None
    return Page(rows, after, first=after_row is None)


def _offset(position: list[Any] | None) -> int:
    if not position or position[0] != "o" or len(position) != 2:
        return 0
    offset = position[1]
    return offset if isinstance(offset, int) and 0 <= offset <= MAX_OFFSET else 0


def _keyset(position: list[Any] | None) -> tuple[datetime, int] | None:
    if not position or position[0] != "n" or len(position) != 3:
        return None
    moment = parse_datetime(position[1]) if isinstance(position[1], str) else None
    if moment is None or not isinstance(position[2], int):
        return None
    return moment, position[2]


def results_of(search: Search, cards: Any, cursor: str, limit: int) -> Results:
    """The page of `search`'s rows (`cards(rows)` reads what a card shows) and its counts.
    When nothing matches the words as typed, PostgreSQL looks again by near spellings
    ("embroidred"); SQLite has no trigram similarity and says nothing was found."""
    total, counts = search.counts()
    postgresql = connection.vendor == "postgresql"
    if not total and search.query and postgresql and not search.words_match_anything():
        search.near = True
        total, counts = search.counts()
    found, relevance = search.rows()
    sort = sort_of(search.filters, search.query)
    if relevance is not None:
        found = found.annotate(relevance=relevance)
    page = page_of(cards(found), sort, cursor, limit) if total else Page([], None, True)
    return Results(
        items=page.rows,
        total=total,
        facets=counts,
        next_cursor=page.next_cursor,
        first_page=page.first,
        sort=sort,
        query=search.query,
        near_spellings=search.near,
    )
