"""Each kind of certificate renders to a PDF whose text (as pdftotext extracts it) holds the
business's Khmer and English names and the title in both languages, and whose QR code holds
the verification URL with the signed payload."""

import os
import subprocess
import time
from pathlib import Path

import pytest
import segno
from PIL import Image

from singleportal.certificates import actions, rendering, verification
from singleportal.certificates.models import Certificate, CertificateKind
from tests.certificates.helpers import NAME_EN, NAME_KM, RECORDS, business, record

pytestmark = pytest.mark.django_db


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def saved(certificate: Certificate, tmp_path: Path) -> Path:
    path = tmp_path / f"{certificate.kind}.pdf"
    path.write_bytes(certificate.pdf.read())
    return path


@pytest.mark.parametrize("kind", [kind for kind, _, _ in RECORDS])
def test_each_record_kind_renders_with_both_names_and_both_titles(kind, tmp_path):
    owner = business(tin="K001-000000016")
    certificate = actions.issue_for_record(record(owner, kind).pk)
    text = pdf_text(saved(certificate, tmp_path))
    title_km, title_en = rendering.TITLES[kind]
    assert NAME_KM in text and NAME_EN in text
    assert title_km in text and title_en in text
    assert owner.registration_number in text and certificate.record.number in text
    # Khmer above English: the Khmer name comes first.
    assert text.index(NAME_KM) < text.index(NAME_EN)


def test_the_extract_lists_the_records_of_the_business(tmp_path, django_user_model):
    owner = business(name_km="សហគ្រាស ផ្កាឈូក", name_en="Lotus Crafts")
    records = [record(owner, kind) for kind in (RECORDS[0][0], RECORDS[3][0])]
    certificate = actions._issue(owner, CertificateKind.EXTRACT, None)
    text = pdf_text(saved(certificate, tmp_path))
    assert "សហគ្រាស ផ្កាឈូក" in text and "Lotus Crafts" in text
    assert "Business Extract from the Register" in text
    for entry in records:
        assert entry.number in text


def test_the_qr_code_on_the_page_holds_the_verification_url_and_payload(tmp_path):
    certificate = actions.issue_for_record(record(business()).pk)
    path = saved(certificate, tmp_path)
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(path),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    image = Image.open(tmp_path / "page.png").convert("L")
    url = verification.verification_url(
        "https://portal.example.kh", str(certificate.pk), certificate.payload
    )
    matrix = segno.make(url, error="m").matrix
    modules = len(matrix) + 4
    scale = 300 / 25.4  # pixels per mm
    unit = verification.QR_SIZE_MM * scale / modules
    left = verification.QR_LEFT_MM * scale
    top = image.height - (verification.QR_BOTTOM_MM + verification.QR_SIZE_MM) * scale
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            x = left + (column + 2.5) * unit
            y = top + (row + 2.5) * unit
            assert (image.getpixel((int(x), int(y))) < 128) == bool(dark), (row, column)


def rss_kib() -> int:
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_rendering_200_certificates_keeps_memory_flat():
    owner = business()
    entry = record(owner)
    facts = rendering.facts_for(owner, "registration", entry)
    issued = entry.issued_at
    for _ in range(20):  # warm up: fonts, caches, the template
        rendering.render_body("warm-up", facts, 1, issued)
    before = rss_kib()
    started = time.perf_counter()
    for number in range(200):
        rendering.render_body(f"id-{number}", facts, 1, issued)
    elapsed = time.perf_counter() - started
    growth_mib = (rss_kib() - before) / 1024
    print(f"200 renders: {elapsed / 200 * 1000:.1f} ms each, RSS growth {growth_mib:.1f} MiB")
    assert growth_mib < 20
