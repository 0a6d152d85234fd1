"""Sheets of labels as the business prints them: the QR codes read back from the rendered PDF
open genuine pages; one character changed in the payload and they do not."""

import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image

from singleportal.labels import actions, rendering, signing
from singleportal.labels.models import LabelSheet, SheetStatus
from tests.labels import factories

pytestmark = pytest.mark.django_db


def rasterise(pdf: bytes, tmp_path: Path, page: int = 1) -> Image.Image:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-f", str(page), "-l", str(page), "-png", path, tmp_path / "p"],
        check=True,
    )
    return Image.open(next(tmp_path.glob("p-*.png")))


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def one_changed(url: str) -> str:
    """The URL with one character of the payload changed, inside the signed code ("c", the
    first claim). (A change that lands in the key id "k" reads as "unknown key" instead.)"""
    head, payload = url.split("?p=", 1)
    prefix, claims, signature = payload.split(".")
    at = 10
    swapped = "B" if claims[at] != "B" else "C"
    return f"{head}?p={prefix}.{claims[:at]}{swapped}{claims[at + 1 :]}.{signature}"


def test_labels_scanned_from_the_printed_sheet_verify_and_a_changed_payload_does_not(
    client, people, tmp_path
):
    client.force_login(people.owner)
    response = client.post(
        "/labels/new/",
        {
            "product": people.product.pk,
            "kind": "single",
            "quantity": "3",
            "made_on": "2026-11-20",
            "batch_reference": "",
            "layout": "3x8",
        },
    )
    assert response.status_code == 302
    run_page = client.get(response["Location"])
    assert b"Download the PDF" in run_page.content or "ទាញយក".encode() in run_page.content
    sheet = LabelSheet.objects.get()
    assert sheet.status == SheetStatus.READY and sheet.labels_done == 3
    pdf = client.get(f"/labels/runs/{sheet.run_id}/sheets/3x8.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    image = rasterise(b"".join(pdf.streaming_content), tmp_path)

    found = zxingcpp.read_barcodes(image)
    assert len(found) == 3
    scanner = type(client)()  # a visitor's phone: not signed in
    codes = set()
    for barcode in found:
        url = urlsplit(barcode.text)
        assert f"{url.scheme}://{url.netloc}" == "https://portal.example.kh"
        page = scanner.get(f"{url.path}?{url.query}")
        assert page.status_code == 200
        assert b'data-genuine="yes"' in page.content
        codes.add(url.path.split("/")[2])
        changed = urlsplit(one_changed(barcode.text))
        page = scanner.get(f"{changed.path}?{changed.query}")
        assert b'data-genuine="no"' in page.content
        assert f'data-reason="{signing.Reason.CHANGED_PAYLOAD}"'.encode() in page.content
    assert codes == set(sheet.run.labels.values_list("code", flat=True))


def test_a_batch_label_says_how_many_were_made_in_both_languages(people, tmp_path):
    run = factories.run(people.product, people.owner, kind="batch", quantity=1250)
    sheet = actions.render_sheet(run.sheets.get().pk)
    text = pdf_text(sheet.pdf.read())
    assert "Batch of 1,250" in text
    assert "Scan to check it is genuine" in text
    assert "ក្រមាសូត្រ" in text  # Khmer kept readable in the PDF (certificates' ActualText)
    image = rasterise(sheet.pdf.open("rb").read(), tmp_path)
    (barcode,) = zxingcpp.read_barcodes(image)
    assert barcode.text == signing.label_url(
        "https://portal.example.kh", run.labels.get().code, run.labels.get().payload
    )


def test_large_labels_read_back_and_progress_is_reported_after_each_chunk(
    people, monkeypatch, tmp_path
):
    monkeypatch.setattr(rendering, "PAGES_PER_CHUNK", 1)
    run = factories.run(people.product, people.owner, kind="single", quantity=6, layout="2x2")
    labels = list(run.labels.values_list("code", "payload"))
    seen: list[int] = []
    pdf = rendering.render_sheet(run.facts, labels, "2x2", "https://portal.example.kh", seen.append)
    assert seen == [4, 6]  # four large labels a page, a page a chunk
    assert len(zxingcpp.read_barcodes(rasterise(pdf, tmp_path, page=2))) == 2
    sheet = actions.render_sheet(run.sheets.get().pk)
    assert (sheet.status, sheet.labels_done) == (SheetStatus.READY, 6)
