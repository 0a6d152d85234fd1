import pytest

from singleportal.core.calendar import seed_public_holidays


@pytest.fixture
def holidays_2026_2027(db):
    """The package's holidays for 2026 and 2027, whatever year the migrations seeded."""
    seed_public_holidays([2026, 2027])
