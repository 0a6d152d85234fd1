"""The similar-name search gives the same answers on SQLite and PostgreSQL."""

import random

import pytest
from django.db import connection

from singleportal.names import search
from singleportal.names.normalization import LATIN, trigram_similarity
from singleportal.names.rules import current_rules
from singleportal.registry.models import Business
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
    rows = []
    for number, other in Business.objects.values_list("registration_number", "name_en_key"):
        score = search.as_float4(trigram_similarity(key, other))
        if score >= threshold:
            rows.append((-score, number))
    return [number for _, number in sorted(rows)[:limit]]


@pytest.mark.parametrize("query", ["Angkor Silk", "Bayon", "Apsara Golden Naga", "Kampot Peper"])
def test_search_returns_the_exhaustive_top_ten(register_of_names, query):
    key = current_rules().normalize(query, LATIN).key
    found = search.similar_businesses(key, LATIN, threshold=0.3, limit=10)
    assert [m.registration_number for m in found] == exhaustive(key, 0.3)


@pytest.mark.postgres
def test_postgresql_and_the_python_fallback_agree(register_of_names):
    assert connection.vendor == "postgresql"
    rules = current_rules()
    for query in ["Angkor Silk", "Bayon Lotus", "Apsra", "Golden Krama"]:
        key = rules.normalize(query, LATIN).key
        args = (key, LATIN, 0.3, 10, "", search.NAME_HOLDING_STATUSES)
        in_db = search._similar_postgresql(*args)
        in_python = search._similar_python(*args)
        assert [m.registration_number for m in in_db] == [m.registration_number for m in in_python]
        assert [round(m.score, 5) for m in in_db] == [round(m.score, 5) for m in in_python]


def test_migration_indexes_the_bands_the_search_uses():
    import importlib

    migration = importlib.import_module(
        "singleportal.registry.migrations.0005_name_key_search_on_postgresql"
    )
    assert migration.BANDS == search.KEY_SIZE_BANDS


@pytest.mark.postgres
def test_many_businesses_sharing_a_key_come_in_registration_order():
    for i in range(25):
        register(f"ឈ្មោះ {i}", f"Samta {['Trading', 'Services', 'Travel'][i % 3]} {i}",
                 number=f"K-{50 - i:03d}")  # fmt: skip
    register("ឈ្មោះ", "Samta Trading", number="K-999", status="dissolved")
    key = current_rules().normalize("Samta", LATIN).key
    args = (key, LATIN, 0.5, 10, "", search.NAME_HOLDING_STATUSES)
    in_db = [m.registration_number for m in search._similar_postgresql(*args)]
    assert in_db == [m.registration_number for m in search._similar_python(*args)]
    assert "K-999" not in in_db
