"""What the applicant sees of the agencies' work on their file (the progress page, its API and
the messages): each agency's step and when it is expected or was done, what an agency asked
for and why, the whole file's expected completion and legal deadline, and what the register
holds once the business is entered. Officers' internal comments never appear here."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from singleportal.agencies import sla
from singleportal.agencies.models import FINISHED, Task, TaskDecision, TaskStatus
from singleportal.applications.models import Application, Section, Status
from singleportal.registry.models import Business, BusinessRecord

# The statuses after which an agency tells the applicant why (reason and note).
EXPLAINED = frozenset({TaskStatus.CORRECTION_REQUESTED, TaskStatus.REJECTED})


@dataclass(frozen=True)
class SectionLabel:
    code: str
    label: str


@dataclass(frozen=True)
class AgencyStep:
    agency_code: str
    agency_name: str
    status: str
    status_label: str
    # The day the agency finished, or the day it is expected to (None while the applicant is
    # asked for a correction, or for a cancelled step).
    on: date | None
    done: bool
    reason: str = ""
    note: str = ""
    sections: list[SectionLabel] = field(default_factory=list)


@dataclass(frozen=True)
class Progress:
    application: Application
    steps: list[AgencyStep]
    expected_completion: date | None
    legal_deadline: date | None
    business: Business | None
    records: list[BusinessRecord]

    @property
    def in_progress(self) -> bool:
        """While agencies are working: the page keeps itself up to date."""
        return self.application.status == Status.SUBMITTED

    @property
    def corrections(self) -> list[AgencyStep]:
        return [s for s in self.steps if s.status == TaskStatus.CORRECTION_REQUESTED]

    @property
    def rejections(self) -> list[AgencyStep]:
        return [s for s in self.steps if s.status == TaskStatus.REJECTED]

    @property
    def correction_sections(self) -> list[SectionLabel]:
        return section_labels(self.application.correction_sections)


def section_labels(codes: list[str]) -> list[SectionLabel]:
    """The sections named by `codes`, in the wizard's order."""
    return [SectionLabel(s.value, str(s.label)) for s in Section if s.value in codes]


def _depth(task: Task, by_pk: dict[int, Task], seen: frozenset[int] = frozenset()) -> int:
    """How many agencies come before this one: the order the applicant reads the steps in."""
    before = [by_pk[t.pk] for t in task.after.all() if t.pk in by_pk and t.pk not in seen]
    return 1 + max((_depth(t, by_pk, seen | {task.pk}) for t in before), default=0)


def _step(task: Task, on: date | None) -> AgencyStep:
    reason = note = ""
    sections: list[SectionLabel] = []
    if task.status in EXPLAINED:
        decisions = [d for d in task.decisions.all() if d.to_status == task.status]
        if decisions:
            last = decisions[-1]
            reason = last.reason.text if last.reason else ""
            note = last.note
        sections = section_labels(task.correction_sections)
    shows_date = task.status not in (TaskStatus.CORRECTION_REQUESTED, TaskStatus.CANCELLED)
    return AgencyStep(
        agency_code=task.agency.code,
        agency_name=task.agency.name,
        status=task.status,
        status_label=str(task.get_status_display()),
        on=on if shows_date else None,
        done=task.status in FINISHED,
        reason=reason,
        note=note,
        sections=sections,
    )


def progress_of(application: Application) -> Progress:
    """The progress of a file the caller may already see (applications.selectors)."""
    tasks = list(
        application.tasks.select_related("agency").prefetch_related(
            "after",
            Prefetch("decisions", queryset=TaskDecision.objects.select_related("reason")),
        )
    )
    expected = sla.expected(tasks)
    by_pk = {t.pk: t for t in tasks}
    tasks.sort(key=lambda t: (_depth(t, by_pk), t.agency.code))
    business = (
        Business.objects.filter(application_reference=application.reference).first()
        if application.reference and tasks
        else None
    )
    records = list(business.records.order_by("issued_at", "pk")) if business else []
    # The promise runs from the latest submission: the file as it stands was handed in then.
    submitted = application.submitted_at
    deadline = sla.file_due_on(timezone.localdate(submitted)) if submitted else None
    live = application.status in (Status.SUBMITTED, Status.APPROVED)
    return Progress(
        application=application,
        steps=[_step(t, expected.by_task.get(t.pk)) for t in tasks],
        expected_completion=expected.completion if live else None,
        legal_deadline=deadline if application.status != Status.DRAFT else None,
        business=business,
        records=records,
    )
