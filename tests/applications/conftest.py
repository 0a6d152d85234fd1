import pytest
from django.utils import translation

from tests.conftest import in_english


@pytest.fixture(autouse=True)
def _messages_in_english(client):
    """These tests read the English messages; the Khmer ones are checked by the catalogue."""
    in_english(client)
    with translation.override("en"):
        yield
