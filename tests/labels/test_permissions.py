"""Default deny: who may use each page and API endpoint of the labels (anonymous visitor,
another signed-in user, a member of the product's profile, programme staff)."""

import pytest
from django.core.files.base import ContentFile

from singleportal.labels.models import CopyReport, SheetStatus
from tests.catalog.images import photo_upload
from tests.labels import factories

pytestmark = pytest.mark.django_db

WHO = ("anonymous", "other", "owner", "staff")


@pytest.fixture
def world(people):
    run = factories.run(people.product, people.owner)
    sheet = run.sheets.get()
    sheet.pdf.save("3x8.pdf", ContentFile(b"%PDF-1.4 sheet"), save=False)
    sheet.status = SheetStatus.READY
    sheet.save()
    label = run.labels.get()
    report = CopyReport.objects.create(
        label=label, code=label.code, place="Market", description="Copy"
    )
    report.thumbnail.save("t.jpg", photo_upload("t.jpg"), save=True)
    return {"people": people, "run": run, "label": label, "report": report}


def sign_in(client, world, who):
    if who != "anonymous":
        client.force_login(getattr(world["people"], who))


def run_form(world):
    return {
        "product": world["people"].product.pk,
        "kind": "batch",
        "quantity": "10",
        "made_on": "2026-11-20",
        "layout": "3x8",
    }


# (method, path, data, expected status for anonymous, other, owner, staff)
PAGES = [
    ("get", "/l/", None, (200, 200, 200, 200)),
    ("get", "/l/{code}/", None, (200, 200, 200, 200)),
    ("post", "/l/{code}/report/", {"place": "Shop", "description": "Copy"}, (302,) * 4),
    ("get", "/l/report/sent/", None, (200, 200, 200, 200)),
    ("get", "/labels/", None, (302, 200, 200, 200)),
    ("get", "/labels/new/", None, (302, 200, 200, 200)),
    ("post", "/labels/new/", run_form, (302, 200, 302, 200)),
    ("get", "/labels/runs/{run}/", None, (302, 404, 200, 404)),
    ("post", "/labels/runs/{run}/sheets/", {"layout": "2x5"}, (302, 404, 302, 404)),
    ("get", "/labels/runs/{run}/sheets/3x8.pdf", None, (302, 404, 200, 404)),
    ("post", "/labels/runs/{run}/withdraw/", {"reason": "x"}, (302, 404, 302, 404)),
    ("get", "/labels/reports/", None, (302, 403, 403, 200)),
    ("get", "/labels/reports/{report}/", None, (302, 404, 200, 200)),
    (
        "post",
        "/labels/reports/{report}/",
        {"finding": "unclear", "note": "n"},
        (302, 404, 404, 302),
    ),
    ("get", "/labels/reports/{report}/thumbnail.jpg", None, (302, 404, 200, 200)),
]
API = [
    ("get", "/api/v1/labels/{code}", None, (200, 200, 200, 200)),
    ("get", "/api/v1/labels/runs", None, (401, 200, 200, 200)),
    ("post", "/api/v1/labels/runs", "api_run", (401, 404, 201, 404)),
]


def fill(path, world):
    return path.format(code=world["label"].code, run=world["run"].pk, report=world["report"].pk)


@pytest.mark.parametrize(("method", "path", "data", "expected"), PAGES, ids=[p[1] for p in PAGES])
@pytest.mark.parametrize("who", WHO)
def test_pages(client, world, method, path, data, expected, who):
    sign_in(client, world, who)
    body = data(world) if callable(data) else data
    response = getattr(client, method)(fill(path, world), body or {})
    assert response.status_code == expected[WHO.index(who)]
    if response.status_code == 302 and who == "anonymous" and path.startswith("/labels/"):
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("method", "path", "data", "expected"), API, ids=[a[1] for a in API])
@pytest.mark.parametrize("who", WHO)
def test_api(client, world, method, path, data, expected, who):
    sign_in(client, world, who)
    url = fill(path, world)
    if method == "post":
        body = {
            "product": world["people"].product.slug,
            "kind": "batch",
            "quantity": 10,
            "made_on": "2026-11-20",
        }
        response = client.post(url, body, content_type="application/json")
    else:
        response = client.get(url)
    assert response.status_code == expected[WHO.index(who)]


def test_other_users_and_staff_see_no_runs_in_the_list_or_the_api(client, world):
    for who in ("other", "staff"):
        client.force_login(getattr(world["people"], who))
        assert client.get("/api/v1/labels/runs").json() == []
        assert f"/labels/runs/{world['run'].pk}/" not in client.get("/labels/").content.decode()
