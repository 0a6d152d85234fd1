import pytest

from singleportal.certificates.keys import write_new_key
from singleportal.certificates.views import verification_pages


@pytest.fixture(autouse=True)
def signing_key(settings, tmp_path_factory):
    """A signing key of the test session (production mode: never generated on demand)."""
    path = tmp_path_factory.getbasetemp() / "certificate-keys" / "signing.pem"
    if not path.exists():
        write_new_key(path)
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(path)
    settings.CERTIFICATE_GENERATE_KEY = False
    settings.SITE_URL = "https://portal.example.kh"
    return path


@pytest.fixture(autouse=True)
def _no_kept_pages():
    verification_pages.clear()
