"""load_geo brings a database in line with the shipped file, and running it again is a no-op."""

from io import StringIO

import pytest
from django.core.management import call_command

from singleportal.geo import data_file
from singleportal.geo.models import Commune, District, PlaceAlias, Province, Village

pytestmark = pytest.mark.django_db
MODELS = (Province, District, Commune, Village, PlaceAlias)


def counts():
    return [model.objects.count() for model in MODELS]


def load(**options):
    out = StringIO()
    call_command("load_geo", stdout=out, **options)
    return out.getvalue()


def test_loading_twice_changes_nothing():
    before = counts()
    first, second = load(), load()
    assert counts() == before
    assert "village: 0 created, 0 updated, 14576 unchanged" in second
    assert first == second


def test_load_restores_edited_names_and_keeps_ids():
    village = Village.objects.get(code="17100101")
    Village.objects.filter(pk=village.pk).update(name_en="Edited")
    assert "village: 0 created, 1 updated" in load()
    village.refresh_from_db()
    assert village.name_en == "Sla Kram"


def test_a_refreshed_file_adds_new_places_and_reports_dropped_ones(tmp_path):
    document = data_file.read()
    document["villages"].append(["17100199", "171001", "ភូមិថ្មី", "Phum Thmei"])
    document["villages"] = [v for v in document["villages"] if v[0] != "17100102"]
    refreshed = tmp_path / "geo.json.gz"
    refreshed.write_bytes(data_file.encode(document))

    output = load(file=refreshed)
    assert "village: 1 created, 0 updated" in output and "1 not in the file (kept)" in output
    assert Village.objects.filter(code="17100102").exists()

    assert "(1 deleted)" in load(file=refreshed, prune=True)
    assert not Village.objects.filter(code="17100102").exists()
    assert Village.objects.get(code="17100199").commune.code == "171001"
