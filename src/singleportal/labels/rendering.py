"""A4 sheets of labels as PDF: WeasyPrint with the certificates' one font configuration.

Each label carries its QR code (a PNG of one pixel per module, drawn without smoothing, so it
prints as sharp squares at any size), the product's title in Khmer above English, the maker,
the village, "scan to check it is genuine" in both languages, the code to type by hand, and,
for a batch, how many items the batch holds; whether the maker is registered, and the rest,
is on the page the code opens (a label has room for little). The wording on the label is the
document's text, in both languages whatever the page's language (as on a certificate), so it
lives here.

About 20 ms a label goes into its QR code (segno picks the best of eight masks, in Python) and
30 to 65 ms, by layout, into WeasyPrint's layout; a run is rendered by a worker in chunks of
pages, reporting its progress after each (bench/labels.py measures it; docs/labels.md has the
figures).
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import segno
from django.template.loader import render_to_string
from weasyprint import HTML

from singleportal.certificates.rendering import FONT_CONFIG, RENDERING_LOCK
from singleportal.labels import codes, signing

# FONT_CONFIG and Pango's font map are shared with the certificates and are not made for
# concurrent use: label sheets and certificates take the certificates' one lock.


@dataclass(frozen=True)
class Layout:
    columns: int
    rows: int
    width_mm: float
    height_mm: float
    margin_top_mm: float
    qr_mm: float
    font_pt: float
    title_lines: int  # a longer title is cut after this many lines
    stacked: bool  # QR code above the text (large labels) rather than beside it

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LAYOUTS = {
    "3x8": Layout(3, 8, 70, 37, 0.5, 29, 6.2, 1, False),
    "2x5": Layout(2, 5, 105, 57, 6, 45, 8.5, 2, False),
    "2x2": Layout(2, 2, 105, 148.5, 0, 62, 11, 2, True),
}
TEXT_GAP_MM = 1.5  # between the QR code and the text beside it
# Pages rendered at once: progress is reported between chunks.
PAGES_PER_CHUNK = 2

TEXT = {
    "scan": ("ស្កេនដើម្បីពិនិត្យថាជាផលិតផលពិត", "Scan to check it is genuine"),
    "batch": ("ផលិតជាបាច់ចំនួន {n}", "Batch of {n}"),
    "village": ("ភូមិ", "village"),
}


PRINT_DPI = 300


def qr_data_uri(url: str, size_mm: float) -> str:
    """The QR code as a PNG with about PRINT_DPI pixels per inch at `size_mm`: whole pixels
    per module, so the squares keep sharp edges in any viewer (some smooth small images even
    when the PDF asks them not to)."""
    code = segno.make(url, error="m")
    modules = code.symbol_size(scale=1, border=4)[0]
    scale = max(1, math.ceil(size_mm / 25.4 * PRINT_DPI / modules))
    return code.png_data_uri(scale=scale, border=4)


def _label_context(site: str, code: str, payload: str, qr_mm: float) -> dict[str, str]:
    url = signing.label_url(site, code, payload)
    return {"qr": qr_data_uri(url, qr_mm), "code": codes.grouped(code)}


def _common(facts: dict[str, Any], site: str) -> dict[str, Any]:
    origin = facts["origin"]
    batch = None
    if facts["kind"] == "batch":
        batch = [text.format(n=f"{facts['quantity']:,}") for text in TEXT["batch"]]
    return {
        "product": facts["product"],
        "maker": facts["maker"],
        "origin": origin,
        "village_km": TEXT["village"][0],
        "village_en": TEXT["village"][1],
        "batch": batch,
        "scan_km": TEXT["scan"][0],
        "scan_en": TEXT["scan"][1],
        "site": site.split("://", 1)[-1].rstrip("/"),
    }


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def render_sheet(
    facts: dict[str, Any],
    labels: Sequence[tuple[str, str]],
    layout_code: str,
    site_url: str,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The PDF of `labels` ((code, payload) pairs) on A4 sheets of `layout_code`. `progress`
    is called with the number of labels done after each chunk of pages."""
    layout = LAYOUTS[layout_code]
    common = _common(facts, site_url)
    documents = []
    done = 0
    for chunk in _chunks(labels, layout.per_page * PAGES_PER_CHUNK):
        shown = [_label_context(site_url, code, p, layout.qr_mm) for code, p in chunk]
        pages = [list(_chunks(page, layout.columns)) for page in _chunks(shown, layout.per_page)]
        html = render_to_string(
            "labels/pdf/sheet.html",
            {
                **common,
                "layout": layout,
                "pages": pages,
                # Millimetres as text: the page's locale would print "37,0" (a decimal comma).
                "mm": {
                    name: f"{value:g}"
                    for name, value in (
                        ("width", layout.width_mm),
                        ("height", layout.height_mm),
                        ("top", layout.margin_top_mm),
                        ("qr", layout.qr_mm),
                        ("text_left", layout.qr_mm + TEXT_GAP_MM),
                        ("font", layout.font_pt),
                        ("sheet_width", layout.width_mm * layout.columns),
                    )
                },
            },
        )
        with RENDERING_LOCK:
            documents.append(HTML(string=html).render(font_config=FONT_CONFIG))
        done += len(chunk)
        if progress is not None:
            progress(done)
    with RENDERING_LOCK:
        pages = [page for document in documents for page in document.pages]
        pdf = documents[0].copy(pages).write_pdf()
    assert pdf is not None
    return pdf
