"""Similar registered names: the closest N by trigram similarity of the distinctive words.

Distinct search keys (registry.NameKey; many businesses share one, "Angkor Trading" and
"Angkor Co., Ltd." both have the key "angkor") are ranked by an in-memory trigram index
(names/trigram_index.py), then each key's businesses are taken in registration-number order.
The same code runs on SQLite and PostgreSQL, so both give the same answers; ADR 0004 says why
the index lives in the process rather than in PostgreSQL's GIN.

Each process builds the index of a script on first use. Key rows are only ever added (a key no
business uses any more finds none), so keys added since the build are read by id and scored
alongside; past TAIL_LIMIT of them the index is rebuilt. The last MARGIN ids of a build are
always re-read, so a key whose transaction committed after a later one's is not missed.
"""

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Max

from singleportal.names.normalization import trigrams
from singleportal.names.trigram_index import EPSILON, TrigramIndex, pair_score
from singleportal.registry.models import NAME_HOLDING_STATUSES, Business, NameKey

TAIL_LIMIT = 5000
MARGIN = 200


@dataclass(frozen=True)
class Match:
    registration_number: str
    name_km: str
    name_en: str
    status: str
    score: float


@dataclass
class _Built:
    index: TrigramIndex
    covered: int  # keys with larger ids are read from the table: the tail
    tail: list[tuple[int, str]] = field(default_factory=list)
    tail_read: float = -1e9  # time.monotonic() of the last read
    tail_grams: dict[int, frozenset[str]] = field(default_factory=dict)


_indexes: dict[tuple[str, str], _Built] = {}
_building = threading.Lock()


def forget_indexes() -> None:
    """Drop every built index (tests roll back key rows, which production never does)."""
    _indexes.clear()


def _build(script: str) -> _Built:
    # The newest id of any script: the tail is then a short range of the primary key.
    newest = NameKey.objects.aggregate(newest=Max("id"))["newest"] or 0
    rows = NameKey.objects.filter(script=script).values_list("id", "key")
    return _Built(TrigramIndex(rows.iterator(chunk_size=20000)), max(0, newest - MARGIN))


def _read_tail(built: _Built, script: str) -> None:
    built.tail = list(
        NameKey.objects.filter(script=script, id__gt=built.covered).values_list("id", "key")[
            : TAIL_LIMIT + 1
        ]
    )
    built.tail_read = time.monotonic()


def _index(script: str) -> tuple[_Built, list[tuple[int, str]]]:
    """The built index of the script and the keys added after it (read again once
    settings.NAMES_REFRESH_MILLISECONDS have passed)."""
    slot = (connection.alias, script)
    built = _indexes.get(slot)
    refresh = settings.NAMES_REFRESH_MILLISECONDS / 1000
    if built is not None and time.monotonic() - built.tail_read >= refresh:
        _read_tail(built, script)
    if built is None or len(built.tail) > TAIL_LIMIT:
        with _building:
            built = _indexes[slot] = _build(script)
        _read_tail(built, script)
    return built, built.tail


def _tail_scores(
    built: _Built, tail: list[tuple[int, str]], query: frozenset[str], floor: float
) -> dict[int, float]:
    scores = {}
    for key_id, key in tail:
        grams = built.tail_grams.get(key_id)
        if grams is None:
            grams = built.tail_grams[key_id] = trigrams(key)
        scores[key_id] = pair_score(query, grams)
    return {key_id: score for key_id, score in scores.items() if score >= floor - EPSILON}


def ranked_keys(key: str, script: str, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """(key ids, scores) of every key scoring >= floor against `key`, best first, then by id."""
    query = trigrams(key)
    built, tail = _index(script)
    ids, scores = built.index.scores(query, floor)
    tail_scores = _tail_scores(built, tail, query, floor)
    if not tail_scores:
        return ids, scores
    indexed = ids <= built.covered  # the tail holds the newer ones
    ids = np.concatenate([ids[indexed], np.fromiter(tail_scores, dtype=ids.dtype)])
    scores = np.concatenate(
        [scores[indexed], np.fromiter(tail_scores.values(), dtype=scores.dtype)]
    )
    order = np.lexsort((ids, -scores))
    return ids[order], scores[order]


def similar_businesses(
    key: str,
    script: str,
    *,
    threshold: float,
    limit: int = 10,
    exclude_normalized: str = "",
    statuses: Sequence[str] = NAME_HOLDING_STATUSES,
) -> list[Match]:
    """The closest `limit` businesses (score desc, registration number) scoring >= threshold."""
    if not trigrams(key):
        return []
    ids, scores = ranked_keys(key, script, threshold)
    n = limit  # most keys hold a business: ten keys usually give the ten businesses
    while True:
        best = list(zip(ids[:n].tolist(), scores[:n].tolist(), strict=True))
        matches = _businesses_of_keys(best, script, limit, exclude_normalized, statuses)
        # Enough keys when there are no more, or when the next key scores below the last
        # business kept (at a tie it could still bring a lower registration number).
        if n >= len(ids) or (len(matches) >= limit and scores[n] < matches[-1].score):
            return matches
        n *= 4


def _columns(script: str) -> tuple[str, str]:
    if script == "khmer":
        return "name_km_key", "name_km_normalized"
    return "name_en_key", "name_en_normalized"


def _businesses_of_keys(
    scored: list[tuple[int, float]],
    script: str,
    limit: int,
    exclude: str,
    statuses: Sequence[str],
) -> list[Match]:
    if not scored:
        return []
    if connection.vendor == "postgresql":
        return _businesses_of_keys_postgresql(scored, script, limit, exclude, statuses)
    key_col, norm_col = _columns(script)
    keys = dict(NameKey.objects.filter(id__in=[i for i, _ in scored]).values_list("key", "id"))
    score_of = dict(scored)
    rows = (
        Business.objects.filter(**{f"{key_col}__in": list(keys)}, status__in=statuses)
        .exclude(**{norm_col: exclude})
        .values_list("registration_number", "name_km", "name_en", "status", key_col)
    )
    # Every business of these keys: fine at the sizes SQLite serves (the demo, small offices).
    matches = [Match(r[0], r[1], r[2], r[3], score_of[keys[r[4]]]) for r in rows]
    matches.sort(key=lambda m: (-m.score, m.registration_number))
    return matches[:limit]


def _businesses_of_keys_postgresql(
    scored: list[tuple[int, float]],
    script: str,
    limit: int,
    exclude: str,
    statuses: Sequence[str],
) -> list[Match]:
    """One statement: each key's first `limit` businesses through the (key, number) btree."""
    key_col, norm_col = _columns(script)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT b.registration_number, b.name_km, b.name_en, b.status, k.s "  # noqa: S608
            f"FROM unnest(%s::bigint[], %s::float8[]) AS k(id, s) "
            f"JOIN {NameKey._meta.db_table} AS nk ON nk.id = k.id CROSS JOIN LATERAL ("
            f"  SELECT registration_number, name_km, name_en, status "
            f"  FROM {Business._meta.db_table}"
            f"  WHERE {key_col} = nk.key AND status = ANY(%s) AND {norm_col} <> %s"
            f"  ORDER BY registration_number LIMIT %s) AS b "
            f"ORDER BY k.s DESC, b.registration_number LIMIT %s",
            [[i for i, _ in scored], [s for _, s in scored], list(statuses), exclude, limit,
             limit],
        )  # fmt: skip
        rows: list[Any] = cursor.fetchall()
    return [Match(r[0], r[1], r[2], r[3], float(r[4])) for r in rows]
