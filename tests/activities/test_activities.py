import importlib

import pytest
from django.apps import apps as django_apps

from singleportal.activities import loading, selectors
from singleportal.activities.models import Activity

pytestmark = pytest.mark.django_db


def test_every_level_of_isic_rev4_is_loaded():
    counts = {
        level: Activity.objects.filter(level=level).count()
        for level in ("section", "division", "group", "class")
    }
    assert counts == {"section": 21, "division": 88, "group": 238, "class": 419}
    assert Activity.objects.get(code="13").parent.code == "C"
    assert Activity.objects.get(code="131").parent.code == "13"
    assert Activity.objects.get(code="1312").parent.code == "131"


def test_every_parent_exists_one_level_up():
    above = {"division": "section", "group": "division", "class": "group"}
    for activity in Activity.objects.select_related("parent"):
        if activity.level == "section":
            assert activity.parent is None
        else:
            assert activity.parent.level == above[activity.level], activity.code
            assert activity.code.startswith(activity.parent.code) or activity.level == "division"


def test_the_shipped_file_has_english_and_khmer_for_every_row():
    rows = loading.read()
    assert len(rows) == 766
    assert all(r["name_en"].strip() and r["name_km"].strip() for r in rows)
    assert not Activity.objects.filter(name_km="").exists()


def test_english_search_finds_the_class():
    assert [a.code for a in selectors.search("Weaving of textiles")] == ["1312"]
    found = selectors.search("restaurants")
    assert [a.code for a in found] == ["5610"] and found[0].level == "class"


def test_khmer_search_finds_the_class():
    assert [a.code for a in selectors.search("ការត្បាញវាយនភណ្ឌ")] == ["1312"]
    assert "0112" in [a.code for a in selectors.search("ស្រូវ")]


def test_khmer_search_accepts_either_spelling_of_the_subscript():
    # បណ្ដុះ (to propagate) is written with subscript DA; people also type subscript TA.
    with_da = [a.code for a in selectors.search("បណ្ដុះកូនរុក្ខជាតិ")]
    with_ta = [a.code for a in selectors.search("បណ្តុះកូនរុក្ខជាតិ")]
    assert with_da == with_ta == ["0130"]


def test_a_broad_word_lists_the_classes_under_it_after_direct_matches():
    found = [a.code for a in selectors.search("textiles")]
    assert found[0] in {"1312", "1313", "1399", "4641", "4751", "4782"}
    assert {"1311", "1391", "1394"} <= set(found)  # under division 13, Manufacture of textiles
    assert all(len(code) == 4 for code in found)


def test_search_by_code_prefix_lists_classes():
    found = [a.code for a in selectors.search("56")]
    assert found == ["5610", "5621", "5629", "5630"]


def test_only_classes_are_choosable_but_a_division_already_held_is_kept():
    assert selectors.by_codes(["01", "0112"]).keys() == {"0112"}
    assert selectors.by_codes(["01", "0112"], keep=["01"]).keys() == {"01", "0112"}


def test_an_untranslated_name_falls_back_to_english():
    Activity.objects.filter(code="1312").update(name_km="")
    activity = Activity.objects.get(code="1312")
    assert not activity.translated and activity.name == activity.name_en


def test_the_migration_adds_new_rows_and_fills_blank_khmer_only():
    migration = importlib.import_module(
        "singleportal.activities.migrations.0003_load_isic_groups_and_classes"
    )
    Activity.objects.filter(code="0112").delete()
    Activity.objects.filter(code="13").update(name_km="")
    Activity.objects.filter(code="14").update(name_km="ផលិតសម្លៀកបំពាក់ (កែដោយប្រតិបត្តិករ)")
    migration.load(django_apps, None)
    assert Activity.objects.get(code="0112").parent.code == "011"
    assert Activity.objects.get(code="13").name_km == "ការផលិតវាយនភណ្ឌ"
    assert Activity.objects.get(code="14").name_km == "ផលិតសម្លៀកបំពាក់ (កែដោយប្រតិបត្តិករ)"
