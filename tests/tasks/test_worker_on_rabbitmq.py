"""A real Celery worker on the real RabbitMQ: work enqueued on commit runs exactly once, and
work enqueued in a rolled-back transaction never runs."""

import os
import select
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from singleportal.accounts import actions
from singleportal.accounts.models import OneTimeCode, User
from singleportal.accounts.tasks import deliver_code
from singleportal.config.celery import app as celery_app

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgres,  # the worker must share the test database with this process
    pytest.mark.django_db(transaction=True),
]

RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
WAIT = 60  # seconds; a bound, not a pause: each wait ends as soon as its condition holds


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(scope="module")
def worker(tmp_path_factory, django_db_setup, django_db_blocker):
    """Start a worker on a queue of this module's own and wait until it says it is ready."""
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
        [sys.executable, "-m", "celery", "-A", "singleportal.config", "worker",
         "--pool=solo", "-Q", queue, "-l", "INFO", "--without-heartbeat",
         "--without-gossip", "--without-mingle"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    _wait_for_line(process, "ready.")
    try:
        yield queue, mail_dir
    finally:
        process.kill()  # nothing to finish: every test waited for its own tasks
        process.wait(timeout=30)
        with celery_app.connection_for_write(RABBITMQ) as conn:
            conn.default_channel.queue_delete(queue)


@pytest.fixture
def mail_dir(worker, _test_settings):
    """Send this test's tasks to the worker's queue on RabbitMQ instead of running them here."""
    queue, mail_dir = worker
    saved = (celery_app.conf.broker_url, celery_app.conf.task_default_queue)
    celery_app.conf.update(task_always_eager=False, broker_url=RABBITMQ, task_default_queue=queue)
    yield mail_dir
    celery_app.conf.update(task_always_eager=True, broker_url=saved[0], task_default_queue=saved[1])


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


def _wait_until_delivered(code_id: int) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if OneTimeCode.objects.filter(pk=code_id, sent_at__isnull=False).exists():
            return
        select.select([], [], [], 0.05)  # yield to the worker between looks
    raise AssertionError(f"code {code_id} was not delivered within {WAIT}s")


def _messages_to(mail_dir: Path, address: str) -> int:
    if not mail_dir.exists():
        return 0
    return sum(address in f.read_text() for f in mail_dir.iterdir())


def _sign_up(email: str) -> User:
    return actions.sign_up(
        identifier=email,
        full_name="Worker Test",
        password="Angkor-Wat-1113",
        preferred_language="en",
    )


def test_task_enqueued_on_commit_runs_exactly_once(mail_dir):
    user = _sign_up("once@example.com")
    code = OneTimeCode.objects.get(user=user)
    _wait_until_delivered(code.pk)
    # The broker redelivers a message (a worker crashed after sending, say): nothing is doubled.
    deliver_code.delay(code.pk)
    barrier = _sign_up("barrier@example.com")
    _wait_until_delivered(OneTimeCode.objects.get(user=barrier).pk)
    assert _messages_to(mail_dir, "once@example.com") == 1


def test_task_enqueued_in_a_rolled_back_transaction_never_runs(mail_dir):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        _sign_up("rolled-back@example.com")
        raise Abort
    assert not User.objects.filter(email="rolled-back@example.com").exists()
    # One queue, one worker taking one message at a time: once a task enqueued afterwards has
    # run, anything enqueued before it has run too.
    barrier = _sign_up("after@example.com")
    _wait_until_delivered(OneTimeCode.objects.get(user=barrier).pk)
    assert _messages_to(mail_dir, "rolled-back@example.com") == 0
    assert _messages_to(mail_dir, "after@example.com") == 1
