"""The labels API: anyone checks a code (the page's answer, as JSON, without counting a scan);
a profile's members issue runs and list them."""

import pytest

from singleportal.accounts.actions import create_api_token
from singleportal.labels import actions, signing
from singleportal.labels.models import LabelRun
from tests.labels import factories

pytestmark = pytest.mark.django_db


def test_a_genuine_label_answers_with_its_signed_claims_and_facts(client, people):
    label = factories.run(people.product, people.owner).labels.get()
    body = client.get(f"/api/v1/labels/{label.code}", {"p": label.payload}).json()
    assert body["genuine"] is True and body["reason"] == ""
    claims, facts = body["claims"], body["facts"]
    assert claims["c"] == label.code and claims["t"] == "label" and claims["q"] == 250
    assert claims["n"] == people.product.profile.business.registration_number
    assert claims["m"] == ["silk", "cotton"]
    # An offline reader checks the facts against the signature's digest.
    assert signing.facts_digest(facts) == claims["h"]
    label.refresh_from_db()
    assert label.scans == 0


def test_a_changed_payload_a_withdrawn_run_and_an_unknown_code_are_not_genuine(client, people):
    run = factories.run(people.product, people.owner)
    label = run.labels.get()
    prefix, claims, signature = label.payload.split(".")
    changed = f"{prefix}.{claims[:5]}{'A' if claims[5] != 'A' else 'B'}{claims[6:]}.{signature}"
    body = client.get(f"/api/v1/labels/{label.code}", {"p": changed}).json()
    assert (body["genuine"], body["reason"]) == (False, "changed_payload")
    actions.withdraw_run(run, by=people.owner, reason="stolen")
    body = client.get(f"/api/v1/labels/{label.code}").json()
    assert (body["genuine"], body["reason"]) == (False, "withdrawn")
    assert body["withdrawal"]["reason"] == "stolen"
    response = client.get("/api/v1/labels/ZZZZZZZZZZZZ")
    assert response.status_code == 404 and response.json()["reason"] == "unknown_code"


def test_a_member_issues_a_run_with_a_token_and_gets_its_label_urls(client, people):
    _, secret = create_api_token(people.owner, "labels")
    response = client.post(
        "/api/v1/labels/runs",
        {
            "product": people.product.slug,
            "kind": "single",
            "quantity": 3,
            "made_on": "2026-11-20",
            "layout": "2x5",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201
    body = response.json()
    run = LabelRun.objects.get()
    assert body["id"] == run.pk and len(body["labels"]) == 3
    first = run.labels.get(item=1)
    assert body["labels"][0]["url"] == (
        f"https://portal.example.kh/l/{first.code}/?p={first.payload}"
    )
    assert body["sheets"][0]["layout"] == "2x5"


def test_a_run_over_the_limit_is_refused_with_the_problem(client, people):
    client.force_login(people.owner)
    response = client.post(
        "/api/v1/labels/runs",
        {"product": people.product.slug, "kind": "single", "quantity": 1001,
         "made_on": "2026-11-20"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["quantity"]


def test_the_list_of_runs_costs_the_same_queries_for_many_runs(
    client, people, django_assert_max_num_queries
):
    for n in range(10):
        factories.run(people.product, people.owner, batch_reference=f"L{n}")
    client.force_login(people.owner)
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/labels/runs").json()
    assert len(body) == 10 and body[0]["sheets"][0]["status"] == "queued"
