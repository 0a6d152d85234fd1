"""Certificates as PDF: what each states (facts), the HTML template, WeasyPrint.

The Khmer wording of a certificate is the document's text, not the interface's: it lives in the
tables below (terms from REFERENCE.md), so a certificate reads the same whatever the catalogue
holds. Khmer comes above English everywhere.

One FontConfiguration serves the whole process (fonts-khmeros through fontconfig); renders
reuse it, so memory stays flat over thousands of certificates (bench/certificates.py).
"""

import logging
import threading
from datetime import datetime
from typing import Any

import pydyf
from django.template.loader import render_to_string
from django.utils import timezone

from singleportal.certificates import verification
from singleportal.registry.models import Business, BusinessRecord

# WeasyPrint reports each step of each render (and of its own import) at INFO: noise in a
# worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.draw import text as weasy_text  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

FONT_CONFIG = FontConfiguration()
# Renders share FONT_CONFIG (and Pango's font map), which are not made for concurrent use: a
# worker running threads (the embedded demo's --pool=threads) renders one at a time.
RENDERING_LOCK = threading.Lock()
# The strip at the bottom of each page kept for the footer and the QR code (in mm).
RESERVED_MM = verification.QR_BOTTOM_MM + verification.QR_SIZE_MM + 5

# Pango orders Khmer glyphs as they are drawn (a vowel sign before its consonant), and a PDF
# maps glyphs to text one by one, so copied or extracted Khmer loses its vowels. Each line of
# Khmer is marked with its text (/ActualText, PDF 1.4 section 9.8.3): readers, search and
# pdftotext then see the words as written. Zero-width spaces (wrap points) are left out.
_draw_first_line = weasy_text.draw_first_line


def _is_khmer(text: str) -> bool:
    return any("\u1780" <= char <= "\u19ff" for char in text)


def _draw_first_line_with_text(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
    text = getattr(textbox, "text", "")
    if not _is_khmer(text):
        return _draw_first_line(stream, textbox, *args, **kwargs)
    actual = pydyf.Dictionary({"ActualText": pydyf.String(text.replace("\u200b", ""))})
    stream.begin_marked_content("Span", actual)
    try:
        return _draw_first_line(stream, textbox, *args, **kwargs)
    finally:
        stream.end_marked_content()


weasy_text.draw_first_line = _draw_first_line_with_text

AGENCIES = {
    "MOC": ("ក្រសួងពាណិជ្ជកម្ម", "Ministry of Commerce"),
    "GDT": ("អគ្គនាយកដ្ឋានពន្ធដារ", "General Department of Taxation"),
    "MLVT": ("ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ", "Ministry of Labour and Vocational Training"),
    "MOI": ("ក្រសួងមហាផ្ទៃ", "Ministry of Interior"),
    "CDC": ("ក្រុមប្រឹក្សាអភិវឌ្ឍន៍កម្ពុជា", "Council for the Development of Cambodia"),
    "MEF": ("ក្រសួងសេដ្ឋកិច្ច និងហិរញ្ញវត្ថុ", "Ministry of Economy and Finance"),
}
TITLES = {
    "registration": ("វិញ្ញាបនបត្រចុះបញ្ជីពាណិជ្ជកម្ម", "Certificate of Incorporation / Registration"),
    "tax_registration": ("វិញ្ញាបនបត្រចុះបញ្ជីពន្ធដារ", "Tax Registration Certificate"),
    "patent_tax": ("វិញ្ញាបនបត្រពន្ធប៉ាតង់", "Patent Tax Certificate"),
    "opening_declaration": ("លិខិតប្រកាសបើកសហគ្រាស", "Declaration of Opening of the Enterprise"),
    "address_confirmation": ("លិខិតបញ្ជាក់អាសយដ្ឋាន", "Address Confirmation"),
    "investment_registration": (
        "វិញ្ញាបនបត្រចុះបញ្ជីគម្រោងវិនិយោគមានលក្ខណៈសម្បត្តិគ្រប់គ្រាន់",
        "Qualified Investment Project Registration Certificate",
    ),
    "extract": ("សេចក្តីដកស្រង់ពីបញ្ជីពាណិជ្ជកម្ម", "Business Extract from the Register"),
}
LEGAL_FORMS = {
    "sole_proprietorship": ("សហគ្រាសឯកបុគ្គល", "Sole proprietorship"),
    "general_partnership": ("ក្រុមហ៊ុនសហកម្មសិទ្ធិទូទៅ", "General partnership"),
    "limited_partnership": ("ក្រុមហ៊ុនសហកម្មសិទ្ធិមានកម្រិត", "Limited partnership"),
    "private_limited_company": ("ក្រុមហ៊ុនឯកជនទទួលខុសត្រូវមានកម្រិត", "Private limited company"),
    "single_member_private_limited_company": (
        "ក្រុមហ៊ុនឯកជនទទួលខុសត្រូវមានកម្រិតមានសមាជិកតែម្នាក់",
        "Single-member private limited company",
    ),
    "public_limited_company": ("ក្រុមហ៊ុនមហាជនទទួលខុសត្រូវមានកម្រិត", "Public limited company"),
    "branch_of_foreign_company": ("សាខាក្រុមហ៊ុនបរទេស", "Branch of a foreign company"),
    "representative_office": ("ការិយាល័យតំណាង", "Representative office"),
}
LABELS = {
    "name": ("ឈ្មោះ", "Name"),
    "registration_number": ("លេខចុះបញ្ជី", "Registration number"),
    "legal_form": ("ទម្រង់គតិយុត្ត", "Legal form"),
    "registered_on": ("ថ្ងៃចុះបញ្ជី", "Registered on"),
    "number": ("លេខ", "Number"),
    "tin": ("លេខអត្តសញ្ញាណកម្មសារពើពន្ធ", "Tax identification number"),
    "year": ("ឆ្នាំ", "Year"),
    "vat": ("ចុះបញ្ជីអាករលើតម្លៃបន្ថែម", "Registered for VAT"),
    "staff": ("ចំនួនបុគ្គលិក ខ្មែរ / បរទេស", "Staff, Khmer / foreign"),
    "address": ("អាសយដ្ឋាន", "Address"),
    "signboard": ("ផ្លាកយីហោ", "Signboard"),
    "investment": ("ទុនវិនិយោគ (រៀល)", "Investment (KHR)"),
    "issued_on": ("ចេញថ្ងៃ", "Issued on"),
    "version": ("កំណែ", "Version"),
    "records": ("កំណត់ត្រា", "Records"),
    "yes": ("បាទ/ចាស", "Yes"),
    "no": ("ទេ", "No"),
}


def _line(label: str, value: Any) -> dict[str, str]:
    km, en = LABELS[label]
    return {"km": km, "en": en, "value": str(value)}


def _place(address: dict[str, Any]) -> str:
    from singleportal.geo.models import Commune, District, Province, Village

    parts = []
    for model, code in (
        (Village, address.get("village")),
        (Commune, address.get("commune")),
        (District, address.get("district")),
        (Province, address.get("province")),
    ):
        place = model.objects.filter(code=code).first() if code else None
        if place is not None:
            parts.append(f"{place.name_km} ({place.name_en})" if place.name_en else place.name_km)
    street = " ".join(str(address.get(k) or "") for k in ("house_number", "street")).strip()
    return ", ".join([street, *parts] if street else parts)


def _record_lines(record: BusinessRecord) -> list[dict[str, str]]:
    details = record.details or {}
    lines = [_line("number", record.number)]
    if record.kind == "tax_registration":
        answer = LABELS["yes" if details.get("vat_registration") else "no"]
        lines.append(_line("vat", " / ".join(answer)))
    elif record.kind == "patent_tax":
        lines.append(_line("year", details.get("year", "")))
        if record.business.tin:
            lines.append(_line("tin", record.business.tin))
    elif record.kind == "opening_declaration":
        staff = f"{details.get('khmer_staff', 0)} / {details.get('foreign_staff', 0)}"
        lines.append(_line("staff", staff))
    elif record.kind == "address_confirmation":
        lines.append(_line("address", _place(details.get("address") or {})))
        signboard = details.get("signboard") or {}
        text = " / ".join(t for t in (signboard.get("text_km"), signboard.get("text_en")) if t)
        if text:
            lines.append(_line("signboard", text))
    elif record.kind == "investment_registration" and details.get("investment_khr"):
        lines.append(_line("investment", f"{int(details['investment_khr']):,}"))
    return lines


def facts_for(business: Business, kind: str, record: BusinessRecord | None) -> dict[str, Any]:
    """What the certificate states, in the form it is signed, stored and printed."""
    form_km, form_en = LEGAL_FORMS.get(business.legal_form, (business.legal_form,) * 2)
    facts: dict[str, Any] = {
        "kind": kind,
        "registration_number": business.registration_number,
        "name_km": business.name_km,
        "name_en": business.name_en,
        "legal_form_km": form_km,
        "legal_form_en": form_en,
        "registered_on": business.registered_on.isoformat(),
        "tin": business.tin or "",
    }
    if record is not None:
        facts["agency"] = record.agency_code
        facts["record_number"] = record.number
        facts["lines"] = _record_lines(record)
    else:
        facts["agency"] = "MOC"
        facts["records"] = [
            {"kind": r.kind, "title_km": TITLES[r.kind][0], "title_en": TITLES[r.kind][1],
             "number": r.number, "date": timezone.localdate(r.issued_at).isoformat()}
            for r in business.records.order_by("issued_at", "pk")
            if r.kind in TITLES
        ]  # fmt: skip
        facts["lines"] = [_line("tin", business.tin)] if business.tin else []
    return facts


def render_body(
    certificate_id: str, facts: dict[str, Any], version: int, issued_at: datetime
) -> bytes:
    """The certificate's body (the signing rule in verification.py): the whole document with
    an empty square where the QR code goes."""
    agency_km, agency_en = AGENCIES[facts["agency"]]
    title_km, title_en = TITLES[facts["kind"]]
    html = render_to_string(
        "certificates/pdf/certificate.html",
        {
            "facts": facts,
            "id": certificate_id,
            "version": version,
            "issued_on": timezone.localdate(issued_at).isoformat(),
            "agency_km": agency_km,
            "agency_en": agency_en,
            "title_km": title_km,
            "title_en": title_en,
            "labels": {key: {"km": km, "en": en} for key, (km, en) in LABELS.items()},
            # Millimetres as text: the page's locale would print "62,0" (a decimal comma).
            "reserved": f"{RESERVED_MM:g}",
            "footer_below": f"{RESERVED_MM - verification.QR_BOTTOM_MM:g}",
            "footer_width": f"{verification.QR_LEFT_MM - 25:g}",
        },
    )
    with RENDERING_LOCK:
        document = HTML(string=html).render(font_config=FONT_CONFIG)
        # PDF 1.4: plain objects and a classic cross-reference table, so that the update
        # carrying the QR code can be appended and checked without a PDF library.
        pdf = document.write_pdf(pdf_version="1.4")
    assert pdf is not None
    return pdf
