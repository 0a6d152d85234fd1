"""Reading and checking registry files (CSV or JSON Lines), and writing rows in bulk.

Rows are checked one by one; a bad row is reported with its line number and skipped, the rest
go on. Good rows are written in batches, each batch in its own transaction: on PostgreSQL by
COPY into a temporary table and one INSERT ... ON CONFLICT (registration_number) DO UPDATE, on
SQLite by bulk_create with update_conflicts. Either way, loading the same file twice leaves the
same rows.

The change stream hears of an import as of any other change, in the batch's transaction: a
`registered` event for each business new to the register, a `status_changed` event for each
whose status the file changes (registry/events.py; same data, same lock order: the businesses'
rows first, then the stream's lock).
"""

import csv
import datetime as dt
import io
import json
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from singleportal.core.counters import hold
from singleportal.core.text import to_ascii_digits
from singleportal.geo.models import Province
from singleportal.names.normalization import KHMER, LATIN, RuleSet
from singleportal.names.validation import clean_name
from singleportal.registry.events import EVENTS_SERIES, registration_data
from singleportal.registry.models import (
    Business,
    BusinessStatus,
    EventKind,
    LegalForm,
    NameKey,
    RegistryEvent,
)

COLUMNS = (
    "registration_number", "name_km", "name_en", "legal_form", "status", "registered_on",
    "province_code",
)  # fmt: skip
# Columns written for each business, in COPY order.
DB_COLUMNS = (
    "registration_number", "name_km", "name_en", "name_km_normalized", "name_en_normalized",
    "name_km_key", "name_en_key", "legal_form", "status", "registered_on", "province_code",
)  # fmt: skip
REGISTRATION_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/.\-]{0,31}$")
MAX_BAD_ROWS_KEPT = 1000


class RowError(Exception):
    pass


@dataclass
class ImportReport:
    read: int = 0
    written: int = 0
    bad_count: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)

    def add_bad(self, line: int, message: str) -> None:
        self.bad_count += 1
        if len(self.bad) < MAX_BAD_ROWS_KEPT:
            self.bad.append((line, message))


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line number, row or None, error) for each record of a CSV or JSON Lines file."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.read(1)
        handle.seek(0)
        if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or first == "{":
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, None, f"not valid JSON ({exc.msg})"
                    continue
                if not isinstance(row, dict):
                    yield number, None, "not a JSON object"
                    continue
                yield number, row, ""
            return
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or ()) - {"name_en", "province_code"}
        if missing:
            yield 1, None, f"missing columns: {', '.join(sorted(missing))}"
            return
        line_number: int = reader.line_num
        for row in reader:
            yield line_number + 1, row, ""
            line_number = reader.line_num


def _text(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


def _name(value: str, script: str, column: str) -> str:
    try:
        return clean_name(value, script)
    except ValidationError as exc:
        raise RowError(f"{column}: {' '.join(exc.messages)}") from exc


def build_row(row: dict[str, Any], rules: RuleSet, provinces: set[str]) -> tuple:
    """The database values for one good row (DB_COLUMNS order), or RowError saying why not."""
    number = _text(row, "registration_number")
    if not REGISTRATION_NUMBER.match(number):
        raise RowError(f"registration_number: {number!r} is not a registration number")
    name_km = _name(_text(row, "name_km"), KHMER, "name_km")
    raw_en = _text(row, "name_en")
    name_en = _name(raw_en, LATIN, "name_en") if raw_en else ""
    legal_form = _text(row, "legal_form")
    if legal_form not in LegalForm.values:
        raise RowError(f"legal_form: unknown code {legal_form!r}")
    status = _text(row, "status") or BusinessStatus.ACTIVE
    if status not in BusinessStatus.values:
        raise RowError(f"status: unknown status {status!r}")
    try:
        registered_on = dt.date.fromisoformat(to_ascii_digits(_text(row, "registered_on")))
    except ValueError as exc:
        raise RowError("registered_on: expected a date as YYYY-MM-DD") from exc
    province = to_ascii_digits(_text(row, "province_code"))
    if province.isdigit() and len(province) == 1:
        province = "0" + province
    if province and province not in provinces:
        raise RowError(f"province_code: no province with code {province!r}")
    km = rules.normalize(name_km, KHMER)
    en = rules.normalize(name_en, LATIN) if name_en else None
    return (
        number, name_km, name_en, km.normalized, en.normalized if en else "", km.key,
        en.key if en else "", legal_form, status, registered_on, province or None,
    )  # fmt: skip


def province_codes() -> set[str]:
    return set(Province.objects.values_list("code", flat=True))


def write_batch(rows: list[tuple]) -> None:
    if not rows:
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _write_postgresql(rows)
        else:
            _write_orm(rows)


_UPDATED = [c for c in DB_COLUMNS if c != "registration_number"]


# Positions in DB_COLUMNS of each script's key and key size.
_KEYS = (("latin", DB_COLUMNS.index("name_en_key")), ("khmer", DB_COLUMNS.index("name_km_key")))


def name_keys(rows: list[tuple]) -> set[tuple[str, str]]:
    return {(script, r[k]) for r in rows for script, k in _KEYS if r[k]}


def _write_orm(rows: list[tuple]) -> None:
    numbers = [values[0] for values in rows]
    before = dict(
        Business.objects.filter(registration_number__in=numbers).values_list(
            "registration_number", "status"
        )
    )
    objects = []
    for values in rows:
        data = dict(zip(DB_COLUMNS, values, strict=True))
        data["province_id"] = data.pop("province_code")
        objects.append(Business(**data))
    fields = [("province" if c == "province_code" else c) for c in _UPDATED]
    Business.objects.bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["registration_number"],
        update_fields=[*fields, "updated_at"],
    )
    NameKey.objects.bulk_create(
        [NameKey(script=s, key=k) for s, k in name_keys(rows)],
        batch_size=500,
        ignore_conflicts=True,
    )
    status = DB_COLUMNS.index("status")
    changed = sorted(v[0] for v in rows if v[0] not in before or before[v[0]] != v[status])
    if not changed:
        return
    hold(EVENTS_SERIES)
    events = []
    for business in Business.objects.filter(registration_number__in=changed).order_by(
        "registration_number"
    ):
        old = before.get(business.registration_number)
        kind, data = (
            (EventKind.REGISTERED, registration_data(business))
            if old is None
            else (EventKind.STATUS_CHANGED, {"from": old, "to": business.status})
        )
        events.append(
            RegistryEvent(kind=kind, business=business, at=timezone.now(), data=data,
                          registration_number=business.registration_number)
        )  # fmt: skip
    RegistryEvent.objects.bulk_create(events, batch_size=500)


def _write_postgresql(rows: list[tuple]) -> None:
    table = Business._meta.db_table
    columns = ", ".join(DB_COLUMNS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _UPDATED)
    changed = " OR ".join(f"{table}.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in _UPDATED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS registry_import_stage "  # noqa: S608
            f"ON COMMIT DELETE ROWS AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS registry_import_written (id bigint, "
            "registration_number varchar(32), inserted boolean, old_status varchar(16)) "
            "ON COMMIT DELETE ROWS"
        )
        # Emptied at commit, but a batch inside a caller's transaction (the demo, tests) must
        # not see the previous batch's rows either.
        cursor.execute("TRUNCATE registry_import_stage, registry_import_written")
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY registry_import_stage ({columns}) FROM STDIN") as copy:
            for values in rows:
                copy.write_row(values)
        # Unchanged rows are left alone, so a re-import writes (and bloats) nothing. What was
        # written, with the status before (the statement's snapshot), is kept for the events.
        cursor.execute(
            f"WITH before AS (SELECT b.id, b.status FROM {table} b "  # noqa: S608
            f"JOIN registry_import_stage s USING (registration_number)), "
            f"written AS (INSERT INTO {table} ({columns}, updated_at) "
            f"SELECT {columns}, now() FROM registry_import_stage "
            f"ON CONFLICT (registration_number) DO UPDATE SET {updates}, updated_at = now() "
            f"WHERE {changed} RETURNING id, registration_number, status, xmax = 0 AS inserted) "
            f"INSERT INTO registry_import_written SELECT w.id, w.registration_number, w.inserted, "
            f"before.status FROM written w LEFT JOIN before ON before.id = w.id "
            f"WHERE w.inserted OR before.status IS DISTINCT FROM w.status"
        )
        hold(EVENTS_SERIES)
        cursor.execute(
            f"INSERT INTO {RegistryEvent._meta.db_table} "  # noqa: S608
            f"(kind, business_id, registration_number, at, data) "
            f"SELECT CASE WHEN w.inserted THEN %s ELSE %s END, b.id, b.registration_number, "
            f"clock_timestamp(), CASE WHEN w.inserted THEN jsonb_build_object("
            f"'name_km', b.name_km, 'name_en', b.name_en, 'legal_form', b.legal_form, "
            f"'status', b.status, 'registered_on', b.registered_on, 'province', "
            f"b.province_code) ELSE jsonb_build_object('from', w.old_status, 'to', b.status) "
            f"END FROM registry_import_written w JOIN {table} b ON b.id = w.id "
            f"ORDER BY b.registration_number",
            [EventKind.REGISTERED, EventKind.STATUS_CHANGED],
        )
        for script, key_col in (("latin", "name_en_key"), ("khmer", "name_km_key")):
            cursor.execute(
                f"INSERT INTO {NameKey._meta.db_table} (script, key) "  # noqa: S608
                f"SELECT DISTINCT %s, {key_col} FROM registry_import_stage "
                f"WHERE {key_col} <> '' ON CONFLICT (script, key) DO NOTHING",
                [script],
            )


_worker_state: dict[str, Any] = {}


def _init_worker(rules: RuleSet, provinces: set[str]) -> None:
    _worker_state["rules"], _worker_state["provinces"] = rules, provinces


def _build_chunk(
    chunk: list[tuple[int, dict[str, Any] | None, str]],
) -> list[tuple[int, tuple | None, str]]:
    """Worker side: check and normalise a chunk of rows (pure Python, no database)."""
    rules, provinces = _worker_state["rules"], _worker_state["provinces"]
    out: list[tuple[int, tuple | None, str]] = []
    for line, row, error in chunk:
        if row is None:
            out.append((line, None, error))
            continue
        try:
            out.append((line, build_row(row, rules, provinces), ""))
        except RowError as exc:
            out.append((line, None, str(exc)))
    return out


def _chunks(path: Path, size: int) -> Iterator[list[tuple[int, dict[str, Any] | None, str]]]:
    chunk: list[tuple[int, dict[str, Any] | None, str]] = []
    for item in read_rows(path):
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def default_workers(path: Path) -> int:
    """Checking and normalising names is most of the work: big files use every core."""
    if path.stat().st_size < 8 * 1024 * 1024:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def import_file(
    path: Path,
    rules: RuleSet,
    *,
    batch_size: int = 20000,
    workers: int | None = None,
    progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    report = ImportReport()
    provinces = province_codes()
    workers = default_workers(path) if workers is None else workers
    seen: dict[str, int] = {}
    batch: list[tuple] = []

    def built_chunks() -> Iterator[list[tuple[int, tuple | None, str]]]:
        chunks = _chunks(path, 2000)
        if workers <= 1:
            _init_worker(rules, provinces)
            yield from map(_build_chunk, chunks)
            return
        # Forked workers never touch the database. They inherit the connection's socket but
        # end without closing it (os._exit), so the parent's session is unharmed; closing it
        # here instead would break a caller's open transaction.
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, _init_worker, (rules, provinces)) as pool:
            yield from pool.imap(_build_chunk, chunks, chunksize=1)

    for chunk in built_chunks():
        for line, values, error in chunk:
            report.read += 1
            if values is None:
                report.add_bad(line, error)
                continue
            first = seen.setdefault(values[0], line)
            if first != line:
                report.add_bad(line, f"registration_number: {values[0]} repeats line {first}")
                continue
            batch.append(values)
        if len(batch) >= batch_size:
            write_batch(batch)
            report.written += len(batch)
            batch = []
            if progress:
                progress(report)
    write_batch(batch)
    report.written += len(batch)
    if progress:
        progress(report)
    return report


def to_csv(rows: list[dict[str, Any]]) -> str:
    """A registry CSV from dicts (tests and the benchmark use it)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
