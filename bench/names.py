"""Benchmark of the name check over N generated registered businesses (PostgreSQL).

    .venv/bin/python -m bench.names --n 100000
    .venv/bin/python -m bench.names --n 1000000

Uses its own database (default postgres://postgres@127.0.0.1:5432/singleportal_bench, created
if missing). Generates N Khmer + Latin names (20,000+ distinctive words with Zipf-like
frequencies, descriptive words in most names, legal suffixes, near-duplicates), imports them
with `import_registry` (COPY), then over the same queries measures:

  (a) the naive baseline: WHERE name % q ORDER BY similarity(name, q) DESC LIMIT 10 with a GIN
      trigram index on the whole name, at thresholds 0.6 and 0.3;
  (b) the project's check endpoint (GET /api/v1/names/check through Django's full stack);
  (c) recall@10 of (b) against an exhaustive similarity ranking (sequential scan) of the same
      score on a sample of queries.

Prints ratios against the baseline measured in the same run. Not part of the test suite.
"""

import argparse
import gc
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

SYLLABLES = [
    "ang", "kor", "bay", "on", "me", "kong", "ta", "pro", "hm", "sok", "cha", "na", "ra", "vi",
    "mon", "dy", "lek", "ke", "pha", "sam", "nang", "sr", "ey", "ch", "an", "tha", "rith",
    "vuth", "pis", "eth", "ny", "mol", "kun", "lim", "heng", "ly", "rat", "bo", "ka", "li",
    "so", "va", "chen", "ni", "da",
]  # fmt: skip
DESCRIPTIVE = ["Trading", "Construction", "Services", "Import Export", "Handicraft",
               "Manufacturing", "Travel", "Development", "Investment", "Logistics",
               "Engineering", "Real Estate", "Supply", "Agriculture", "Technology"]  # fmt: skip
LEGAL = ["Co., Ltd.", "Co., Ltd", "Company Limited", "SMC Co., Ltd.", "Enterprise", "PLC",
         "Ltd.", "Limited", "(Cambodia) Co., Ltd.", ""]  # fmt: skip
KM_CONSONANTS = [chr(c) for c in range(0x1780, 0x17A3)]
KM_VOWELS = ["\u17b6", "\u17b7", "\u17b8", "\u17bb", "\u17bc", "\u17c1", "\u17c4", "\u17c2", ""]
KM_FINALS = ["", "", "\u1784", "\u1793", "\u1798", "\u179b", "\u17cb", "\u179f"]
KM_DESCRIPTIVE = ["ពាណិជ្ជកម្ម", "សំណង់", "សេវាកម្ម", "នាំចេញនាំចូល", "សិប្បកម្ម", "ផលិតកម្ម",
                  "ទេសចរណ៍", "អភិវឌ្ឍន៍", "វិនិយោគ", "ដឹកជញ្ជូន"]  # fmt: skip
KM_LEGAL = [("ក្រុមហ៊ុន", "ឯ.ក"), ("ក្រុមហ៊ុន", "ឯកជន ទទួលខុសត្រូវមានកម្រិត"), ("សហគ្រាស", ""),
            ("ក្រុមហ៊ុន", "ម.ក"), ("", "")]  # fmt: skip
FORMS = ["private_limited_company", "single_member_private_limited_company",
         "sole_proprietorship", "public_limited_company"]  # fmt: skip


def vocabulary(size: int, generator: random.Random) -> list[tuple[str, str]]:
    """`size` distinct (Latin, Khmer) pseudo-words."""
    words: dict[str, str] = {}
    while len(words) < size:
        latin = "".join(generator.choice(SYLLABLES) for _ in range(generator.choice([2, 2, 3])))
        if latin in words or len(latin) < 4:
            continue
        khmer = "".join(
            generator.choice(KM_CONSONANTS)
            + (("\u17d2" + generator.choice(KM_CONSONANTS)) if generator.random() < 0.2 else "")
            + generator.choice(KM_VOWELS)
            + generator.choice(KM_FINALS)
            for _ in range(generator.choice([2, 2, 3]))
        )
        words[latin] = khmer
    return list(words.items())


def typo(word: str, generator: random.Random) -> str:
    if len(word) < 5:
        return word + "s"
    i = generator.randrange(1, len(word) - 1)
    kind = generator.random()
    if kind < 0.4:
        return word[:i] + word[i + 1 :]
    if kind < 0.8:
        return word[:i] + generator.choice("aeiounrst") + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


class Generator:
    def __init__(self, seed: int = 4, vocab_size: int = 20000) -> None:
        self.random = random.Random(seed)
        self.vocab = vocabulary(vocab_size, self.random)
        weights = [1 / (rank + 1) ** 1.0 for rank in range(vocab_size)]
        total = 0.0
        self.cumulative = []
        for w in weights:
            total += w
            self.cumulative.append(total)

    def words(self, count: int) -> list[tuple[str, str]]:
        return self.random.choices(self.vocab, cum_weights=self.cumulative, k=count)

    def name(self, words: list[tuple[str, str]] | None = None) -> tuple[str, str, str]:
        r = self.random
        words = words or self.words(r.choice([1, 2, 2, 2, 3]))
        latin = [w[0].capitalize() for w in words]
        khmer = [w[1] for w in words]
        if r.random() < 0.8:
            d = r.randrange(len(DESCRIPTIVE))
            latin.append(DESCRIPTIVE[d])
            khmer.insert(0, KM_DESCRIPTIVE[d % len(KM_DESCRIPTIVE)])
        prefix, suffix = r.choice(KM_LEGAL)
        name_en = " ".join([*latin, r.choice(LEGAL)]).strip()
        name_km = " ".join(p for p in [prefix, *khmer, suffix] if p)
        return name_en, name_km, r.choice(FORMS)


def write_csv(path: Path, n: int, generator: Generator) -> list[str]:
    import csv

    names: list[str] = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["registration_number", "name_km", "name_en", "legal_form", "status",
                         "registered_on", "province_code"])  # fmt: skip
        r = generator.random
        for i in range(n):
            if names and r.random() < 0.05:  # near-duplicate of an earlier name
                base = names[r.randrange(len(names))].split()
                base[0] = typo(base[0].lower(), r).capitalize()
                name_en, name_km, form = " ".join(base), generator.name()[1], r.choice(FORMS)
            else:
                name_en, name_km, form = generator.name()
            names.append(name_en)
            status = "active" if r.random() < 0.9 else r.choice(["dissolved", "suspended"])
            writer.writerow([f"{i + 1:08d}", name_km, name_en, form, status,
                             f"{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                             f"{1 + i % 25:02d}"])  # fmt: skip
    return names


def queries(generator: Generator, names: list[str], count: int) -> list[str]:
    r = random.Random(11)
    out = []
    for i in range(count):
        kind = i % 10
        if kind < 4:  # a registered name with a typo in its distinctive word
            words = r.choice(names).split()
            words[0] = typo(words[0].lower(), r).capitalize()
            out.append(" ".join(words))
        elif kind < 7:  # registered distinctive words, other descriptive words and suffix
            base = r.choice(names).split()
            distinct = [w for w in base if w not in " ".join(DESCRIPTIVE + LEGAL)][:2]
            out.append(" ".join([*distinct, r.choice(DESCRIPTIVE), "Co., Ltd."]))
        else:  # a new combination
            out.append(generator.name()[0])
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def summary(label: str, ms: list[float]) -> str:
    return (
        f"{label:<44} n={len(ms):>4}  p50 {percentile(ms, 50):8.2f} ms  "
        f"p95 {percentile(ms, 95):8.2f} ms  p99 {percentile(ms, 99):8.2f} ms  "
        f"mean {statistics.fmean(ms):8.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--recall-sample", type=int, default=100)
    parser.add_argument(
        "--baseline-low-queries",
        type=int,
        default=0,
        help="queries for the 0.3 baseline (default: all at <=100k, 50 above)",
    )
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/singleportal_bench"
    )
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "singleportal.config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import psycopg

    dbname = args.database.rsplit("/", 1)[1]
    with psycopg.connect(args.database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from singleportal.names import search
    from singleportal.names.normalization import LATIN
    from singleportal.names.rules import current_rules
    from singleportal.registry.models import NAME_HOLDING_STATUSES

    settings.NAMES_CHECK_RATE = "100000000/1"
    call_command("migrate", verbosity=0)
    print(f"Single Portal name benchmark, N = {args.n:,}, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    server = connection.cursor().connection.info.server_version
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PostgreSQL {server}"
    )
    generator = Generator()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.csv"
        started = time.monotonic()
        names = write_csv(path, args.n, generator)
        print(f"generated {args.n:,} rows ({len(generator.vocab):,} distinctive words, Zipf s=1)"
              f" in {time.monotonic() - started:.1f} s")  # fmt: skip
        if not args.skip_import:
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE registry_business")
            started = time.monotonic()
            call_command("import_registry", str(path), "--quiet-progress", "--batch-size", "50000")
            print(f"import_registry (COPY): {time.monotonic() - started:.1f} s")
    with connection.cursor() as cursor:
        started = time.monotonic()
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS bench_naive_name_en_trgm "
            "ON registry_business USING gin (name_en gin_trgm_ops)"
        )
        cursor.execute("ANALYZE registry_business")
        print(f"baseline GIN index on the whole name: {time.monotonic() - started:.1f} s")

    qs = queries(generator, names, args.queries)
    client = Client()

    def naive(q: str, threshold: float) -> float:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                           [str(threshold)])  # fmt: skip
            cursor.execute(
                "SELECT registration_number, similarity(name_en, %s) AS s FROM registry_business "
                "WHERE name_en %% %s ORDER BY s DESC LIMIT 10",
                [q, q],
            )
            cursor.fetchall()
            return (time.perf_counter() - started) * 1000

    def endpoint(q: str) -> tuple[float, dict]:
        started = time.perf_counter()
        response = client.get("/api/v1/names/check", {"name": q, "lang": "en"})
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code in (200, 422), response.content
        return elapsed, response.json()

    started = time.monotonic()
    endpoint(qs[0])  # the first check of a process builds its index
    index = search._indexes[(connection.alias, LATIN)].index
    held = sum(a.nbytes for a in (index.ids, index.sizes, index.postings, index.starts))
    print(f"first check (builds the Latin in-process index of {len(index):,} keys): "
          f"{time.monotonic() - started:.1f} s, arrays {held / 2**20:.0f} MB")  # fmt: skip
    for q in qs[:20]:  # warm caches alike for both
        naive(q, 0.6)
        endpoint(q)
    gc.freeze()  # as the WSGI entry point does (config/wsgi.py)
    base_high = [naive(q, 0.6) for q in qs]
    low_count = args.baseline_low_queries or (len(qs) if args.n <= 100_000 else 50)
    base_low = [naive(q, 0.3) for q in qs[:low_count]]
    ours: list[float] = []
    answers: dict[str, dict] = {}
    for q in qs:
        elapsed, body = endpoint(q)
        ours.append(elapsed)
        answers[q] = body
    print()
    print(summary("(a) naive baseline, threshold 0.6", base_high))
    print(summary("(a) naive baseline, threshold 0.3", base_low))
    print(summary("(b) check endpoint (full HTTP stack)", ours))
    p95 = percentile(ours, 95)
    print(f"    p95 ratio: baseline 0.6 / endpoint = {percentile(base_high, 95) / p95:.1f}x, "
          f"baseline 0.3 / endpoint = {percentile(base_low, 95) / p95:.1f}x")  # fmt: skip

    # (c) recall@10 against an exhaustive ranking of the same score (sequential scan).
    rules = current_rules()
    threshold = rules.threshold(LATIN)
    sample = random.Random(5).sample(qs, min(args.recall_sample, len(qs)))
    recalls, with_truth = [], 0
    for q in sample:
        body = answers[q]
        if "conflicts" not in body:
            continue
        normalized = rules.normalize(q, LATIN)
        with connection.cursor() as cursor:
            cursor.execute("SET enable_bitmapscan = off")
            cursor.execute("SET enable_indexscan = off")
            cursor.execute(
                "SELECT registration_number, similarity(name_en_key, %s) AS s "
                "FROM registry_business WHERE status = ANY(%s) AND name_en_normalized <> %s "
                "ORDER BY s DESC, registration_number LIMIT 10",
                [normalized.key, list(NAME_HOLDING_STATUSES), normalized.normalized],
            )
            truth_rows = [(n, s) for n, s in cursor.fetchall() if s >= threshold]
            cursor.execute("RESET enable_bitmapscan")
            cursor.execute("RESET enable_indexscan")
        got = {c["registration_number"] for c in body["conflicts"] if c["kind"] == "similar"}
        if not truth_rows:
            recalls.append(1.0)  # nothing similar exists; extra answers cannot lower recall
            continue
        with_truth += 1
        # Ties at the 10th score may be returned in either order: count a returned row with the
        # same score as the 10th true row as a hit.
        tenth = truth_rows[-1][1]
        hits = sum(1 for n, s in truth_rows if n in got or (s == tenth and len(got) >= 10))
        recalls.append(hits / len(truth_rows))
    print(f"(c) recall@10 vs exhaustive ranking (similarity >= {threshold} of the distinctive "
          f"key): {statistics.fmean(recalls):.3f} over {len(recalls)} queries "
          f"({with_truth} with at least one similar name)")  # fmt: skip
    found = sum(1 for b in answers.values() if b.get("conflicts"))
    print(f"queries with any conflict: {found}/{len(qs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
