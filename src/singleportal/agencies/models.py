"""Agencies, the plan of their work on an application, and their decisions.

A submitted application gets one Task per agency involved, from the PlanStep rows (which
agency, after which others, when, with what deadline). Task status moves only along
TRANSITIONS; every move is an append-only TaskDecision row (who or which rule, when, why).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from singleportal.core.models import AppendOnly


class Agency(models.Model):
    """One of the six agencies joined on the platform (seeded by a data migration)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_km = models.CharField(_("name in Khmer"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_km


class When(models.TextChoices):
    ALWAYS = "always", _("Every application")
    LEGAL_FORM = "legal_form", _("When the legal form lists the agency")
    INCENTIVES = "incentives", _("When investment incentives are asked for")


class PlanStep(models.Model):
    """What an agency does in a new registration: data the operator edits."""

    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="plan_step", verbose_name=_("agency")
    )
    when = models.CharField(_("involved"), max_length=16, choices=When.choices)
    after = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name=_("starts after")
    )
    sla_working_days = models.PositiveSmallIntegerField(
        _("deadline (working days)"),
        help_text=_("Counted from the day the task opens, in Cambodian working days."),
    )

    class Meta:
        ordering = ["agency__code"]
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")

    def __str__(self) -> str:
        return str(self.agency)


class TaskStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for another agency")
    OPEN = "open", _("Open")
    IN_REVIEW = "in_review", _("In review")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


# (from, to): the only moves. OPEN -> APPROVED is the system's (straight-through rules);
# officers claim first. CANCELLED: another agency rejected the file, or it was withdrawn.
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (TaskStatus.WAITING, TaskStatus.OPEN),
        (TaskStatus.OPEN, TaskStatus.IN_REVIEW),
        (TaskStatus.OPEN, TaskStatus.APPROVED),
        (TaskStatus.IN_REVIEW, TaskStatus.OPEN),
        (TaskStatus.IN_REVIEW, TaskStatus.APPROVED),
        (TaskStatus.IN_REVIEW, TaskStatus.CORRECTION_REQUESTED),
        (TaskStatus.IN_REVIEW, TaskStatus.REJECTED),
        (TaskStatus.CORRECTION_REQUESTED, TaskStatus.OPEN),
        *(
            (status, TaskStatus.CANCELLED)
            for status in (
                TaskStatus.WAITING,
                TaskStatus.OPEN,
                TaskStatus.IN_REVIEW,
                TaskStatus.CORRECTION_REQUESTED,
            )
        ),
    }
)
FINISHED = frozenset({TaskStatus.APPROVED, TaskStatus.REJECTED, TaskStatus.CANCELLED})
WORKABLE = frozenset({TaskStatus.OPEN, TaskStatus.IN_REVIEW})


class Task(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="tasks"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tasks")
    # The tasks that must be approved before this one opens.
    after = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=24, choices=TaskStatus.choices, default=TaskStatus.WAITING
    )
    # The submitted version the task works on: a resubmission moves it on.
    version = models.ForeignKey(
        "applications.ApplicationVersion", on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tasks",
        verbose_name=_("assigned to"),
    )
    escalated = models.BooleanField(_("escalated to the head"), default=False)
    sla_working_days = models.PositiveSmallIntegerField(_("deadline (working days)"))
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The sections (wizard steps) an open correction request names.
    correction_sections = models.JSONField(default=list, blank=True)
    # What the straight-through rules found the last time they ran (shown to officers).
    checks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["application", "agency"], name="task_once_per_agency")
        ]
        indexes = [models.Index(fields=["agency", "status", "due_on"], name="task_queue")]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.application}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class ReasonKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    REJECTION = "rejection", _("Rejection")


class DecisionReason(models.Model):
    """The reasons an agency chooses from when it asks for a correction or rejects."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reasons")
    kind = models.CharField(_("used for"), max_length=16, choices=ReasonKind.choices)
    code = models.CharField(_("code"), max_length=32)
    text_km = models.CharField(_("text in Khmer"), max_length=300)
    text_en = models.CharField(_("text in English"), max_length=300)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["agency__code", "kind", "code"]
        verbose_name = _("decision reason")
        verbose_name_plural = _("decision reasons")
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="reason_code_once")]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def text(self) -> str:
        return self.text_en if get_language() == "en" else self.text_km


class TaskDecision(AppendOnly):
    """Append-only: one row per move of a task (claims and releases included)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="decisions")
    from_status = models.CharField(max_length=24, choices=TaskStatus.choices)
    to_status = models.CharField(max_length=24, choices=TaskStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.ForeignKey(
        DecisionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    rule = models.CharField(max_length=300, blank=True)  # the rules when the system decided
    version_number = models.PositiveIntegerField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.task}: {self.from_status} -> {self.to_status}"


class TaskComment(models.Model):
    """An internal note between officers; the applicant never sees it."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class StraightThroughRule(models.Model):
    """One condition of an agency's straight-through rule set. A task is approved by the
    system when its agency has active rules and every one of them holds for the file."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="rules")
    code = models.CharField(_("code"), max_length=32, unique=True)
    check_name = models.CharField(_("check"), max_length=32)  # a key of agencies.checks.CHECKS
    parameter = models.BigIntegerField(_("parameter"), null=True, blank=True)
    description_km = models.CharField(_("description in Khmer"), max_length=300)
    description_en = models.CharField(_("description in English"), max_length=300)
    active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["agency__code", "code"]
        verbose_name = _("straight-through rule")
        verbose_name_plural = _("straight-through rules")

    def __str__(self) -> str:
        return self.code

    @property
    def description(self) -> str:
        return self.description_en if get_language() == "en" else self.description_km
