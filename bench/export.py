"""Benchmark of the open data bulk export (registry/export.py) over N businesses (PostgreSQL).

    .venv/bin/python -m bench.export --n 200000
    .venv/bin/python -m bench.export --n 1000000

Uses its own database (default postgres://postgres@127.0.0.1:5432/bench_export, created if
missing). Generates N businesses with SQL generate_series (Khmer and Latin names, TINs for
four in five, addresses to real communes), one or two activities, two officers and one to
three filings each, so every chunk reads all four tables as on the real register. Then runs,
each in a fresh child process:

  (a) the baseline: `django.setup()` and one database connection, nothing else;
  (b) the export: `export_registry(force=True)` into a temporary folder.

and prints the wall time and the peak RSS of each child (os.wait4: that child's own
ru_maxrss; resource.getrusage(RUSAGE_CHILDREN) is printed as well, the largest of both), with
the ratio (b)/(a). Bounded memory shows as the same peak at 200,000 and at 1,000,000 rows.
Not part of the test suite.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_export"


def _environment(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("PAYMENT_WEBHOOK_SECRET", "bench-only")
    os.environ.setdefault("PAYMENT_API_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "singleportal.config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def child(kind: str, out: str, chunk_size: int) -> None:
    """What a measured child process does; prints one JSON line."""
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    if kind == "baseline":
        print(json.dumps({"kind": kind}))
        return
    from singleportal.registry import export

    started = time.monotonic()
    result = export.export_registry(force=True, out=out, chunk_size=chunk_size)
    print(json.dumps({"kind": kind, "seconds": time.monotonic() - started,
                      "manifest": result.manifest}))  # fmt: skip


def measure(args: argparse.Namespace, kind: str, out: str) -> tuple[float, int, dict]:
    """Wall time, peak RSS in KiB, and what the child printed."""
    command = [sys.executable, "-m", "bench.export", "--child", kind, "--out", out,
               "--database", args.database, "--chunk-size", str(args.chunk_size)]  # fmt: skip
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603 - our own module
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{kind} child failed ({process.returncode})")
    return elapsed, usage.ru_maxrss, json.loads(output.strip().splitlines()[-1])


def load(n: int) -> None:
    """N businesses and their particulars, generated in the database (a few SQL statements)."""
    from django.db import connection, transaction

    from singleportal.activities.models import Activity, ActivityLevel
    from singleportal.geo.models import Commune
    from singleportal.registry.models import (
        Business,
        BusinessActivity,
        BusinessOfficer,
        BusinessRecord,
        NameKey,
    )

    business, activity = Business._meta.db_table, BusinessActivity._meta.db_table
    officer, record = BusinessOfficer._meta.db_table, BusinessRecord._meta.db_table
    places = list(
        Commune.objects.order_by("code").values_list(
            "code", "district__code", "district__province__code"
        )
    )
    classes = list(
        Activity.objects.filter(level=ActivityLevel.CLASS)
        .order_by("code")
        .values_list("code", flat=True)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {record}, {officer}, {activity}, {business}, "
                       f"{NameKey._meta.db_table} CASCADE")  # fmt: skip
        # The name-search indexes (trigram GIN) cost most of the load and the export never
        # reads them: this database is the benchmark's own.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE '%%gin%%'",
            [business],
        )
        for (index,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX IF EXISTS "{index}"')
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_place (n int, commune text, district text, "
            "province text) ON COMMIT DROP"
        )
        cursor.executemany(
            "INSERT INTO bench_place VALUES (%s, %s, %s, %s)",
            [(i, c, d, p) for i, (c, d, p) in enumerate(places)],
        )
        cursor.execute(
            f"""
            INSERT INTO {business} (registration_number, name_km, name_en, name_km_normalized,
                name_en_normalized, name_km_key, name_en_key, legal_form, status, registered_on,
                province_code, district_code, commune_code, tin, application_reference,
                updated_at)
            SELECT '1' || lpad(i::text, 9, '0'),
                   'ក្រុមហ៊ុន អង្គរ ' || i || ' ឯ.ក',
                   CASE WHEN i %% 5 = 0 THEN '' ELSE 'Angkor Trading ' || i || ' Co., Ltd.' END,
                   'អង្គរ ' || i, 'angkor trading ' || i, 'angkor ' || i, 'angkor ' || i,
                   (ARRAY['private_limited_company', 'sole_proprietorship',
                          'single_member_private_limited_company'])[1 + i %% 3],
                   CASE WHEN i %% 10 = 0 THEN 'dissolved' ELSE 'active' END,
                   DATE '2000-01-01' + (i %% 9000),
                   p.province, p.district, p.commune,
                   CASE WHEN i %% 5 = 0 THEN NULL ELSE 'K001-' || lpad(i::text, 9, '0') END,
                   NULL, now()
            FROM generate_series(1, %s) AS i
            JOIN bench_place p ON p.n = i %% %s
            """,  # noqa: S608 - our table names
            [n, len(places)],
        )
        cursor.execute(
            f"""
            INSERT INTO {activity} (business_id, activity_code, main)
            SELECT b.id, (%s::text[])[1 + b.id %% %s], true FROM {business} b
            UNION ALL
            SELECT b.id, (%s::text[])[1 + (b.id + 7) %% %s], false FROM {business} b
            WHERE b.id %% 2 = 0
            """,  # noqa: S608
            [classes, len(classes), classes, len(classes)],
        )
        cursor.execute(
            f"""
            INSERT INTO {officer} (business_id, role, name_km, name_en, position)
            SELECT b.id, 'director', 'សុខ ចន្ទា', 'Sok Chanda', 0 FROM {business} b
            UNION ALL
            SELECT b.id, 'shareholder', 'ចាន់ ដារ៉ា', '', 1 FROM {business} b
            """  # noqa: S608
        )
        cursor.execute(
            f"""
            INSERT INTO {record} (business_id, kind, agency_code, number, issued_at, details,
                application_reference)
            SELECT b.id, 'registration', 'MOC', b.registration_number, now(), '{{}}'::jsonb, ''
            FROM {business} b
            UNION ALL
            SELECT b.id, 'tax_registration', 'GDT', b.tin, now(), '{{}}'::jsonb, ''
            FROM {business} b WHERE b.tin IS NOT NULL
            UNION ALL
            SELECT b.id, 'opening_declaration', 'MLVT', 'MLVT-2026-' || b.id, now(),
                   '{{}}'::jsonb, ''
            FROM {business} b WHERE b.id %% 3 = 0
            """,  # noqa: S608
            [],
        )
    with connection.cursor() as cursor:
        for table in (business, activity, officer, record):
            cursor.execute(f"VACUUM ANALYZE {table}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--skip-load", action="store_true", help="export what the database has")
    parser.add_argument("--child", choices=["baseline", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _environment(args.database)
    if args.child:
        child(args.child, args.out, args.chunk_size)
        return 0

    import psycopg

    server, dbname = args.database.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from singleportal.registry.models import Business

    call_command("migrate", verbosity=0)
    print(f"Single Portal export benchmark, N = {args.n:,}, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    version = connection.cursor().connection.info.server_version
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, PostgreSQL {version}, "
          f"chunk {args.chunk_size:,}")  # fmt: skip
    if not args.skip_load and Business.objects.count() != args.n:
        started = time.monotonic()
        load(args.n)
        print(f"generated {args.n:,} businesses with particulars in "
              f"{time.monotonic() - started:.1f} s")  # fmt: skip
    connection.close()

    with tempfile.TemporaryDirectory() as folder:
        base_s, base_kib, _ = measure(args, "baseline", folder)
        export_s, export_kib, done = measure(args, "export", folder)
    children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    manifest = done["manifest"]
    rows = manifest["counts"]["businesses"]
    print(f"counts: {manifest['counts']}")
    for item in manifest["files"]:
        print(f"  {item['name']}: {item['bytes'] / 2**20:.1f} MiB, {item['rows']:,} rows")
    print()
    print(f"(a) baseline, django.setup() + connect : {base_s:7.1f} s  peak RSS "
          f"{base_kib / 1024:7.1f} MiB")  # fmt: skip
    print(f"(b) export_registry (both files)       : {export_s:7.1f} s  peak RSS "
          f"{export_kib / 1024:7.1f} MiB  ({rows / done['seconds']:,.0f} businesses/s in "
          f"the export itself, {done['seconds']:.1f} s)")  # fmt: skip
    print(f"    peak RSS ratio (b)/(a): {export_kib / base_kib:.2f}x, "
          f"above baseline: {(export_kib - base_kib) / 1024:.1f} MiB; "
          f"RUSAGE_CHILDREN max: {children_kib / 1024:.1f} MiB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
