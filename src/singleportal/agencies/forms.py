"""Back-office forms: the queue's filters (a GET form, so a filtered queue is a link to share)
and one form per decision. They turn text into types; the rules live in the actions, whose
messages the pages show beside the same fields."""

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from singleportal.accounts.models import User
from singleportal.agencies import sla
from singleportal.agencies.models import (
    WORKABLE,
    Agency,
    DecisionReason,
    ReasonKind,
    Task,
    TaskStatus,
)
from singleportal.agencies.selectors import officers_of
from singleportal.agencies.sla import RiskBounds
from singleportal.applications.models import Section
from singleportal.applications.selectors import legal_forms
from singleportal.geo.selectors import provinces

WORKABLE_CHOICE = "workable"
ALL_CHOICE = "all"

SORTS = {
    "due": (F("due_on").asc(nulls_last=True), "pk"),
    "-due": (F("due_on").desc(nulls_last=True), "-pk"),
    "opened": (F("opened_at").asc(nulls_last=True), "pk"),
    "-submitted": (F("application__submitted_at").desc(nulls_last=True), "-pk"),
}


class QueueFilterForm(forms.Form):
    """Every field is optional; an empty form is the default queue (open and in review, the
    nearest deadline first)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    older_than = forms.IntegerField(
        label=_("Opened more than this many days ago"),
        required=False,
        min_value=0,
        max_value=3650,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    risk = forms.ChoiceField(label=_("Deadline"), required=False)
    legal_form = forms.ChoiceField(label=_("Legal form"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    mine = forms.BooleanField(label=_("Only files assigned to me"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("due", _("Deadline, nearest first")),
            ("-due", _("Deadline, latest first")),
            ("opened", _("Waiting longest first")),
            ("-submitted", _("Newest files first")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (WORKABLE_CHOICE, _("Open or in review")),
            *TaskStatus.choices,
            (ALL_CHOICE, _("Any status")),
        ]
        self.fields["risk"].choices = [("", _("Any")), *sla.RISKS.items()]  # type: ignore[attr-defined]
        self.fields["legal_form"].choices = [  # type: ignore[attr-defined]
            ("", _("Any")),
            *((form.code, form.name) for form in legal_forms()),
        ]
        self.province_names = {p.code: p.name for p in provinces()}
        self.fields["province"].choices = [  # type: ignore[attr-defined]
            ("", _("Any")),
            *self.province_names.items(),
        ]

    def apply(self, tasks: QuerySet[Task], user: User, bounds: RiskBounds) -> QuerySet[Task]:
        """The tasks the filters keep, in the chosen order (an invalid filter is ignored)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status = data.get("status") or WORKABLE_CHOICE
        if status == WORKABLE_CHOICE:
            tasks = tasks.filter(status__in=WORKABLE)
        elif status != ALL_CHOICE:
            tasks = tasks.filter(status=status)
        if data.get("older_than") is not None:
            tasks = tasks.filter(opened_at__lt=timezone.now() - timedelta(days=data["older_than"]))
        if data.get("risk"):
            tasks = tasks.filter(bounds.where(data["risk"]))
        if data.get("legal_form"):
            tasks = tasks.filter(application__legal_form__code=data["legal_form"])
        if data.get("province"):
            tasks = tasks.filter(application__province_code=data["province"])
        if data.get("mine"):
            tasks = tasks.filter(assignee=user)
        return tasks.order_by(*SORTS[data.get("sort") or "due"])


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _ReasonForm(NoteForm):
    kind: str = ""
    reason = forms.ChoiceField(
        label=_("Reason"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason from the list.")},
    )
    field_order = ["reason", "sections", "note"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reasons = DecisionReason.objects.filter(agency=agency, kind=self.kind, active=True)
        self.fields["reason"].choices = [(r.code, r.text) for r in reasons]  # type: ignore[attr-defined]


class CorrectionForm(_ReasonForm):
    kind = ReasonKind.CORRECTION
    sections = forms.MultipleChoiceField(
        label=_("What must the applicant correct?"),
        choices=Section.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose what the applicant must correct.")},
    )
    note = forms.CharField(
        label=_("Message to the applicant (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(_ReasonForm):
    kind = ReasonKind.REJECTION


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Why should the head look at this file?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the head should look at this task.")},
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Internal comment (the applicant never sees it)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a comment.")},
    )


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("Give this file to"),
        queryset=User.objects.none(),
        empty_label=_("Choose an officer"),
        error_messages={
            "required": _("Choose an officer of this agency."),
            "invalid_choice": _("Choose an officer of this agency."),
        },
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = officers_of(agency)  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    """No fields: claim and release carry only the action's own message when it is refused."""


class TaskIdsField(forms.Field):
    """The ticked rows of the queue: task ids (the selector keeps only the agency's own)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            return sorted({int(v) for v in value or []})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Tick the clean files to approve.")) from None


class BulkApproveForm(forms.Form):
    tasks = TaskIdsField(error_messages={"required": _("Tick the clean files to approve.")})
