"""The HS heading suggested from a product's category and materials."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from singleportal.catalog import hs_codes
from singleportal.catalog.vocabulary import Category, Material


@pytest.mark.parametrize(
    ("category", "materials", "technique", "heading"),
    [
        ("fabrics", ["silk"], "", "5007"),
        ("scarves", ["silk"], "hand-woven", "6214"),
        ("scarves", ["cotton"], "hand-knitted", "6117"),
        ("home_textiles", ["silk"], "", "6304"),
        ("bed_table_linen", ["cotton"], "", "6302"),
        ("jewellery", ["silver"], "", "7113"),
        ("jewellery", ["brass"], "", "7117"),
        ("jewellery", [], "", "7117"),
        ("decoration", ["wood"], "", "4420"),
        ("baskets_boxes", ["rattan"], "", "4602"),
        ("baskets_boxes", ["palm_leaf"], "", "4602"),
        ("decoration", ["bamboo"], "", "4602"),
        ("decoration", ["clay"], "", "6913"),
        ("decoration", ["stone"], "", "6802"),
        ("bags", ["cotton"], "", "4202"),
        ("bags", ["recycled"], "", "4202"),
        ("bags", ["water_hyacinth"], "", "4602"),
        ("baskets_boxes", ["silver", "wood"], "", "7114"),  # the main (first) material decides
        ("baskets_boxes", ["wood", "silver"], "", "4420"),
        ("tableware", ["clay"], "", "6912"),
        ("furniture", ["rattan"], "", "9403"),
        ("decoration", ["leather"], "", None),
        ("other", ["silk"], "", None),
    ],
)
def test_the_suggested_heading_follows_reference_table(category, materials, technique, heading):
    suggestion = hs_codes.suggest(category, materials, technique)
    assert (suggestion.code if suggestion else None) == heading


@given(
    category=st.sampled_from(Category.values),
    materials=st.lists(st.sampled_from(Material.values), max_size=4, unique=True),
    technique=st.text(max_size=30),
)
def test_every_suggestion_is_a_described_heading_of_four_digits(category, materials, technique):
    suggestion = hs_codes.suggest(category, materials, technique)
    if suggestion is not None:
        assert suggestion.code in hs_codes.HEADINGS
        assert len(suggestion.code) == 4 and suggestion.code.isdigit()
        assert suggestion.description_en and suggestion.description_km


def test_every_rule_points_at_a_heading_in_the_table():
    assert set(hs_codes.RULES.values()) <= set(hs_codes.HEADINGS)
    assert {category for category, _material in hs_codes.RULES} <= set(Category.values)


def test_a_stored_six_digit_code_is_described_by_its_heading():
    assert hs_codes.describe("621410", "en") == "Shawls, scarves and kramas, woven"
    assert hs_codes.describe("9999", "en") == "Heading not in the portal's table"
