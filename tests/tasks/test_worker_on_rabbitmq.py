"""A real Celery worker on the real RabbitMQ: work enqueued on commit runs exactly once, and
work enqueued in a rolled-back transaction never runs."""

from pathlib import Path

import pytest
from django.db import transaction

from singleportal.accounts import actions
from singleportal.accounts.models import OneTimeCode, User
from singleportal.accounts.tasks import deliver_code
from tests.worker import Worker, running_worker, serving, wait_until

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgres,  # the worker must share the test database with this process
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def worker(tmp_path_factory, django_db_setup):
    """One worker process, taking one message at a time, for this module's tests."""
    with running_worker(tmp_path_factory.mktemp("worker")) as started:
        yield started


@pytest.fixture
def on_worker(worker, _test_settings):
    """This test's tasks go to the worker's queue on RabbitMQ instead of running here."""
    with serving(worker):
        yield worker


def _wait_until_delivered(worker: Worker, user: User) -> None:
    code = OneTimeCode.objects.get(user=user)
    delivered = OneTimeCode.objects.filter(pk=code.pk, sent_at__isnull=False)
    wait_until(delivered.exists, f"delivery of {user.email}'s code", worker)


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


def test_task_enqueued_on_commit_runs_exactly_once(on_worker):
    user = _sign_up("once@example.com")
    _wait_until_delivered(on_worker, user)
    # The broker redelivers a message (a worker crashed after sending, say): nothing is doubled.
    deliver_code.delay(OneTimeCode.objects.get(user=user).pk)
    _wait_until_delivered(on_worker, _sign_up("barrier@example.com"))
    assert _messages_to(on_worker.mail_dir, "once@example.com") == 1


def test_task_enqueued_in_a_rolled_back_transaction_never_runs(on_worker):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        _sign_up("rolled-back@example.com")
        raise Abort
    assert not User.objects.filter(email="rolled-back@example.com").exists()
    # One queue, one worker taking one message at a time: once a task enqueued afterwards has
    # run, anything enqueued before it has run too.
    _wait_until_delivered(on_worker, _sign_up("after@example.com"))
    assert _messages_to(on_worker.mail_dir, "rolled-back@example.com") == 0
    assert _messages_to(on_worker.mail_dir, "after@example.com") == 1
