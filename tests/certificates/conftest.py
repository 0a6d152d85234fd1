import pytest

from singleportal.certificates.views import verification_pages


@pytest.fixture(autouse=True)
def _signed(signing_key):
    """Every test here signs with the session's key (tests/conftest.py)."""


@pytest.fixture(autouse=True)
def _no_kept_pages():
    verification_pages.clear()
