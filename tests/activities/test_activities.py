import pytest

from singleportal.activities import selectors
from singleportal.activities.models import Activity

pytestmark = pytest.mark.django_db


def test_sections_and_divisions_are_loaded():
    assert Activity.objects.filter(level="section").count() == 21
    assert Activity.objects.filter(level="division").count() == 88
    assert Activity.objects.get(code="13").parent.code == "C"


def test_search_by_code_english_and_khmer():
    assert [a.code for a in selectors.search("Manufacture of textiles")] == ["13"]
    assert selectors.search("56")[0].code == "56"
    Activity.objects.filter(code="13").update(name_km="ផលិតវាយនភណ្ឌ")
    assert [a.code for a in selectors.search("វាយនភណ្ឌ")] == ["13"]


def test_an_untranslated_name_falls_back_to_english():
    activity = Activity.objects.get(code="13")
    assert not activity.translated and activity.name == activity.name_en
