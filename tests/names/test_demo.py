import pytest

from singleportal.names.checking import check_name
from singleportal.names.demo import seed_demo_names
from singleportal.registry.models import Business

pytestmark = pytest.mark.django_db


def test_demo_register_is_seeded_once_and_finds_angkor_silk():
    assert seed_demo_names() == 300
    assert seed_demo_names() == 300
    assert Business.objects.count() == 300
    result = check_name("Angkor Silk", "latin")
    assert not result.available
    assert check_name("អង្គរ ស៊ីលក៍", "khmer").by_kind("identical")
