"""Load benchmark of the public registry under gunicorn, on PostgreSQL with N businesses.

    .venv/bin/python -m bench.registry --n 1000000              # load the data, then measure
    .venv/bin/python -m bench.registry --skip-load               # measure again, data kept

Uses its own database (default postgres://postgres@127.0.0.1:5432/bench_registry, created and
migrated if missing) and a Redis database of its own (default redis://127.0.0.1:6379/9, flushed
at the start of each measurement). Loading: N Khmer + Latin names from bench/names.py's
generator, written by `import_registry` (COPY; it writes each business's `registered` event
too); then, in SQL, a district and commune in the business's province, a TIN, one or two
activities, one to three officers, the registration and tax registration records; then real
certificates (rendered, signed, stored) for --certificates of them.

Measuring: gunicorn (--workers sync workers) on 127.0.0.1 with DEBUG off, the product's settings
and middleware, and a URLconf (bench/registry_urls.py) that adds one bare view returning two
bytes: the baseline. wrk (Debian's package) drives one URL family at a time with --connections
connections, cycling through a list of paths (bench/registry_paths.lua), for --seconds each.
After one uncounted run of each family (warm-up: business pages are kept per worker process),
the families are interleaved with the baseline (bare, search, bare, business, bare, verify...)
for --rounds rounds, and each family is reported against the bare run just before it:

    search API     GET /api/v1/registry/businesses?q=<first words of a registered name>
                   (Latin and Khmer, some with a province or status filter)
    business page  GET /registry/<number>/ for --pages businesses (cache warmed first)
    verify (QR)    GET /verify/<id>/?p=<signed payload>, the URL a certificate's QR code holds
    verify (id)    GET /verify/<id>/

Targets (issue 8): business and verification pages >= 0.5x the bare view's requests per
second; search >= 0.1x with p99 <= 50 ms. Not part of the test suite.
"""

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LUA = HERE / "registry_paths.lua"
TARGETS = {"search API": (0.1, 50.0), "business page": (0.5, None),
           "verify (QR URL)": (0.5, None), "verify (id only)": (0.5, None)}  # fmt: skip

ENRICH_SQL = [
    # A district and a commune of the business's own province, spread over them.
    """
    WITH places AS (
        SELECT p.code AS province, d.code AS district, c.code AS commune,
               row_number() OVER (PARTITION BY p.code ORDER BY c.code) - 1 AS i,
               count(*) OVER (PARTITION BY p.code) AS n
        FROM geo_commune c JOIN geo_district d ON d.id = c.district_id
        JOIN geo_province p ON p.id = d.province_id
    )
    UPDATE registry_business b SET district_code = places.district, commune_code = places.commune
    FROM places WHERE places.province = b.province_code AND places.i = b.id % places.n
    """,
    """
    UPDATE registry_business SET tin = 'K' || lpad((id % 1000)::text, 3, '0') || '-'
        || lpad(id::text, 9, '0')
    """,
    # One main activity for every business, a second for a third of them.
    """
    INSERT INTO registry_businessactivity (business_id, activity_code, main)
    SELECT b.id, a.codes[1 + (b.id * 7919) % a.n], true FROM registry_business b,
        (SELECT array_agg(code ORDER BY code) AS codes, count(*) AS n
         FROM activities_activity WHERE level = 'class') a
    """,
    """
    INSERT INTO registry_businessactivity (business_id, activity_code, main)
    SELECT b.id, a.codes[1 + (b.id * 7919 + 1 + b.id % 50) % a.n], false FROM registry_business b,
        (SELECT array_agg(code ORDER BY code) AS codes, count(*) AS n
         FROM activities_activity WHERE level = 'class') a
    WHERE b.id % 3 = 0
    """,
    # A director for every business; one or two shareholders for companies.
    """
    INSERT INTO registry_businessofficer (business_id, role, name_km, name_en, position)
    SELECT b.id, r.role,
        (ARRAY['សុខ','ចាន់','លី','ហេង','គឹម','ស៊ាង','ម៉ៅ','ពៅ'])[1 + (b.id + r.k) % 8] || ' ' ||
        (ARRAY['សុភា','វណ្ណា','ដារ៉ា','សុខា','ចន្ថា','រតនា','បុប្ផា'])[1 + (b.id * 3 + r.k) % 7],
        (ARRAY['Sok','Chan','Ly','Heng','Kim','Seang','Mao','Pov'])[1 + (b.id + r.k) % 8] || ' ' ||
        (ARRAY['Sophea','Vanna','Dara','Sokha','Chantha','Rathana','Bopha'])
            [1 + (b.id * 3 + r.k) % 7],
        r.k
    FROM registry_business b
    JOIN (VALUES ('director', 0), ('shareholder', 1), ('shareholder', 2)) AS r(role, k)
      ON r.k = 0 OR (b.legal_form <> 'sole_proprietorship' AND r.k <= 1 + b.id % 2)
    """,
    """
    INSERT INTO registry_businessrecord (kind, agency_code, number, issued_at, details,
                                         application_reference, business_id)
    SELECT 'registration', 'MOC', b.registration_number,
           (b.registered_on + time '09:30') AT TIME ZONE 'Asia/Phnom_Penh', '{}', '', b.id
    FROM registry_business b
    """,
    """
    INSERT INTO registry_businessrecord (kind, agency_code, number, issued_at, details,
                                         application_reference, business_id)
    SELECT 'tax_registration', 'GDT', b.tin,
           (b.registered_on + time '10:00' + interval '3 days') AT TIME ZONE 'Asia/Phnom_Penh',
           '{}', '', b.id
    FROM registry_business b
    """,
    "ANALYZE",
]


def settings_env(args: argparse.Namespace, data_dir: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": args.database,
        "REDIS_URL": args.redis,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only",
        "PAYMENT_WEBHOOK_SECRET": "bench-only",
        "PAYMENT_API_KEY": "bench-only",
        "SINGLEPORTAL_DATA_DIR": str(data_dir),
        "CERTIFICATE_SIGNING_KEY_FILE": str(data_dir / "keys" / "signing.pem"),
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Every request comes from 127.0.0.1: the anonymous limit (60/60) would answer 429 to
        # nearly all of them. The limit is still counted in Redis on every request.
        "REGISTRY_API_ANON_RATE": "1000000000/60",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "singleportal.config.settings",
    }


def load(args: argparse.Namespace) -> None:
    """Businesses and their events (import_registry), their activities, officers and records (SQL),
    and real certificates for some of them."""
    from django.core.management import call_command
    from django.db import connection

    from bench.names import Generator, write_csv

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_business")
        if cursor.fetchone()[0]:
            raise SystemExit("the bench database holds businesses already: use --skip-load")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.csv"
        started = time.monotonic()
        write_csv(path, args.n, Generator())
        print(f"generated {args.n:,} rows in {time.monotonic() - started:.1f} s", flush=True)
        started = time.monotonic()
        call_command("import_registry", str(path), "--quiet-progress", "--batch-size", "50000")
        print(f"import_registry (COPY): {time.monotonic() - started:.1f} s", flush=True)
    started = time.monotonic()
    with connection.cursor() as cursor:
        for statement in ENRICH_SQL:
            cursor.execute(statement)
    print(f"districts, communes, TINs, activities, officers, records: "
          f"{time.monotonic() - started:.1f} s", flush=True)  # fmt: skip

    from singleportal.certificates import actions, keys
    from singleportal.registry.models import BusinessRecord

    key_file = Path(os.environ["CERTIFICATE_SIGNING_KEY_FILE"])
    if not key_file.exists():
        keys.write_new_key(key_file)
    started = time.monotonic()
    records = list(
        BusinessRecord.objects.filter(kind="registration", business_id__in=random.Random(3).sample(
            range(1, args.n + 1), args.certificates)).values_list("pk", flat=True)
    )  # fmt: skip
    for record_id in records:
        actions.issue_for_record(record_id)
    print(f"{len(records)} certificates issued in {time.monotonic() - started:.1f} s", flush=True)


def paths(args: argparse.Namespace) -> dict[str, list[str]]:
    """The paths of each URL family, drawn from the data."""
    from django.db import connection

    from singleportal.certificates.models import Certificate

    rng = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM registry_business")
        top = cursor.fetchone()[0]
        ids = rng.sample(range(1, top + 1), max(args.pages, args.queries))
        cursor.execute(
            "SELECT registration_number, name_en, name_km FROM registry_business "
            "WHERE id = ANY(%s)",
            [ids],
        )
        rows = cursor.fetchall()
    rng.shuffle(rows)
    business = [f"/registry/{urllib.parse.quote(number)}/" for number, _en, _km in rows]
    search = []
    for i, (_number, name_en, name_km) in enumerate(rows[: args.queries]):
        if i % 3 == 2:  # Khmer: the first one or two words
            q = " ".join(name_km.split()[: 1 + i % 2])
        else:  # Latin: the first word, or its first letters
            word = name_en.split()[0]
            q = word if i % 3 == 0 else word[: max(3, len(word) // 2)]
        params = {"q": q}
        if i % 5 == 0:
            params["province"] = f"{1 + i % 25:02d}"
        elif i % 7 == 0:
            params["status"] = "active"
        search.append("/api/v1/registry/businesses?" + urllib.parse.urlencode(params))
    certificates = list(Certificate.objects.values_list("pk", "payload"))
    return {
        "search API": search,
        "business page": business[: args.pages],
        "verify (QR URL)": [f"/verify/{pk}/?p={payload}" for pk, payload in certificates],
        "verify (id only)": [f"/verify/{pk}/" for pk, _payload in certificates],
    }


def start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "gunicorn", "singleportal.config.wsgi", "--workers",
         str(args.workers), "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning",
         "--backlog", "2048"],
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.registry_settings"},
        cwd=ROOT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/bench/bare/") as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not answer within 60 s")


def fetch(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    args: argparse.Namespace, family: list[str], folder: Path, seconds: int = 0
) -> dict[str, float]:
    """One wrk run over `family`'s paths: requests/s, p50 and p99 (ms), errors."""
    listing = folder / "paths.txt"
    listing.write_text("\n".join(family) + "\n")
    output = subprocess.run(  # noqa: S603
        [args.wrk, "-t1", f"-c{args.connections}", f"-d{seconds or args.seconds}s", "--latency",
         "-s", str(LUA), f"http://127.0.0.1:{args.port}"],
        env={**os.environ, "BENCH_PATHS": str(listing)}, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip

    def latency(label: str) -> float:
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        assert found, output
        return float(found.group(1)) * UNITS[found.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: (.*)", output)
    total = re.search(r"(\d+) requests in", output)
    assert rate and total, output
    return {
        "rps": float(rate.group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "requests": int(total.group(1)),
        "bad": int(bad.group(1)) if bad else 0,
        "socket": socket.group(1) if socket else "",
    }


def measure(args: argparse.Namespace, env: dict[str, str]) -> int:
    import redis

    families = {k: v for k, v in paths(args).items() if k in TARGETS}
    redis.Redis.from_url(args.redis).flushdb()
    server = start_server(args, env)
    results: dict[str, list[tuple[dict[str, float], dict[str, float]]]] = {f: [] for f in families}
    try:
        started = time.monotonic()
        for name, family in families.items():  # warm: each path once (fills the caches)
            statuses = [fetch(args.port, p) for p in family]
            wrong = [s for s in statuses if s != 200]
            if wrong:
                raise SystemExit(f"{name}: {len(wrong)} answers not 200, e.g. {wrong[:5]}")
        print(f"warmed every path once in {time.monotonic() - started:.1f} s "
              f"({', '.join(f'{n}: {len(f)}' for n, f in families.items())})",
              flush=True)  # fmt: skip
        with tempfile.TemporaryDirectory() as folder:
            # Warm-up, not counted: each worker process fills its own memory (business pages
            # are kept per process), and the load itself starts.
            wrk(args, ["/bench/bare/"], Path(folder))
            for family in families.values():
                wrk(args, family, Path(folder), seconds=args.warm_seconds)
            for round_number in range(1, args.rounds + 1):
                for name, family in families.items():
                    bare = wrk(args, ["/bench/bare/"], Path(folder))
                    page = wrk(args, family, Path(folder))
                    results[name].append((bare, page))
                    print(f"round {round_number} {name:<17} bare {bare['rps']:7.0f} req/s  "
                          f"{name} {page['rps']:7.0f} req/s  ratio {page['rps'] / bare['rps']:.2f}"
                          f"  p50 {page['p50']:.2f} ms  p99 {page['p99']:.2f} ms"
                          + (f"  NON-2xx {page['bad']}" if page["bad"] or bare["bad"] else "")
                          + (f"  socket errors {page['socket']}" if page["socket"] else ""),
                          flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)

    print()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print("| URL | req/s | p50 | p99 | bare req/s (same rounds) | ratio to bare | target |")
    print("|---|---|---|---|---|---|---|")
    met = True
    for name, pairs in results.items():
        rps = statistics.median(p["rps"] for _b, p in pairs)
        bare_rps = statistics.median(b["rps"] for b, _p in pairs)
        ratio = statistics.median(p["rps"] / b["rps"] for b, p in pairs)
        p50 = statistics.median(p["p50"] for _b, p in pairs)
        p99 = max(p["p99"] for _b, p in pairs)
        floor, p99_cap = TARGETS[name]
        ok = ratio >= floor and (p99_cap is None or p99 <= p99_cap)
        met &= ok
        target = f">= {floor}x" + (f", p99 <= {p99_cap:.0f} ms" if p99_cap else "")
        print(f"| {name} | {rps:,.0f} | {p50:.2f} ms | {p99:.2f} ms | {bare_rps:,.0f} | "
              f"{ratio:.2f}x | {target}: {'met' if ok else 'NOT MET'} |")  # fmt: skip
    bare_all = [b["rps"] for pairs in results.values() for b, _p in pairs]
    print(f"\nbare view over all rounds: median {statistics.median(bare_all):,.0f} req/s, "
          f"min {min(bare_all):,.0f}, max {max(bare_all):,.0f}")  # fmt: skip
    print(
        "(req/s and p50: median of the rounds; p99: worst round; ratio: median of each "
        "round's page / the bare run just before it)"
    )
    return 0 if met else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bench_registry")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "bench-registry"))
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--certificates", type=int, default=50)
    parser.add_argument("--pages", type=int, default=2000, help="business pages in the rotation")
    parser.add_argument("--queries", type=int, default=500, help="search queries in the rotation")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--warm-seconds", type=int, default=20, help="uncounted run per family")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--only", default="", help="comma-separated families to measure")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    args = parser.parse_args()

    data_dir = Path(args.data_dir)
    env = settings_env(args, data_dir)
    os.environ.update(env)
    import psycopg

    dbname = args.database.rsplit("/", 1)[1]
    with psycopg.connect(args.database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG off: the hashed manifest
    print(f"Single Portal registry load benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    server_version = connection.cursor().connection.info.server_version
    wrk_version = subprocess.run([args.wrk, "-v"], capture_output=True, text=True).stdout  # noqa: S603
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, PostgreSQL {server_version}, "
          f"{(wrk_version.splitlines() or ['wrk'])[0].split(' [')[0]}, "
          f"gunicorn {args.workers} sync workers, wrk 1 thread {args.connections} connections, "
          f"{args.seconds} s per run, {args.rounds} rounds")  # fmt: skip
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    if not args.skip_load:
        load(args)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_business")
        print(f"businesses in the database: {cursor.fetchone()[0]:,}", flush=True)
    if args.load_only:
        return 0
    connection.close()
    if args.only:
        keep = {name.strip() for name in args.only.split(",")}
        global TARGETS
        TARGETS = {k: v for k, v in TARGETS.items() if k in keep}
    return measure(args, env)


if __name__ == "__main__":
    sys.exit(main())
