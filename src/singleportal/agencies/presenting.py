"""The frozen version of a file as the task page shows it: codes named, people and
documents labelled, and what changed since the previous version."""

import json
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from singleportal.activities.models import Activity
from singleportal.agencies.models import StraightThroughRule, Task
from singleportal.applications.models import (
    Application,
    ApplicationVersion,
    Document,
    DocumentKind,
    EmploymentPlan,
    IdKind,
    IncentiveRequest,
    PartyRole,
    PersonKind,
    Section,
    Signboard,
    TaxDetails,
)
from singleportal.applications.snapshot import diff
from singleportal.core import countries
from singleportal.geo.models import Level
from singleportal.geo.selectors import place


def display(value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""  # the page shows a dash
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def person(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        **entry,
        "role_label": label(PartyRole, entry.get("role", "")),
        "kind_label": label(PersonKind, entry.get("kind", "")),
        "id_kind_label": label(IdKind, entry.get("id_kind", "")),
        "nationality_name": countries.name(entry.get("nationality", "")),
    }


def documents(task: Task, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The frozen list, each entry with the stored file it names (the same content, kind and
    name; files removed after a submission are kept), or None if none matches."""
    stored = list(Document.with_removed.filter(application_id=task.application_id))
    shown = []
    for entry in entries:
        match = next(
            (
                d
                for d in stored
                if d.sha256 == entry.get("sha256")
                and d.kind == entry.get("kind")
                and d.original_name == entry.get("name")
            ),
            None,
        )
        if match is not None:
            stored.remove(match)
        shown.append({**entry, "kind_label": label(DocumentKind, entry["kind"]), "file": match})
    return shown


def frozen_file(task: Task) -> dict[str, Any]:
    """The frozen version, with names for its codes, as the page shows it."""
    snapshot = task.version.snapshot
    business = snapshot.get("business") or {}
    chosen = business.get("activities") or []
    names = {a.code: a.name for a in Activity.objects.filter(code__in=[a["code"] for a in chosen])}
    address = business.get("address") or {}
    places = {}
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE):
        code = address.get(level.value) or ""
        found = place(level, code) if code else None
        places[level.value] = found.name if found else code
    parent = snapshot.get("parent_company") or {}
    return {
        "snapshot": snapshot,
        "business": business,
        "activities": [{**a, "name": names.get(a["code"], "")} for a in chosen],
        "address": address,
        "places": places,
        "parent": {**parent, "country_name": countries.name(parent.get("country") or "")},
        "parties": [person(p) for p in snapshot.get("parties") or []],
        "owners": [person(p) for p in snapshot.get("beneficial_owners") or []],
        "documents": documents(task, snapshot.get("documents") or []),
    }


def checks(task: Task) -> list[dict[str, Any]]:
    rules = {r.code: r.description for r in StraightThroughRule.objects.filter(agency=task.agency)}
    return [{**c, "description": rules.get(c["rule"], c["rule"])} for c in task.checks]


SECTION_OF_KEY = {
    "business": gettext_lazy("Business"),
    "capital": Section.CAPITAL.label,
    "parent_company": Section.PARENT.label,
    "parties": Section.PEOPLE.label,
    "beneficial_owners": Section.OWNERS.label,
    "employment": Section.EMPLOYEES.label,
    "tax": Section.TAX.label,
    "incentives": Section.INCENTIVES.label,
    "signboard": Section.SIGNBOARD.label,
    "documents": Section.DOCUMENTS.label,
    "declaration": gettext_lazy("Declaration"),
}


# Snapshot keys that are not the model field's own name.
RENAMED = {
    ("parent_company", "name"): "parent_name",
    ("parent_company", "country"): "parent_country",
    ("parent_company", "registration_number"): "parent_registration_number",
    ("declaration", "signed_by"): "declared_by_name",
}


def field_label(section: str, path: str) -> str:
    """The label a snapshot key has in the wizard ("address.street" -> "street"), or the key
    itself when no model field carries it (lists such as activities or people)."""
    key = path.rsplit(".", 1)[-1]
    name = RENAMED.get((section, key), key)
    for model in (Application, EmploymentPlan, TaxDetails, IncentiveRequest, Signboard):
        try:
            label = getattr(model._meta.get_field(name), "verbose_name", None)
        except FieldDoesNotExist:
            continue
        if label:
            return str(label)
    return path


def changes(task: Task) -> tuple[ApplicationVersion | None, list[dict[str, str]]]:
    """What the applicant changed since the version before this one."""
    if task.version.number <= 1:
        return None, []
    previous = ApplicationVersion.objects.filter(
        application_id=task.application_id, number=task.version.number - 1
    ).first()
    if previous is None:
        return None, []
    changes = []
    for change in diff(previous.snapshot, task.version.snapshot):
        section, _dot, rest = change["path"].partition(".")
        changes.append(
            {
                "section": str(SECTION_OF_KEY.get(section, section)),
                "field": field_label(section, rest),
                "old": display(change["old"]),
                "new": display(change["new"]),
            }
        )
    return previous, changes
