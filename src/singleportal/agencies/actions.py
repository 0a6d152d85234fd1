"""Writes on agency tasks: the plan, the officers' moves, the system's straight-through
approval and what an approval puts on the register.

Every move locks the task row, checks TRANSITIONS, appends a TaskDecision and an audit entry in
one transaction; the application's status then follows its tasks (_follow_tasks). Two officers
deciding one task at once: the second finds it decided and is told by whom.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.agencies import sla
from singleportal.agencies.checks import CHECKS, Facts
from singleportal.agencies.models import (
    FINISHED,
    TRANSITIONS,
    DecisionReason,
    ReasonKind,
    StraightThroughRule,
    Task,
    TaskComment,
    TaskDecision,
    TaskStatus,
)
from singleportal.agencies.selectors import is_head, officer_level, plan_for
from singleportal.applications import hooks
from singleportal.applications.models import (
    Application,
    ApplicationVersion,
    Section,
    Status,
)
from singleportal.audit import chain as audit
from singleportal.names.actions import use_reservation
from singleportal.names.normalization import KHMER
from singleportal.names.selectors import active_reservations_of_name
from singleportal.registry import entries
from singleportal.registry.models import Business

OUTPUTS = {
    "GDT": entries.register_for_tax,
    "MLVT": entries.declare_opening,
    "MOI": entries.confirm_address,
    "CDC": entries.register_investment,
}


# -- the plan -----------------------------------------------------------------------------


def plan_tasks(application: Application, version: ApplicationVersion) -> None:
    """On submission (the hook, inside its transaction): one task per agency involved, or on a
    resubmission the tasks that asked for a correction open again on the new version."""
    if application.tasks.exists():
        _reopen_corrected(application, version)
        return
    steps = plan_for(application, version.snapshot)
    tasks = {
        s.agency.code: Task.objects.create(
            application=application,
            agency=s.agency,
            version=version,
            sla_working_days=s.sla_working_days,
        )
        for s in steps
    }
    for step in steps:
        before = [tasks[a.code] for a in step.after.all() if a.code in tasks]
        tasks[step.agency.code].after.set(before)
    audit.record(None, "tasks.planned", application, {"agencies": sorted(tasks)})
    _open_ready(application)


def _reopen_corrected(application: Application, version: ApplicationVersion) -> None:
    for task in application.tasks.select_for_update().filter(
        status__in=[TaskStatus.CORRECTION_REQUESTED, TaskStatus.WAITING]
    ):
        task.version = version
        if task.status == TaskStatus.CORRECTION_REQUESTED:
            task.correction_sections = []
            # The agency's clock stopped while the applicant corrected: it starts again.
            _start_clock(task)
            # Back in the queue of the officer who asked (the assignee stays), not through the
            # straight-through rules: whoever asked checks that the correction answers it.
            _move(task, TaskStatus.OPEN, None, note=_("The applicant sent a corrected file."))
        task.save()
    _follow_tasks(application)


def _start_clock(task: Task) -> None:
    now = timezone.now()
    task.opened_at = now
    task.due_on = sla.task_due_on(timezone.localdate(now), task.sla_working_days)


def _open_ready(application: Application) -> None:
    """Open every waiting task whose prerequisites are all approved."""
    waiting = application.tasks.filter(status=TaskStatus.WAITING).prefetch_related("after")
    for task in waiting:
        if all(t.status == TaskStatus.APPROVED for t in task.after.all()):
            _start_clock(task)
            _move(task, TaskStatus.OPEN, None)
            task.save()
            _enqueue_straight_through(task)


def _enqueue_straight_through(task: Task) -> None:
    from singleportal.agencies.tasks import decide_straight_through

    task_id = task.pk
    transaction.on_commit(lambda: decide_straight_through.delay(task_id))


# -- moves --------------------------------------------------------------------------------


def _move(
    task: Task,
    to: str,
    actor: Any,
    *,
    reason: DecisionReason | None = None,
    note: str = "",
    rule: str = "",
) -> TaskDecision:
    """Append the decision and set the status; the caller holds the lock and saves."""
    if (task.status, to) not in TRANSITIONS:
        raise ValidationError(
            _("A task that is %(status)s cannot become %(to)s.")
            % {"status": task.get_status_display(), "to": TaskStatus(to).label},
            code="transition",
        )
    decision = TaskDecision.objects.create(
        task=task,
        from_status=task.status,
        to_status=to,
        actor=actor,
        reason=reason,
        note=note,
        rule=rule,
        version_number=task.version.number,
    )
    task.status = to
    if to in FINISHED:
        task.finished_at = decision.at
    audit.record(
        actor,
        f"task.{to}",
        task,
        {"from": decision.from_status, "reason": reason.code if reason else "", "rule": rule},
    )
    return decision


def _lock_file(application_id: int) -> None:
    """Lock the application row before any of its tasks. Submission, withdrawal and
    _follow_tasks lock the file first too; were a move to lock its task first, a rejection
    (file, then the sibling tasks it cancels) and a sibling's approval (its task, then the
    audit head) could each wait for the other: PostgreSQL would abort one as a deadlock."""
    list(Application.objects.select_for_update().filter(pk=application_id).values_list("pk"))


def _locked(task: Task, officer: Any, *, head: bool = False) -> Task:
    """The locked task, if `officer` works for its agency (and is its head when `head`)."""
    code = task.agency.code
    if officer_level(officer, code) is None or (head and not is_head(officer, code)):
        raise PermissionDenied
    _lock_file(task.application_id)
    # of=self: the joined agency row must not be locked too (every decision of the agency
    # would then wait for every other).
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("agency", "version")
        .get(pk=task.pk)
    )


def _already(task: Task) -> ValidationError:
    """What the slower of two officers is told."""
    if task.status == TaskStatus.WAITING:  # nobody has decided: it is not workable yet
        return ValidationError(
            _("This task waits for another agency to finish first."), code="waiting"
        )
    last = task.decisions.select_related("actor").last()
    who = str(last.actor) if last and last.actor else _("the system")
    if task.status == TaskStatus.IN_REVIEW:
        text = _("%(who)s is already reviewing this task.")
    else:
        text = _("%(who)s has already decided this task (%(status)s).")
    return ValidationError(
        text % {"who": who, "status": task.get_status_display()}, code="already_decided"
    )


def _review_by(task: Task, officer: Any) -> None:
    """Deciding needs the task in review by this officer (or their head)."""
    if task.status != TaskStatus.IN_REVIEW:
        if task.status == TaskStatus.OPEN:
            raise ValidationError(_("Claim the task before deciding."), code="not_claimed")
        raise _already(task)
    if task.assignee_id != officer.pk and not is_head(officer, task.agency.code):
        raise _already(task)


def claim_task(task: Task, officer: Any) -> Task:
    with transaction.atomic():
        locked = _locked(task, officer)
        if locked.status != TaskStatus.OPEN:
            raise _already(locked)
        locked.assignee = officer
        _move(locked, TaskStatus.IN_REVIEW, officer)
        locked.save()
    return locked


def release_task(task: Task, officer: Any) -> Task:
    """Back to the queue, undecided."""
    with transaction.atomic():
        locked = _locked(task, officer)
        _review_by(locked, officer)
        locked.assignee = None
        _move(locked, TaskStatus.OPEN, officer)
        locked.save()
    return locked


def _reason(task: Task, kind: str, code: str) -> DecisionReason:
    reason = DecisionReason.objects.filter(
        agency=task.agency, kind=kind, code=code, active=True
    ).first()
    if reason is None:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    return reason


def _hold_register_before_entering(tasks: Iterable[Task]) -> None:
    """An MOC approval enters a business (_after_approval): it holds the register's numbering
    (entries.hold_register) before its decision takes the audit chain's head, as the system's
    does before checking the name. Taken in the other order by some, two approvals of
    different files could each wait for the other."""
    if any(t.agency.code == "MOC" for t in tasks):
        entries.hold_register()


def approve_task(task: Task, officer: Any, *, note: str = "") -> Task:
    with transaction.atomic():
        locked = _locked(task, officer)
        _review_by(locked, officer)
        _hold_register_before_entering([locked])
        _move(locked, TaskStatus.APPROVED, officer, note=note.strip())
        locked.save()
        _after_approval(locked)
    return locked


def request_correction(
    task: Task, officer: Any, *, reason: str, sections: Iterable[str], note: str = ""
) -> Task:
    """Send the file back, naming the sections the applicant must change."""
    chosen = sorted(set(sections))
    if not chosen or any(s not in Section.values for s in chosen):
        raise ValidationError({"sections": _("Choose what the applicant must correct.")})
    with transaction.atomic():
        locked = _locked(task, officer)
        _review_by(locked, officer)
        # The name is MOC's to examine; once MOC has approved, it is on the register.
        if Section.NAMES in chosen and locked.agency.code != "MOC":
            raise ValidationError(
                {"sections": _("Only the Ministry of Commerce can ask for another name.")}
            )
        why = _reason(locked, ReasonKind.CORRECTION, reason)
        locked.correction_sections = chosen
        _move(locked, TaskStatus.CORRECTION_REQUESTED, officer, reason=why, note=note.strip())
        locked.save()
        _follow_tasks(locked.application)
    return locked


def reject_task(task: Task, officer: Any, *, reason: str, note: str = "") -> Task:
    with transaction.atomic():
        locked = _locked(task, officer)
        _review_by(locked, officer)
        why = _reason(locked, ReasonKind.REJECTION, reason)
        _move(locked, TaskStatus.REJECTED, officer, reason=why, note=note.strip())
        locked.save()
        _follow_tasks(locked.application)
    return locked


def reassign_task(task: Task, head: Any, *, to: Any) -> Task:
    """A head gives a task to another officer of the agency (it is then in their review)."""
    with transaction.atomic():
        locked = _locked(task, head, head=True)
        if officer_level(to, locked.agency.code) is None:
            raise ValidationError({"to": _("Choose an officer of this agency.")})
        if locked.status not in (TaskStatus.OPEN, TaskStatus.IN_REVIEW):
            raise _already(locked)
        if locked.status == TaskStatus.OPEN:
            _move(locked, TaskStatus.IN_REVIEW, head, note=_("Assigned by the head."))
        locked.assignee = to
        locked.save()
        audit.record(head, "task.reassigned", locked, {"to": to.pk})
    return locked


def escalate_task(task: Task, officer: Any, *, note: str) -> Task:
    """Ask the head to look: flagged in the head's view, with the officer's note."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the head should look at this task.")})
    with transaction.atomic():
        locked = _locked(task, officer)
        if locked.finished:
            raise _already(locked)
        locked.escalated = True
        locked.save(update_fields=["escalated"])
        TaskComment.objects.create(task=locked, author=officer, text=note.strip())
        audit.record(officer, "task.escalated", locked, {})
    return locked


def comment_on_task(task: Task, officer: Any, *, text: str) -> TaskComment:
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    with transaction.atomic():
        locked = _locked(task, officer)
        comment = TaskComment.objects.create(task=locked, author=officer, text=text.strip())
        audit.record(officer, "task.commented", locked, {})
    return comment


def record_view(task: Task, officer: Any) -> None:
    """Every officer's look at a file goes into the audit chain."""
    with transaction.atomic():
        audit.record(officer, "task.viewed", task, {"version": task.version.number})


def bulk_approve(tasks: Iterable[Task], officer: Any) -> list[Task]:
    """Approve several clean files at once: each must be open or in this officer's review,
    and pass every straight-through check. All or nothing."""
    # Every file and task is locked first, in one order, and only then the register and the
    # audit head, as a single decision takes them after its one file: two decisions never
    # hold what the other waits for.
    ordered = sorted(tasks, key=lambda t: (t.application_id, t.pk))
    with transaction.atomic():
        locked_tasks = [_locked(task, officer) for task in ordered]
        for locked in locked_tasks:
            # Checked now, on the version the task holds: a task claimed before the system
            # looked has no results yet, and the rules may have changed since.
            locked.checks = evaluate(locked)
            if not locked.checks or not all(c["passed"] for c in locked.checks):
                raise ValidationError(
                    _("%(file)s is not a clean file: open it to decide.")
                    % {"file": locked.application.reference},
                    code="not_clean",
                )
        _hold_register_before_entering(locked_tasks)
        for locked in locked_tasks:
            if locked.status == TaskStatus.OPEN:
                locked.assignee = officer
                _move(locked, TaskStatus.IN_REVIEW, officer)
            _review_by(locked, officer)
            _move(locked, TaskStatus.APPROVED, officer, note=_("Approved with other clean files."))
            locked.save()
            _after_approval(locked)
    return locked_tasks


# -- straight-through processing -----------------------------------------------------------


def evaluate(task: Task) -> list[dict[str, Any]]:
    """Each active rule of the task's agency, checked against the task's version."""
    application = task.application
    assert application.legal_form is not None
    facts = Facts(application, task.version.snapshot, application.legal_form)
    results = []
    for rule in StraightThroughRule.objects.filter(agency=task.agency, active=True):
        check = CHECKS.get(rule.check_name)
        detail = check(facts, rule.parameter) if check else _("Unknown check.")
        results.append({"rule": rule.code, "passed": detail is None, "detail": detail or ""})
    return results


def decide_straight_through(task_id: int) -> bool:
    """Approve an open task when its agency's rules all hold. Idempotent: a task that is no
    longer open is left alone. Returns whether the system approved it."""
    with transaction.atomic():
        application_id = Task.objects.filter(pk=task_id).values_list("application_id").first()
        if application_id is None:
            return False
        _lock_file(application_id[0])
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the legal form's outer
        # join, and locking the joined agency row would queue every decision of the agency.
        task = (
            Task.objects.select_for_update(of=("self",))
            .select_related("agency", "version", "application__legal_form", "application__owner")
            .get(pk=task_id)
        )
        if task.status != TaskStatus.OPEN:
            return False
        # The name checked free stays free until this commits (and see approve_task).
        _hold_register_before_entering([task])
        task.checks = evaluate(task)
        clean = bool(task.checks) and all(c["passed"] for c in task.checks)
        if clean:
            rules = ",".join(c["rule"] for c in task.checks)
            _move(task, TaskStatus.APPROVED, None, rule=rules)
        task.save()
        if clean:
            _after_approval(task)
    return clean


# -- what follows a decision --------------------------------------------------------------


def _after_approval(task: Task) -> None:
    application = task.application
    reference = application.reference or ""
    if task.agency.code == "MOC":
        business = entries.enter_business(task.version.snapshot, reference)
        _use_reservations(application, business)
    elif task.agency.code in OUTPUTS:
        business = Business.objects.get(application_reference=reference)
        OUTPUTS[task.agency.code](business, task.version.snapshot, reference)
    _open_ready(application)
    _follow_tasks(application)


def _use_reservations(application: Application, business: Business) -> None:
    """The applicant's reservation of the registered Khmer name is used up: the register
    holds the name from now on."""
    reservations = active_reservations_of_name(KHMER, business.name_km_normalized)
    for reservation in reservations.filter(applicant=application.owner):
        use_reservation(application.owner, reservation, note=application.reference or "")


def _follow_tasks(application: Application) -> None:
    """The application's status from its tasks: rejected if one is, correction needed while
    one waits for the applicant, registered when all are approved."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    statuses = list(app.tasks.values_list("status", "correction_sections"))
    if any(s == TaskStatus.REJECTED for s, _sections in statuses):
        target = Status.REJECTED
        for task in app.tasks.select_for_update().exclude(status__in=FINISHED):
            _move(task, TaskStatus.CANCELLED, None, note=_("Another agency rejected the file."))
            task.save()
    elif any(s == TaskStatus.CORRECTION_REQUESTED for s, _sections in statuses):
        target = Status.CORRECTION_REQUESTED
    elif statuses and all(s == TaskStatus.APPROVED for s, _sections in statuses):
        target = Status.APPROVED
    else:
        target = Status.SUBMITTED
    sections = sorted(
        {x for s, found in statuses if s == TaskStatus.CORRECTION_REQUESTED for x in found}
    )
    more_asked = bool(set(sections) - set(app.correction_sections))
    if sections != app.correction_sections:
        app.correction_sections = sections
        app.save(update_fields=["correction_sections"])
    if target != app.status:
        app.move_to(target, by=None)
        if target == Status.REJECTED:
            hooks.run_on_rejected(app)
        _notify(app, target)
    elif target == Status.CORRECTION_REQUESTED and more_asked:
        _notify(app, target)  # a second agency asks for more while the file is with the applicant


def _notify(application: Application, status: str) -> None:
    from singleportal.agencies.tasks import tell_applicant

    application_id = application.pk
    transaction.on_commit(lambda: tell_applicant.delay(application_id, status))


def cancel_tasks(application: Application, user: Any) -> None:
    """On withdrawal (the hook, inside its transaction)."""
    for task in application.tasks.select_for_update().exclude(status__in=FINISHED):
        _move(task, TaskStatus.CANCELLED, user, note=_("The applicant withdrew the file."))
        task.save()
