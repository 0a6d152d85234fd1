"""Officers (and the system) deciding the same file at the same moment on PostgreSQL: one
decision wins, the other is told clearly who got there first; nothing deadlocks.

Real row locks need real transactions, one database connection per thread, and PostgreSQL. A
transactional test ends with a flush of every table, so these run in the broker stage with the
other ones (tests/conftest.py).
"""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from singleportal.agencies import actions
from singleportal.agencies.models import StraightThroughRule, TaskDecision, TaskStatus
from singleportal.applications.models import Status
from singleportal.certificates import actions as certificates
from singleportal.certificates.models import Certificate
from singleportal.registry import events
from singleportal.registry.models import Business, BusinessStatus, RecordKind
from tests.agencies.flow import clerk, filed, head, statuses, submit, tasks_of, told_applicant

pytestmark = [pytest.mark.postgres, pytest.mark.broker, pytest.mark.django_db(transaction=True)]

WAIT = 30  # seconds; a bound on each wait, not a pause


@pytest.fixture(autouse=True)
def _quiet_applicant():
    """The applicant's messages are another test's subject; keep them out of these threads."""
    with told_applicant() as told:
        yield told


def at_once(**calls: Callable[[], Any]) -> dict[str, str]:
    """Run each call in its own thread and database connection, released together; the outcome
    by name: "done", or the message of the ValidationError (other errors as their repr)."""
    barrier = threading.Barrier(len(calls))
    outcomes: dict[str, str] = {}
    lock = threading.Lock()

    def run(name: str, call: Callable[[], Any]) -> None:
        try:
            with translation.override("en"):
                barrier.wait(timeout=WAIT)
                call()
            outcome = "done"
        except ValidationError as exc:
            outcome = " ".join(exc.messages)
        except Exception as exc:
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes[name] = outcome

    threads = [threading.Thread(target=run, args=item, name=item[0]) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT * 2)
    assert len(outcomes) == len(calls), f"a decision did not finish: {outcomes}"
    return outcomes


def file_waiting_at_mlvt():
    """Submitted with foreign staff: the system approves every agency but MLVT, which waits."""
    app = submit(filed(foreign_staff=1))
    assert statuses(app)["MLVT"] == TaskStatus.OPEN, statuses(app)
    return app


def moves_after(task, count: int) -> list[tuple[str, str, Any]]:
    return [
        (d.from_status, d.to_status, d.actor)
        for d in TaskDecision.objects.filter(task=task).order_by("pk")[count:]
    ]


def test_two_heads_approving_one_task_at_once_leave_one_decision():
    app = file_waiting_at_mlvt()
    mlvt = tasks_of(app)["MLVT"]
    actions.claim_task(mlvt, clerk("MLVT"))
    first, second = head("MLVT"), head("MLVT")
    count = mlvt.decisions.count()

    outcomes = at_once(
        first=lambda: actions.approve_task(mlvt, first),
        second=lambda: actions.approve_task(mlvt, second),
    )

    winner = first if outcomes["first"] == "done" else second
    assert set(outcomes.values()) == {
        "done", f"{winner} has already decided this task (Approved).",
    }, outcomes  # fmt: skip
    assert moves_after(mlvt, count) == [(TaskStatus.IN_REVIEW, TaskStatus.APPROVED, winner)]
    app.refresh_from_db()
    assert app.status == Status.APPROVED


def test_a_clerk_approving_while_the_head_rejects_leaves_one_decision():
    app = file_waiting_at_mlvt()
    mlvt = tasks_of(app)["MLVT"]
    reviewer, boss = clerk("MLVT"), head("MLVT")
    actions.claim_task(mlvt, reviewer)
    count = mlvt.decisions.count()

    outcomes = at_once(
        clerk=lambda: actions.approve_task(mlvt, reviewer),
        head=lambda: actions.reject_task(mlvt, boss, reason="PROHIBITED_WORK"),
    )

    moves = moves_after(mlvt, count)
    assert len(moves) == 1, moves
    if outcomes["clerk"] == "done":
        assert moves == [(TaskStatus.IN_REVIEW, TaskStatus.APPROVED, reviewer)]
        assert outcomes["head"] == f"{reviewer} has already decided this task (Approved)."
        expected = Status.APPROVED
    else:
        assert outcomes["head"] == "done", outcomes
        assert moves == [(TaskStatus.IN_REVIEW, TaskStatus.REJECTED, boss)]
        assert outcomes["clerk"] == f"{boss} has already decided this task (Rejected)."
        expected = Status.REJECTED
    app.refresh_from_db()
    assert app.status == expected


def test_two_clerks_claiming_one_task_at_once_one_wins():
    app = file_waiting_at_mlvt()
    mlvt = tasks_of(app)["MLVT"]
    first, second = clerk("MLVT"), clerk("MLVT")
    count = mlvt.decisions.count()

    outcomes = at_once(
        first=lambda: actions.claim_task(mlvt, first),
        second=lambda: actions.claim_task(mlvt, second),
    )

    winner = first if outcomes["first"] == "done" else second
    assert set(outcomes.values()) == {"done", f"{winner} is already reviewing this task."}
    assert moves_after(mlvt, count) == [(TaskStatus.OPEN, TaskStatus.IN_REVIEW, winner)]
    assert tasks_of(app)["MLVT"].assignee == winner


def test_the_system_and_a_clerk_taking_one_task_at_once_one_wins():
    StraightThroughRule.objects.filter(agency__code="MOI").update(active=False)
    app = file_waiting_at_mlvt()
    moi = tasks_of(app)["MOI"]
    assert moi.status == TaskStatus.OPEN  # no rules in force: it waited for a human
    StraightThroughRule.objects.filter(agency__code="MOI").update(active=True)
    officer = clerk("MOI")
    count = moi.decisions.count()
    system_approved = []

    outcomes = at_once(
        system=lambda: system_approved.append(actions.decide_straight_through(moi.pk)),
        clerk=lambda: actions.claim_task(moi, officer),
    )

    assert outcomes["system"] == "done", outcomes
    moves = moves_after(moi, count)
    assert len(moves) == 1, moves
    if system_approved == [True]:
        assert moves == [(TaskStatus.OPEN, TaskStatus.APPROVED, None)]
        assert outcomes["clerk"] == "the system has already decided this task (Approved)."
    else:
        assert (system_approved, outcomes["clerk"]) == ([False], "done")
        assert moves == [(TaskStatus.OPEN, TaskStatus.IN_REVIEW, officer)]


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def held_while_the_other_runs(
    monkeypatch, hold_in: str, held: Callable[[], Any], other: Callable[[], Any]
) -> dict[str, str]:
    """Run `held` in a thread that stops when it first calls actions.<hold_in> (its locks taken
    by then); start `other`, and let `held` go on once `other` waits for a lock. The outcome of
    each: "done" or the repr of its error (a deadlock: PostgreSQL aborts one of them)."""
    holding, go_on = threading.Event(), threading.Event()
    real = getattr(actions, hold_in)

    def stop_once(*args, **kwargs):
        if threading.current_thread().name == "held" and not holding.is_set():
            holding.set()
            assert go_on.wait(timeout=WAIT)
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, hold_in, stop_once)
    outcomes: dict[str, str] = {}

    def run(name: str, call: Callable[[], Any]) -> None:
        try:
            with translation.override("en"):
                call()
            outcomes[name] = "done"
        except Exception as exc:
            outcomes[name] = repr(exc)
        finally:
            connection.close()

    first = threading.Thread(target=run, name="held", args=("held", held))
    second = threading.Thread(target=run, name="other", args=("other", other))
    first.start()
    assert holding.wait(timeout=WAIT)
    second.start()
    deadline = time.monotonic() + WAIT
    while not waiting_on_a_lock() and time.monotonic() < deadline:
        second.join(timeout=0.01)
    go_on.set()
    first.join(timeout=WAIT)
    second.join(timeout=WAIT)
    return outcomes


def test_a_rejection_and_a_sibling_approval_at_once_do_not_deadlock(monkeypatch):
    """The system approves MOI while MLVT's clerk rejects the file, whose rejection cancels
    MOI. The approval is held just after it has taken its locks, until the rejection waits for
    one; both then finish, in some order, instead of PostgreSQL aborting one as a deadlock."""
    StraightThroughRule.objects.filter(agency__code="MOI").update(active=False)
    app = file_waiting_at_mlvt()
    tasks = tasks_of(app)
    StraightThroughRule.objects.filter(agency__code="MOI").update(active=True)
    reviewer = clerk("MLVT")
    actions.claim_task(tasks["MLVT"], reviewer)

    outcomes = held_while_the_other_runs(
        monkeypatch,
        "_move",
        held=lambda: actions.decide_straight_through(tasks["MOI"].pk),
        other=lambda: actions.reject_task(tasks["MLVT"], reviewer, reason="PROHIBITED_WORK"),
    )

    assert outcomes == {"held": "done", "other": "done"}
    final = statuses(app)
    assert final["MLVT"] == TaskStatus.REJECTED
    assert final["MOI"] in (TaskStatus.APPROVED, TaskStatus.CANCELLED)
    app.refresh_from_db()
    assert app.status == Status.REJECTED


def test_the_system_and_an_officer_registering_two_files_at_once_do_not_deadlock(monkeypatch):
    """The system checks one file's name at MOC (holding the register's numbering) while an
    officer approves another file's MOC task: both businesses enter the register."""
    StraightThroughRule.objects.filter(agency__code="MOC").update(active=False)
    by_system = submit(filed())
    by_officer = submit(filed(name_km="អង្គរ សូត្រ", name_en="Angkor Silk"))
    StraightThroughRule.objects.filter(agency__code="MOC").update(active=True)
    officer = clerk("MOC")
    actions.claim_task(tasks_of(by_officer)["MOC"], officer)

    outcomes = held_while_the_other_runs(
        monkeypatch,
        "evaluate",
        held=lambda: actions.decide_straight_through(tasks_of(by_system)["MOC"].pk),
        other=lambda: actions.approve_task(tasks_of(by_officer)["MOC"], officer),
    )

    assert outcomes == {"held": "done", "other": "done"}
    numbers = sorted(
        Business.objects.filter(
            application_reference__in=[by_system.reference, by_officer.reference]
        ).values_list("registration_number", flat=True)
    )
    assert len(numbers) == 2 and int(numbers[1]) == int(numbers[0]) + 1


def test_two_files_of_one_name_decided_at_once_enter_the_register_once():
    """Nothing held the name when both files were submitted; the system looks at both MOC
    tasks at the same moment. One business enters the register; the other file waits at MOC
    with the name check failed, for an officer."""
    StraightThroughRule.objects.filter(agency__code="MOC").update(active=False)
    files = [submit(filed()), submit(filed())]
    mocs = [tasks_of(app)["MOC"] for app in files]
    assert [t.status for t in mocs] == [TaskStatus.OPEN, TaskStatus.OPEN]
    StraightThroughRule.objects.filter(agency__code="MOC").update(active=True)
    approved: dict[str, bool] = {}

    def decide(name: str, task) -> Callable[[], None]:
        return lambda: approved.__setitem__(name, actions.decide_straight_through(task.pk))

    outcomes = at_once(first=decide("first", mocs[0]), second=decide("second", mocs[1]))

    assert outcomes == {"first": "done", "second": "done"}, outcomes
    assert sorted(approved.values()) == [False, True]
    assert Business.objects.filter(name_en_normalized="mekongpepper").count() == 1
    loser = mocs[0] if not approved["first"] else mocs[1]
    loser.refresh_from_db()
    assert loser.status == TaskStatus.OPEN
    assert [c["rule"] for c in loser.checks if not c["passed"]] == ["MOC-NAME"]


def test_a_certificate_issued_while_an_agency_decides_does_not_deadlock(monkeypatch, request):
    """GDT's clerk approves (the audit chain's head taken, the TIN not yet set) while the
    worker certifies the business's registration: both finish. The issuer used to lock the
    business's row and then wait for the head, which the approval held while it waited for
    that row."""
    StraightThroughRule.objects.filter(agency__code="GDT").update(active=False)
    app = submit(filed())
    gdt = tasks_of(app)["GDT"]
    assert gdt.status == TaskStatus.OPEN  # no rules in force: it waits for a human
    reviewer = clerk("GDT")
    actions.claim_task(gdt, reviewer)
    # Only now a key: the registration was left uncertified when it was entered.
    request.getfixturevalue("signing_key")
    business = Business.objects.get(application_reference=app.reference)
    registration = business.records.get(kind=RecordKind.REGISTRATION)
    assert not Certificate.objects.filter(record=registration).exists()

    outcomes = held_while_the_other_runs(
        monkeypatch,
        "_after_approval",
        held=lambda: actions.approve_task(gdt, reviewer),
        other=lambda: certificates.issue_for_record(registration.pk),
    )

    assert outcomes == {"held": "done", "other": "done"}
    business.refresh_from_db()
    assert business.tin
    assert Certificate.objects.filter(record=registration).count() == 1


def test_a_status_change_while_an_agency_decides_does_not_deadlock(monkeypatch):
    """The registrar suspends a business while GDT's clerk approves its file: both finish."""
    StraightThroughRule.objects.filter(agency__code="GDT").update(active=False)
    app = submit(filed())
    gdt = tasks_of(app)["GDT"]
    reviewer = clerk("GDT")
    actions.claim_task(gdt, reviewer)
    business = Business.objects.get(application_reference=app.reference)

    outcomes = held_while_the_other_runs(
        monkeypatch,
        "_after_approval",
        held=lambda: actions.approve_task(gdt, reviewer),
        other=lambda: events.change_status(business, BusinessStatus.SUSPENDED, by=None),
    )

    assert outcomes == {"held": "done", "other": "done"}
    business.refresh_from_db()
    assert (business.status, bool(business.tin)) == (BusinessStatus.SUSPENDED, True)
