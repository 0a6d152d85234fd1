"""Record and verify audit entries."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from singleportal.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "sequence", "at", "actor_id", "actor_label", "action",
    "object_type", "object_id", "details", "previous_hash",
)  # fmt: skip
SYSTEM_ACTOR = "system"


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def entry_hash(
    *,
    sequence: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    details: dict,
    previous_hash: str,
) -> str:
    content = {
        "sequence": sequence,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "details": details,
        "previous_hash": previous_hash,
    }
    return hashlib.sha256(canonical_json(content)).hexdigest()


def hold_head() -> AuditHead:
    """Lock the chain's head until the transaction ends. Every audited action takes it and keeps
    it to its commit, and an agency's decision then locks the business's row (a new TIN). An
    action that locks a business's row, or inserts a row pointing at one (the foreign key check
    locks it against key changes), takes the head before that; otherwise each can wait for the
    other, and PostgreSQL aborts one as a deadlock."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"sequence": 0, "hash": GENESIS}
    )
    return head


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Append one entry. Call inside the action's transaction so both commit or neither."""
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    actor_label = str(actor) if actor_id else SYSTEM_ACTOR
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    # Round-trip through JSON so the hash covers exactly what the database stores.
    clean_details = json.loads(canonical_json(details or {}))
    at = timezone.now()
    with transaction.atomic():
        head = hold_head()
        fields = {
            "sequence": head.sequence + 1,
            "at": at,
            "actor_id": actor_id,
            "actor_label": actor_label,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "details": clean_details,
            "previous_hash": head.hash,
        }
        digest = entry_hash(**fields)
        entry = AuditEntry.objects.create(**fields, hash=digest)
        AuditHead.objects.filter(pk=1).update(sequence=entry.sequence, hash=digest)
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _entries(batch: int = 2000) -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("sequence").iterator(chunk_size=batch)


def verify() -> ChainReport:
    """Walk the chain from the start; report the first entry that does not hold."""
    previous = GENESIS
    expected_sequence = 1
    checked = 0
    for entry in _entries():
        if entry.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, "missing entry")
        if entry.previous_hash != previous:
            return ChainReport(checked, entry.sequence, "previous hash does not match")
        if entry_hash(**{name: getattr(entry, name) for name in HASHED_FIELDS}) != entry.hash:
            return ChainReport(checked, entry.sequence, "content does not match its hash")
        previous = entry.hash
        expected_sequence += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.sequence != checked:
        return ChainReport(checked, checked + 1, "entries after this point were removed")
    return ChainReport(checked)
