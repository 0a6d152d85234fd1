"""singleportal manage import_registry FILE."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from singleportal.audit.models import AuditEntry
from singleportal.registry.importing import to_csv
from singleportal.registry.models import Business

pytestmark = pytest.mark.django_db

GOOD = [
    {"registration_number": "00001001", "name_km": "ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក",
     "name_en": "Angkor Silk Co., Ltd.", "legal_form": "private_limited_company",
     "status": "active", "registered_on": "2019-03-04", "province_code": "17"},
    {"registration_number": "00001002", "name_km": "សហគ្រាស ក្រមា កំពត", "name_en": "",
     "legal_form": "sole_proprietorship", "status": "active", "registered_on": "២០២១-០១-០២",
     "province_code": "7"},
]  # fmt: skip
BAD = [
    {**GOOD[0], "registration_number": "00001003", "legal_form": "llc"},
    {**GOOD[0], "registration_number": "00001004", "registered_on": "4 March 2019"},
    {**GOOD[0], "registration_number": "00001005", "province_code": "99"},
    {**GOOD[0], "registration_number": "00001006", "name_km": "Angkor"},
    {**GOOD[0], "registration_number": ""},
    {**GOOD[0]},  # repeats 00001001
]


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_registry", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_csv_import_reports_bad_rows_with_line_numbers_and_keeps_going(tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text(to_csv(GOOD + BAD), encoding="utf-8")
    out, err = run(path)
    assert Business.objects.count() == 2
    assert "line 4: legal_form: unknown code 'llc'" in out
    assert "line 5: registered_on" in out
    assert "line 6: province_code: no province with code '99'" in out
    assert "line 7: name_km" in out
    assert "line 8: registration_number" in out
    assert "line 9: registration_number: 00001001 repeats line 2" in out
    assert "8 rows read, 2 imported, 6 bad" in out
    assert "rows read" in err  # progress
    business = Business.objects.get(registration_number="00001001")
    assert business.name_en_normalized == "angkorsilk"
    assert business.name_km_normalized == "អង្គរស៊ីលក៍"
    assert business.province_id == "17"
    assert Business.objects.get(registration_number="00001002").province_id == "07"
    entry = AuditEntry.objects.get(action="registry.imported")
    assert entry.details["written"] == 2 and entry.details["bad"] == 6


def test_import_is_idempotent_and_updates_changed_rows(tmp_path):
    path = tmp_path / "registry.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in GOOD), encoding="utf-8")
    run(path)
    run(path)
    assert Business.objects.count() == 2
    changed = [{**GOOD[0], "status": "dissolved", "name_en": "Angkor Silks Co., Ltd."}]
    path.write_text(json.dumps(changed[0], ensure_ascii=False), encoding="utf-8")
    run(path)
    business = Business.objects.get(registration_number="00001001")
    assert business.status == "dissolved"
    assert business.name_en == "Angkor Silks Co., Ltd."
    assert Business.objects.count() == 2


def test_the_change_stream_hears_of_new_businesses_and_status_changes_once(tmp_path, client):
    path = tmp_path / "registry.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in GOOD), encoding="utf-8")
    run(path)
    run(path)  # nothing new: no event
    changed = {**GOOD[0], "status": "dissolved", "name_en": "Angkor Silks Co., Ltd."}
    unchanged_status = {**GOOD[1], "name_en": "Kampot Krama"}
    lines = (json.dumps(r, ensure_ascii=False) for r in (changed, unchanged_status))
    path.write_text("\n".join(lines), encoding="utf-8")
    run(path)
    events = client.get("/api/v1/registry/events").json()["events"]
    assert [(e["kind"], e["registration_number"]) for e in events] == [
        ("registered", "00001001"),
        ("registered", "00001002"),
        ("status_changed", "00001001"),
    ]
    assert events[0]["data"] == {
        "name_km": "ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក", "name_en": "Angkor Silk Co., Ltd.",
        "legal_form": "private_limited_company", "status": "active",
        "registered_on": "2019-03-04", "province": "17",
    }  # fmt: skip
    assert events[2]["data"] == {"from": "active", "to": "dissolved"}


def test_jsonl_bad_lines_are_reported(tmp_path):
    path = tmp_path / "registry.jsonl"
    path.write_text(
        json.dumps(GOOD[0], ensure_ascii=False) + "\n{not json\n[1, 2]\n", encoding="utf-8"
    )
    out, _ = run(path)
    assert "line 2: not valid JSON" in out
    assert "line 3: not a JSON object" in out
    assert Business.objects.count() == 1


def test_missing_file_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "nope.csv")


def test_csv_without_required_columns_is_refused(tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text("registration_number,name_en\n1,Angkor\n", encoding="utf-8")
    out, _ = run(path)
    assert "line 1: missing columns" in out
    assert Business.objects.count() == 0


def test_parallel_workers_give_the_same_result(tmp_path):
    rows = [
        {**GOOD[0], "registration_number": f"P{i:06d}", "name_en": f"Angkor Silk {i}"}
        for i in range(3000)
    ]
    path = tmp_path / "registry.csv"
    path.write_text(to_csv([*rows, BAD[0]]), encoding="utf-8")
    out, _ = run(path, "--workers", "2", "--batch-size", "1000")
    assert "3,001 rows read, 3,000 imported, 1 bad" in out
    assert "line 3002: legal_form" in out
    assert Business.objects.count() == 3000
    assert Business.objects.get(registration_number="P000007").name_en_normalized == "angkorsilk7"
