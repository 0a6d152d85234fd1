"""Straight-through processing in a real Celery worker on the real RabbitMQ: a clean private
limited company goes from submitted to registered with no human, well inside the issue's ten
seconds, the applicant is told and each record gets its certificate."""

import time

import pytest

from singleportal.agencies.models import TaskDecision, TaskStatus
from singleportal.applications.models import Application, Status
from singleportal.certificates.keys import write_new_key
from singleportal.certificates.models import Certificate
from singleportal.registry.entries import is_valid_tin
from singleportal.registry.models import Business
from tests.agencies.flow import filed, statuses, submit
from tests.worker import running_worker, serving, wait_until

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgres,  # the worker must share the test database with this process
    pytest.mark.django_db(transaction=True),
]

TARGET = 10  # seconds from submission to registered (the issue)


@pytest.fixture(scope="module")
def worker(tmp_path_factory, django_db_setup):
    """A worker of two processes, as in production, for this module's tests, with a
    certificate signing key as in production."""
    tmp_path = tmp_path_factory.mktemp("worker")
    key = tmp_path / "signing.pem"
    write_new_key(key)
    env = {"CERTIFICATE_SIGNING_KEY_FILE": str(key)}
    with running_worker(tmp_path, pool="prefork", concurrency=2, env=env) as started:
        yield started


@pytest.fixture
def on_worker(worker, _test_settings):
    """This test's tasks go to the worker's queue on RabbitMQ instead of running here."""
    with serving(worker):
        yield worker


def test_a_clean_company_is_registered_by_the_worker_with_no_human(on_worker):
    app = filed()
    started = time.monotonic()
    submit(app)  # the first task is queued when the submission commits

    def registered() -> bool:
        return Application.objects.filter(pk=app.pk, status=Status.APPROVED).exists()

    wait_until(registered, "registration", on_worker)
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
        mail_dir = on_worker.mail_dir
        return mail_dir.exists() and any(
            app.owner.email in f.read_text() for f in mail_dir.iterdir()
        )

    wait_until(told, "the applicant's message", on_worker)

    certified = Certificate.objects.filter(business=business)
    wait_until(lambda: certified.count() == 5, "the certificates of the records", on_worker)
    assert set(certified.values_list("kind", flat=True)) == set(
        business.records.values_list("kind", flat=True)
    )


def test_a_file_with_foreign_staff_is_left_at_mlvt_by_the_worker(on_worker):
    app = filed(foreign_staff=1)
    submit(app)

    def others_done() -> bool:
        done = statuses(app)
        return done.get("MOI") == done.get("GDT") == TaskStatus.APPROVED

    wait_until(others_done, "the other agencies' approval", on_worker)
    # MLVT opened with GDT and MOI and was looked at in the same round.
    looked_at = app.tasks.filter(agency__code="MLVT").exclude(checks=[])
    wait_until(looked_at.exists, "MLVT's checks", on_worker)
    assert statuses(app)["MLVT"] == TaskStatus.OPEN
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
