"""CSV import of products: every good row in, every bad row reported, nothing lost."""

import csv
import io
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from singleportal.catalog import actions, importing
from singleportal.catalog.models import Product, ProductImport
from tests.conftest import in_english

from .conftest import KOH_CHEN, TAKEO_VILLAGE

HEADER = [
    "title_km", "title_en", "description_km", "description_en", "category", "materials",
    "technique", "maker", "maker_name", "artisan_consent_date", "origin_village_code",
    "dimensions", "weight_g", "colours",
    "currency", "retail_min", "retail_max", "wholesale_min", "wholesale_max",
    "wholesale_min_qty", "moq", "lead_time_days", "hs_code", "stock_status", "external_ref",
]  # fmt: skip


def row(**cells):
    base = {
        "title_km": "ក្រមាសូត្រ", "title_en": "Silk krama", "category": "scarves",
        "materials": "silk|cotton", "technique": "ត្បាញដៃ", "maker": "business",
        "origin_village_code": TAKEO_VILLAGE, "dimensions": "1800x600", "weight_g": "120",
        "colours": "red, gold", "currency": "USD", "retail_min": "12.50", "retail_max": "18",
        "stock_status": "in_stock",
    }  # fmt: skip
    base.update(cells)
    return base


def csv_bytes(rows, header=HEADER, bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def send(profile, owner, data: bytes, name="products.csv") -> ProductImport:
    started = actions.start_import(profile, by=owner, upload=SimpleUploadedFile(name, data))
    # Tests run tasks eagerly but inside a transaction: run the queued action as the task would.
    return actions.run_import(started.pk)


def messages(product_import):
    """The report as an English reader gets it (messages are translated when read)."""
    with translation.override("en"):
        return [(e["line"], e["column"], importing.message(e)) for e in product_import.errors]


def test_a_good_file_with_a_bom_and_khmer_digits_is_imported(profile, owner):
    data = csv_bytes(
        [row(external_ref="K-1", retail_min="១២.៥០", weight_g="១២០", dimensions="១៨០០x៦០០")],
        bom=True,
    )
    result = send(profile, owner, data)
    assert (result.status, result.created_count, result.error_count) == ("done", 1, 0)
    product = Product.objects.get()
    assert (product.retail_min, product.retail_max, product.weight_g) == (1250, 1800, 120)
    assert (product.length_mm, product.width_mm, product.height_mm) == (1800, 600, None)
    assert product.technique_km == "ត្បាញដៃ" and product.technique_en == ""
    assert product.materials_list == ["silk", "cotton"]
    assert product.origin_province_id == "21"
    assert product.hs_code == "6214"  # suggested from the category


def test_importing_the_same_file_again_updates_and_never_duplicates(profile, owner):
    send(profile, owner, csv_bytes([row(external_ref="A"), row(external_ref="B")]))
    again = send(
        profile,
        owner,
        csv_bytes([row(external_ref="A", title_en="Renamed"), row(external_ref="B")]),
    )
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 1)
    assert Product.objects.count() == 2
    assert Product.objects.get(external_ref="A").title_en == "Renamed"


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"category": "spaceship"}, "category", "spaceship"),
        ({"retail_min": "12,5O"}, "retail_min", "12,5O"),
        ({"retail_min": "30", "retail_max": "20"}, "retail_min", "lowest price"),
        ({"currency": "KHR", "retail_min": "4000.5"}, "retail_min", "whole numbers"),
        ({"title_km": "", "title_en": ""}, "title_km", "title"),
        ({"origin_village_code": "99999999"}, "origin_village_code", "99999999"),
        ({"title_en": "<script>alert(1)</script>"}, "title_en", "plain text"),
        ({"dimensions": "big"}, "dimensions", "millimetres"),
        ({"weight_g": "heavy"}, "weight_g", "heavy"),
        ({"maker": "artisan", "maker_name": "សុខ ចន្ទា"}, "artisan_consent_date", "consent"),
        (
            {"maker": "artisan", "maker_name": "Sok", "artisan_consent_date": "2026-02-30"},
            "artisan_consent_date",
            "2026-02-30",
        ),
        ({"hs_code": "12"}, "hs_code", "4 or 6 digits"),
        ({"materials": "silk|unobtainium"}, "materials", "unobtainium"),
        ({"stock_status": "maybe"}, "stock_status", "maybe"),
    ],
)
def test_a_broken_row_is_reported_by_line_and_column_and_the_good_rows_still_go_in(
    profile, owner, cells, column, words
):
    result = send(profile, owner, csv_bytes([row(), row(**cells), row()]))
    assert result.created_count == 2 and result.error_count == 1
    [(line, reported_column, text)] = messages(result)
    assert (line, reported_column) == (3, column)
    assert words in text


def test_html_in_a_description_is_sanitised_and_the_row_imported(profile, owner):
    data = csv_bytes(
        [row(description_en="<p>Soft<script>steal()</script> <img src=x onerror=y>silk</p>")]
    )
    result = send(profile, owner, data)
    assert result.created_count == 1
    assert Product.objects.get().description_en == "<p>Soft silk</p>"


def test_a_reference_repeated_in_the_file_is_reported_on_its_second_line(profile, owner):
    result = send(profile, owner, csv_bytes([row(external_ref="X"), row(external_ref="X")]))
    assert result.created_count == 1
    [(line, column, text)] = messages(result)
    assert (line, column) == (3, "external_ref") and "line 2" in text


def test_a_file_that_is_not_utf8_fails_as_a_whole_with_the_line(profile, owner):
    data = csv_bytes([row()]) + "Kr\u00e2ma,x\n".encode("latin-1")
    result = send(profile, owner, data)
    assert result.status == "failed" and not Product.objects.exists()
    [(line, _column, text)] = messages(result)
    assert line == 3 and "UTF-8" in text


def test_a_file_without_a_category_column_fails_and_says_which(profile, owner):
    result = send(profile, owner, csv_bytes([row()], header=["title_en", "retail_min"]))
    assert result.status == "failed"
    assert "category" in messages(result)[0][2]


def test_unknown_columns_are_reported_and_ignored(profile, owner):
    result = send(profile, owner, csv_bytes([row(colour="red")], header=[*HEADER, "colour"]))
    assert result.created_count == 1
    assert messages(result)[0][1:] == (
        "colour",
        "The column “colour” is not one the portal reads; it was ignored.",
    )


def test_a_quoted_description_over_several_lines_keeps_the_line_numbers_right(profile, owner):
    result = send(
        profile, owner, csv_bytes([row(description_en="one\ntwo\nthree"), row(category="")])
    )
    assert messages(result)[0][:2] == (5, "category")


def test_only_members_may_import_into_a_profile(profile, stranger):
    with pytest.raises(PermissionDenied):
        actions.start_import(profile, by=stranger, upload=SimpleUploadedFile("a.csv", b"x"))


def test_an_interrupted_import_resumes_after_its_last_committed_batch(profile, owner, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    started = actions.start_import(
        profile, by=owner,
        upload=SimpleUploadedFile("p.csv", csv_bytes([row(title_en=f"P{i}") for i in range(5)])),
    )  # fmt: skip
    calls = {"n": 0}
    real = importing.write_batch

    def crash_on_second_batch(*args):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(*args)

    monkeypatch.setattr(importing, "write_batch", crash_on_second_batch)
    with pytest.raises(RuntimeError):
        actions.run_import(started.pk)
    assert ProductImport.objects.get().rows_done == 2
    result = actions.run_import(started.pk)  # the task delivered again
    assert (result.status, result.created_count, Product.objects.count()) == ("done", 5, 5)
    assert sorted(Product.objects.values_list("title_en", flat=True)) == [f"P{i}" for i in range(5)]


def broken(i: int) -> dict:
    """Every 10th row is broken, in one of five ways."""
    kind = (i // 10) % 5
    return [
        row(category="spaceship"),
        row(retail_min="abc"),
        row(title_km="", title_en=""),
        row(origin_village_code="00000000"),
        row(title_en="<b>loud</b>"),
    ][kind]


def test_ten_thousand_rows_with_broken_ones_all_good_rows_in_each_bad_row_reported(
    profile, owner, django_assert_max_num_queries
):
    rows = []
    for i in range(10_000):
        cells = (
            broken(i)
            if i % 10 == 0
            else row(
                title_en=f"Krama {i}",
                description_en=f"<p>No. {i}<script>x</script></p>",
                origin_village_code=KOH_CHEN if i % 2 else TAKEO_VILLAGE,
            )
        )
        rows.append({**cells, "external_ref": f"R{i}"})
    data = csv_bytes(rows)
    started_at = time.monotonic()
    # A bounded number of queries per 500-row batch, never one per row: SQLite splits a bulk
    # insert every 999 parameters (about 28 products), PostgreSQL writes a batch in one.
    with django_assert_max_num_queries(20 * 35):
        result = send(profile, owner, data)
    elapsed = time.monotonic() - started_at
    assert result.status == "done"
    assert result.rows_total == 10_000
    assert result.created_count == 9_000 and result.error_count == 1_000
    assert Product.objects.count() == 9_000
    bad_lines = sorted(e["line"] for e in result.errors)
    assert bad_lines == [i + 2 for i in range(0, 10_000, 10)]
    assert not Product.objects.filter(description_en__contains="script").exists()
    assert elapsed < 30, elapsed
    # The same file again: nothing duplicated, nothing written.
    again = send(profile, owner, data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 9_000)
    assert Product.objects.count() == 9_000
    # New prices for every product: each one updated in place.
    repriced = csv_bytes([{**r, "retail_max": "19"} for r in rows])
    started_at = time.monotonic()
    third = send(profile, owner, repriced)
    assert (third.created_count, third.updated_count) == (0, 9_000)
    assert time.monotonic() - started_at < 30
    assert Product.objects.filter(retail_max=1900).count() == 9_000


def test_the_error_report_downloads_as_csv_without_formulas(client, profile, owner):
    header = [*HEADER, '=HYPERLINK("http://e.vil")']
    result = send(profile, owner, csv_bytes([row(category="nope")], header=header))
    client.force_login(owner)
    in_english(client)
    response = client.get(reverse("catalog:import_errors", args=[result.pk]))
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["line", "column", "problem"]
    assert lines[2][:2] == ["2", "category"] and "nope" in lines[2][2]
    assert lines[1][1].startswith("'=hyperlink")  # column names are read in lower case
