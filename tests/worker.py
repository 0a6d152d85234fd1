"""A real Celery worker on the real RabbitMQ, for the broker stage's tests.

Not a conftest: the modules that start a worker import what they need from here. Each worker
consumes a queue of its own (TASK_QUEUE and `-Q`), so its follow-up tasks never go to a queue
that another worker on the same RabbitMQ takes, and the queue is deleted when it stops.
"""

import os
import re
import select
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection

from singleportal.config.celery import app as celery_app

RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
WAIT = 60  # seconds; a bound, not a pause: each wait ends as soon as its condition holds
LOOK = 0.02  # seconds between two looks at a condition
# Celery's INFO line on each step of a task: received, then one of the others.
TASK_STEP = re.compile(
    r"Task [\w.]+\[(?P<id>[0-9a-f-]+)\] "
    r"(?P<step>received|succeeded|raised|failed|retry|ignored|rejected)"
)


class WorkerOutput:
    """What a worker process says, read by a thread of its own so that its pipe never fills;
    kept for failure messages."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self.ended = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        try:
            for line in iter(process.stdout.readline, ""):
                with self._changed:
                    self.lines.append(line)
                    self._changed.notify_all()
        finally:
            with self._changed:
                self.ended = True
                self._changed.notify_all()

    def wait_for_line(self, needle: str) -> None:
        """Until the worker says `needle`; fail with what it said if it stops first or WAIT
        runs out."""
        with self._changed:
            self._changed.wait_for(lambda: self.ended or self.said(needle), timeout=WAIT)
        if not self.said(needle):
            raise AssertionError(f"the worker did not say {needle!r}:\n{self.tail(200)}")

    def said(self, needle: str) -> bool:
        return any(needle in line for line in self.lines)

    def unfinished(self) -> set[str]:
        """The ids of tasks received and not yet ended (a retried task is received again)."""
        taken: set[str] = set()
        with self._changed:
            lines = list(self.lines)
        for line in lines:
            if found := TASK_STEP.search(line):
                if found["step"] == "received":
                    taken.add(found["id"])
                else:
                    taken.discard(found["id"])
        return taken

    def tail(self, count: int = 40) -> str:
        return "".join(self.lines[-count:])

    def join(self, timeout: float) -> None:
        self._thread.join(timeout=timeout)


def new_queue() -> str:
    return f"test-{uuid.uuid4().hex}"


class Worker(NamedTuple):
    queue: str
    mail_dir: Path
    output: WorkerOutput


def database_url() -> str:
    """The test database, for the worker's DATABASE_URL (the worker must share it)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextmanager
def running_worker(
    tmp_path: Path,
    *,
    pool: str = "solo",
    concurrency: int = 1,
    queue: str = "",
    env: dict[str, str] | None = None,
) -> Iterator[Worker]:
    """A worker on the test database and a queue of its own (`queue`, or a new one), ready;
    its email goes to files in tmp_path/"mail"; `env` adds to its environment. Stopped warm on
    exit (the tests waited for their tasks)."""
    queue = queue or new_queue()
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "BROKER_URL": RABBITMQ,
        "TASK_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SINGLEPORTAL_DATA_DIR": str(tmp_path / "var"),
        **(env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "singleportal.config", "worker", f"--pool={pool}",
         f"--concurrency={concurrency}", "-Q", queue, "-l", "INFO", "--without-heartbeat",
         "--without-gossip", "--without-mingle"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    output = WorkerOutput(process)
    try:
        output.wait_for_line("ready.")
        yield Worker(queue, mail_dir, output)
    finally:
        process.terminate()  # warm shutdown
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        output.join(timeout=30)
        with celery_app.connection_for_write(RABBITMQ) as conn:
            conn.default_channel.queue_delete(queue)


def use_broker(**conf: Any) -> None:
    """Update the app's configuration and forget its connection and producer pools. They are
    made on first use, from the broker of that moment, and an eager task makes them too (celery
    acquires a producer even then): earlier tests of the session made them for the tests'
    broker, so start afresh."""
    celery_app.conf.update(**conf)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def sending_to(queue: str) -> Iterator[None]:
    """This process's tasks go to `queue` on RabbitMQ instead of running here; as before after."""
    conf = celery_app.conf
    saved = {
        "task_always_eager": conf.task_always_eager,
        "broker_url": conf.broker_url,
        "task_default_queue": conf.task_default_queue,
    }
    use_broker(task_always_eager=False, broker_url=RABBITMQ, task_default_queue=queue)
    try:
        yield
    finally:
        use_broker(**saved)


@contextmanager
def serving(worker: Worker) -> Iterator[Worker]:
    """This test's tasks go to the worker's queue on RabbitMQ instead of running here. On exit,
    waits until the worker is idle: a follow-up task still writing while the next test empties
    the database deadlocks with it."""
    with sending_to(worker.queue):
        try:
            yield worker
        finally:
            wait_idle(worker)


def wait_idle(worker: Worker) -> None:
    """Until the worker has ended every task it received and none waits in its queue, through
    five looks in a row: a task published by another one as it ends takes a moment to arrive."""
    with celery_app.connection_for_write(RABBITMQ) as conn:
        channel = conn.default_channel

        def idle() -> bool:
            waiting = channel.queue_declare(worker.queue, passive=True).message_count
            return not waiting and not worker.output.unfinished()

        looks = 0

        def settled() -> bool:
            nonlocal looks
            looks = looks + 1 if idle() else 0
            return looks >= 5

        wait_until(settled, "the worker's last tasks", worker)


def wait_until(condition: Callable[[], Any], what: str, worker: Worker) -> float:
    """Seconds until `condition()` held, looking every LOOK seconds at most; fail with what
    the worker said if it does not within WAIT seconds."""
    started = time.monotonic()
    while time.monotonic() - started < WAIT:
        if condition():
            return time.monotonic() - started
        select.select([], [], [], LOOK)  # yield to the worker between looks
    raise AssertionError(
        f"{what} did not happen within {WAIT}s; the worker said:\n{worker.output.tail()}"
    )
