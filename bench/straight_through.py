"""Benchmark of straight-through processing: clean private limited companies from submission to
registered with no human, in a real Celery worker on RabbitMQ and PostgreSQL.

    .venv/bin/python -m bench.straight_through --n 200

Uses its own database (default postgres://postgres@127.0.0.1:5432/singleportal_bench_st, created
if missing, migrated) and a RabbitMQ queue of its own (deleted at the end). Creates clean files
(each with names of its own, from several applicants) through the applications actions, starts
`celery worker --pool=prefork --concurrency=2` against that database, then measures:

  (a) one file at a time: each submitted alone, waited for until registered (the issue's
      target: under 10 seconds from submission to registered with the worker running);
  (b) a burst: N files submitted at once by several applicants (threads), all waited for;
      registrations per second, and each file's seconds under that load;
  (c) the baseline, in the same run: files decided in this process, synchronously, as the
      embedded default does with CELERY_TASK_ALWAYS_EAGER.

A file's end-to-end time runs from its submission's commit (taken in the submitting thread
when submit_application returns) to its `approved` ApplicationEvent (written by the worker).
For (c), where the decisions run inside the submitting call, it runs from the `submitted`
event (written just before that commit). Prints ratios against (a) and (c). Not part of the
test suite.
"""

import argparse
import io
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from typing import Any

RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
TARGET_SECONDS = 10.0
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def summary(label: str, seconds: list[float]) -> str:
    return (
        f"{label:<46} n={len(seconds):>4}  p50 {percentile(seconds, 50):6.2f} s  "
        f"p95 {percentile(seconds, 95):6.2f} s  max {max(seconds):6.2f} s  "
        f"mean {statistics.fmean(seconds):6.2f} s"
    )


class Names:
    """Pairs of (Khmer, Latin) names no two alike: two pseudo-words each, never reused."""

    def __init__(self, seed: int) -> None:
        from bench.names import vocabulary

        self.words = vocabulary(4000, random.Random(seed))
        random.Random(seed).shuffle(self.words)

    def take(self) -> tuple[str, str]:
        (latin_a, khmer_a), (latin_b, khmer_b) = self.words.pop(), self.words.pop()
        return f"{khmer_a} {khmer_b}", f"{latin_a.capitalize()} {latin_b.capitalize()} Co., Ltd."


def clean_company(user: Any, name_km: str, name_en: str, village: str) -> Any:
    """A private limited company every agency's rules approve (as tests/applications/helpers.py
    builds one)."""
    from singleportal.applications import actions

    app = actions.create_application(user, legal_form="private_limited_company")
    actions.save_names(app, user, name_km=name_km, name_en=name_en)
    actions.save_activities(app, user, objectives="Export Kampot pepper.", codes=["0128"])
    actions.save_address(app, user, village_code=village, street="Street 51", house_number="12")
    actions.save_contact(app, user, phone="012 345 678")
    actions.save_capital(app, user, capital_khr=4_000_000, share_count=1000)
    person = {"name_en": "", "nationality": "KH", "id_kind": "national_id"}
    for i in range(2):
        actions.add_party(app, user, role="shareholder", name_km=f"ម្ចាស់ {i}",
                          id_number=f"ID{i}", shares=500, **person)  # fmt: skip
        actions.add_beneficial_owner(app, user, name_km=f"ម្ចាស់ {i}", id_number=f"ID{i}",
                                     ownership_percent=50, **person)  # fmt: skip
    actions.add_party(app, user, role="director", name_km="នាយក", id_number="ID0", shares=None,
                      **person)  # fmt: skip
    actions.confirm_beneficial_owners(app, user, confirmed=True)
    actions.save_employment(app, user, khmer_staff=3, foreign_staff=0)
    actions.save_tax(app, user, expected_turnover_khr=100_000_000, vat_registration=False)
    actions.save_signboard(app, user, text_km="ម្រេច", width_cm=200, height_cm=80)
    for kind, content, name in (("identity", PDF, "id.pdf"), ("lease", PNG, "lease.png"),
                                ("articles", PDF, "articles.pdf")):  # fmt: skip
        actions.upload_document(app, user, kind=kind, file=io.BytesIO(content), name=name,
                                size=len(content))  # fmt: skip
    return app


def make_files(count: int, applicants: list[Any], names: Names, village: str) -> list[Any]:
    return [
        clean_company(applicants[i % len(applicants)], *names.take(), village) for i in range(count)
    ]


def submit(app: Any) -> datetime:
    """Submit as the owner; the moment the submission committed."""
    from django.utils import timezone

    from singleportal.applications import actions

    actions.submit_application(app, app.owner, declared_by_name=app.owner.full_name)
    return timezone.now()


def approved_at(app_ids: list[int]) -> dict[int, datetime]:
    from singleportal.applications.models import ApplicationEvent

    return dict(
        ApplicationEvent.objects.filter(
            application_id__in=app_ids, to_status="approved"
        ).values_list("application_id", "at")
    )


def wait_registered(app_ids: list[int], timeout: float) -> dict[int, datetime]:
    """Poll until every file is registered (or the time runs out); their approval times."""
    deadline = time.monotonic() + timeout
    while True:
        done = approved_at(app_ids)
        if len(done) == len(app_ids) or time.monotonic() > deadline:
            return done
        time.sleep(0.05)  # a poll interval, bounded by the deadline


def stuck(app_ids: list[int]) -> list[str]:
    """Files not registered: which task waits, and why."""
    from singleportal.agencies.models import Task

    out = []
    for task in Task.objects.filter(application_id__in=app_ids).exclude(status="approved"):
        failed = [c["rule"] for c in task.checks if not c["passed"]]
        out.append(f"{task.application_id} {task.agency.code} {task.status} {failed}")
    return out


def start_worker(env: dict[str, str], queue: str) -> tuple[subprocess.Popen, list[str]]:
    """The worker process on `queue`, once it says it is ready; what it says is kept (the pipe
    never fills) and shown if the run fails. `env` names the same queue in TASK_QUEUE, so its
    follow-up tasks (the next agency's decision) go to the queue it consumes."""
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "celery", "-A", "singleportal.config", "worker", "--pool=prefork",
         "--concurrency=2", "-Q", queue, "-l", "INFO", "--without-heartbeat", "--without-gossip",
         "--without-mingle"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    output: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in iter(process.stdout.readline, ""):
            output.append(line)
            if "ready." in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout=60):
        process.kill()
        raise SystemExit("the worker did not start:\n" + "".join(output))
    return process, output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="files in the burst (b)")
    parser.add_argument("--single", type=int, default=10, help="files submitted one by one (a)")
    parser.add_argument("--baseline", type=int, default=50, help="files decided in-process (c)")
    parser.add_argument("--applicants", type=int, default=8)
    parser.add_argument("--submitters", type=int, default=4, help="threads submitting (b)")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds to wait for (b)")
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/singleportal_bench_st"
    )
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="bench-st-")
    queue = f"bench-st-{uuid.uuid4().hex[:12]}"
    settings_env = {
        "DATABASE_URL": args.database,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "BROKER_URL": RABBITMQ,
        "TASK_QUEUE": queue,  # this process and the worker: a queue of the benchmark's own
        "SINGLEPORTAL_DATA_DIR": data_dir,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "singleportal.config.settings",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(settings_env)
    import psycopg

    dbname = args.database.rsplit("/", 1)[1]
    with psycopg.connect(args.database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from singleportal.accounts.models import Role, RoleAssignment, User
    from singleportal.applications.models import ApplicationEvent
    from singleportal.config.celery import app as celery_app
    from singleportal.geo.models import Village

    call_command("migrate", verbosity=0)
    celery_app.conf.task_always_eager = False
    print(f"Single Portal straight-through benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    server = connection.cursor().connection.info.server_version
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PostgreSQL {server}, RabbitMQ at {RABBITMQ}, "
        f"worker: prefork, concurrency 2"
    )

    run = uuid.uuid4().hex[:8]
    applicants = []
    for i in range(args.applicants):
        user = User.objects.create(
            username=f"bench-{run}-{i}@example.com", email=f"bench-{run}-{i}@example.com",
            full_name=f"Applicant {i}", verified_at=timezone.now(),
        )  # fmt: skip
        RoleAssignment.objects.create(user=user, role=Role.APPLICANT)
        applicants.append(user)
    names = Names(seed=int(run, 16))
    village = Village.objects.order_by("code").values_list("code", flat=True).first()
    started = time.monotonic()
    total = args.single + args.n + args.baseline
    singles = make_files(args.single + 1, applicants, names, village)  # +1: warm-up
    burst = make_files(args.n, applicants, names, village)
    baseline = make_files(args.baseline, applicants, names, village)
    print(f"created {total + 1} clean files from {len(applicants)} applicants in "
          f"{time.monotonic() - started:.1f} s")  # fmt: skip

    env = {**os.environ, **settings_env}
    worker, output = start_worker(env, queue)
    try:
        # (a) one at a time; the first warms the worker's processes (name indexes, imports).
        warm = singles.pop(0)
        submit(warm)
        wait_registered([warm.pk], 60)
        single_seconds = []
        for app in singles:
            committed = submit(app)
            done = wait_registered([app.pk], 60)
            if app.pk not in done:
                raise SystemExit(f"file {app.pk} not registered: {stuck([app.pk])}")
            single_seconds.append((done[app.pk] - committed).total_seconds())

        # (b) the burst, submitted by several applicants at once.
        committed_at: dict[int, datetime] = {}
        lock = threading.Lock()
        chunks = [burst[i :: args.submitters] for i in range(args.submitters)]

        def submit_chunk(chunk: list[Any]) -> None:
            try:
                for app in chunk:
                    moment = submit(app)
                    with lock:
                        committed_at[app.pk] = moment
            finally:
                connection.close()

        threads = [threading.Thread(target=submit_chunk, args=(c,)) for c in chunks]
        first_submit = timezone.now()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        submitted_in = (timezone.now() - first_submit).total_seconds()
        done = wait_registered([a.pk for a in burst], args.timeout)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        with celery_app.connection_for_write(RABBITMQ) as conn:
            conn.default_channel.queue_delete(queue)
    missing = [a.pk for a in burst if a.pk not in done]
    if missing:
        print(f"NOT REGISTERED within {args.timeout:.0f} s: {len(missing)} files")
        print("\n".join(stuck(missing)[:20]))
        print("".join(output[-30:]))
        return 1
    burst_seconds = [(done[pk] - committed_at[pk]).total_seconds() for pk in committed_at]
    burst_wall = (max(done.values()) - first_submit).total_seconds()
    burst_rate = len(burst) / burst_wall

    # (c) the baseline: decided in this process, synchronously, one file after another.
    celery_app.conf.task_always_eager = True
    started_at = timezone.now()
    for app in baseline:
        submit(app)
    eager_wall = (timezone.now() - started_at).total_seconds()
    eager_done = approved_at([a.pk for a in baseline])
    submitted = dict(
        ApplicationEvent.objects.filter(
            application_id__in=[a.pk for a in baseline], to_status="submitted"
        ).values_list("application_id", "at")
    )
    assert len(eager_done) == len(baseline), stuck([a.pk for a in baseline])
    eager_seconds = [(eager_done[pk] - submitted[pk]).total_seconds() for pk in eager_done]
    eager_rate = len(baseline) / eager_wall

    print()
    print(summary("(a) one file at a time, worker", single_seconds))
    print(summary(f"(b) burst of {len(burst)}, {args.submitters} submitting threads, worker",
                  burst_seconds))  # fmt: skip
    print(summary("(c) baseline: in-process, eager, one by one", eager_seconds))
    print()
    print(f"(b) {len(burst)} files submitted in {submitted_in:.1f} s, all registered "
          f"{burst_wall:.1f} s after the first submission: "
          f"{burst_rate:.1f} registrations/s")  # fmt: skip
    print(f"(c) {len(baseline)} files in {eager_wall:.1f} s (submission included): "
          f"{eager_rate:.1f} registrations/s")  # fmt: skip
    print(f"ratios: worker burst / in-process registrations per second = "
          f"{burst_rate / eager_rate:.2f}; "
          f"p50 (a) one at a time / (c) in-process = "
          f"{percentile(single_seconds, 50) / percentile(eager_seconds, 50):.2f}; "
          f"p50 (b) burst / (a) one at a time = "
          f"{percentile(burst_seconds, 50) / percentile(single_seconds, 50):.1f}")  # fmt: skip
    worst = max(single_seconds)
    verdict = "MET" if worst < TARGET_SECONDS else "NOT MET"
    print(f"target (issue 6): a clean company from submission to registered with no human in "
          f"under {TARGET_SECONDS:.0f} s with the worker running: {verdict} "
          f"(slowest file alone {worst:.2f} s; slowest in the burst "
          f"{max(burst_seconds):.2f} s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
