import pytest
from django.core.cache import cache

from singleportal.labels.views import scan_pages
from tests.conftest import in_english
from tests.labels import factories


@pytest.fixture(autouse=True)
def _signed(signing_key):
    """Every test here signs with the session's key (tests/conftest.py)."""


@pytest.fixture(autouse=True)
def _no_kept_pages():
    scan_pages.clear()
    cache.clear()  # the report rate limit counts per address in the cache
    yield
    scan_pages.clear()


@pytest.fixture
def english(client):
    in_english(client)
    return client


@pytest.fixture
def people(db):
    """The four callers of every permission matrix, and a product of the owner's profile."""
    return factories.people()
