"""The operator's tools for the agencies: the plan, the reasons officers choose from and the
straight-through rules are data edited here, each edit in the audit chain. Tasks and their
decisions are shown read-only: they move only through agencies.actions, and a decision is
never changed."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from singleportal.agencies.checks import CHECKS
from singleportal.agencies.models import (
    Agency,
    DecisionReason,
    PlanStep,
    StraightThroughRule,
    Task,
    TaskComment,
    TaskDecision,
)
from singleportal.config.admin import AuditedModelAdmin, ViewOnlyAdmin, ViewOnlyInline, admin_site


@admin.register(Agency, site=admin_site)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ("code", "name_km", "name_en")


class PlanStepForm(forms.ModelForm):
    class Meta:
        model = PlanStep
        fields = ["agency", "when", "after", "sla_working_days"]

    def clean(self) -> dict[str, Any]:
        """Refuse a cycle: its tasks would wait for each other for ever."""
        data = super().clean() or {}
        agency = data.get("agency") or getattr(self.instance, "agency", None)
        after = data.get("after")
        if agency is None or after is None:
            return data
        graph = {
            step.agency_id: {a.pk for a in step.after.all()}
            for step in PlanStep.objects.prefetch_related("after")
        }
        graph[agency.pk] = {a.pk for a in after}
        seen: set[int] = set()
        todo = list(graph[agency.pk])
        while todo:
            current = todo.pop()
            if current == agency.pk:
                raise forms.ValidationError(
                    {"after": _("This order would make agencies wait for each other for ever.")}
                )
            if current not in seen:
                seen.add(current)
                todo.extend(graph.get(current, ()))
        return data


@admin.register(PlanStep, site=admin_site)
class PlanStepAdmin(AuditedModelAdmin):
    """Which agencies work on a new registration, after whom, and how fast. Changes apply to
    files submitted from then on; tasks already planned keep theirs."""

    form = PlanStepForm
    list_display = ("agency", "when", "starts_after", "sla_working_days")
    list_select_related = ("agency",)
    filter_horizontal = ("after",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("after")

    @admin.display(description=_("starts after"))
    def starts_after(self, step: PlanStep) -> str:
        return ", ".join(sorted(a.code for a in step.after.all())) or "-"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("agency",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Without its step an agency would silently drop out of every new file.
        return False


@admin.register(DecisionReason, site=admin_site)
class DecisionReasonAdmin(AuditedModelAdmin):
    """Retired with "in use", never deleted: past decisions point at their reason."""

    list_display = ("code", "agency", "kind", "text_km", "text_en", "active")
    list_filter = ("agency", "kind", "active")
    list_select_related = ("agency",)
    search_fields = ("code", "text_km", "text_en")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The audit chain names reasons by code: a code keeps its meaning once saved.
        return ("agency", "code") if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StraightThroughRuleForm(forms.ModelForm):
    check_name = forms.ChoiceField(label=_("check"), choices=[])

    class Meta:
        model = StraightThroughRule
        fields = [
            "agency",
            "code",
            "check_name",
            "parameter",
            "description_km",
            "description_en",
            "active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The checks are code (agencies/checks.py); a rule picks one of them by name.
        field = self.fields["check_name"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in sorted(CHECKS)]


@admin.register(StraightThroughRule, site=admin_site)
class StraightThroughRuleAdmin(AuditedModelAdmin):
    """An agency's tasks are approved by the system when every active rule of the agency
    holds. Retire a rule with "in force"; decisions name the rules that fired by code."""

    form = StraightThroughRuleForm
    list_display = ("code", "agency", "check_name", "parameter", "description_en", "active")
    list_filter = ("agency", "active", "check_name")
    list_select_related = ("agency",)
    search_fields = ("code", "description_km", "description_en")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DecisionInline(ViewOnlyInline):
    model = TaskDecision
    fields = ("at", "from_status", "to_status", "actor", "reason", "rule", "note", "version_number")
    readonly_fields = fields
    ordering = ("at", "pk")


class CommentInline(ViewOnlyInline):
    model = TaskComment
    fields = ("at", "author", "text")
    readonly_fields = fields


@admin.register(Task, site=admin_site)
class TaskAdmin(ViewOnlyAdmin):
    list_display = ("application", "agency", "status", "assignee", "due_on", "escalated")
    list_filter = ("agency", "status", "escalated")
    list_select_related = ("application", "agency", "assignee")
    search_fields = ("application__reference", "application__name_km", "application__name_en")
    date_hierarchy = "created_at"
    inlines = [DecisionInline, CommentInline]


@admin.register(TaskDecision, site=admin_site)
class TaskDecisionAdmin(ViewOnlyAdmin):
    """Append-only: one row per move of a task."""

    list_display = ("at", "task", "from_status", "to_status", "actor", "reason", "rule")
    list_filter = ("task__agency", "to_status")
    list_select_related = ("task__agency", "task__application", "actor", "reason")
    search_fields = ("task__application__reference", "rule", "note")
    date_hierarchy = "at"
