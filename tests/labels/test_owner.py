"""The business's pages: print labels for a product, follow the sheet being made, download
it, make it in another size, withdraw a run."""

import datetime

import pytest
from django.utils import timezone

from singleportal.labels import actions, codes, rendering
from singleportal.labels.models import Label, LabelRun, LabelSheet, SheetStatus
from tests.conftest import in_english
from tests.labels import factories

pytestmark = pytest.mark.django_db


def form(product, **changes):
    return {
        "product": product.pk,
        "kind": "single",
        "quantity": "5",
        "made_on": "2026-11-20",
        "batch_reference": "",
        "layout": "3x8",
        **changes,
    }


@pytest.fixture
def owner(client, people):
    client.force_login(people.owner)
    in_english(client)
    return client


def test_the_form_offers_only_the_products_of_profiles_the_user_manages(owner, people):
    elsewhere = factories.product(factories.profile(people.other), title_en="Someone else's")
    page = owner.get("/labels/new/").content.decode()
    assert "Silk krama" in page and "Someone else&#x27;s" not in page
    response = owner.post("/labels/new/", form(elsewhere))
    assert response.status_code == 200
    assert not LabelRun.objects.exists()


def test_printing_labels_for_one_per_item_makes_a_code_per_item(owner, people):
    response = owner.post("/labels/new/", form(people.product, quantity="៥"))  # a Khmer 5
    run = LabelRun.objects.get()
    assert response["Location"] == f"/labels/runs/{run.pk}/"
    assert sorted(run.labels.values_list("item", flat=True)) == [1, 2, 3, 4, 5]
    assert all(codes.is_well_formed(code) for code in run.labels.values_list("code", flat=True))
    page = owner.get(f"/labels/runs/{run.pk}/").content.decode()
    for label in run.labels.all():
        assert f'href="/l/{label.code}/"' in page
    assert f"/labels/runs/{run.pk}/sheets/3x8.pdf" in page


def test_a_future_day_and_too_many_labels_are_refused_beside_their_fields(owner, people):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    page = owner.post("/labels/new/", form(people.product, made_on=tomorrow)).content.decode()
    assert "cannot be in the future" in page and 'href="#id_made_on"' in page
    page = owner.post("/labels/new/", form(people.product, quantity="1001")).content.decode()
    assert "from 1 to 1,000 labels" in page and 'href="#id_quantity"' in page
    assert not LabelRun.objects.exists()


def test_a_batch_may_hold_more_items_than_a_run_has_labels(owner, people):
    owner.post("/labels/new/", form(people.product, kind="batch", quantity="5000"))
    run = LabelRun.objects.get()
    assert run.labels.count() == 1 and run.labels.get().item is None


def test_the_run_page_updates_itself_while_the_sheet_is_made(owner, people):
    run = factories.run(people.product, people.owner)  # outside a request: not rendered yet
    page = owner.get(f"/labels/runs/{run.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Waiting to start" in page and "0% done" in page
    actions.render_sheet(run.sheets.get().pk)
    page = owner.get(f"/labels/runs/{run.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "Download the PDF" in page


def test_a_sheet_in_another_size_is_made_once(owner, people):
    run = factories.run(people.product, people.owner)
    for _ in range(2):
        assert owner.post(f"/labels/runs/{run.pk}/sheets/", {"layout": "2x2"}).status_code == 302
    assert sorted(LabelSheet.objects.values_list("layout", flat=True)) == ["2x2", "3x8"]
    assert LabelSheet.objects.get(layout="2x2").status == SheetStatus.READY


def test_a_failed_sheet_says_so_and_can_be_asked_for_again(owner, people, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(rendering, "render_sheet", broken)
    run = factories.run(people.product, people.owner)
    sheet = run.sheets.get()
    with pytest.raises(RuntimeError):
        actions.render_sheet(sheet.pk)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.FAILED
    assert "Could not be made" in owner.get(f"/labels/runs/{run.pk}/").content.decode()
    monkeypatch.undo()
    owner.post(f"/labels/runs/{run.pk}/sheets/", {"layout": "3x8"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.READY


def test_withdrawing_needs_a_reason_is_final_and_stops_sheets(owner, people):
    run = factories.run(people.product, people.owner)
    actions.render_sheet(run.sheets.get().pk)
    assert owner.get(f"/labels/runs/{run.pk}/sheets/3x8.pdf").status_code == 200
    owner.post(f"/labels/runs/{run.pk}/withdraw/", {"reason": ""})
    assert not hasattr(LabelRun.objects.get(pk=run.pk), "withdrawal")
    owner.post(f"/labels/runs/{run.pk}/withdraw/", {"reason": "Printed in error"})
    page = owner.get(f"/labels/runs/{run.pk}/").content.decode()
    assert "Withdrawn: Printed in error" in page
    assert "Withdraw the labels" not in page and "Make a sheet in this size" not in page
    owner.post(f"/labels/runs/{run.pk}/sheets/", {"layout": "2x5"})
    assert not LabelSheet.objects.filter(layout="2x5").exists()
    assert owner.get(f"/labels/runs/{run.pk}/sheets/3x8.pdf").status_code == 404
    assert "Download the PDF" not in page


def test_the_list_filters_in_use_and_withdrawn_runs(owner, people):
    kept = factories.run(people.product, people.owner, batch_reference="KEPT-1")
    gone = factories.run(people.product, people.owner, batch_reference="GONE-1")
    actions.withdraw_run(gone, by=people.owner, reason="stolen")
    page = owner.get("/labels/?state=withdrawn").content.decode()
    assert "GONE-1" in page and "KEPT-1" not in page
    page = owner.get("/labels/?state=active").content.decode()
    assert "KEPT-1" in page and "GONE-1" not in page
    assert kept.pk != gone.pk


def test_the_list_costs_the_same_queries_for_many_runs(
    owner, people, django_assert_max_num_queries
):
    for n in range(12):
        factories.run(people.product, people.owner, batch_reference=f"LOT-{n}")
    with django_assert_max_num_queries(8):
        page = owner.get("/labels/").content.decode()
    assert page.count("/labels/runs/") == 12


def test_labels_of_a_deleted_product_still_verify(client, people):
    label = factories.run(people.product, people.owner).labels.get()
    people.product.delete()
    response = client.get(f"/l/{label.code}/?p={label.payload}")
    assert b'data-genuine="yes"' in response.content


def test_a_code_already_taken_is_never_given_twice(people, monkeypatch):
    first = factories.run(people.product, people.owner).labels.get()
    fresh = iter([first.code, "ABCDEFGHJKMN"])
    monkeypatch.setattr(codes, "new_code", lambda: next(fresh))
    second = factories.run(people.product, people.owner).labels.get()
    assert second.code == "ABCDEFGHJKMN"
    assert Label.objects.count() == 2
