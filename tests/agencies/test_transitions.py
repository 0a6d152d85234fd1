"""Each move of a task: every allowed one (through the action that makes it), refused ones from
every status (through the actions and through _move), the decision rows and audit entries it
leaves, and the application status that follows from the tasks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from singleportal.agencies import actions
from singleportal.agencies.models import (
    TRANSITIONS,
    Agency,
    DecisionReason,
    PlanStep,
    Task,
    TaskDecision,
    TaskStatus,
)
from singleportal.agencies.sla import task_due_on
from singleportal.applications import actions as applications
from singleportal.applications.models import Status
from singleportal.audit.chain import verify
from singleportal.audit.models import AuditEntry
from tests.agencies.flow import clerk, filed, head, statuses, submit, tasks_of, told_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def moc(app) -> Task:
    return tasks_of(app)["MOC"]


def system_approves(app, code: str) -> None:
    assert actions.decide_straight_through(tasks_of(app)[code].pk)


def officer_approves(app, code: str) -> None:
    who = clerk(code)
    actions.claim_task(tasks_of(app)[code], who)
    actions.approve_task(tasks_of(app)[code], who)


def with_moc_open():
    app = submit(filed())
    system_approves(app, "MEF")
    return app


def resubmit(app) -> None:
    """The applicant corrects the capital (what MOC asked for) and sends the file again."""
    applications.save_capital(app, app.owner, capital_khr=8_000_000, share_count=1000)
    submit(app)


def last_move(task: Task) -> tuple[str, str]:
    decision = task.decisions.last()
    return decision.from_status, decision.to_status


# -- reaching each status of the MOC task, and each allowed move -----------------------------


def reach(status: str) -> tuple:
    """A file whose MOC task is in `status`, and the MOC clerk who worked on it."""
    app = submit(filed())
    who = clerk("MOC")
    if status == TaskStatus.WAITING:
        return app, who
    system_approves(app, "MEF")
    if status == TaskStatus.OPEN:
        return app, who
    actions.claim_task(moc(app), who)
    if status == TaskStatus.CORRECTION_REQUESTED:
        actions.request_correction(moc(app), who, reason="SHARES", sections=["capital"])
    elif status == TaskStatus.APPROVED:
        actions.approve_task(moc(app), who)
    elif status == TaskStatus.REJECTED:
        actions.reject_task(moc(app), who, reason="FALSE_DOCUMENT")
    elif status == TaskStatus.CANCELLED:
        applications.withdraw_application(app, app.owner)
    assert moc(app).status == status
    return app, who


MOVES = {
    (TaskStatus.WAITING, TaskStatus.OPEN): lambda app, who: system_approves(app, "MEF"),
    (TaskStatus.OPEN, TaskStatus.IN_REVIEW): lambda app, who: actions.claim_task(moc(app), who),
    (TaskStatus.OPEN, TaskStatus.APPROVED): lambda app, who: system_approves(app, "MOC"),
    (TaskStatus.IN_REVIEW, TaskStatus.OPEN): lambda app, who: actions.release_task(moc(app), who),
    (TaskStatus.IN_REVIEW, TaskStatus.APPROVED): lambda app, who: actions.approve_task(
        moc(app), who
    ),
    (TaskStatus.IN_REVIEW, TaskStatus.CORRECTION_REQUESTED): lambda app, who: (
        actions.request_correction(moc(app), who, reason="SHARES", sections=["capital"])
    ),
    (TaskStatus.IN_REVIEW, TaskStatus.REJECTED): lambda app, who: actions.reject_task(
        moc(app), who, reason="NAME_TAKEN"
    ),
    (TaskStatus.CORRECTION_REQUESTED, TaskStatus.OPEN): lambda app, who: resubmit(app),
    **{
        (status, TaskStatus.CANCELLED): lambda app, who: applications.withdraw_application(
            app, app.owner
        )
        for status in (
            TaskStatus.WAITING,
            TaskStatus.OPEN,
            TaskStatus.IN_REVIEW,
            TaskStatus.CORRECTION_REQUESTED,
        )
    },
}


def test_every_allowed_move_has_its_test():
    assert set(MOVES) == set(TRANSITIONS)


@pytest.mark.parametrize("move", sorted(TRANSITIONS), ids=lambda m: f"{m[0]}->{m[1]}")
def test_each_allowed_move_is_made_by_its_action(move):
    app, who = reach(move[0])
    count = TaskDecision.objects.filter(task=moc(app)).count()

    MOVES[move](app, who)

    task = moc(app)
    assert task.status == move[1]
    assert last_move(task) == move
    assert task.decisions.count() == count + 1


# -- refused moves ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", TaskStatus.values)
def test_moves_outside_the_table_are_refused_by_move(status):
    app, who = reach(TaskStatus.OPEN)
    task = moc(app)
    before = TaskDecision.objects.count()
    for target in TaskStatus.values:
        if (status, target) in TRANSITIONS:
            continue
        task.status = status
        with pytest.raises(ValidationError) as caught:
            actions._move(task, target, who)
        assert caught.value.code == "transition"
        assert f"cannot become {TaskStatus(target).label}" in caught.value.messages[0]
    assert TaskDecision.objects.count() == before


def refused(call, code: str) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value.messages[0]


def test_a_waiting_task_cannot_be_claimed_or_decided():
    app, who = reach(TaskStatus.WAITING)

    text = refused(lambda: actions.claim_task(moc(app), who), "waiting")
    assert text == "This task waits for another agency to finish first."
    refused(lambda: actions.approve_task(moc(app), who), "waiting")
    assert not actions.decide_straight_through(moc(app).pk)
    assert moc(app).status == TaskStatus.WAITING


@pytest.mark.parametrize(
    "decide",
    [
        lambda task, who: actions.approve_task(task, who),
        lambda task, who: actions.reject_task(task, who, reason="NAME_TAKEN"),
        lambda task, who: actions.request_correction(
            task, who, reason="SHARES", sections=["capital"]
        ),
        lambda task, who: actions.release_task(task, who),
    ],
    ids=["approve", "reject", "correction", "release"],
)
def test_an_open_task_must_be_claimed_before_it_is_decided(decide):
    app, who = reach(TaskStatus.OPEN)

    text = refused(lambda: decide(moc(app), who), "not_claimed")
    assert text == "Claim the task before deciding."
    assert moc(app).status == TaskStatus.OPEN


def test_a_task_in_review_cannot_be_claimed_or_decided_by_another_clerk():
    app, who = reach(TaskStatus.IN_REVIEW)
    other = clerk("MOC")

    text = refused(lambda: actions.claim_task(moc(app), other), "already_decided")
    assert text == f"{who} is already reviewing this task."
    refused(lambda: actions.approve_task(moc(app), other), "already_decided")
    assert not actions.decide_straight_through(moc(app).pk)  # the system leaves it alone
    assert (moc(app).status, moc(app).assignee) == (TaskStatus.IN_REVIEW, who)


@pytest.mark.parametrize(
    "status",
    [
        TaskStatus.CORRECTION_REQUESTED,
        TaskStatus.APPROVED,
        TaskStatus.REJECTED,
        TaskStatus.CANCELLED,
    ],
)
def test_a_decided_task_is_not_decided_again(status):
    app, who = reach(status)
    count = TaskDecision.objects.count()

    for call in (
        lambda: actions.claim_task(moc(app), who),
        lambda: actions.approve_task(moc(app), who),
        lambda: actions.reject_task(moc(app), who, reason="NAME_TAKEN"),
        lambda: actions.release_task(moc(app), who),
        lambda: actions.reassign_task(moc(app), head("MOC"), to=who),
    ):
        text = refused(call, "already_decided")
        assert "has already decided this task" in text
        assert str(TaskStatus(status).label) in text
    if status != TaskStatus.CORRECTION_REQUESTED:
        refused(lambda: actions.escalate_task(moc(app), who, note="Look"), "already_decided")
    assert not actions.decide_straight_through(moc(app).pk)
    assert TaskDecision.objects.count() == count
    assert moc(app).status == status


def test_only_the_agencys_officers_act_on_its_tasks_and_only_heads_reassign():
    app, who = reach(TaskStatus.OPEN)

    with pytest.raises(PermissionDenied):
        actions.claim_task(moc(app), clerk("GDT"))
    with pytest.raises(PermissionDenied):
        actions.claim_task(moc(app), head("GDT"))
    with pytest.raises(PermissionDenied):
        actions.reassign_task(moc(app), who, to=clerk("MOC"))
    assert moc(app).status == TaskStatus.OPEN


def test_reasons_come_from_the_agencys_list_for_the_kind_of_decision():
    app, who = reach(TaskStatus.IN_REVIEW)

    for code in ("TAX_DEBT", "NAME_TAKEN", "NO_SUCH_CODE"):  # GDT's, a rejection, unknown
        with pytest.raises(ValidationError) as caught:
            actions.request_correction(moc(app), who, reason=code, sections=["capital"])
        assert caught.value.message_dict == {"reason": ["Choose a reason from the list."]}
    DecisionReason.objects.filter(agency__code="MOC", code="SHARES").update(active=False)
    with pytest.raises(ValidationError):
        actions.request_correction(moc(app), who, reason="SHARES", sections=["capital"])
    with pytest.raises(ValidationError) as caught:
        actions.request_correction(moc(app), who, reason="ARTICLES", sections=["nonsense"])
    assert "sections" in caught.value.message_dict
    assert moc(app).status == TaskStatus.IN_REVIEW


# -- heads, reassignment, escalation, comments -----------------------------------------------


def test_the_head_decides_a_task_a_clerk_is_reviewing():
    app, _who = reach(TaskStatus.IN_REVIEW)
    boss = head("MOC")

    actions.approve_task(moc(app), boss)

    decision = moc(app).decisions.last()
    assert (decision.to_status, decision.actor) == (TaskStatus.APPROVED, boss)


def test_the_head_reassigns_an_open_task_into_an_officers_review():
    app, who = reach(TaskStatus.OPEN)
    boss = head("MOC")

    actions.reassign_task(moc(app), boss, to=who)

    task = moc(app)
    assert (task.status, task.assignee) == (TaskStatus.IN_REVIEW, who)
    assert last_move(task) == (TaskStatus.OPEN, TaskStatus.IN_REVIEW)
    with pytest.raises(ValidationError):
        actions.reassign_task(task, boss, to=clerk("GDT"))
    actions.approve_task(task, who)
    assert moc(app).status == TaskStatus.APPROVED


def test_escalation_and_comments_are_internal_notes_and_audited():
    app, who = reach(TaskStatus.IN_REVIEW)

    with pytest.raises(ValidationError):
        actions.escalate_task(moc(app), who, note="  ")
    actions.escalate_task(moc(app), who, note="The articles look copied.")
    actions.comment_on_task(moc(app), head("MOC"), text="I will look today.")

    task = moc(app)
    assert task.escalated
    assert [c.text for c in task.comments.all()] == [
        "The articles look copied.",
        "I will look today.",
    ]
    actions_audited = AuditEntry.objects.filter(object_type="agencies.task", object_id=task.pk)
    assert {"task.escalated", "task.commented"} <= set(
        actions_audited.values_list("action", flat=True)
    )
    assert task.status == TaskStatus.IN_REVIEW  # notes are not moves


# -- decisions and audit ---------------------------------------------------------------------


def test_each_move_is_an_append_only_decision_with_who_when_and_why():
    app, who = reach(TaskStatus.IN_REVIEW)

    actions.request_correction(
        moc(app), who, reason="SHARES", sections=["capital", "people"], note=" 1,000 vs 900 "
    )

    rows = list(moc(app).decisions.select_related("reason"))
    assert [(d.from_status, d.to_status, d.actor) for d in rows] == [
        (TaskStatus.WAITING, TaskStatus.OPEN, None),
        (TaskStatus.OPEN, TaskStatus.IN_REVIEW, who),
        (TaskStatus.IN_REVIEW, TaskStatus.CORRECTION_REQUESTED, who),
    ]
    last = rows[-1]
    assert (last.reason.code, last.note, last.version_number) == ("SHARES", "1,000 vs 900", 1)
    assert moc(app).correction_sections == ["capital", "people"]
    last.note = "changed"
    with pytest.raises(ValidationError, match="never changed"):
        last.save()
    assert TaskDecision.objects.get(pk=last.pk).note == "1,000 vs 900"


def test_each_move_is_in_the_audit_chain():
    app, who = reach(TaskStatus.IN_REVIEW)
    actions.reject_task(moc(app), who, reason="FALSE_DOCUMENT", note="Forged ID")

    task = moc(app)
    entries = AuditEntry.objects.filter(object_type="agencies.task", object_id=str(task.pk))
    assert [(e.action, e.actor_id) for e in entries] == [
        ("task.open", None),
        ("task.in_review", who.pk),
        ("task.rejected", who.pk),
    ]
    assert entries.last().details == {
        "from": "in_review", "reason": "FALSE_DOCUMENT", "rule": "",
    }  # fmt: skip
    assert verify().ok


def test_the_system_decides_without_an_actor_and_names_its_rules():
    app, _who = reach(TaskStatus.OPEN)

    system_approves(app, "MOC")

    decision = moc(app).decisions.last()
    assert decision.actor is None
    assert decision.rule.split(",") == [
        "MOC-ACTIVITY", "MOC-CAPITAL", "MOC-IDS", "MOC-NAME", "MOC-NAME-CLOSE",
    ]  # fmt: skip
    entry = AuditEntry.objects.filter(action="task.approved", object_id=str(moc(app).pk)).get()
    assert (entry.actor_label, entry.details["rule"]) == ("system", decision.rule)


# -- the application follows its tasks -------------------------------------------------------


def test_a_correction_request_puts_the_file_back_to_the_applicant(
    django_capture_on_commit_callbacks,
):
    app, who = reach(TaskStatus.IN_REVIEW)

    with told_applicant() as told, django_capture_on_commit_callbacks(execute=True):
        actions.request_correction(moc(app), who, reason="SHARES", sections=["capital"])

    app.refresh_from_db()
    assert (app.status, app.correction_sections) == (Status.CORRECTION_REQUESTED, ["capital"])
    assert app.editable
    assert told == [(app.pk, Status.CORRECTION_REQUESTED)]


def test_corrections_asked_by_two_agencies_add_up_and_only_those_tasks_reopen(
    django_capture_on_commit_callbacks,
):
    # MOI and GDT work beside MOC here (the plan is data), so three agencies are at work at once.
    mef = Agency.objects.get(code="MEF")
    for code in ("MOI", "GDT"):
        PlanStep.objects.get(agency__code=code).after.set([mef])
    app, who = reach(TaskStatus.IN_REVIEW)
    tasks = tasks_of(app)
    moi, gdt = clerk("MOI"), clerk("GDT")
    actions.request_correction(tasks["MOC"], who, reason="SHARES", sections=["capital"])
    actions.claim_task(tasks["MOI"], moi)
    actions.request_correction(tasks["MOI"], moi, reason="ADDRESS", sections=["address"])
    actions.claim_task(tasks["GDT"], gdt)
    app.refresh_from_db()
    assert app.status == Status.CORRECTION_REQUESTED
    assert app.correction_sections == ["address", "capital"]

    applications.save_capital(app, app.owner, capital_khr=8_000_000, share_count=1000)
    applications.save_address(
        app, app.owner, village_code=app.village_code, street="Street 63", house_number="7"
    )
    with django_capture_on_commit_callbacks() as enqueued:
        submit(app)

    tasks = tasks_of(app)
    assert {c: t.status for c, t in tasks.items()} == {
        "MEF": "approved", "MOC": "open", "GDT": "in_review", "MLVT": "waiting", "MOI": "open",
    }  # fmt: skip
    assert {c: t.version.number for c, t in tasks.items()} == {
        "MEF": 1, "MOC": 2, "GDT": 1, "MLVT": 2, "MOI": 2,
    }  # fmt: skip
    assert tasks["MOI"].correction_sections == []
    assert last_move(tasks["MOI"]) == (TaskStatus.CORRECTION_REQUESTED, TaskStatus.OPEN)
    assert tasks["MOI"].decisions.last().version_number == 2
    assert tasks["MOI"].decisions.last().note == "The applicant sent a corrected file."
    assert enqueued == []  # back to the officers who asked, not through the rules
    assert tasks["MOI"].assignee == moi
    app.refresh_from_db()
    assert (app.status, app.correction_sections) == (Status.SUBMITTED, [])


def test_a_correction_asked_after_moc_registered_the_business_can_be_answered():
    app, _who = reach(TaskStatus.APPROVED)
    mlvt = clerk("MLVT")
    actions.claim_task(tasks_of(app)["MLVT"], mlvt)
    actions.request_correction(tasks_of(app)["MLVT"], mlvt, reason="STAFF", sections=["employees"])

    applications.save_employment(app, app.owner, khmer_staff=5, foreign_staff=0)
    submit(app)

    assert statuses(app)["MLVT"] == TaskStatus.OPEN


def test_a_reopened_task_has_a_fresh_deadline_from_the_day_it_reopens():
    app, _who = reach(TaskStatus.CORRECTION_REQUESTED)
    Task.objects.filter(pk=moc(app).pk).update(due_on="2020-01-06", opened_at="2020-01-01T09:00Z")

    resubmit(app)

    task = moc(app)
    assert task.status == TaskStatus.OPEN
    assert task.opened_at.year > 2020
    assert task.due_on == task_due_on(task.opened_at.date(), task.sla_working_days)


def test_the_file_is_registered_when_every_agency_has_approved(
    django_capture_on_commit_callbacks,
):
    app = submit(filed())
    system_approves(app, "MEF")
    officer_approves(app, "MOC")
    officer_approves(app, "GDT")
    officer_approves(app, "MLVT")
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED

    with told_applicant() as told, django_capture_on_commit_callbacks(execute=True):
        officer_approves(app, "MOI")

    app.refresh_from_db()
    assert app.status == Status.APPROVED
    assert app.events.last().to_status == Status.APPROVED
    assert told == [(app.pk, Status.APPROVED)]


def test_a_rejection_rejects_the_file_and_cancels_the_other_unfinished_tasks(
    django_capture_on_commit_callbacks,
):
    app, _who = reach(TaskStatus.APPROVED)
    tasks = tasks_of(app)
    mlvt, moi = clerk("MLVT"), clerk("MOI")
    actions.claim_task(tasks["MOI"], moi)
    actions.claim_task(tasks["MLVT"], mlvt)
    actions.request_correction(tasks["MLVT"], mlvt, reason="STAFF", sections=["employees"])
    gdt = clerk("GDT")
    actions.claim_task(tasks["GDT"], gdt)

    with told_applicant() as told, django_capture_on_commit_callbacks(execute=True):
        actions.reject_task(tasks["GDT"], gdt, reason="TAX_DEBT")

    assert statuses(app) == {
        "MEF": "approved", "MOC": "approved", "GDT": "rejected", "MLVT": "cancelled",
        "MOI": "cancelled",
    }  # fmt: skip
    cancelled = tasks_of(app)["MOI"].decisions.last()
    assert (cancelled.actor, cancelled.note) == (None, "Another agency rejected the file.")
    app.refresh_from_db()
    assert app.status == Status.REJECTED
    assert told == [(app.pk, Status.REJECTED)]


def test_withdrawal_cancels_every_unfinished_task():
    app, _who = reach(TaskStatus.IN_REVIEW)

    applications.withdraw_application(app, app.owner)

    assert statuses(app) == {
        "MEF": "approved", "MOC": "cancelled", "GDT": "cancelled", "MLVT": "cancelled",
        "MOI": "cancelled",
    }  # fmt: skip
    decision = moc(app).decisions.last()
    assert (decision.actor, decision.note) == (app.owner, "The applicant withdrew the file.")
    assert all(t.finished_at is not None for t in tasks_of(app).values() if t.finished)
    app.refresh_from_db()
    assert app.status == Status.WITHDRAWN
