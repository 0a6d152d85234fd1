"""The whole public register as files anyone may download (issue 8, open data): CSV and JSON
Lines, each gzip-compressed, with a manifest of sizes, row counts and SHA-256 checksums.

What the files hold is what the open data API shows, nothing more: each JSON Lines line is the
answer of GET /api/v1/registry/businesses/{number} (selectors.public_entry) for one business,
and each CSV row is that answer made flat (filings are in the JSON Lines file only). The tests
compare every line with the API's answer and look for the personal data behind it.

Memory stays bounded whatever the size of the register: businesses are read in chunks of
EXPORT_CHUNK (keyset on the id, one index range each) with their activities, officers and
filings read per chunk by the same range of ids, and rows go straight through gzip to disk.
Only the place and activity names (a few thousand rows) are held for the whole run. On
PostgreSQL the run reads one REPEATABLE READ snapshot, so the counts agree with the files.

A day's export lives in `<REGISTRY_EXPORT_DIR>/<YYYY-MM-DD>/`. Each file is written under a
temporary name and renamed when complete; the manifest is written last, so a folder with a
manifest is complete, and a crash leaves no partial file under a final name. A day with a
manifest is not rebuilt unless forced. Only the newest REGISTRY_EXPORT_KEEP complete days are
kept.
"""

import csv
import datetime as dt
import fcntl
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from singleportal.activities.models import Activity
from singleportal.geo.models import Commune, District, Province
from singleportal.registry.models import (
    Business,
    BusinessActivity,
    BusinessOfficer,
    BusinessRecord,
)

EXPORT_CHUNK = 2000
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PARTIAL = ".partial"  # in the name of a file still being written
LOCK = ".lock"
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
GZIP_LEVEL = 6  # gzip's own default is 9: twice the time for ~3% smaller files

# The public entry (selectors.public_entry, api.BusinessOut), key by key.
JSONL_FIELDS = (
    "registration_number", "name_km", "name_en", "legal_form", "status", "registered_on", "tin",
    "address", "activities", "officers", "filings", "updated_at",
)  # fmt: skip
CSV_COLUMNS = (
    "registration_number", "name_km", "name_en", "legal_form", "status", "registered_on", "tin",
    "province_code", "province_name_km", "province_name_en",
    "district_code", "district_name_km", "district_name_en",
    "commune_code", "commune_name_km", "commune_name_en",
    "main_activity_code", "activity_codes", "officers", "updated_at",
)  # fmt: skip
CSV_NOTES = (
    "UTF-8, comma-separated, header row. activity_codes: ISIC class codes separated by ';', "
    "main activities first. officers: a JSON array of {role, name_km, name_en}. Filings are "
    "in the JSON Lines file."
)


class ExportBusy(Exception):
    """Another process is writing exports into the same folder."""


@dataclass
class ExportResult:
    day: str
    folder: Path
    manifest: dict[str, Any]
    built: bool  # False when the day's complete export was there already
    removed: list[str] = field(default_factory=list)  # days removed by rotation


def exports_root(out: Path | str | None = None) -> Path:
    return Path(out) if out else Path(settings.REGISTRY_EXPORT_DIR)


# -- reading the register in chunks -------------------------------------------------------------


# Keyed by code; Any because django-stubs types every foreign key's `_id` as an int, and these
# keys are codes (to_field="code").
def _places(model: Any) -> dict[Any, dict[str, str]]:
    return {
        code: {"code": code, "name_km": km, "name_en": en}
        for code, km, en in model.objects.values_list("code", "name_km", "name_en")
    }


def public_entries(chunk_size: int = EXPORT_CHUNK) -> Iterator[dict[str, Any]]:
    """Every business as the public register shows it (the shape of selectors.public_entry),
    in the order they were entered on the register (id: a new day's file differs from the
    previous one mostly by what it adds at the end). Four queries per chunk of businesses,
    each one index range, so the whole run reads each table once."""
    provinces, districts, communes = _places(Province), _places(District), _places(Commune)
    activity_names: dict[Any, tuple[str, str]] = {
        code: (km, en)
        for code, km, en in Activity.objects.values_list("code", "name_km", "name_en")
    }
    after: int | None = None
    while True:
        found = Business.objects.order_by("pk")
        if after is not None:
            found = found.filter(pk__gt=after)
        batch = list(
            found.values_list(
                "pk", "registration_number", "name_km", "name_en", "legal_form", "status",
                "registered_on", "tin", "province_id", "district_id", "commune_id", "updated_at",
            )[:chunk_size]
        )  # fmt: skip
        if not batch:
            return
        # The chunk's particulars by the same range of business ids: one range of each table's
        # index on business_id (two parameters). A list of ids, or a range of registration
        # numbers through a join, let PostgreSQL choose a scan of the whole table per chunk.
        within: dict[str, int] = {"business_id__lte": batch[-1][0]}
        if after is not None:
            within["business_id__gt"] = after
        activities: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for business_id, code, main in (
            BusinessActivity.objects.filter(**within)
            .order_by("business_id", "-main", "activity_id")
            .values_list("business_id", "activity_id", "main")
        ):
            km, en = activity_names[code]
            activities[business_id].append(
                {"code": code, "name_km": km, "name_en": en, "main": main}
            )
        officers: dict[int, list[dict[str, str]]] = defaultdict(list)
        for business_id, role, km, en in (
            BusinessOfficer.objects.filter(**within)
            .order_by("business_id", "position", "pk")
            .values_list("business_id", "role", "name_km", "name_en")
        ):
            officers[business_id].append({"role": role, "name_km": km, "name_en": en})
        filings: dict[int, list[dict[str, str]]] = defaultdict(list)
        for business_id, kind, agency, number, issued_at in (
            BusinessRecord.objects.filter(**within)
            .order_by("business_id", "issued_at", "pk")
            .values_list("business_id", "kind", "agency_code", "number", "issued_at")
        ):
            filings[business_id].append(
                {
                    "kind": kind,
                    "agency": agency,
                    "number": number,
                    "issued_at": issued_at.isoformat(),
                }
            )
        for pk, number, km, en, form, status, on, tin, prov, dist, comm, updated in batch:
            yield {
                "registration_number": number,
                "name_km": km,
                "name_en": en,
                "legal_form": form,
                "status": status,
                "registered_on": on.isoformat(),
                "tin": tin,
                "address": {
                    "province": provinces.get(prov) if prov else None,
                    "district": districts.get(dist) if dist else None,
                    "commune": communes.get(comm) if comm else None,
                },
                "activities": activities.pop(pk, []),
                "officers": officers.pop(pk, []),
                "filings": filings.pop(pk, []),
                "updated_at": updated.isoformat(),
            }
        if len(batch) < chunk_size:
            return
        after = batch[-1][0]


def csv_row(entry: dict[str, Any]) -> list[str]:
    """The public entry made flat, in CSV_COLUMNS order."""
    row = [entry["registration_number"], entry["name_km"], entry["name_en"], entry["legal_form"],
           entry["status"], entry["registered_on"], entry["tin"] or ""]  # fmt: skip
    for level in ("province", "district", "commune"):
        place = entry["address"][level]
        row += [place["code"], place["name_km"], place["name_en"]] if place else ["", "", ""]
    activities = entry["activities"]
    row.append(next((a["code"] for a in activities if a["main"]), ""))
    row.append(";".join(a["code"] for a in activities))
    row.append(_compact(entry["officers"]) if entry["officers"] else "")
    row.append(entry["updated_at"])
    return row


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# -- writing files ------------------------------------------------------------------------------


class _HashingSink(io.RawIOBase):
    """Passes the compressed bytes to the file, counting and hashing them on the way, so the
    checksum needs no second read of the file."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.handle.write(data)
        self.sha256.update(data)
        size = len(memoryview(data).cast("B"))
        self.size += size
        return size


class _GzipFile:
    """One gzip file under a temporary name in `folder`, renamed to `name` by `commit`.
    The gzip header carries no name or time, so the same rows give the same bytes."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name = name
        self.final = folder / name
        self.temporary = folder / f".{name}{PARTIAL}-{os.getpid()}"
        self.handle = self.temporary.open("wb", buffering=1 << 20)
        self.sink = _HashingSink(self.handle)
        self.gzip = gzip.GzipFile(
            filename="", mode="wb", fileobj=self.sink, compresslevel=GZIP_LEVEL, mtime=0
        )
        self.rows = 0

    def finish(self) -> None:
        """Flush and close the temporary file (not yet under its final name)."""
        self.gzip.close()
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()

    def commit(self) -> None:
        os.replace(self.temporary, self.final)

    def discard(self) -> None:
        for closing in (self.gzip, self.handle):
            with suppress(OSError, ValueError):  # already closed, or the disk failed
                closing.close()
        self.temporary.unlink(missing_ok=True)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "bytes": self.sink.size, "sha256": self.sink.sha256.hexdigest(),
                "rows": self.rows, "compression": "gzip", "encoding": "utf-8"}  # fmt: skip


def _write_json(path: Path, data: Any) -> None:
    """`data` as JSON at `path`, written under a temporary name and renamed."""
    temporary = path.with_name(f".{path.name}{PARTIAL}-{os.getpid()}")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the register for the whole run (PostgreSQL), unless the caller
    holds a transaction already (then its view is used)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One writer per exports folder (the beat task and the command may overlap)."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ExportBusy(f"another export is writing into {root}") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_export(folder: Path, day: str, *, chunk_size: int = EXPORT_CHUNK) -> dict[str, Any]:
    """Write the day's files and then its manifest into `folder`; returns the manifest. On any
    error the temporary files are removed and whatever complete files were there stay."""
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    generated_at = timezone.now()
    files = [_GzipFile(folder, f"businesses-{day}.csv.gz"),
             _GzipFile(folder, f"businesses-{day}.jsonl.gz")]  # fmt: skip
    csv_file, jsonl_file = files
    counts = {"businesses": 0, "activities": 0, "officers": 0, "filings": 0}
    try:
        text = io.TextIOWrapper(csv_file.gzip, encoding="utf-8", newline="")  # type: ignore[arg-type]
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        jsonl = jsonl_file.gzip
        with _snapshot():
            for entry in public_entries(chunk_size):
                writer.writerow(csv_row(entry))
                jsonl.write(_compact(entry).encode())
                jsonl.write(b"\n")
                counts["businesses"] += 1
                counts["activities"] += len(entry["activities"])
                counts["officers"] += len(entry["officers"])
                counts["filings"] += len(entry["filings"])
        text.flush()
        text.detach()
        csv_file.rows = jsonl_file.rows = counts["businesses"]
        for file in files:
            file.finish()
        for file in files:
            file.commit()
    except BaseException:
        for file in files:
            file.discard()
        raise
    manifest = {
        "format_version": FORMAT_VERSION,
        "date": day,
        "generated_at": generated_at.isoformat(),
        "seconds": round(time.monotonic() - started, 1),
        "counts": counts,
        "files": [
            {**csv_file.describe(), "format": "csv", "media_type": "text/csv",
             "columns": list(CSV_COLUMNS), "header": True, "notes": CSV_NOTES},
            {**jsonl_file.describe(), "format": "jsonl", "media_type": "application/x-ndjson",
             "columns": list(JSONL_FIELDS),
             "notes": "One business per line, as GET /api/v1/registry/businesses/{number} "
                      "answers (schema BusinessOut in /api/v1/docs)."},
        ],
    }  # fmt: skip
    _write_json(folder / MANIFEST, manifest)
    return manifest


def _clear_partials(folder: Path) -> None:
    """Temporary files a crashed run left (we hold the lock: no run is writing them)."""
    if folder.is_dir():
        for path in folder.iterdir():
            if PARTIAL in path.name:
                path.unlink(missing_ok=True)


def export_registry(
    *,
    force: bool = False,
    out: Path | str | None = None,
    day: dt.date | None = None,
    keep: int | None = None,
    chunk_size: int = EXPORT_CHUNK,
) -> ExportResult:
    """Export the register for `day` (today in Cambodia) unless that day's complete export
    exists (or `force`), then remove all but the newest `keep` complete days. Raises
    ExportBusy while another process exports into the same folder."""
    root = exports_root(out)
    name = (day or timezone.localdate()).isoformat()
    folder = root / name
    keep = settings.REGISTRY_EXPORT_KEEP if keep is None else keep
    with _locked(root):
        _clear_partials(folder)
        existing = read_manifest(name, root)
        if existing is not None and not force:
            return ExportResult(name, folder, existing, built=False, removed=rotate(root, keep))
        manifest = write_export(folder, name, chunk_size=chunk_size)
        return ExportResult(name, folder, manifest, built=True, removed=rotate(root, keep))


def rotate(root: Path, keep: int) -> list[str]:
    """Remove all but the newest `keep` (at least one) complete days, and any incomplete day
    (a crash's leftovers: called under the lock, so none is being written)."""
    days = sorted(p for p in root.iterdir() if p.is_dir() and DAY.match(p.name))
    complete = [p for p in days if (p / MANIFEST).is_file()]
    kept = set(complete[-max(keep, 1) :])
    removed = []
    for path in days:
        if path not in kept:
            shutil.rmtree(path)
            removed.append(path.name)
    return removed


# -- reading published exports (views) ----------------------------------------------------------


def published_days(root: Path | None = None) -> list[str]:
    """Days with a complete export, newest first."""
    root = exports_root(root)
    if not root.is_dir():
        return []
    return sorted(
        (p.name for p in root.iterdir() if DAY.match(p.name) and (p / MANIFEST).is_file()),
        reverse=True,
    )


def read_manifest(day: str, root: Path | None = None) -> dict[str, Any] | None:
    if not DAY.match(day):
        return None
    path = exports_root(root) / day / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return None


def latest_manifest(root: Path | None = None) -> dict[str, Any] | None:
    for day in published_days(root):
        manifest = read_manifest(day, root)
        if manifest is not None:
            return manifest
    return None


@dataclass(frozen=True)
class PublishedFile:
    path: Path
    sha256: str
    media_type: str


def published_file(day: str, name: str, root: Path | None = None) -> PublishedFile | None:
    """A file of a complete export, found only by the names its manifest lists (and the
    manifest itself): nothing else under the folder, and no other path, can be asked for."""
    manifest = read_manifest(day, root)
    if manifest is None:
        return None
    folder = exports_root(root) / day
    if name == MANIFEST:
        path = folder / MANIFEST
        return PublishedFile(
            path, hashlib.sha256(path.read_bytes()).hexdigest(), "application/json"
        )
    for item in manifest.get("files", []):
        if item.get("name") == name and "/" not in name and not name.startswith("."):
            path = folder / name
            if path.is_file():
                return PublishedFile(path, item["sha256"], "application/gzip")
    return None
