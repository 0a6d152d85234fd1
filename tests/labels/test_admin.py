"""The operator reads label runs and copy reports in the admin and changes nothing there."""

from tests.conftest import in_english
from tests.factories import operator_signed_in
from tests.labels import factories


def test_the_operator_sees_runs_and_reports_read_only(client, people):
    run = factories.run(people.product, people.owner)
    operator_signed_in(client)
    in_english(client)
    assert client.get("/admin/labels/labelrun/").status_code == 200
    change = client.get(f"/admin/labels/labelrun/{run.pk}/change/")
    assert change.status_code == 200 and b'name="_save"' not in change.content
    assert client.get("/admin/labels/copyreport/").status_code == 200
