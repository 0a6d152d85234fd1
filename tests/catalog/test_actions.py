"""Writes on products: the rules every caller (page, API, import) goes through."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from singleportal.audit.models import AuditEntry
from singleportal.catalog import actions
from singleportal.catalog.models import Product

from .conftest import KOH_CHEN, product_values


def test_an_owner_adds_a_product_in_khmer_with_its_materials_and_province(profile, owner):
    product = actions.create_product(
        profile,
        by=owner,
        values=product_values(title_en="", materials=["silver", "wood"], origin_village=KOH_CHEN),
    )
    product.refresh_from_db()
    assert product.title_km == "ក្រមាសូត្រ តាកែវ"
    assert product.materials_list == ["silver", "wood"]
    assert product.origin_province_id == "08"
    assert product.slug.startswith("product-")
    assert AuditEntry.objects.filter(action="catalog.product_created").count() == 1


def test_html_in_descriptions_is_sanitised_on_write(profile, owner):
    product = actions.create_product(
        profile,
        by=owner,
        values=product_values(
            description_en='<p onclick="x()">Fine <script>alert(1)</script><a href="//e.vil">'
            "silk</a></p>"
        ),
    )
    assert product.description_en == "<p>Fine silk</p>"


def test_another_business_member_cannot_add_edit_or_delete(profile, product, stranger):
    with pytest.raises(PermissionDenied):
        actions.create_product(profile, by=stranger, values=product_values())
    with pytest.raises(PermissionDenied):
        actions.update_product(product, by=stranger, values={"title_en": "Mine now"})
    with pytest.raises(PermissionDenied):
        actions.delete_product(product, by=stranger)
    product.refresh_from_db()
    assert product.title_en == "Takeo silk krama"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"retail_min": 3000, "retail_max": 2000}, "retail_min"),
        ({"wholesale_min": 900, "wholesale_max": 800, "wholesale_min_quantity": 10},
         "wholesale_min"),
        ({"wholesale_min": 900}, "wholesale_min_quantity"),
        ({"maker_kind": "artisan", "maker_name_km": "សុខ ចន្ទា"}, "artisan_consent"),
        ({"maker_kind": "artisan", "artisan_consent": True, "artisan_consent_on": None},
         "artisan_consent"),
        ({"title_km": "", "title_en": ""}, "title_km"),
        ({"title_en": "<b>Bold</b> title"}, "title_en"),
        ({"hs_code": "62"}, "hs_code"),
        ({"category": "spaceships"}, "category"),
        ({"materials": ["kryptonite"]}, "materials"),
        ({"origin_village": "99999999"}, "origin_village"),
        ({"currency": "EUR"}, "currency"),
    ],
)  # fmt: skip
def test_a_product_breaking_a_rule_is_refused_with_the_field_named(
    profile, owner, overrides, field
):
    with pytest.raises(ValidationError) as refused:
        actions.create_product(profile, by=owner, values=product_values(**overrides))
    assert field in refused.value.message_dict
    assert not Product.objects.exists()


def test_a_named_artisan_with_consent_and_its_date_is_accepted(profile, owner):
    product = actions.create_product(
        profile,
        by=owner,
        values=product_values(
            maker_kind="artisan", maker_name_km="សុខ ចន្ទា", artisan_consent=True,
            artisan_consent_on="2026-01-15",
        ),
    )  # fmt: skip
    assert product.maker_kind == "artisan" and product.artisan_consent


def test_editing_keeps_the_slug_and_changes_only_what_was_sent(product, owner):
    slug = product.slug
    actions.update_product(product, by=owner, values={"title_en": "A new name", "materials": []})
    product.refresh_from_db()
    assert product.slug == slug and product.title_en == "A new name"
    assert product.title_km == "ក្រមាសូត្រ តាកែវ"
    assert product.materials_list == []


def test_the_hs_code_is_stored_as_digits_whatever_the_owner_typed(profile, owner):
    product = actions.create_product(profile, by=owner, values=product_values(hs_code="៦២១៤.10"))
    assert product.hs_code == "621410"
