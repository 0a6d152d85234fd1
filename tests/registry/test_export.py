"""The bulk export of the register (open data): CSV and JSON Lines files that hold what the API
shows and nothing more, checksummed in a manifest, written atomically, rotated, rebuilt daily by
a beat task, and served publicly with ETags; no path outside a manifest can be downloaded."""

import csv
import datetime as dt
import fcntl
import gzip
import hashlib
import io
import json
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.management import call_command

from singleportal.registry import export, tasks
from singleportal.registry.api import BusinessOut
from singleportal.registry.models import Business
from tests.registry.factories import register
from tests.registry.test_public_helpers import SECRETS, enter, fresh_cache

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"
DAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _exports(settings, tmp_path):
    fresh_cache()
    settings.REGISTRY_EXPORT_DIR = tmp_path / "exports"
    settings.REGISTRY_EXPORT_KEEP = 7
    settings.REGISTRY_API_ANON_RATE = "100000/60"
    return settings.REGISTRY_EXPORT_DIR


@pytest.fixture
def businesses():
    """Three kinds: entered by approval with TIN, declarations and two activities; entered with
    no English name; imported (no activities, officers or filings)."""
    full = enter(tax=True, opening=True, address=True, activities=(("1311", True), ("0128", False)))
    plain = enter("សហគ្រាស មេគង្គ ម្រេច", "", legal_form="sole_proprietorship")
    old = register("ហាង ចាស់", "Old, Comma Shop", number="T-900001", status="struck_off")
    return [full, plain, old]


def gunzip(path: Path) -> bytes:
    with gzip.open(path, "rb") as handle:
        return handle.read()


def files_of(result: export.ExportResult) -> dict[str, Path]:
    return {item["format"]: result.folder / item["name"] for item in result.manifest["files"]}


def api_entry(client, number: str) -> dict:
    response = client.get(f"{API}/businesses/{number}")
    assert response.status_code == 200, response.content
    return response.json()


def test_jsonl_lines_are_exactly_what_the_api_shows_for_each_business_in_entry_order(
    client, businesses
):
    result = export.export_registry(day=DAY)
    lines = gunzip(files_of(result)["jsonl"]).decode().splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["registration_number"] for e in entries] == [
        b.registration_number for b in businesses
    ]
    for entry in entries:
        BusinessOut.model_validate(entry)
        assert entry == api_entry(client, entry["registration_number"])
    full = next(e for e in entries if e["tin"])
    assert [a["code"] for a in full["activities"]] == ["1311", "0128"]
    assert {f["agency"] for f in full["filings"]} >= {"MOC", "GDT", "MLVT", "MOI"}
    assert [o["name_en"] for o in full["officers"]] == ["Sok Chanda", ""]


def test_csv_rows_are_the_api_entries_made_flat(client, businesses):
    result = export.export_registry(day=DAY)
    text = gunzip(files_of(result)["csv"]).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == export.CSV_COLUMNS
    assert len(rows) == len(businesses)
    for row in rows:
        entry = api_entry(client, row["registration_number"])
        for column in ("name_km", "name_en", "legal_form", "status", "registered_on", "updated_at"):
            assert row[column] == entry[column]
        assert row["tin"] == (entry["tin"] or "")
        for level in ("province", "district", "commune"):
            place = entry["address"][level]
            assert row[f"{level}_code"] == (place["code"] if place else "")
            assert row[f"{level}_name_km"] == (place["name_km"] if place else "")
        assert row["activity_codes"].split(";") == [a["code"] for a in entry["activities"]] or (
            row["activity_codes"] == "" and not entry["activities"]
        )
        assert json.loads(row["officers"] or "[]") == entry["officers"]
    assert any(row["name_en"] == "Old, Comma Shop" for row in rows)


def test_no_personal_data_reaches_the_files(businesses):
    result = export.export_registry(day=DAY)
    for path in files_of(result).values():
        body = gunzip(path).decode()
        for secret in SECRETS:
            assert secret not in body
        assert "1983" not in body  # not even the year of birth
        for key in ("id_number", "date_of_birth", "street", "house_number", "phone", "email"):
            assert key not in body


def test_manifest_checksums_sizes_and_counts_match_the_files(businesses):
    result = export.export_registry(day=DAY)
    manifest = json.loads((result.folder / export.MANIFEST).read_text())
    assert manifest == result.manifest
    assert manifest["date"] == DAY.isoformat() and manifest["generated_at"]
    assert manifest["counts"]["businesses"] == 3
    assert manifest["counts"]["activities"] == 3  # two of the first, one of the second
    assert manifest["counts"]["officers"] == 4
    for item in manifest["files"]:
        raw = (result.folder / item["name"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(raw).hexdigest()
        assert item["bytes"] == len(raw)
        lines = gzip.decompress(raw).decode().splitlines()
        assert item["rows"] == len(lines) - (1 if item["format"] == "csv" else 0) == 3
        assert item["columns"]
    assert sorted(p.name for p in result.folder.iterdir()) == sorted(
        [export.MANIFEST, *(i["name"] for i in manifest["files"])]
    )


def test_chunks_cover_every_business_once_with_queries_per_chunk_not_per_business(
    businesses, django_assert_max_num_queries
):
    for i in range(4):
        register(f"ហាង {i}", f"Shop {i}", number=f"C-{i:04d}")
    result = export.export_registry(day=DAY, chunk_size=2)
    lines = gunzip(files_of(result)["jsonl"]).decode().splitlines()
    numbers = [json.loads(line)["registration_number"] for line in lines]
    assert numbers == list(
        Business.objects.order_by("pk").values_list("registration_number", flat=True)
    )
    assert len(set(numbers)) == 7
    with django_assert_max_num_queries(4 + 4):  # place and activity names, then one chunk
        export.export_registry(day=DAY, force=True, chunk_size=1000)


def test_a_crash_mid_way_leaves_no_file_under_a_final_name(businesses, monkeypatch):
    calls = {"n": 0}
    flat = export.csv_row

    def failing(entry):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        return flat(entry)

    monkeypatch.setattr(export, "csv_row", failing)
    with pytest.raises(RuntimeError):
        export.export_registry(day=DAY, chunk_size=1)
    folder = Path(django_settings.REGISTRY_EXPORT_DIR) / DAY.isoformat()
    assert list(folder.iterdir()) == []  # no final name, no manifest, no temporary file
    assert export.published_days() == []


def test_a_crash_while_rebuilding_keeps_the_complete_export_of_the_day(businesses, monkeypatch):
    before = export.export_registry(day=DAY)
    sums = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in before.folder.iterdir()}

    def failing(entry):
        raise OSError("no space left on device")

    monkeypatch.setattr(export, "csv_row", failing)
    with pytest.raises(OSError):
        export.export_registry(day=DAY, force=True)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in before.folder.iterdir()}
    assert after == sums
    for item in before.manifest["files"]:
        assert sums[item["name"]] == item["sha256"]


def test_partial_files_of_a_killed_run_are_cleared_by_the_next(businesses):
    folder = Path(django_settings.REGISTRY_EXPORT_DIR) / DAY.isoformat()
    folder.mkdir(parents=True)
    (folder / f".businesses-{DAY}.csv.gz{export.PARTIAL}-4242").write_bytes(b"half")
    result = export.export_registry(day=DAY)
    assert not [p for p in result.folder.iterdir() if export.PARTIAL in p.name]


def test_a_day_is_built_once_unless_forced_and_the_same_register_gives_the_same_bytes(
    businesses,
):
    first = export.export_registry(day=DAY)
    again = export.export_registry(day=DAY)
    assert first.built and not again.built
    assert again.manifest == first.manifest
    forced = export.export_registry(day=DAY, force=True)
    assert forced.built
    assert [f["sha256"] for f in forced.manifest["files"]] == [
        f["sha256"] for f in first.manifest["files"]
    ]


def test_rotation_keeps_the_newest_n_complete_days(businesses):
    root = Path(django_settings.REGISTRY_EXPORT_DIR)
    (root / "2026-11-01").mkdir(parents=True)  # a crash's leftover: no manifest
    (root / "not-a-day").mkdir()
    for offset in range(9):
        result = export.export_registry(day=DAY - dt.timedelta(days=8 - offset), keep=7)
    assert export.published_days() == [(DAY - dt.timedelta(days=i)).isoformat() for i in range(7)]
    assert not (root / "2026-11-01").exists()
    assert (root / "not-a-day").exists()  # only day folders are ever removed
    assert result.removed == [(DAY - dt.timedelta(days=7)).isoformat()]


def test_a_second_export_into_the_same_folder_waits_its_turn(businesses):
    root = Path(django_settings.REGISTRY_EXPORT_DIR)
    root.mkdir(parents=True)
    with (root / export.LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(export.ExportBusy):
            export.export_registry(day=DAY)
        assert tasks.export_register.apply().get() == "busy"
    assert export.published_days() == []


def test_the_beat_schedule_runs_the_export_daily_at_two_in_cambodia(businesses, settings):
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == tasks.export_register.name
    )
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Phnom_Penh"
    day = tasks.export_register.apply().get()
    assert export.published_days() == [day]
    assert tasks.export_register.apply().get() == day  # idempotent: nothing rebuilt


def test_the_command_exports_to_a_given_folder_and_rebuilds_when_forced(businesses, tmp_path):
    out = io.StringIO()
    call_command("export_registry", "--out", str(tmp_path / "elsewhere"), stdout=out)
    assert "3 rows" in out.getvalue()
    out = io.StringIO()
    call_command("export_registry", "--out", str(tmp_path / "elsewhere"), stdout=out)
    assert "complete already" in out.getvalue()
    out = io.StringIO()
    call_command("export_registry", "--out", str(tmp_path / "elsewhere"), "--force", stdout=out)
    assert "exported in" in out.getvalue()
    assert export.published_days(tmp_path / "elsewhere")


# -- public downloads -----------------------------------------------------------------------------


def test_the_page_and_the_manifest_list_the_latest_files_without_sign_in(client, businesses):
    assert client.get("/registry/exports/").status_code == 200
    assert client.get("/registry/exports/manifest.json").status_code == 404
    export.export_registry(day=DAY - dt.timedelta(days=1))
    result = export.export_registry(day=DAY)
    page = client.get("/registry/exports/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200
    for item in result.manifest["files"]:
        assert item["name"] in body and item["sha256"] in body
    assert (DAY - dt.timedelta(days=1)).isoformat() in body  # an earlier day, linked
    manifest = client.get("/registry/exports/manifest.json").json()
    assert manifest["date"] == DAY.isoformat()
    assert [f["url"] for f in manifest["files"]] == [
        f"/registry/exports/{DAY}/{f['name']}" for f in result.manifest["files"]
    ]


def test_a_file_is_streamed_with_its_length_and_checksum_as_etag(client, businesses):
    result = export.export_registry(day=DAY)
    for item in result.manifest["files"]:
        url = f"/registry/exports/{DAY}/{item['name']}"
        response = client.get(url)
        assert response.status_code == 200
        assert response.streaming
        content = b"".join(response.streaming_content)
        assert hashlib.sha256(content).hexdigest() == item["sha256"]
        assert response["Content-Length"] == str(item["bytes"])
        assert response["ETag"] == f'"{item["sha256"]}"'
        assert response["Content-Type"] == "application/gzip"
        assert "Content-Encoding" not in response  # the file is the gzip, not a wrapping
        assert "attachment" in response["Content-Disposition"]
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again["ETag"] == response["ETag"]
        assert client.head(url).status_code == 200
    manifest = client.get(f"/registry/exports/{DAY}/manifest.json")
    assert json.loads(b"".join(manifest.streaming_content)) == result.manifest


@pytest.mark.parametrize(
    "path",
    [
        f"/registry/exports/{DAY}/nothing.csv.gz",
        "/registry/exports/2026-01-01/manifest.json",
        f"/registry/exports/{DAY}/.lock",
        f"/registry/exports/{DAY}/secret.txt",
        f"/registry/exports/{DAY}/..%2F..%2Fsinglportal.sqlite3",
        f"/registry/exports/{DAY}/%2E%2E",
        "/registry/exports/..%2F..%2F/manifest.json",
        "/registry/exports/../exports/manifest.json/x",
        "/registry/exports/%2E%2E/.lock",
        f"/registry/exports/{DAY}/businesses-{DAY}.csv.gz%00",
    ],
)
def test_unknown_files_and_path_traversal_are_not_found(client, businesses, path):
    result = export.export_registry(day=DAY)
    (result.folder / "secret.txt").write_text("not published")
    (result.folder.parent / "outside.txt").write_text("not published")
    response = client.get(path, follow=True)  # CommonMiddleware may add a slash first
    assert response.status_code == 404
    assert b"not published" not in b"".join(getattr(response, "streaming_content", [])) + (
        b"" if response.streaming else response.content
    )
