"""Applicants submit at the same moment: reference numbers come out consecutive, with no
duplicate and no gap, and a submission that is rolled back gives its number back."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from singleportal.applications import actions, hooks
from singleportal.applications.models import Application
from singleportal.core.models import Counter
from tests.applications.helpers import complete_application
from tests.factories import UserFactory

# Real row locks need real transactions and PostgreSQL. A transactional test ends with a
# flush of every table, so it runs in the broker stage with the other ones (tests/conftest.py).
pytestmark = [pytest.mark.postgres, pytest.mark.broker, pytest.mark.django_db(transaction=True)]

APPLICANTS = 8


class InvoiceFailed(Exception):
    pass


@pytest.fixture
def ready_applications() -> list[Application]:
    """Files with nothing left to fix, one per applicant, at the start of a year: no counter
    row yet, so the first submitters also race to create it. Each has a name of its own: a
    clean file is registered as soon as it is submitted, and a file of a registered name is
    refused."""
    Counter.objects.all().delete()
    applications = []
    for number in range(1, APPLICANTS + 1):
        user = UserFactory()
        application = complete_application(user)
        actions.save_names(
            application, user, name_km=f"ក្រុមហ៊ុន ស្អាត {number}", name_en=f"Clean File {number}"
        )
        applications.append(application)
    return applications


def submit_all_at_once(applications: list[Application]) -> dict[int, str]:
    """Each application submitted by its owner in its own thread and database connection,
    all released together; the outcome by application id: its reference, or the error."""
    barrier = threading.Barrier(len(applications))
    outcomes: dict[int, str] = {}
    lock = threading.Lock()

    def submit(application: Application) -> None:
        try:
            barrier.wait(timeout=10)
            actions.submit_application(
                application, application.owner, declared_by_name=application.owner.full_name
            )
            outcome = str(application.reference)
        except Exception as exc:
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes[application.pk] = outcome

    threads = [threading.Thread(target=submit, args=(app,)) for app in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == len(applications), "a submission did not finish"
    return outcomes


def references(first: int, last: int) -> list[str]:
    year = timezone.localdate().year
    return [f"SP-{year}-{number:07d}" for number in range(first, last + 1)]


def test_simultaneous_submissions_take_consecutive_references(ready_applications):
    outcomes = submit_all_at_once(ready_applications)

    assert sorted(outcomes.values()) == references(1, APPLICANTS), outcomes
    # Clean files go on to be registered straight through: look at every file given a number.
    stored = Application.objects.exclude(reference=None).values_list("reference", flat=True)
    assert sorted(stored) == references(1, APPLICANTS)
    series = f"application-reference-{timezone.localdate().year}"
    assert Counter.objects.get(name=series).last == APPLICANTS


def test_a_rolled_back_submission_gives_its_number_back(ready_applications):
    doomed = ready_applications[3]

    def invoice(application, version):
        # Handlers run inside the submission's transaction, after the number is taken.
        if application.pk == doomed.pk:
            raise InvoiceFailed

    hooks.on_submitted(invoice)
    try:
        outcomes = submit_all_at_once(ready_applications)
    finally:
        hooks.remove_on_submitted(invoice)

    assert outcomes.pop(doomed.pk) == "InvoiceFailed()"
    assert sorted(outcomes.values()) == references(1, APPLICANTS - 1), outcomes
    doomed.refresh_from_db()
    assert (doomed.status, doomed.reference, doomed.versions.count()) == ("draft", None, 0)

    # Submitted again once the invoice works, it takes the next number: no gap was left.
    actions.submit_application(doomed, doomed.owner, declared_by_name=doomed.owner.full_name)
    assert doomed.reference == references(APPLICANTS, APPLICANTS)[0]
