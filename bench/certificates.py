"""Benchmark of certificate rendering: 1,000 certificates in one process, time and memory.

    .venv/bin/python -m bench.certificates --n 1000

No database: the business and its record are unsaved objects, the key is made in memory.
Each iteration does what issuing does apart from storing: render the body (WeasyPrint, the
shared FontConfiguration), sign the claims (Ed25519), append the QR update. Prints ms per
certificate, RSS before, every 200 and after (the issue's check: no memory growth over
1,000 renders), and the ratio against a baseline in the same run: a one-line Latin PDF.
Not part of the test suite.
"""

import argparse
import os
import resource
import statistics
import time
from datetime import UTC, date, datetime
from pathlib import Path


def rss_mib() -> float:
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "singleportal.config.settings")
    import django

    django.setup()
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from weasyprint import HTML

    from singleportal.certificates import rendering, verification
    from singleportal.registry.models import Business, BusinessRecord

    business = Business(
        registration_number="1000000123", name_km="ក្រុមហ៊ុន មេគង្គ ម្រេច",
        name_en="Mekong Pepper", legal_form="private_limited_company",
        registered_on=date(2026, 11, 20), tin="K001-000000016",
    )  # fmt: skip
    record = BusinessRecord(
        business=business, kind="patent_tax", agency_code="GDT", number="PT-2026-0000001",
        issued_at=datetime.now(UTC), details={"year": 2026},
    )  # fmt: skip
    facts = rendering.facts_for(business, "patent_tax", record)
    key = Ed25519PrivateKey.generate()

    def one(number: int) -> None:
        body = rendering.render_body(f"id-{number}", facts, 1, record.issued_at)
        claims = {"id": f"id-{number}", "k": "bench", "u": "https://x", **facts}
        claims.update(verification.body_facts(body))
        payload = verification.encode_payload(claims, key.sign(verification.signed_bytes(claims)))
        url = verification.verification_url("https://x", f"id-{number}", payload)
        verification.append_update(body, payload, url)

    def baseline() -> None:
        HTML(string="<p>Certificate</p>").write_pdf(font_config=None)

    for number in range(10):  # warm up: fonts, the template, caches
        one(number)
        baseline()
    base = []
    for _ in range(50):
        started = time.perf_counter()
        baseline()
        base.append(time.perf_counter() - started)
    before = rss_mib()
    print(f"RSS before: {before:.1f} MiB")
    times = []
    for number in range(args.n):
        started = time.perf_counter()
        one(number)
        times.append(time.perf_counter() - started)
        if (number + 1) % 200 == 0:
            print(f"  after {number + 1:>5}: RSS {rss_mib():.1f} MiB")
    after = rss_mib()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    median, base_median = statistics.median(times), statistics.median(base)
    print(f"RSS after: {after:.1f} MiB (growth {after - before:+.1f} MiB, peak {peak:.1f} MiB)")
    print(f"certificate: median {median * 1000:.1f} ms, p99 "
          f"{statistics.quantiles(times, n=100)[98] * 1000:.1f} ms, "
          f"{args.n / sum(times):.1f} per second")  # fmt: skip
    print(f"baseline (one-line Latin PDF): median {base_median * 1000:.1f} ms; "
          f"certificate / baseline = {median / base_median:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
