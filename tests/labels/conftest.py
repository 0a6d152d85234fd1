import pytest
from django.core.cache import cache

from singleportal.certificates.keys import write_new_key
from singleportal.labels.views import scan_pages
from tests.conftest import in_english
from tests.labels import factories


@pytest.fixture(autouse=True)
def signing_key(settings, tmp_path_factory):
    """The certificates' signing key of the test session (production mode: never generated on
    demand); labels are signed with it."""
    path = tmp_path_factory.getbasetemp() / "label-keys" / "signing.pem"
    if not path.exists():
        write_new_key(path)
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(path)
    settings.CERTIFICATE_GENERATE_KEY = False
    settings.SITE_URL = "https://portal.example.kh"
    return path


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
