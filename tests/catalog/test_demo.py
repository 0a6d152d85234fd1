"""The demo catalogue: realistic products on every demo profile, quickly, once."""

import time

from singleportal.accounts.models import Role
from singleportal.catalog.demo import seed_demo_catalog
from singleportal.catalog.models import Product, ProductMark, ProductPhoto
from tests.factories import UserFactory

from .conftest import make_profile


def test_demo_products_spread_over_the_profiles_with_photos_marks_and_variants(db):
    UserFactory(roles=[Role.PROGRAMME_STAFF])
    for province in ("21", "08", "17", "06"):
        make_profile(UserFactory(), province_id=province)
    make_profile(UserFactory(), province_id=None)  # no craft told by name or place: nothing
    make_profile(None)  # a profile with no member gets no products: nobody could manage them
    started = time.monotonic()
    assert seed_demo_catalog(target=40) == 40
    assert time.monotonic() - started < 20
    assert Product.objects.count() == 40
    assert ProductPhoto.objects.count() == 40
    takeo = Product.objects.filter(profile__province_id="21")
    assert set(takeo.values_list("category", flat=True)) <= {"scarves", "fabrics", "home_textiles"}
    assert Product.objects.filter(origin_province__isnull=False).count() == 40
    assert ProductMark.objects.filter(kind="ovop", status="verified").exists()
    assert ProductMark.objects.filter(kind="fair_trade", status="pending").exists()
    assert Product.objects.exclude(hs_code="").count() == 40
    assert seed_demo_catalog(target=40) == 0  # idempotent
    assert Product.objects.count() == 40


def test_a_producer_gets_the_products_of_its_craft(db):
    silver = make_profile(UserFactory(), province_id="21")
    silver.name_en = "Koh Chen Silver Enterprise"
    silver.save()
    stone = make_profile(UserFactory(), province_id="17")
    stone.name_en = "Toap Svay Stone Carvers Enterprise"
    stone.save()
    seed_demo_catalog(target=8)
    assert set(silver.products.values_list("material_rows__material", flat=True)) == {"silver"}
    assert set(stone.products.values_list("material_rows__material", flat=True)) == {"stone"}
