"""Benchmark of label sheets: a run of N labels in each layout, time, share of the QR codes,
and memory.

    .venv/bin/python -m bench.labels --n 1000 --layouts 3x8,2x2

No database: the facts are those a run stores, the payloads random text of a real payload's
length. For each layout prints the wall time of the sheet, ms per label, the PDF's size, and
the baseline measured in the same run: making the same N QR codes alone (segno), the part no
stylesheet can save. Then the peak RSS of the process. Not part of the test suite.
"""

import argparse
import os
import resource
import secrets
import time

FACTS = {
    "kind": "batch",
    "quantity": 1000,
    "product": {
        "slug": "silk-krama", "title_km": "ក្រមាសូត្រត្បាញដៃ", "title_en": "Hand-woven silk krama",
        "technique_km": "ត្បាញដៃ", "technique_en": "hand-woven", "materials": ["silk"],
    },
    "maker": {
        "profile": "takeo-weavers", "name_km": "ក្រុមតម្បាញភូមិព្រៃកប្បាស",
        "name_en": "Prey Kabbas Weavers", "registration_number": "1000000123",
        "made_by": "business", "maker_km": "", "maker_en": "",
    },
    "origin": {
        "village": "21030401", "village_km": "ព្រៃកប្បាស", "village_en": "Prey Kabbas",
        "commune_km": "ព្រៃកប្បាស", "commune_en": "Prey Kabbas",
    },
    "marks": [],
}  # fmt: skip
SITE = "https://portal.example.kh"
PAYLOAD_LENGTH = 190  # characters of a label's signed payload


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--layouts", default="3x8,2x5,2x2")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "singleportal.config.settings")
    import django

    django.setup()
    from singleportal.labels import rendering, signing

    labels = [
        (f"{number:012d}", secrets.token_urlsafe(PAYLOAD_LENGTH)[:PAYLOAD_LENGTH])
        for number in range(args.n)
    ]
    started = time.perf_counter()
    for code, payload in labels:
        rendering.qr_data_uri(signing.label_url(SITE, code, payload), 29)
    qr_only = time.perf_counter() - started
    print(f"baseline: {args.n} QR codes alone  {qr_only:7.1f} s  "
          f"{qr_only / args.n * 1000:6.1f} ms/label")  # fmt: skip
    for layout in args.layouts.split(","):
        started = time.perf_counter()
        pdf = rendering.render_sheet(FACTS, labels, layout, SITE)
        took = time.perf_counter() - started
        print(f"{layout:>4}: {args.n} labels  {took:7.1f} s  {took / args.n * 1000:6.1f} ms/label  "
              f"{len(pdf) / 1e6:5.1f} MB  {took / qr_only:4.1f}x the QR codes alone")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
