"""The cleaned tree as the shipped document (see geo/data_file.py for the layout)."""

from typing import Any

from singleportal.geo.cleaning.clean import Cleaned
from singleportal.geo.cleaning.source import RawSource
from singleportal.geo.data_file import COLUMNS

ORIGIN = (
    "Cambodia's administrative divisions as published by the General Directorate of Digital "
    "Economy (GDDE), Ministry of Economy and Finance: https://data.mef.gov.kh"
)
TERMS = "Data EF Terms of Use, which require attribution: https://data.mef.gov.kh/terms-of-use"
TABLE_OF_LEVEL = {
    "province": "provinces",
    "district": "districts",
    "commune": "communes",
    "village": "villages",
}


def build_document(cleaned: Cleaned, source: RawSource, cleaned_on: str) -> dict[str, Any]:
    tables: dict[str, list[list[str]]] = {}
    for level, table in TABLE_OF_LEVEL.items():
        tables[table] = [
            [getattr(row, _attr(column)) for column in COLUMNS[table]]
            for row in cleaned.rows[level]
        ]
    tables["aliases"] = [[a.level, a.code, a.alias, a.reason] for a in cleaned.aliases]
    return {
        "source": {
            "package": source.package,
            "version": source.version,
            "data_year": source.data_year,
            "origin": ORIGIN,
            "terms": TERMS,
            "cleaned_on": cleaned_on,
            "cleaned_by": "manage.py clean_geo_source",
            "rules": cleaned.report.rules_applied(),
            "counts": {table: len(rows) for table, rows in tables.items()},
        },
        "columns": COLUMNS,
        **tables,
    }


def _attr(column: str) -> str:
    # The parent column is named after the parent level; rows keep it as `parent`.
    return column if column in ("code", "name_km", "name_en", "kind") else "parent"


def same_content(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal but for the cleaning date: then the file on disk is left as it is."""

    def undated(doc: dict[str, Any]) -> dict[str, Any]:
        return {**doc, "source": {k: v for k, v in doc["source"].items() if k != "cleaned_on"}}

    return undated(a) == undated(b)
