"""Reports of suspected copies: anyone sends one from a label's page (CSRF, a rate limit, an
optional photo made safe); programme staff review them; the business reads them."""

import io

import pytest
from django.test import Client
from PIL import Image

from singleportal.labels.models import CopyReport, ReportReview
from tests.catalog.images import PDF_BYTES, photo_upload
from tests.conftest import in_english
from tests.labels import factories

pytestmark = pytest.mark.django_db

REPORT = {
    "place": "Psar Chas market, Siem Reap",
    "link": "",
    "description": "Machine-woven, half the price, the same label.",
    "contact": "012 345 678",
}


@pytest.fixture
def label(people):
    return factories.run(people.product, people.owner).labels.get()


def test_a_visitor_reports_a_copy_from_the_label_page_with_its_csrf_token(label):
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(f"/l/{label.code}/?p={label.payload}").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = visitor.post(
        f"/l/{label.code}/report/",
        {**REPORT, "csrfmiddlewaretoken": token, "photo": photo_upload("seen.jpg")},
    )
    assert response.status_code == 302 and response["Location"] == "/l/report/sent/"
    report = CopyReport.objects.get()
    assert (report.label, report.code, report.place) == (label, label.code, REPORT["place"])
    assert report.reported_by is None and report.status == "new"
    with Image.open(report.photo.open("rb")) as photo:
        assert photo.format == "JPEG" and not photo.getexif()


def test_a_report_without_the_csrf_token_is_refused(label):
    response = Client(enforce_csrf_checks=True).post(f"/l/{label.code}/report/", REPORT)
    assert response.status_code == 403
    assert not CopyReport.objects.exists()


def test_a_code_that_is_not_ours_can_be_reported_and_is_kept(client, db):
    response = client.post("/l/zzzz-zzzz-zzzz/report/", REPORT)
    assert response.status_code == 302
    report = CopyReport.objects.get()
    assert report.label is None and report.code == "ZZZZZZZZZZZZ"


def test_a_pdf_sent_as_a_photo_is_refused_beside_the_field(client, label):
    in_english(client)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("seen.jpg", PDF_BYTES, content_type="image/jpeg")
    response = client.post(f"/l/{label.code}/report/", {**REPORT, "photo": fake})
    assert response.status_code == 422
    assert 'id="id_photo_error"' in response.content.decode()
    assert not CopyReport.objects.exists()


def test_missing_place_and_description_are_asked_for(client, label):
    response = client.post(f"/l/{label.code}/report/", {"place": "", "description": ""})
    assert response.status_code == 422
    assert response.content.decode().count('class="error"') == 2


def test_a_sixth_report_in_an_hour_from_one_address_is_refused_with_retry_after(client, label):
    in_english(client)
    for _ in range(5):
        assert client.post(f"/l/{label.code}/report/", REPORT).status_code == 302
    response = client.post(f"/l/{label.code}/report/", REPORT)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many reports were sent from your connection" in response.content.decode()
    assert CopyReport.objects.count() == 5
    other_address = client.post(f"/l/{label.code}/report/", REPORT, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 302


def test_staff_see_new_reports_first_and_record_reviews_as_rows(client, people, label):
    older = CopyReport.objects.create(label=label, code=label.code, place="Old", description="x")
    client.post(f"/l/{label.code}/report/", REPORT)
    newer = CopyReport.objects.exclude(pk=older.pk).get()
    client.force_login(people.staff)
    in_english(client)
    response = client.post(
        f"/labels/reports/{older.pk}/", {"finding": "not_a_copy", "note": "Genuine stock."}
    )
    assert response.status_code == 302
    queue = client.get("/labels/reports/").content.decode()
    assert queue.index(f"/labels/reports/{newer.pk}/") < queue.index(f"/labels/reports/{older.pk}/")
    assert "Not reviewed yet" in queue and "Not a copy" in queue
    client.post(f"/labels/reports/{older.pk}/", {"finding": "likely_copy", "note": "Seen again."})
    older.refresh_from_db()
    assert older.status == "likely_copy"
    assert list(ReportReview.objects.filter(report=older).values_list("finding", flat=True)) == [
        "not_a_copy",
        "likely_copy",
    ]
    detail = client.get(f"/labels/reports/{newer.pk}/").content.decode()
    assert "012 345 678" in detail  # staff see the reporter's contact


def test_a_review_needs_a_note(client, people, label):
    report = CopyReport.objects.create(label=label, code=label.code, place="P", description="x")
    client.force_login(people.staff)
    response = client.post(f"/labels/reports/{report.pk}/", {"finding": "unclear", "note": ""})
    assert response.status_code == 200
    assert not ReportReview.objects.exists()


def test_the_queue_filters_by_status_in_the_url(client, people, label):
    CopyReport.objects.create(label=label, code=label.code, place="New one", description="x")
    CopyReport.objects.create(
        label=label, code=label.code, place="Done one", description="x", status="unclear"
    )
    client.force_login(people.staff)
    page = client.get("/labels/reports/?status=unclear").content.decode()
    assert "Done one" in page and "New one" not in page


def test_the_business_reads_reports_about_its_labels_without_the_contact(client, people, label):
    client.post(f"/l/{label.code}/report/", REPORT)
    report = CopyReport.objects.get()
    client.force_login(people.owner)
    in_english(client)
    listing = client.get("/labels/").content.decode()
    assert REPORT["place"] in listing and f"/labels/reports/{report.pk}/" in listing
    detail = client.get(f"/labels/reports/{report.pk}/").content.decode()
    assert REPORT["description"] in detail
    assert "012 345 678" not in detail
    assert "Review this report" not in detail
    assert client.post(f"/labels/reports/{report.pk}/", {"finding": "unclear"}).status_code == 404


def test_the_queue_costs_the_same_queries_for_many_reports(
    client, people, label, django_assert_max_num_queries
):
    for n in range(30):
        CopyReport.objects.create(label=label, code=label.code, place=f"P{n}", description="x")
    client.force_login(people.staff)
    with django_assert_max_num_queries(5):
        response = client.get("/labels/reports/")
    assert response.content.decode().count("/labels/reports/") >= 25


def test_the_photo_is_shown_to_staff_and_the_business_only(client, people, label):
    client.post(f"/l/{label.code}/report/", {**REPORT, "photo": photo_upload("seen.png")})
    report = CopyReport.objects.get()
    for who, status in ((people.staff, 200), (people.owner, 200), (people.other, 404)):
        client.force_login(who)
        response = client.get(f"/labels/reports/{report.pk}/thumbnail.jpg")
        assert response.status_code == status
        if status == 200:
            assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"
