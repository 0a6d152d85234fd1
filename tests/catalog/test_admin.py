"""The operator reads the catalogue in the admin and changes nothing there."""

from tests.conftest import in_english
from tests.factories import operator_signed_in


def test_the_operator_sees_products_marks_and_imports_read_only(client, product):
    operator_signed_in(client)
    in_english(client)
    page = client.get("/admin/catalog/product/").content.decode()
    assert product.title_km in page
    change = client.get(f"/admin/catalog/product/{product.pk}/change/")
    assert change.status_code == 200 and b'name="_save"' not in change.content
    for listing in ("productmark", "productimport"):
        assert client.get(f"/admin/catalog/{listing}/").status_code == 200
