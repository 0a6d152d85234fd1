"""The agencies' back office as an API: /api/v1/office/{agency}/. Same actions and messages as
the pages (in the language of Accept-Language).

Who may call: officers of the agency in the path (a verified session, past the second factor,
or an API token). Anyone else signed in gets 403; an officer of another agency gets 404, as if
the agency's tasks did not exist. An action's refusal is 422 (the request itself is wrong) or
409 (the task has moved on: someone else claimed or decided it first), in the shape of the
other endpoints: {"detail": ..., "problems": [...]}.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, CharField, QuerySet, Value, When
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from singleportal.accounts.models import Role, User
from singleportal.agencies import actions, selectors, sla
from singleportal.agencies.models import (
    Agency,
    DecisionReason,
    Task,
    TaskComment,
    TaskStatus,
)
from singleportal.core.refusals import ErrorOut, refusal

router = Router(tags=["office"])

# An action's refusals that mean "the task is no longer where you saw it" rather than "your
# request is wrong": the caller should reload the task.
CONFLICTS = frozenset({"already_decided", "not_claimed", "transition", "not_clean", "waiting"})
RISKS = (sla.ON_TIME, sla.NEAR, sla.LATE)
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---------------------------------------------------------------- schemas


class TaskOut(Schema):
    id: int
    reference: str | None
    application_id: UUID
    name_km: str
    name_en: str
    legal_form: str | None
    status: str
    status_label: str
    assignee: str | None
    assignee_id: int | None
    escalated: bool
    opened_at: datetime | None
    due_on: date | None
    risk: str
    version_number: int

    @staticmethod
    def resolve_reference(task: Task) -> str | None:
        return task.application.reference

    @staticmethod
    def resolve_application_id(task: Task) -> UUID:
        return task.application.public_id

    @staticmethod
    def resolve_name_km(task: Task) -> str:
        return task.application.name_km

    @staticmethod
    def resolve_name_en(task: Task) -> str:
        return task.application.name_en

    @staticmethod
    def resolve_legal_form(task: Task) -> str | None:
        form = task.application.legal_form
        return form.code if form else None

    @staticmethod
    def resolve_status_label(task: Task) -> str:
        return str(task.get_status_display())

    @staticmethod
    def resolve_assignee(task: Task) -> str | None:
        return str(task.assignee) if task.assignee else None

    @staticmethod
    def resolve_version_number(task: Task) -> int:
        return task.version.number


class CheckOut(Schema):
    rule: str
    passed: bool
    detail: str


class DecisionOut(Schema):
    from_status: str
    to_status: str
    actor: str | None  # None: the system (straight-through rules, or a move another made)
    at: datetime
    reason: str | None
    reason_text: str
    note: str
    rule: str
    version_number: int


class CommentOut(Schema):
    id: int
    author: str
    at: datetime
    text: str


class VersionOut(Schema):
    number: int
    sha256: str
    submitted_at: datetime
    snapshot: dict


class TaskDetailOut(TaskOut):
    correction_sections: list[str]
    checks: list[CheckOut]
    decisions: list[DecisionOut]
    comments: list[CommentOut]
    version: VersionOut

    @staticmethod
    def resolve_decisions(task: Task) -> list[dict[str, Any]]:
        return [
            {
                "from_status": d.from_status,
                "to_status": d.to_status,
                "actor": str(d.actor) if d.actor else None,
                "at": d.at,
                "reason": d.reason.code if d.reason else None,
                "reason_text": d.reason.text if d.reason else "",
                "note": d.note,
                "rule": d.rule,
                "version_number": d.version_number,
            }
            for d in task.decisions.select_related("actor", "reason")
        ]

    @staticmethod
    def resolve_comments(task: Task) -> list[dict[str, Any]]:
        return [
            {"id": c.pk, "author": str(c.author), "at": c.at, "text": c.text}
            for c in task.comments.select_related("author")
        ]

    @staticmethod
    def resolve_version(task: Task) -> dict[str, Any]:
        version = task.version
        return {
            "number": version.number,
            "sha256": version.sha256,
            "submitted_at": version.submitted_at,
            "snapshot": version.snapshot,
        }


class ReasonOut(Schema):
    code: str
    kind: str
    text: str


class OfficerOut(Schema):
    id: int
    name: str
    level: str


class NoteIn(Schema):
    note: str = ""


class CorrectionIn(Schema):
    reason: str
    sections: list[str]
    note: str = ""


class RejectIn(Schema):
    reason: str
    note: str = ""


class ReassignIn(Schema):
    to: int


class CommentIn(Schema):
    text: str


class EscalateIn(Schema):
    note: str


# ---------------------------------------------------------------- helpers


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _agency(request: HttpRequest, code: str) -> Agency:
    user = _user(request)
    if not user.has_any_role(Role.OFFICER):
        raise HttpError(403, _("Only agency officers may use the back office."))
    try:
        return selectors.agency_for(user, code)
    except Http404 as exc:
        raise HttpError(404, _("No such agency.")) from exc


def with_risk(tasks: QuerySet[Task], bounds: sla.RiskBounds) -> QuerySet[Task]:
    """Each task's deadline risk (sla.risk, through sla.RiskBounds) computed by the
    database, so that a page of tasks costs one query."""
    return tasks.annotate(
        risk=Case(
            When(bounds.where(sla.LATE), then=Value(sla.LATE)),
            When(bounds.where(sla.NEAR), then=Value(sla.NEAR)),
            default=Value(sla.ON_TIME),
            output_field=CharField(),
        )
    )


def _tasks(request: HttpRequest, agency: Agency, bounds: sla.RiskBounds) -> QuerySet[Task]:
    tasks = selectors.tasks_of(_user(request), agency).select_related("version")
    return with_risk(tasks.defer("version__snapshot"), bounds)


def _task(request: HttpRequest, code: str, task_id: int) -> Task:
    agency = _agency(request, code)
    tasks = selectors.tasks_of(_user(request), agency).select_related("version")
    found = with_risk(tasks, sla.risk_bounds()).filter(pk=task_id).first()
    if found is None:
        raise HttpError(404, _("No such task."))
    return found


def _refusal(error: ValidationError) -> Status:
    """An action's ValidationError as 409 (the task moved on) or 422, with its messages."""
    code = getattr(error, "code", None)
    return Status(409 if code in CONFLICTS else 422, refusal(error))


def _act(request: HttpRequest, code: str, task_id: int, action: Any, **data: Any) -> Any:
    """Run an officer's action on the task and answer with the task as it now is."""
    task = _task(request, code, task_id)
    try:
        action(task, _user(request), **data)
    except ValidationError as exc:
        return _refusal(exc)
    except PermissionDenied as exc:
        raise HttpError(403, _("Only the head of the agency may do this.")) from exc
    return _task(request, code, task_id)


# ---------------------------------------------------------------- reading


@router.get(
    "/{agency}/tasks",
    response={200: list[TaskOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The agency's tasks, soonest deadline first (filters: status, risk)",
)
@paginate(PageNumberPagination, page_size=50)
def list_tasks(request: HttpRequest, agency: str, status: str = "", risk: str = "") -> Any:
    bounds = sla.risk_bounds()
    found = _tasks(request, _agency(request, agency), bounds)
    if status:
        if status not in TaskStatus.values:
            raise HttpError(422, _("Unknown status: %(status)s.") % {"status": status})
        found = found.filter(status=status)
    if risk:
        if risk not in RISKS:
            raise HttpError(422, _("Unknown risk: %(risk)s.") % {"risk": risk})
        found = found.filter(bounds.where(risk))
    return found


@router.get(
    "/{agency}/tasks/{task_id}",
    response={200: TaskDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="One task: the submitted version it works on, the checks, every decision",
    description="Each look is recorded in the audit log.",
)
def get_task(request: HttpRequest, agency: str, task_id: int) -> Task:
    task = _task(request, agency, task_id)
    actions.record_view(task, _user(request))
    return task


@router.get(
    "/{agency}/reasons",
    response={200: list[ReasonOut], 403: ErrorOut, 404: ErrorOut},
    summary="The reasons to choose from when asking a correction or rejecting",
)
def list_reasons(request: HttpRequest, agency: str) -> list:
    found = DecisionReason.objects.filter(agency=_agency(request, agency), active=True)
    return [{"code": r.code, "kind": r.kind, "text": r.text} for r in found]


@router.get(
    "/{agency}/officers",
    response={200: list[OfficerOut], 403: ErrorOut, 404: ErrorOut},
    summary="The agency's officers (whom a head may give a task to)",
)
def list_officers(request: HttpRequest, agency: str) -> list:
    found = _agency(request, agency)
    return [
        {"id": o.pk, "name": str(o), "level": selectors.officer_level(o, found.code) or ""}
        for o in selectors.officers_of(found)
    ]


# ---------------------------------------------------------------- moves


@router.post(
    "/{agency}/tasks/{task_id}/claim",
    response={200: TaskDetailOut, **ERRORS},
    summary="Claim an open task: it is then in your review",
)
def claim_task(request: HttpRequest, agency: str, task_id: int) -> Any:
    return _act(request, agency, task_id, actions.claim_task)


@router.post(
    "/{agency}/tasks/{task_id}/release",
    response={200: TaskDetailOut, **ERRORS},
    summary="Put a task in your review back in the queue, undecided",
)
def release_task(request: HttpRequest, agency: str, task_id: int) -> Any:
    return _act(request, agency, task_id, actions.release_task)


@router.post(
    "/{agency}/tasks/{task_id}/approve",
    response={200: TaskDetailOut, **ERRORS},
    summary="Approve a task in your review",
    description="When every agency has approved, the business is registered.",
)
def approve_task(request: HttpRequest, agency: str, task_id: int, payload: NoteIn) -> Any:
    return _act(request, agency, task_id, actions.approve_task, note=payload.note)


@router.post(
    "/{agency}/tasks/{task_id}/correction",
    response={200: TaskDetailOut, **ERRORS},
    summary="Send the file back to the applicant, naming the sections to correct",
)
def request_correction(
    request: HttpRequest, agency: str, task_id: int, payload: CorrectionIn
) -> Any:
    return _act(
        request,
        agency,
        task_id,
        actions.request_correction,
        reason=payload.reason,
        sections=payload.sections,
        note=payload.note,
    )


@router.post(
    "/{agency}/tasks/{task_id}/reject",
    response={200: TaskDetailOut, **ERRORS},
    summary="Reject the file (the other agencies' open tasks are cancelled)",
)
def reject_task(request: HttpRequest, agency: str, task_id: int, payload: RejectIn) -> Any:
    return _act(
        request, agency, task_id, actions.reject_task, reason=payload.reason, note=payload.note
    )


@router.post(
    "/{agency}/tasks/{task_id}/reassign",
    response={200: TaskDetailOut, **ERRORS},
    summary="Give a task to another officer of the agency (heads only)",
)
def reassign_task(request: HttpRequest, agency: str, task_id: int, payload: ReassignIn) -> Any:
    # Someone who is no officer here is refused by the action, after it has checked the
    # caller is the head (a clerk learns nothing about who the officers are).
    to = User.objects.filter(pk=payload.to, is_active=True).first() or AnonymousUser()
    return _act(request, agency, task_id, actions.reassign_task, to=to)


@router.post(
    "/{agency}/tasks/{task_id}/escalate",
    response={200: TaskDetailOut, **ERRORS},
    summary="Ask the head to look at a task, saying why",
)
def escalate_task(request: HttpRequest, agency: str, task_id: int, payload: EscalateIn) -> Any:
    return _act(request, agency, task_id, actions.escalate_task, note=payload.note)


@router.post(
    "/{agency}/tasks/{task_id}/comments",
    response={201: CommentOut, **ERRORS},
    summary="Add an internal comment (officers only; the applicant never sees it)",
)
def comment_on_task(request: HttpRequest, agency: str, task_id: int, payload: CommentIn) -> Any:
    task = _task(request, agency, task_id)
    try:
        comment: TaskComment = actions.comment_on_task(task, _user(request), text=payload.text)
    except ValidationError as exc:
        return _refusal(exc)
    body = {"id": comment.pk, "author": str(comment.author), "at": comment.at, "text": comment.text}
    return Status(201, body)
