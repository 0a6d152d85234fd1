"""Similar registered names: the closest N by trigram similarity of the distinctive words.

PostgreSQL: pg_trgm's `%` operator with a GIN index on the search key (registry migration
0002), threshold set per query. SQLite: candidates narrowed by the indexed trigram count of the
key (similarity >= t needs t*|A| <= |B| <= |A|/t), then the same similarity computed in Python.
Both return the same rows in the same order: score (as PostgreSQL's float4) descending, then
registration number.
"""

import heapq
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from singleportal.names.normalization import KHMER, trigram_similarity, trigrams
from singleportal.registry.models import NAME_HOLDING_STATUSES, Business, NameKey


@dataclass(frozen=True)
class Match:
    registration_number: str
    name_km: str
    name_en: str
    status: str
    score: float


def _columns(script: str) -> tuple[str, str, str]:
    if script == KHMER:
        return "name_km_key", "name_km_normalized", "name_km_key_size"
    return "name_en_key", "name_en_normalized", "name_en_key_size"


def as_float4(value: float) -> float:
    """Round like PostgreSQL's real type, so that both engines order ties alike."""
    return float(struct.unpack("f", struct.pack("f", value))[0])


def similar_businesses(
    key: str,
    script: str,
    *,
    threshold: float,
    limit: int = 10,
    exclude_normalized: str = "",
    statuses: Sequence[str] = NAME_HOLDING_STATUSES,
) -> list[Match]:
    if not trigrams(key):
        return []
    if connection.vendor == "postgresql":
        return _similar_postgresql(key, script, threshold, limit, exclude_normalized, statuses)
    return _similar_python(key, script, threshold, limit, exclude_normalized, statuses)


# PostgreSQL ranks distinct keys (registry.NameKey), not businesses: many businesses share a
# key ("Angkor Trading", "Angkor Co., Ltd."...), and a key is scored once. Keys are indexed in
# bands of their trigram count (registry migration 0005: one partial GIN index per band). A key
# of b trigrams can score at most min(a, b) / max(a, b) against a query of a trigrams, so bands
# are visited from the query's own size outwards; once ten businesses are found, the next bands
# are searched with the tenth score as threshold (fewer keys pass the index), and the search
# stops when no band left can reach it.
KEY_SIZE_BANDS: tuple[tuple[int, int], ...] = (
    (0, 6), (7, 8), (9, 10), (11, 12), (13, 15), (16, 18), (19, 22), (23, 27), (28, 33),
    (34, 40), (41, 49), (50, 60), (61, 74), (75, 91), (92, 112), (113, 138), (139, 170),
    (171, 210), (211, 32767),
)  # fmt: skip


def band_upper_bound(size: int, low: int, high: int) -> float:
    """The best similarity a key of `low..high` trigrams can have with one of `size`."""
    if low <= size <= high:
        return 1.0
    if high < size:
        return high / size
    return size / low


def _band_keys(
    cursor: Any, key: str, script: str, low: int, high: int, floor: float, n: int
) -> list[tuple[str, float]]:
    if getattr(cursor, "_trgm_threshold", None) != floor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, false)", [repr(floor)]
        )
        cursor._trgm_threshold = floor
    # Literal bounds: the planner must see them to choose the band's partial index.
    cursor.execute(
        f"SELECT key, similarity(key, %s) AS s FROM {NameKey._meta.db_table} "  # noqa: S608
        f"WHERE key %% %s AND script = %s AND key_size BETWEEN {int(low)} AND {int(high)} "
        f"ORDER BY s DESC, key LIMIT %s",
        [key, key, script, n],
    )
    return [(k, float(s)) for k, s in cursor.fetchall() if float(s) >= floor]


def _businesses_of_keys(
    cursor: Any,
    scored: list[tuple[str, float]],
    script: str,
    limit: int,
    exclude: str,
    statuses: Sequence[str],
) -> list[Match]:
    key_col, norm_col, _ = _columns(script)
    cursor.execute(
        f"SELECT b.registration_number, b.name_km, b.name_en, b.status, k.s "  # noqa: S608
        f"FROM unnest(%s::text[], %s::float8[]) AS k(key, s) CROSS JOIN LATERAL ("
        f"  SELECT registration_number, name_km, name_en, status FROM {Business._meta.db_table}"
        f"  WHERE {key_col} = k.key AND status = ANY(%s) AND {norm_col} <> %s"
        f"  ORDER BY registration_number LIMIT %s) AS b "
        f"ORDER BY k.s DESC, b.registration_number LIMIT %s",
        [[k for k, _ in scored], [s for _, s in scored], list(statuses), exclude, limit, limit],
    )
    return [Match(r[0], r[1], r[2], r[3], float(r[4])) for r in cursor.fetchall()]


def _similar_postgresql(
    key: str,
    script: str,
    threshold: float,
    limit: int,
    exclude: str,
    statuses: Sequence[str],
) -> list[Match]:
    size = len(trigrams(key))
    low_size, high_size = threshold * size - 1e-9, size / threshold + 1e-9
    bands = [
        (band_upper_bound(size, low, high), low, high)
        for low, high in KEY_SIZE_BANDS
        if high >= low_size and low <= high_size
    ]
    bands.sort(key=lambda band: (-band[0], band[1]))
    found: list[Match] = []
    with connection.cursor() as cursor:
        for upper, low, high in bands:
            tenth = found[limit - 1].score if len(found) >= limit else None
            if tenth is not None and upper < tenth:
                break
            # Once ten are found, only keys at least as close as the tenth are of interest.
            floor = max(threshold, tenth or 0.0)
            n = 2 * limit
            while True:
                scored = _band_keys(cursor, key, script, low, high, floor, n)
                matches = _businesses_of_keys(cursor, scored, script, limit, exclude, statuses)
                # Enough keys when there are no more, or when the next key would score below
                # the last business kept (a tie could still bring a lower registration number).
                if len(scored) < n:
                    break
                if len(matches) >= limit and scored[-1][1] < matches[-1].score:
                    break
                n *= 4
            found.extend(matches)
            found.sort(key=lambda m: (-m.score, m.registration_number))
            del found[limit:]
    return found


def _similar_python(
    key: str,
    script: str,
    threshold: float,
    limit: int,
    exclude: str,
    statuses: Sequence[str],
) -> list[Match]:
    key_col, norm_col, size_col = _columns(script)
    query = trigrams(key)
    size = len(query)
    low, high = math.ceil(threshold * size - 1e-9), math.floor(size / threshold + 1e-9)
    candidates = (
        Business.objects.filter(**{f"{size_col}__gte": low, f"{size_col}__lte": high})
        .filter(status__in=statuses)
        .exclude(**{norm_col: exclude})
        .values_list("pk", "registration_number", key_col)
    )
    scored: list[tuple[float, str, int]] = []
    for pk, number, candidate_key in candidates.iterator(chunk_size=2000):
        score = as_float4(trigram_similarity(query, trigrams(candidate_key)))
        if score >= threshold:
            scored.append((score, number, pk))
    best = heapq.nsmallest(limit, scored, key=lambda item: (-item[0], item[1]))
    rows = Business.objects.in_bulk([pk for _, _, pk in best])
    return [
        Match(rows[pk].registration_number, rows[pk].name_km, rows[pk].name_en,
              rows[pk].status, score)
        for score, _, pk in best
    ]  # fmt: skip
