"""The clean_geo_source command against the real package (a test and refresh-time dependency,
never a run-time one)."""

from io import StringIO

import pytest
from django.core.management import call_command

from singleportal.geo import data_file


@pytest.fixture(scope="module")
def rerun(tmp_path_factory):
    """Run the cleaner into a scratch file, dated like the shipped one."""
    output = tmp_path_factory.mktemp("geo") / "cambodia_geo.json.gz"
    shipped_date = data_file.read()["source"]["cleaned_on"]
    out = StringIO()
    call_command("clean_geo_source", output=output, date=shipped_date, stdout=out)
    return output, out.getvalue()


def test_rerunning_the_cleaner_reproduces_the_shipped_data(rerun):
    output, _report = rerun
    assert data_file.read(output) == data_file.read()


def test_rerunning_the_cleaner_leaves_the_shipped_file_byte_for_byte(tmp_path):
    shipped = tmp_path / "cambodia_geo.json.gz"
    shipped.write_bytes(data_file.DATA_FILE.read_bytes())
    out = StringIO()
    call_command("clean_geo_source", output=shipped, stdout=out)  # dated today
    assert "already up to date" in out.getvalue()
    assert shipped.read_bytes() == data_file.DATA_FILE.read_bytes()


def test_the_report_names_each_known_problem_of_the_source_and_its_fix(rerun):
    _output, report = rerun
    expected = [
        "[whitespace] village 01020316: 'Ta  Bun' -> 'Ta Bun'",
        "[capitalisation] commune 020308: 'wat Kor' -> 'Wat Kor'",
        "[kind_prefix] province 12: រាជធានី + ភ្នំពេញ: name ភ្នំពេញ, kind capital",
        "[recoded] village 0506140-: ភូមិទី ៣ / Phum Ti Bei in 050614: malformed code",
        "merged into 250314",
        "moved there",
        "[english_copied_from_sibling] village 12080301",
    ]
    for line in expected:
        assert line in report


def test_fresh_runs_write_identical_bytes(rerun, tmp_path):
    output, _report = rerun
    again = tmp_path / "again.json.gz"
    call_command(
        "clean_geo_source",
        output=again,
        date=data_file.read()["source"]["cleaned_on"],
        stdout=StringIO(),
    )
    assert again.read_bytes() == output.read_bytes()
