"""Writes on the register."""

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from singleportal.audit import chain as audit
from singleportal.names.normalization import KHMER, LATIN
from singleportal.names.rules import current_rules
from singleportal.registry import importing
from singleportal.registry.models import Business, NameKey


def import_registry(
    path: Path,
    *,
    actor: Any = None,
    batch_size: int = 20000,
    workers: int | None = None,
    progress: Callable[[importing.ImportReport], None] | None = None,
) -> importing.ImportReport:
    """Load registered businesses from a CSV or JSON Lines file, idempotent on registration
    number; bad rows are reported with their line numbers and skipped. One audit entry records
    the file (its SHA-256) and the counts."""
    report = importing.import_file(path, current_rules(), batch_size=batch_size, progress=progress)
    if report.written and connection.vendor == "postgresql":
        # A big load changes the statistics the planner needs to pick the trigram indexes.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Business._meta.db_table}, {NameKey._meta.db_table}")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    with transaction.atomic():
        audit.record(
            actor,
            "registry.imported",
            None,
            {
                "file": path.name,
                "sha256": digest.hexdigest(),
                "read": report.read,
                "written": report.written,
                "bad": report.bad_count,
            },
        )
    return report


def _save_keys(businesses: list[Business], fields: list[str]) -> None:
    Business.objects.bulk_update(businesses, fields)
    keys = {("latin", b.name_en_key) for b in businesses if b.name_en_key}
    keys |= {("khmer", b.name_km_key) for b in businesses if b.name_km_key}
    NameKey.objects.bulk_create([NameKey(script=s, key=k) for s, k in keys], ignore_conflicts=True)


def renormalize_names(*, batch_size: int = 5000) -> int:
    """Recompute the stored name keys after the operator changed a rule. Returns rows changed."""
    rules = current_rules()
    changed = 0
    fields = ["name_km_normalized", "name_en_normalized", "name_km_key", "name_en_key"]
    pending: list[Business] = []
    for business in Business.objects.order_by("pk").iterator(chunk_size=batch_size):
        km = rules.normalize(business.name_km, KHMER)
        en = rules.normalize(business.name_en, LATIN) if business.name_en else None
        values = (
            km.normalized, en.normalized if en else "", km.key, en.key if en else "",
        )  # fmt: skip
        if values != tuple(getattr(business, f) for f in fields):
            for name, value in zip(fields, values, strict=True):
                setattr(business, name, value)
            pending.append(business)
        if len(pending) >= batch_size:
            _save_keys(pending, fields)
            changed += len(pending)
            pending = []
    _save_keys(pending, fields)
    changed += len(pending)
    if changed:
        with transaction.atomic():
            audit.record(None, "registry.names_renormalized", None, {"changed": changed})
    return changed
