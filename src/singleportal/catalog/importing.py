"""Products from a CSV file: read, check each row, write the good ones in batches.

The format is in docs/catalog.md. UTF-8 with or without a byte order mark; Khmer or ASCII
digits. A row with a problem is reported (line, column, reason) and skipped; it never stops the
rows around it. A row whose `external_ref` the profile already has updates that product, so
sending the same file twice changes nothing.

Speed: the villages named in a batch are looked up in one query, the products it updates in
one, slugs in one, and products and materials are written with bulk_create / bulk_update; no
query is made per row.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from singleportal.catalog import hs_codes, rules
from singleportal.catalog.models import Product, ProductImport, ProductMaterial
from singleportal.catalog.slugs import unique_slugs
from singleportal.catalog.vocabulary import Currency, ImportStatus, MakerKind
from singleportal.core.text import to_ascii_digits
from singleportal.geo.models import Village

BATCH_SIZE = 500
COLUMNS = (
    "title_km", "title_en", "description_km", "description_en", "category", "materials",
    "technique", "technique_km", "technique_en", "maker", "maker_name", "artisan_consent_date",
    "origin_village_code", "dimensions", "weight_g", "colours", "currency", "retail_min",
    "retail_max", "wholesale_min", "wholesale_max", "wholesale_min_qty", "moq", "lead_time_days",
    "hs_code", "stock_status", "published", "external_ref",
)  # fmt: skip
REQUIRED_COLUMNS = ("category",)
TITLE_COLUMNS = ("title_km", "title_en")
# The column a problem on a product field is reported in.
FIELD_COLUMNS = {
    "maker_kind": "maker",
    "maker_name_km": "maker_name",
    "maker_name_en": "maker_name",
    "artisan_consent": "artisan_consent_date",
    "artisan_consent_on": "artisan_consent_date",
    "origin_village": "origin_village_code",
    "length_mm": "dimensions",
    "width_mm": "dimensions",
    "height_mm": "dimensions",
    "wholesale_min_quantity": "wholesale_min_qty",
}
WRITTEN_FIELDS = [
    *(name for name in (
        "title_km", "title_en", "description_km", "description_en", "category", "technique_km",
        "technique_en", "maker_kind", "maker_name_km", "maker_name_en", "artisan_consent",
        "artisan_consent_on", "length_mm", "width_mm", "height_mm", "weight_g", "colours",
        "currency", "retail_min", "retail_max", "wholesale_min", "wholesale_max",
        "wholesale_min_quantity", "moq", "lead_time_days", "hs_code", "stock_status",
        "published",
    )),
    "origin_village_id", "origin_province_id",
]  # fmt: skip
KHMER_LETTERS = re.compile("[\u1780-\u17ff]")
# "300x200x50", also with "X", "*" or the multiplication sign U+00D7.
DIMENSIONS = re.compile(r"^\s*(\d+)\s*[xX*\u00d7]\s*(\d+)\s*(?:[xX*\u00d7]\s*(\d+))?\s*$")
YES = {"yes", "y", "true", "1", "បាទ", "ចាស", "ដាក់"}
NO = {"no", "n", "false", "0", "ទេ"}
TEXT_LIMITS = {"technique": 200, "maker_name": 200, "colours": 200, "external_ref": 100}


class FileRefused(Exception):
    """The file as a whole cannot be read; `problem` says why (line 0 or 1)."""

    def __init__(self, problem: dict[str, Any]) -> None:
        super().__init__(problem["code"])
        self.problem = problem


def problem(line: int, column: str, code: str, **params: Any) -> dict[str, Any]:
    return {"line": line, "column": column, "code": code, "params": params}


def message(entry: dict[str, Any]) -> str:
    """A stored problem in the reader's language."""
    return rules.Problem(entry["column"], entry["code"], entry.get("params") or {}).message


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)


def decode(data: bytes) -> str:
    """The file's text; UTF-8 with or without BOM, else FileRefused naming the first bad line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused(problem(line, "", "file_not_utf8")) from None


def rows(text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header's columns and (line, row) for each row with any content. Column names are
    compared in lower case without spaces around them."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise FileRefused(problem(1, "", "file_empty")) from None
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if not any(name in header for name in TITLE_COLUMNS):
        missing.insert(0, "title_km")
    if missing:
        raise FileRefused(problem(1, missing[0], "column_missing", value=missing[0]))

    def body() -> Iterator[tuple[int, dict[str, str]]]:
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield start, dict(zip(header, cells, strict=False))
            start = reader.line_num + 1

    return header, body()


def unknown_columns(header: list[str]) -> list[dict[str, Any]]:
    return [
        problem(1, name, "column_unknown", value=name)
        for name in header
        if name and name not in COLUMNS
    ]


def _number(raw: str) -> int:
    text = to_ascii_digits(raw).strip().replace(",", "").replace(" ", "")
    if not text.isdigit():
        raise ValueError
    return int(text)


def _date(raw: str) -> date:
    return date.fromisoformat(to_ascii_digits(raw).strip())


def parse_row(line: int, raw: dict[str, str]) -> ParsedRow:
    """Turn one row's texts into product values; each unreadable cell is a problem."""
    row = ParsedRow(line)
    cell = {name: (value or "").strip() for name, value in raw.items()}
    values: dict[str, Any] = {
        "title_km": cell.get("title_km", ""),
        "title_en": cell.get("title_en", ""),
        "description_km": raw.get("description_km") or "",
        "description_en": raw.get("description_en") or "",
        "category": cell.get("category", "").lower().replace(" ", "_").replace("-", "_"),
        "materials": [
            m.strip().lower().replace(" ", "_") for m in cell.get("materials", "").split("|")
        ],
        "colours": cell.get("colours", ""),
        "external_ref": cell.get("external_ref", ""),
        "technique_km": cell.get("technique_km", ""),
        "technique_en": cell.get("technique_en", ""),
        "maker_name_km": "",
        "maker_name_en": "",
        "maker_kind": cell.get("maker", "").lower() or MakerKind.BUSINESS,
        "stock_status": cell.get("stock_status", "").lower() or "in_stock",
        "origin_village": to_ascii_digits(cell.get("origin_village_code", "")),
    }
    values["materials"] = [m for m in values["materials"] if m]
    for name, limit in TEXT_LIMITS.items():
        if len(cell.get(name, "")) > limit:
            row.problems.append(problem(line, name, "text_too_long", max=limit))
    # One `technique` or `maker_name` column: Khmer script goes to the Khmer field.
    for column, stem in (("technique", "technique"), ("maker_name", "maker_name")):
        text = cell.get(column, "")
        if text:
            language = "km" if KHMER_LETTERS.search(text) else "en"
            values[f"{stem}_{language}"] = text
    consent = cell.get("artisan_consent_date", "")
    values["artisan_consent"], values["artisan_consent_on"] = False, None
    if consent:
        try:
            values["artisan_consent_on"] = _date(consent)
            values["artisan_consent"] = True
        except ValueError:
            row.problems.append(
                problem(line, "artisan_consent_date", "date_invalid", value=consent)
            )
    dimensions = to_ascii_digits(cell.get("dimensions", ""))
    values["length_mm"] = values["width_mm"] = values["height_mm"] = None
    if dimensions:
        match = DIMENSIONS.match(dimensions)
        if match:
            length, width, height = match.groups()
            values["length_mm"], values["width_mm"] = int(length), int(width)
            values["height_mm"] = int(height) if height else None
        else:
            row.problems.append(problem(line, "dimensions", "dimensions_invalid"))
    for column, name in (
        ("weight_g", "weight_g"), ("wholesale_min_qty", "wholesale_min_quantity"), ("moq", "moq"),
        ("lead_time_days", "lead_time_days"),
    ):  # fmt: skip
        text = cell.get(column, "")
        values[name] = None
        if text:
            try:
                values[name] = _number(text)
            except ValueError:
                row.problems.append(problem(line, column, "number_invalid", value=text))
    currency = cell.get("currency", "").upper() or Currency.USD
    values["currency"] = currency
    for name in ("retail_min", "retail_max", "wholesale_min", "wholesale_max"):
        values[name] = None
        if currency in Currency.values:
            try:
                values[name] = rules.parse_amount(cell.get(name, ""), currency)
            except rules.AmountError as error:
                row.problems.append(problem(line, name, error.code, value=error.value))
    published = cell.get("published", "").lower()
    values["published"] = published not in NO
    if published and published not in YES | NO:
        row.problems.append(problem(line, "published", "boolean_invalid", value=published))
    clean = rules.normalise({**values, "hs_code": cell.get("hs_code", "")})
    if not clean["hs_code"]:
        suggestion = hs_codes.suggest(clean["category"], clean["materials"], clean["technique_en"])
        clean["hs_code"] = suggestion.code if suggestion else ""
    already = {entry["column"] for entry in row.problems}
    for found in rules.product_problems(clean):
        column = FIELD_COLUMNS.get(found.field, found.field)
        if column not in already:  # a cell that could not be read is reported once
            row.problems.append(problem(line, column, found.code, **found.params))
    row.values = clean
    return row


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)


def write_batch(
    product_import: ProductImport, parsed: list[ParsedRow], refs_seen: dict[str, int]
) -> BatchResult:
    """Check villages and references of a batch, then write its good rows. Call inside a
    transaction; `refs_seen` (reference -> line) carries across batches."""
    result = BatchResult()
    codes = {row.values["origin_village"] for row in parsed if row.values["origin_village"]}
    known = set(Village.objects.filter(code__in=codes).values_list("code", flat=True))
    good: list[ParsedRow] = []
    for row in parsed:
        village = row.values["origin_village"]
        if village and village not in known:
            row.problems.append(
                problem(row.line, "origin_village_code", "village_unknown", value=village)
            )
        ref = row.values["external_ref"]
        if ref and ref in refs_seen:
            row.problems.append(
                problem(row.line, "external_ref", "external_ref_repeated", value=ref,
                        first_line=refs_seen[ref])
            )  # fmt: skip
        elif ref:
            refs_seen[ref] = row.line
        if row.problems:
            result.problems.extend(row.problems)
        else:
            good.append(row)
    refs = [row.values["external_ref"] for row in good if row.values["external_ref"]]
    existing = {
        product.external_ref: product
        for product in Product.objects.filter(
            profile=product_import.profile, external_ref__in=refs
        ).prefetch_related("material_rows")
    }
    to_create: list[Product] = []
    to_update: list[Product] = []
    changed_fields: set[str] = set()
    materials: dict[int, list[str]] = {}
    for row in good:
        new = _stored_values(row.values)
        wanted_materials = list(dict.fromkeys(row.values["materials"]))
        product = existing.get(row.values["external_ref"]) if row.values["external_ref"] else None
        if product is None:
            product = Product(
                profile=product_import.profile,
                created_by=product_import.created_by,
                external_ref=row.values["external_ref"],
                **new,
            )
            to_create.append(product)
            materials[id(product)] = wanted_materials
            continue
        changes = {name for name, value in new.items() if getattr(product, name) != value}
        same_materials = product.materials_list == wanted_materials
        if not changes and same_materials:
            result.unchanged += 1
            continue
        for name in changes:
            setattr(product, name, new[name])
        changed_fields |= changes
        to_update.append(product)
        if not same_materials:
            materials[id(product)] = wanted_materials
    if to_create:
        slugs = unique_slugs([(p.title_en, p.title_km) for p in to_create])
        for product, slug in zip(to_create, slugs, strict=True):
            product.slug = slug
        Product.objects.bulk_create(to_create)
    if to_update:
        now = timezone.now()
        for product in to_update:
            product.updated_at = now
        # Only the fields that changed, in small batches: each UPDATE carries a CASE per field
        # over its rows, and its cost grows with rows x fields x batch.
        fields = sorted(changed_fields | {"updated_at"})
        Product.objects.bulk_update(to_update, fields, batch_size=100)
        rewritten = [p for p in to_update if id(p) in materials]
        ProductMaterial.objects.filter(product__in=rewritten).delete()
    ProductMaterial.objects.bulk_create(
        ProductMaterial(product=product, material=code, position=index)
        for product in (*to_create, *to_update)
        for index, code in enumerate(materials.get(id(product), []))
    )
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _stored_values(values: dict[str, Any]) -> dict[str, Any]:
    """A row's values under the model's attribute names."""
    stored = {name: values[name] for name in WRITTEN_FIELDS if name in values}
    stored["origin_village_id"] = values["origin_village"] or None
    stored["origin_province_id"] = values["origin_province"] or None
    return stored


def run(product_import: ProductImport, data: bytes) -> None:
    """Read the whole file and write it batch by batch, resuming after `rows_done`. Each batch
    commits with the import's counters, so progress shows while it runs."""
    try:
        header, body = rows(decode(data))
        all_rows = list(body)
    except FileRefused as refused:
        _finish(product_import, ImportStatus.FAILED, [refused.problem])
        return
    except csv.Error:
        _finish(product_import, ImportStatus.FAILED, [problem(0, "", "file_not_csv")])
        return
    limit = settings.CATALOG_IMPORT_MAX_ROWS
    if len(all_rows) > limit:
        refused_rows = problem(0, "", "file_too_many_rows", rows=len(all_rows), max=limit)
        _finish(product_import, ImportStatus.FAILED, [refused_rows])
        return
    if product_import.rows_done == 0:
        product_import.errors = unknown_columns(header)
    product_import.rows_total = len(all_rows)
    product_import.status = ImportStatus.RUNNING
    product_import.started_at = product_import.started_at or timezone.now()
    product_import.save(update_fields=["errors", "rows_total", "status", "started_at"])
    # References used by rows already written (a resumed import) still count as taken.
    refs_seen: dict[str, int] = {}
    for line, raw in all_rows[: product_import.rows_done]:
        ref = (raw.get("external_ref") or "").strip()
        if ref and ref not in refs_seen:
            refs_seen[ref] = line
    for start in range(product_import.rows_done, len(all_rows), BATCH_SIZE):
        batch = all_rows[start : start + BATCH_SIZE]
        parsed = [parse_row(line, raw) for line, raw in batch]
        with transaction.atomic():
            result = write_batch(product_import, parsed, refs_seen)
            product_import.rows_done = start + len(batch)
            product_import.created_count += result.created
            product_import.updated_count += result.updated
            product_import.unchanged_count += result.unchanged
            product_import.error_count += len({p["line"] for p in result.problems})
            product_import.errors = [*product_import.errors, *result.problems]
            product_import.save(
                update_fields=[
                    "rows_done", "created_count", "updated_count", "unchanged_count",
                    "error_count", "errors",
                ]
            )  # fmt: skip
    _finish(product_import, ImportStatus.DONE, [])


def _finish(product_import: ProductImport, status: str, problems: list[dict[str, Any]]) -> None:
    product_import.status = status
    product_import.finished_at = timezone.now()
    if problems:
        product_import.errors = [*product_import.errors, *problems]
    product_import.save(update_fields=["status", "finished_at", "errors"])
