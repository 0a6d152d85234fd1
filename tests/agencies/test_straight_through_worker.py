"""Straight-through processing in a real Celery worker on the real RabbitMQ: a clean private
limited company goes from submitted to registered with no human, well inside the issue's ten
seconds, and the applicant is told."""

import os
import select
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from singleportal.agencies.models import TaskDecision, TaskStatus
from singleportal.applications.models import Application, Status
from singleportal.config.celery import app as celery_app
from singleportal.registry.entries import is_valid_tin
from singleportal.registry.models import Business
from tests.agencies.flow import filed, statuses, submit

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgres,  # the worker must share the test database with this process
    pytest.mark.django_db(transaction=True),
]

RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
WAIT = 60  # seconds; a bound, not a pause: each wait ends as soon as its condition holds
TARGET = 10  # seconds from submission to registered (the issue)
WORKER_OUTPUT: list[list[str]] = []
# `celery worker` whose own follow-up tasks (the next agency's decision) go to the queue it
# consumes, not to the default one that another worker on the same RabbitMQ might take.
WORKER = (
    "import sys; from singleportal.config.celery import app; "
    "app.conf.task_default_queue = sys.argv[1]; app.worker_main(sys.argv[2:])"
)


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _wait_for_line(process: subprocess.Popen, needle: str) -> None:
    deadline = time.monotonic() + WAIT
    assert process.stdout is not None
    seen = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
        if not ready:
            break
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return
    raise AssertionError("worker did not start:\n" + "".join(seen))


@pytest.fixture(scope="module")
def worker(tmp_path_factory, django_db_setup, django_db_blocker):
    """A worker of two processes, as in production, on a queue of this module's own."""
    tmp_path = tmp_path_factory.mktemp("worker")
    with django_db_blocker.unblock():
        url = database_url()
    queue = f"test-{uuid.uuid4().hex}"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": settings.SECRET_KEY,
        "BROKER_URL": RABBITMQ,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SINGLEPORTAL_DATA_DIR": str(tmp_path / "var"),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, queue, "worker", "--pool=prefork", "--concurrency=2",
         "-Q", queue, "-l", "INFO", "--without-heartbeat", "--without-gossip",
         "--without-mingle"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    _wait_for_line(process, "ready.")
    # Keep reading what the worker says, so that its pipe never fills; failures show it.
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(iter(process.stdout.readline, "")))
    reader.start()
    WORKER_OUTPUT[:] = [output]
    try:
        yield queue, mail_dir
    finally:
        process.terminate()  # warm shutdown: the test waited for its tasks
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        reader.join(timeout=30)
        with celery_app.connection_for_write(RABBITMQ) as conn:
            conn.default_channel.queue_delete(queue)


def _use_broker(**conf) -> None:
    """Switch the app's broker. The connection and producer pools are made on first use, from
    the broker of that moment, and an eager task makes them too (celery acquires a producer even
    then): earlier tests of the session have made them for the tests' broker, so start afresh."""
    celery_app.conf.update(**conf)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def mail_dir(worker, _test_settings):
    """Send this test's tasks to the worker's queue on RabbitMQ instead of running them here."""
    queue, mail_dir = worker
    saved = (celery_app.conf.broker_url, celery_app.conf.task_default_queue)
    _use_broker(task_always_eager=False, broker_url=RABBITMQ, task_default_queue=queue)
    yield mail_dir
    _use_broker(task_always_eager=True, broker_url=saved[0], task_default_queue=saved[1])


def _wait_until(condition, what: str) -> float:
    """Seconds until `condition()` held, looking every 20 ms at most."""
    started = time.monotonic()
    while time.monotonic() - started < WAIT:
        if condition():
            return time.monotonic() - started
        select.select([], [], [], 0.02)  # yield to the worker between looks
    said = "".join(WORKER_OUTPUT[0][-40:]) if WORKER_OUTPUT else ""
    raise AssertionError(f"{what} did not happen within {WAIT}s; the worker said:\n{said}")


def test_a_clean_company_is_registered_by_the_worker_with_no_human(mail_dir):
    app = filed()
    started = time.monotonic()
    submit(app)  # the first task is queued when the submission commits

    def registered() -> bool:
        return Application.objects.filter(pk=app.pk, status=Status.APPROVED).exists()

    _wait_until(registered, "registration")
    elapsed = time.monotonic() - started

    assert elapsed < TARGET, f"{elapsed:.1f} s from submission to registered"
    assert statuses(app) == dict.fromkeys(["MEF", "MOC", "GDT", "MLVT", "MOI"], "approved")
    approvals = TaskDecision.objects.filter(task__application=app, to_status=TaskStatus.APPROVED)
    assert approvals.count() == 5
    assert not approvals.filter(actor__isnull=False).exists()
    assert all(a.rule for a in approvals)
    business = Business.objects.get(application_reference=app.reference)
    assert is_valid_tin(business.tin)
    assert business.records.count() == 5  # registration, TIN, patent tax, MLVT, MOI

    def told() -> bool:
        return mail_dir.exists() and any(
            app.owner.email in f.read_text() for f in mail_dir.iterdir()
        )

    _wait_until(told, "the applicant's message")


def test_a_file_with_foreign_staff_is_left_at_mlvt_by_the_worker(mail_dir):
    app = filed(foreign_staff=1)
    submit(app)

    def others_done() -> bool:
        done = statuses(app)
        return done.get("MOI") == done.get("GDT") == TaskStatus.APPROVED

    _wait_until(others_done, "the other agencies' approval")
    # MLVT opened with GDT and MOI and was looked at in the same round.
    _wait_until(lambda: bool(
        app.tasks.filter(agency__code="MLVT").exclude(checks=[]).exists()
    ), "MLVT's checks")  # fmt: skip
    assert statuses(app)["MLVT"] == TaskStatus.OPEN
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
