"""The country list: every ISO 3166-1 code, named in Khmer and English, Cambodia first."""

from django.utils import translation

from singleportal.core import countries


def test_the_list_is_complete_iso_3166_1_with_khmer_and_english_names():
    table = countries.all_countries()
    assert len(table) == 249
    assert all(c.name_en and c.name_km and c.name_km != c.name_en for c in table.values())
    assert table["KH"].name_km == "កម្ពុជា" and table["KH"].name_en == "Cambodia"
    assert table["TH"].name_km == "ថៃ" and table["VN"].name_en == "Vietnam"


def test_choices_follow_the_page_language_with_cambodia_first_then_sorted():
    with translation.override("km"):
        khmer = countries.choices()
    with translation.override("en"):
        english = countries.choices()
    assert khmer[0] == ("KH", "កម្ពុជា") and english[0] == ("KH", "Cambodia")
    assert len(khmer) == len(english) == 249
    names = [name for _code, name in english[1:]]
    assert names[:3] == ["Afghanistan", "Åland Islands", "Albania"]  # accents sort as letters
    assert names.index("Thailand") < names.index("Vietnam")
    assert dict(khmer)["TH"] == "ថៃ"
    khmer_names = [name for _code, name in khmer[1:]]
    assert khmer_names == sorted(khmer_names, key=lambda n: n.replace("\u200b", ""))


def test_codes_are_checked_in_any_case():
    assert countries.is_country("th") and countries.is_country(" KH ")
    assert not countries.is_country("XX") and not countries.is_country("")
    with translation.override("en"):
        assert countries.name("th") == "Thailand" and countries.name("ZZ") == "ZZ"
