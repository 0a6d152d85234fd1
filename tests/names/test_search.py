"""The similar-name search returns exactly the top ten of an exhaustive scoring, on SQLite and
PostgreSQL alike, and sees keys added after its index was built."""

import random

import pytest

from singleportal.names import search
from singleportal.names.normalization import LATIN, trigrams
from singleportal.names.rules import current_rules
from singleportal.names.trigram_index import pair_score
from singleportal.registry.models import NAME_HOLDING_STATUSES, Business
from tests.registry.factories import register

pytestmark = pytest.mark.django_db
WORDS = ["angkor", "angkar", "silk", "silks", "mekong", "bayon", "bayan", "lotus", "krama",
         "pepper", "kampot", "golden", "gold", "naga", "apsara", "apsra"]  # fmt: skip


@pytest.fixture
def register_of_names():
    generator = random.Random(7)
    for i in range(150):
        words = generator.sample(WORDS, generator.choice([1, 2, 3]))
        register(f"ឈ្មោះ {i}", " ".join(words).title(), number=f"S-{i:04d}")


def exhaustive(key, threshold, limit=10):
    """Every business scored one by one: the reference."""
    query, rows = trigrams(key), []
    holding = Business.objects.filter(status__in=NAME_HOLDING_STATUSES)
    for number, other in holding.values_list("registration_number", "name_en_key"):
        score = pair_score(query, trigrams(other))
        if score >= threshold:
            rows.append((-score, number))
    return [(number, -score) for score, number in sorted(rows)[:limit]]


def found(key, threshold=0.3):
    matches = search.similar_businesses(key, LATIN, threshold=threshold, limit=10)
    return [(m.registration_number, m.score) for m in matches]


QUERIES = ["Angkor Silk", "Bayon", "Apsara Golden Naga", "Kampot Peper", "Golden Krama", "Apsra"]


@pytest.mark.parametrize("query", QUERIES)
def test_search_returns_the_exhaustive_top_ten(register_of_names, query):
    key = current_rules().normalize(query, LATIN).key
    assert found(key) == exhaustive(key, 0.3)


def test_keys_added_after_the_index_was_built_are_found(register_of_names):
    key = current_rules().normalize("Naga Pepper", LATIN).key
    found(key)  # builds the index
    register("ឈ្មោះ ថ្មី", "Nagas Peppers Co., Ltd.", number="NEW-1")
    assert found(key)[0][0] == "NEW-1"
    assert found(key) == exhaustive(key, 0.3)


def test_a_long_tail_rebuilds_the_index(register_of_names, monkeypatch):
    monkeypatch.setattr(search, "TAIL_LIMIT", 2)
    monkeypatch.setattr(search, "MARGIN", 0)
    key = current_rules().normalize("Lotus", LATIN).key
    found(key)
    for i in range(3):
        register(f"ឈ្មោះ {i}", f"Lotuses {'X' * (i + 3)}", number=f"T-{i}")
    assert len(search._index(LATIN)[1]) == 0  # rebuilt: the index holds them all
    assert found(key) == exhaustive(key, 0.3)


def test_many_businesses_sharing_a_key_come_in_registration_order():
    for i in range(25):
        register(f"ឈ្មោះ {i}", f"Samta {['Trading', 'Services', 'Travel'][i % 3]} {i}",
                 number=f"K-{50 - i:03d}")  # fmt: skip
    register("ឈ្មោះ", "Samta Trading", number="K-999", status="dissolved")
    key = current_rules().normalize("Samta", LATIN).key
    numbers = [number for number, _ in found(key, 0.5)]
    assert numbers == [number for number, _ in exhaustive(key, 0.5)]
    assert "K-999" not in numbers
