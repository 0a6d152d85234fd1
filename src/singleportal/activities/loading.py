"""Read the shipped ISIC file and write it into the Activity table (idempotent)."""

import csv
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "isic_rev4.tsv"
LEVEL_ORDER = {"section": 0, "division": 1, "group": 2, "class": 3}


def read(path: Path = DATA_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    return sorted(rows, key=lambda r: (LEVEL_ORDER[r["level"]], r["code"]))


def sync(activity_model: Any, rows: list[dict[str, str]]) -> int:
    """Insert or update every row, parents first. Takes the model so that a migration can pass
    its historical one. Returns the number of rows written."""
    ids: dict[str, int] = dict(activity_model.objects.values_list("code", "id"))
    for row in rows:
        obj, _ = activity_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": row["level"],
                "parent_id": ids.get(row["parent"]) if row["parent"] else None,
                "name_en": row["name_en"].strip(),
                "name_km": (row.get("name_km") or "").strip(),
            },
        )
        ids[obj.code] = obj.pk
    return len(rows)


# Classes a ministry licenses before the business may start (banking and finance, insurance,
# gambling, private security, telecommunications, weapons, medicines, hospitals): files naming
# one are examined by an officer (agencies.checks). The operator edits the flag afterwards.
LICENSED_CLASSES = (
    "2100", "2520", "6110", "6120", "6130", "6190", "6411", "6419", "6430", "6491", "6492",
    "6511", "6512", "6520", "8010", "8610", "9200",
)  # fmt: skip


def mark_licensed(activity_model: Any) -> int:
    """Set the licence flag of LICENSED_CLASSES; returns the rows changed."""
    return activity_model.objects.filter(code__in=LICENSED_CLASSES, needs_licence=False).update(
        needs_licence=True
    )
