"""The officers' back office: each agency's queue, the task page where a file is decided, the
files' documents and, for heads, the workload of the team.

Every page is for officers (role_required, and the second factor by middleware); an officer of
another agency gets 404 from the selectors, never a hint that the file exists. Writes go through
agencies.actions: a refused move comes back as the action's message on the page, with what
the officer typed kept.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_POST

from singleportal.accounts.models import Role, User
from singleportal.agencies import actions, presenting, selectors, sla
from singleportal.agencies import forms as office
from singleportal.agencies.models import (
    Agency,
    Task,
    TaskStatus,
)
from singleportal.applications.models import (
    Document,
    Section,
)
from singleportal.audit import chain as audit
from singleportal.core.access import role_required
from singleportal.core.forms import apply_errors

PAGE_SIZE = 50

officer_only = role_required(Role.OFFICER)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _queue_url(agency: Agency, query: str = "") -> str:
    url = reverse("agencies:queue", args=[agency.code.lower()])
    return f"{url}?{query}" if query else url


def _task_url(task: Task) -> str:
    return reverse("agencies:task", args=[task.agency.code.lower(), task.pk])


# ---------------------------------------------------------------- agencies and the queue


@officer_only
def home(request: HttpRequest) -> HttpResponse:
    agencies = list(selectors.agencies_of(_user(request)))
    if len(agencies) == 1:
        return redirect(_queue_url(agencies[0]))
    return render(request, "agencies/home.html", {"agencies": agencies})


@dataclass(frozen=True)
class Row:
    task: Task
    risk: str
    risk_label: str
    province: str


@officer_only
def queue(request: HttpRequest, agency: str) -> HttpResponse:
    user = _user(request)
    found = selectors.agency_for(user, agency)
    bounds = sla.risk_bounds()
    filters = office.QueueFilterForm(request.GET or None)
    tasks = filters.apply(selectors.tasks_of(user, found), user, bounds)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        Row(
            task,
            risk := bounds.of(task),
            str(sla.RISKS[risk]),
            filters.province_names.get(task.application.province_code, ""),
        )
        for task in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "agency": found,
        "filters": filters,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "is_head": selectors.is_head(user, found.code),
        "open_status": TaskStatus.OPEN,
    }
    return render(request, "agencies/queue.html", context)


@officer_only
@require_POST
def bulk_approve(request: HttpRequest, agency: str) -> HttpResponse:
    """Approve the ticked clean files at once (all or none, as the action decides)."""
    user = _user(request)
    found = selectors.agency_for(user, agency)
    # Back to the same filtered page: only the query string travels, never a whole URL.
    back = _queue_url(found, QueryDict(request.POST.get("query", "")).urlencode())
    form = office.BulkApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["tasks"]))
        return redirect(back)
    tasks = list(selectors.tasks_of(user, found).filter(pk__in=form.cleaned_data["tasks"]))
    if not tasks:
        messages.error(request, _("Tick the clean files to approve."))
        return redirect(back)
    try:
        approved = actions.bulk_approve(tasks, user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)d file approved.", "%(count)d files approved.", len(approved))
            % {"count": len(approved)},
        )
    return redirect(back)


# ---------------------------------------------------------------- the task page


def _task(request: HttpRequest, agency: str, task_id: int) -> Task:
    user = _user(request)
    return selectors.task_for(user, selectors.agency_for(user, agency), task_id)


FormFactory = Callable[[Any, Agency], forms.Form]

# The task page's forms, by the name of the action they post to.
FORMS: dict[str, FormFactory] = {
    "claim": lambda data, agency: office.ActionForm(data, prefix="claim"),
    "release": lambda data, agency: office.ActionForm(data, prefix="release"),
    "approve": lambda data, agency: office.NoteForm(data, prefix="approve"),
    "correction": lambda data, agency: office.CorrectionForm(
        data, agency=agency, prefix="correction"
    ),
    "reject": lambda data, agency: office.RejectForm(data, agency=agency, prefix="reject"),
    "escalate": lambda data, agency: office.EscalateForm(data, prefix="escalate"),
    "comment": lambda data, agency: office.CommentForm(data, prefix="comment"),
    "reassign": lambda data, agency: office.ReassignForm(data, agency=agency, prefix="reassign"),
}


def _render_task(
    request: HttpRequest, task: Task, failed: tuple[str, forms.Form] | None = None
) -> HttpResponse:
    user = _user(request)
    head = selectors.is_head(user, task.agency.code)
    mine = task.assignee_id == user.pk
    reviewing = task.status == TaskStatus.IN_REVIEW
    page_forms = {
        name: make(None, task.agency) for name, make in FORMS.items() if name != "reassign"
    }
    if head:
        page_forms["reassign"] = FORMS["reassign"](None, task.agency)
    if failed is not None:
        page_forms[failed[0]] = failed[1]
    deciding = reviewing and (mine or head)
    show = {
        "claim": task.status == TaskStatus.OPEN,
        "approve": deciding,
        "correction": deciding,
        "reject": deciding,
        "release": deciding,
        "reassign": head and task.status in (TaskStatus.OPEN, TaskStatus.IN_REVIEW),
        "escalate": not task.finished and not task.escalated,
    }
    if failed is not None and failed[0] in show:
        # A refused form stays on the page with what was typed, even when the file has moved
        # on meanwhile (the officer may want to copy the note into a comment).
        show[failed[0]] = True
    previous, changes = presenting.changes(task)
    context = {
        "agency": task.agency,
        "task": task,
        "application": task.application,
        "file": presenting.frozen_file(task),
        "checks": presenting.checks(task),
        "previous": previous,
        "changes": changes,
        "decisions": task.decisions.select_related("actor", "reason"),
        "comments": task.comments.select_related("author"),
        "forms": page_forms,
        "failed": failed[1] if failed else None,
        "is_head": head,
        "show": show,
        "reviewed_by_other": reviewing and not mine,
        "risk": str(sla.RISKS[sla.risk(task)]),
        "sections_sent_back": [presenting.label(Section, s) for s in task.correction_sections],
    }
    return render(request, "agencies/task.html", context)


@officer_only
def task_page(request: HttpRequest, agency: str, task_id: int) -> HttpResponse:
    task = _task(request, agency, task_id)
    actions.record_view(task, _user(request))
    return _render_task(request, task)


Act = Callable[[Task, User, dict[str, Any]], Any]


@dataclass(frozen=True)
class Move:
    """What one form of the task page does, and what the officer is told when it is done."""

    act: Act
    done: Callable[[Task], str]
    to_queue: bool = False  # a decision: on to the next file
    head_only: bool = False


def _ref(text: str) -> Callable[[Task], str]:
    return lambda task: _(text) % {"file": task.application.reference}


MOVES: dict[str, Move] = {
    "claim": Move(
        lambda task, user, data: actions.claim_task(task, user),
        lambda task: _("You are reviewing this file now."),
    ),
    "release": Move(
        lambda task, user, data: actions.release_task(task, user),
        _ref(gettext_noop("%(file)s is back in the queue.")),
        to_queue=True,
    ),
    "approve": Move(
        lambda task, user, data: actions.approve_task(task, user, note=data["note"]),
        _ref(gettext_noop("%(file)s approved.")),
        to_queue=True,
    ),
    "correction": Move(
        lambda task, user, data: actions.request_correction(
            task, user, reason=data["reason"], sections=data["sections"], note=data["note"]
        ),
        _ref(gettext_noop("%(file)s sent back to the applicant for correction.")),
        to_queue=True,
    ),
    "reject": Move(
        lambda task, user, data: actions.reject_task(
            task, user, reason=data["reason"], note=data["note"]
        ),
        _ref(gettext_noop("%(file)s rejected.")),
        to_queue=True,
    ),
    "escalate": Move(
        lambda task, user, data: actions.escalate_task(task, user, note=data["note"]),
        lambda task: _("The head of the agency will look at this file."),
    ),
    "comment": Move(
        lambda task, user, data: actions.comment_on_task(task, user, text=data["text"]),
        lambda task: _("Comment added."),
    ),
    "reassign": Move(
        lambda task, user, data: actions.reassign_task(task, user, to=data["to"]),
        lambda task: _("File given to another officer."),
        head_only=True,
    ),
}


@officer_only
@require_POST
def move(request: HttpRequest, agency: str, task_id: int, name: str) -> HttpResponse:
    """One move on the task page (the URL names it): the action, or the page again with the
    action's message and what the officer typed."""
    user = _user(request)
    step = MOVES[name]
    task = _task(request, agency, task_id)
    if step.head_only and not selectors.is_head(user, task.agency.code):
        raise PermissionDenied
    form = FORMS[name](request.POST, task.agency)
    if form.is_valid():
        try:
            step.act(task, user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, step.done(task))
            return redirect(_queue_url(task.agency) if step.to_queue else _task_url(task))
    # Show the task as it is now: another officer may have moved it meanwhile.
    return _render_task(request, _task(request, agency, task_id), failed=(name, form))


@officer_only
def document(request: HttpRequest, agency: str, task_id: int, document_id: int) -> FileResponse:
    """A file of the application, to the agency's officers only, always as a download; each
    download is in the audit chain, like each look at the task."""
    task = _task(request, agency, task_id)
    found = Document.with_removed.filter(application_id=task.application_id, pk=document_id).first()
    if found is None:
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    with transaction.atomic():
        audit.record(
            _user(request),
            "task.document_viewed",
            task,
            {"document": found.pk, "sha256": found.sha256, "version": task.version.number},
        )
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- heads


@officer_only
def workload(request: HttpRequest, agency: str) -> HttpResponse:
    user = _user(request)
    found = selectors.agency_for(user, agency)
    if not selectors.is_head(user, found.code):
        raise PermissionDenied
    context = {"agency": found, "workload": selectors.workload(found, sla.risk_bounds())}
    return render(request, "agencies/workload.html", context)
