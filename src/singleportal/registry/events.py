"""The register's change stream: registrations, new records (TIN, patent, declarations...) and
status changes, as append-only RegistryEvent rows.

Each event is written in the transaction of the change it describes (the `recorded` hook runs
inside the transaction that appends a BusinessRecord; `change_status` writes its own), so an
event exists exactly when its change committed.

The event id is the stream's cursor, so ids must become visible in order: a reader that has seen
id 12 must never later find an 11. Writers therefore take one lock (the "registry-events"
counter row) before inserting and keep it until they commit: the next writer's id is drawn after
this one's commit. The register changes a few thousand times a day, so the short queue this
makes costs nothing; SQLite serialises writers anyway.

Events carry only what the public register shows: never a record's details (the address
confirmation holds the street), never a party's identity document.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from singleportal.audit import chain as audit
from singleportal.core.counters import hold
from singleportal.registry.models import (
    Business,
    BusinessRecord,
    BusinessStatus,
    EventKind,
    RecordKind,
    RegistryEvent,
)

EVENTS_SERIES = "registry-events"


def append(business: Business, kind: str, data: dict[str, Any]) -> RegistryEvent:
    """Append one event and mark the business changed (its public page and API ETag follow
    `updated_at`). Call inside the transaction of the change.

    Locks in one order everywhere: the business's row (every writer of a business updates it
    first), then the stream's lock; two changes of one business never wait on each other
    crosswise."""
    Business.objects.filter(pk=business.pk).update(updated_at=timezone.now())
    hold(EVENTS_SERIES)
    at = timezone.now()  # after the lock: times follow the ids
    return RegistryEvent.objects.create(
        kind=kind,
        business=business,
        registration_number=business.registration_number,
        at=at,
        data=data,
    )


def registration_data(business: Business) -> dict[str, Any]:
    return {
        "name_km": business.name_km,
        "name_en": business.name_en,
        "legal_form": business.legal_form,
        "status": business.status,
        "registered_on": business.registered_on.isoformat(),
        "province": business.province_id,
    }


def on_recorded(record: BusinessRecord) -> None:
    """The `registry.hooks.recorded` handler (registered in RegistryConfig.ready)."""
    business = record.business
    if record.kind == RecordKind.REGISTRATION:
        append(business, EventKind.REGISTERED, registration_data(business))
        return
    append(
        business,
        EventKind.RECORD_ADDED,
        {
            "record": record.kind,
            "agency": record.agency_code,
            "number": record.number,
            "issued_at": record.issued_at.isoformat(),
        },
    )


def change_status(business: Business, status: str, *, by: Any, reason: str = "") -> Business:
    """Set a business's status (suspended, dissolved, struck off, active again): the change, its
    event and its audit entry in one transaction. No change, no event."""
    if status not in BusinessStatus.values:
        raise ValueError(f"unknown status {status!r}")
    with transaction.atomic():
        audit.hold_head()  # before the business's row (audit.chain.hold_head)
        business = Business.objects.select_for_update().get(pk=business.pk)
        old = business.status
        if old == status:
            return business
        business.status = status
        business.save(update_fields=["status", "updated_at"])
        status_changed(business, old, status)
        audit.record(by, "registry.status_changed", business, {"from": old, "to": status,
                                                                "reason": reason})  # fmt: skip
    return business


def status_changed(business: Business, old: str, new: str) -> RegistryEvent:
    """The event of a status change already saved in this transaction (change_status, the
    operator's edit in the admin)."""
    return append(business, EventKind.STATUS_CHANGED, {"from": old, "to": new})
