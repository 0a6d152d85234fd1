"""The shipped geography file: gzipped JSON, compact and byte-for-byte reproducible.

Layout: {"source": {...where it came from, the rules applied...}, "columns": {...},
"provinces": [[...], ...], "districts": ..., "communes": ..., "villages": ..., "aliases": ...}.
Rows are lists (named by "columns") to keep the file small.
"""

import gzip
import io
import json
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "cambodia_geo.json.gz"
COLUMNS = {
    "provinces": ["code", "name_km", "name_en", "kind"],
    "districts": ["code", "province", "name_km", "name_en", "kind"],
    "communes": ["code", "district", "name_km", "name_en", "kind"],
    "villages": ["code", "commune", "name_km", "name_en"],
    "aliases": ["level", "code", "alias", "reason"],
}


def canonical_json(document: dict[str, Any]) -> str:
    """One text per document: sorted keys, no whitespace, Khmer as UTF-8 (not \\u escapes)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def encode(document: dict[str, Any]) -> bytes:
    """Same document, same bytes: canonical JSON, and no time or file name in the gzip header."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(canonical_json(document).encode("utf-8"))
    return buffer.getvalue()


def decode(data: bytes) -> dict[str, Any]:
    return json.loads(gzip.decompress(data).decode("utf-8"))


def read(path: Path = DATA_FILE) -> dict[str, Any]:
    return decode(path.read_bytes())


def records(document: dict[str, Any], table: str) -> list[dict[str, str]]:
    """One table's rows as dicts keyed by the column names."""
    columns = document["columns"][table]
    return [dict(zip(columns, row, strict=True)) for row in document[table]]
