from types import SimpleNamespace

import pytest
from django.core.cache import cache

from tests.browse.factories import SIEM_REAP, TAKEO, producer, product


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The province labels and the API's rate counts live in the cache: start each test
    without the last one's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def market(db):
    """The buyer's story: silk home textiles from a verified Siem Reap producer, and the three
    decoys (unverified in Siem Reap, a scarf from Takeo, cotton from Siem Reap)."""
    angkor = producer("Angkor Weavers", "ក្រុមត្បាញ អង្គរ", province=SIEM_REAP)
    puok = producer("Puok Village Group", "ក្រុម ភូមិពួក", province=SIEM_REAP, verified=False,
                    export="none")  # fmt: skip
    takeo = producer("Takeo Silk House", "ផ្ទះសូត្រ តាកែវ", province=TAKEO, export="occasional")
    return SimpleNamespace(
        angkor=angkor,
        puok=puok,
        takeo=takeo,
        cushion=product(angkor, "Silk cushion cover", "ស្រោមខ្នើយសូត្រ"),
        unverified=product(puok, "Silk table runner", "កម្រាលតុសូត្រ"),
        scarf=product(takeo, "Silk scarf", "ក្រមាសូត្រ", category="scarves"),
        cotton=product(angkor, "Cotton cushion cover", "ស្រោមខ្នើយកប្បាស", materials=("cotton",)),
    )
