"""Bringing the database in line with the shipped file, level by level, in bulk.

Used by the 0002 data migration (historical models, empty tables) and by `load_geo`
(real models, any state). It has update_or_create semantics per code, but compares in
memory and writes with bulk_create / bulk_update, so the ~16,500 places load in about a
second on SQLite.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import ProtectedError

from singleportal.geo.data_file import records

# (level, table in the file, parent level or "")
LEVELS = (
    ("province", "provinces", ""),
    ("district", "districts", "province"),
    ("commune", "communes", "district"),
    ("village", "villages", "commune"),
)
BATCH = 2000


@dataclass
class LevelResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)  # in the database, not in the file
    pruned: int = 0


MODEL_NAMES = {
    "province": "Province",
    "district": "District",
    "commune": "Commune",
    "village": "Village",
    "alias": "PlaceAlias",
}


def place_models(apps: Any = global_apps) -> dict[str, Any]:
    """The place and alias models: pass a migration's `apps` for its historical models."""
    return {key: apps.get_model("geo", name) for key, name in MODEL_NAMES.items()}


def sync(models: dict[str, Any], document: dict[str, Any], *, prune: bool = False) -> dict:
    """Create what is new, update what changed, leave the rest; with `prune`, delete places no
    longer in the file unless something still refers to them."""
    results: dict[str, Any] = {}
    with transaction.atomic():
        for level, table, parent in LEVELS:
            results[level] = _sync_level(models, level, parent, records(document, table))
        results["alias"] = _sync_aliases(models["alias"], records(document, "aliases"))
        if prune:
            for level, _table, _parent in reversed(LEVELS):
                results[level].pruned = _prune(models[level], results[level].stale)
    return results


def _sync_level(models: dict, level: str, parent: str, rows: list[dict]) -> LevelResult:
    model = models[level]
    names = ["name_km", "name_en"] + (["kind"] if rows and "kind" in rows[0] else [])
    parent_ids = dict(models[parent].objects.values_list("code", "id")) if parent else {}
    parent_fields = [parent] if parent else []
    existing = {obj.code: obj for obj in model.objects.only("code", *names, *parent_fields)}
    result = LevelResult()
    new, changed = [], []
    for row in rows:
        wanted = {name: row[name] for name in names}
        if parent:
            wanted[f"{parent}_id"] = parent_ids[row[parent]]
        obj = existing.pop(row["code"], None)
        if obj is None:
            new.append(model(code=row["code"], **wanted))
        elif any(getattr(obj, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(obj, name, value)
            changed.append(obj)
        else:
            result.unchanged += 1
    model.objects.bulk_create(new, batch_size=BATCH)
    model.objects.bulk_update(changed, names + parent_fields, batch_size=BATCH)
    result.created, result.updated = len(new), len(changed)
    result.stale = sorted(existing)
    return result


def _sync_aliases(model: Any, rows: list[dict]) -> LevelResult:
    """Aliases are only added or corrected: an operator may have added more by hand."""
    existing = {(a.level, a.code, a.alias): a for a in model.objects.all()}
    result = LevelResult()
    new, changed = [], []
    for row in rows:
        obj = existing.get((row["level"], row["code"], row["alias"]))
        if obj is None:
            new.append(model(**row))
        elif obj.reason != row["reason"]:
            obj.reason = row["reason"]
            changed.append(obj)
        else:
            result.unchanged += 1
    model.objects.bulk_create(new, batch_size=BATCH)
    model.objects.bulk_update(changed, ["reason"], batch_size=BATCH)
    result.created, result.updated = len(new), len(changed)
    return result


def _prune(model: Any, codes: list[str]) -> int:
    pruned = 0
    for code in codes:
        try:
            with transaction.atomic():
                model.objects.filter(code=code).delete()
            pruned += 1
        except ProtectedError:
            pass  # still referred to (by an address, or a child not in the file): kept
    return pruned
