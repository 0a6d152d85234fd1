"""Product marks: owners add them with a document, only programme staff verify or reject."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from singleportal.catalog import actions
from singleportal.catalog.models import MarkDecision, ProductMark
from tests.conftest import in_english

from .images import PDF_BYTES, photo_bytes


def add_mark(product, owner, **overrides):
    values = {
        "kind": "ovop",
        "issuer": "National OVOP Committee",
        "number": "OVOP-2026-17",
        "valid_from": date(2026, 1, 1),
        "valid_until": None,
        "document": SimpleUploadedFile("ovop.pdf", PDF_BYTES, "application/pdf"),
    }
    values.update(overrides)
    return actions.add_mark(product, by=owner, **values)


def test_a_new_mark_shows_as_not_verified_until_staff_verify_it(client, product, owner,
                                                                programme_staff):  # fmt: skip
    mark = add_mark(product, owner)
    in_english(client)
    url = reverse("catalog:product", args=[product.slug])
    assert "Not verified yet" in client.get(url).content.decode()
    actions.decide_mark(mark, by=programme_staff, outcome="verified")
    page = client.get(url).content.decode()
    assert "Verified" in page and "Not verified yet" not in page
    assert ProductMark.objects.get().is_current


def test_a_verified_mark_past_its_validity_is_not_current(product, owner, programme_staff):
    yesterday = timezone.localdate() - timedelta(days=1)
    mark = add_mark(product, owner, valid_from=date(2020, 1, 1), valid_until=yesterday)
    actions.decide_mark(mark, by=programme_staff, outcome="verified")
    assert not ProductMark.objects.get().is_current


def test_only_programme_staff_decide_and_a_rejection_needs_a_reason(
    product, owner, stranger, programme_staff
):
    mark = add_mark(product, owner)
    for user in (owner, stranger):
        with pytest.raises(PermissionDenied):
            actions.decide_mark(mark, by=user, outcome="verified")
    with pytest.raises(ValidationError):
        actions.decide_mark(mark, by=programme_staff, outcome="rejected")
    actions.decide_mark(mark, by=programme_staff, outcome="rejected", reason="Number not found")
    actions.decide_mark(mark, by=programme_staff, outcome="verified", reason="Found after all")
    assert ProductMark.objects.get().status == "verified"
    # Every decision is kept, in order: who, what, why.
    assert list(MarkDecision.objects.values_list("outcome", "reason")) == [
        ("rejected", "Number not found"), ("verified", "Found after all"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("document", "words"),
    [
        (SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf"), "PDF, JPEG or PNG"),
        (SimpleUploadedFile("cert.pdf", b""), "empty"),
    ],
)
def test_a_mark_document_is_checked_by_content(product, owner, document, words):
    # In English whatever an earlier test's request left active (the default is Khmer).
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        add_mark(product, owner, document=document)
    assert words in refused.value.message_dict["document"][0]


def test_a_mark_document_that_is_an_image_is_accepted(product, owner):
    image = SimpleUploadedFile("cert.png", photo_bytes(fmt="PNG"))
    assert add_mark(product, owner, document=image).document_type == "image/png"


def test_the_end_of_validity_cannot_be_before_its_start(product, owner):
    with pytest.raises(ValidationError) as refused:
        add_mark(product, owner, valid_until=date(2025, 1, 1))
    assert "valid_until" in refused.value.message_dict


def test_staff_verify_on_the_queue_page_and_the_owner_sees_the_reason(
    client, product, owner, programme_staff
):
    mark = add_mark(product, owner)
    client.force_login(programme_staff)
    in_english(client)
    queue = client.get(reverse("catalog:mark_queue")).content.decode()
    assert "OVOP-2026-17" in queue
    response = client.post(
        reverse("catalog:decide_mark", args=[mark.pk]), {"outcome": "rejected", "reason": "Expired"}
    )
    assert response.status_code == 302
    assert "No mark is waiting." in client.get(reverse("catalog:mark_queue")).content.decode()
    client.force_login(owner)
    page = client.get(reverse("catalog:marks", args=[product.slug])).content.decode()
    assert "Expired" in page and "Not confirmed" in page


def test_the_document_is_for_members_and_programme_staff_only(
    client, product, owner, stranger, programme_staff, buyer
):
    mark = add_mark(product, owner)
    url = reverse("catalog:mark_document", args=[mark.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    for user, status in ((stranger, 404), (buyer, 404), (owner, 200), (programme_staff, 200)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_owners_marks_page_reads_the_decisions_in_one_query(
    client, product, owner, programme_staff
):
    def queries_for_the_page():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("catalog:marks", args=[product.slug])).status_code == 200
        return len(captured)

    client.force_login(owner)
    for number in ("1", "2"):
        mark = add_mark(product, owner, number=number)
        actions.decide_mark(mark, by=programme_staff, outcome="rejected", reason="Expired")
    two = queries_for_the_page()
    for number in ("3", "4", "5"):
        mark = add_mark(product, owner, number=number)
        actions.decide_mark(mark, by=programme_staff, outcome="rejected", reason="Expired")
    assert queries_for_the_page() == two
