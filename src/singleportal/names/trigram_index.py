"""An in-memory trigram index over distinct search keys: exact pg_trgm similarity, top first.

Keys are held in order of size (their trigram count). Each trigram has a posting list (the
positions of the keys holding it, ascending), all lists in one int32 array. A query counts, for
every key whose size can reach the floor (a contiguous range of positions, since a key of b
trigrams scores at most min(a, b) / max(a, b) against a query of a), how many of the query's
trigrams it holds, with one `bincount` over the query's posting lists cut to that range; the
score is then shared / (a + b - shared), as pg_trgm's `similarity()` computes it in float4.

Counting every key of the right size costs a few milliseconds for a million keys, where
PostgreSQL's GIN index has to visit each candidate row. Memory: about 4 bytes per (key,
trigram) pair plus 6 bytes per key.
"""

import struct
from collections.abc import Iterable

import numpy as np

from singleportal.names.normalization import trigrams

EPSILON = 1e-6  # bounds are rounded towards reading more keys, never fewer


def float4_ratio(shared: np.ndarray, total: np.ndarray) -> np.ndarray:
    """shared / total rounded as float4 division rounds it (pg_trgm's `similarity()`)."""
    return shared.astype(np.float32) / total.astype(np.float32)


def pair_score(query: frozenset[str], grams: frozenset[str]) -> float:
    """The same score for one key, outside the index. Rounding the double quotient to float4
    equals float4 division: double has more than twice float4's precision."""
    shared = len(query & grams)
    ratio = shared / (len(query) + len(grams) - shared) if shared else 0.0
    return float(struct.unpack("f", struct.pack("f", ratio))[0])


class TrigramIndex:
    def __init__(self, rows: Iterable[tuple[int, str]]) -> None:
        """`rows`: (id, key) pairs. Words are cached while building: keys repeat words."""
        grams_of_word: dict[str, list[int]] = {}
        self.gram_ids: dict[str, int] = {}
        ids: list[int] = []
        grams_of_key: list[list[int]] = []
        for key_id, key in rows:
            grams: set[int] = set()
            for word in key.split():
                known = grams_of_word.get(word)
                if known is None:
                    known = grams_of_word[word] = [
                        self.gram_ids.setdefault(gram, len(self.gram_ids))
                        for gram in trigrams(word)
                    ]
                grams.update(known)
            if grams:
                ids.append(key_id)
                grams_of_key.append(sorted(grams))
        sizes = np.fromiter((len(g) for g in grams_of_key), dtype=np.int32, count=len(ids))
        by_size = np.argsort(sizes, kind="stable")
        self.ids = np.asarray(ids, dtype=np.int64)[by_size]
        self.sizes = sizes[by_size]
        # Postings: (trigram, position) pairs sorted by trigram then position.
        lengths = self.sizes
        positions = np.repeat(np.arange(len(ids), dtype=np.int32), lengths)
        grams_flat = np.fromiter(
            (g for i in by_size for g in grams_of_key[i]), dtype=np.int32, count=int(lengths.sum())
        )
        order = np.argsort(grams_flat, kind="stable")  # stable: positions stay ascending
        self.postings = positions[order]
        self.starts = np.searchsorted(grams_flat[order], np.arange(len(self.gram_ids) + 1))
        self.size_starts = np.searchsorted(
            self.sizes, np.arange(int(self.sizes.max(initial=0)) + 2)
        )

    def __len__(self) -> int:
        return len(self.ids)

    def _position_of_size(self, size: int) -> int:
        size = max(0, size)
        return int(self.size_starts[min(size, len(self.size_starts) - 1)])

    def scores(self, query: frozenset[str], floor: float) -> tuple[np.ndarray, np.ndarray]:
        """(ids, scores) of every key scoring >= floor, best first, then by id."""
        a = len(query)
        empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))
        if not a or not len(self.ids):
            return empty
        first = self._position_of_size(int(np.ceil(floor * a - EPSILON)))
        end = self._position_of_size(int(np.floor(a / floor + EPSILON)) + 1)
        # Same dtype as the postings, or numpy would convert each whole list to search it.
        bounds = np.array([first, end], dtype=np.int32)
        lists = []
        for gram in query:
            gram_id = self.gram_ids.get(gram)
            if gram_id is None:
                continue
            posting = self.postings[self.starts[gram_id] : self.starts[gram_id + 1]]
            low, high = np.searchsorted(posting, bounds)
            lists.append(posting[low:high])
        if not lists or first >= end:
            return empty
        counted = np.concatenate(lists, dtype=np.intp)  # bincount would convert int32 itself
        counted -= first
        shared = np.bincount(counted, minlength=end - first)
        # A key of b trigrams needs shared >= f(a + b) / (1 + f): the smallest b gives a cheap
        # integer filter before the exact scores of the few keys left.
        least = int(np.ceil(floor * (a + int(self.sizes[first])) / (1 + floor) - EPSILON))
        hits = np.flatnonzero(shared >= max(1, least))
        shared = shared[hits]
        score = float4_ratio(shared, a + self.sizes[first + hits] - shared)
        keep = score >= np.float32(floor - EPSILON)
        ids, score = self.ids[first + hits[keep]], score[keep]
        order = np.lexsort((ids, -score))
        return ids[order], score[order]
