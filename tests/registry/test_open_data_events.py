"""The change stream: registrations, new records and status changes, written with the change
itself, read after a cursor in order, and served as Server-Sent Events that end in bounded time
and resume from Last-Event-ID."""

import json
import time

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from singleportal.accounts.models import Role
from singleportal.registry import events
from singleportal.registry.models import Business, RegistryEvent
from tests.agencies.flow import filed, submit
from tests.agencies.test_registry_entries import registered
from tests.factories import PASSWORD, UserFactory, current_totp, totp_device
from tests.registry.test_public_helpers import SECRETS, enter, fresh_cache

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    fresh_cache()
    settings.REGISTRY_STREAM_SECONDS = 0  # send what exists, then end


def stream_of(response) -> str:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/event-stream")
    return b"".join(response.streaming_content).decode()


def messages(text: str) -> list[dict]:
    """The events of an SSE body: each block's id, event and data fields."""
    found = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line
                      and not line.startswith(":"))  # fmt: skip
        if "data" in fields:
            found.append({**fields, "data": json.loads(fields["data"])})
    return found


def test_registration_records_and_status_changes_come_in_order_after_a_cursor(client):
    silk = enter(tax=True)
    pepper = enter("សហគ្រាស មេគង្គ ម្រេច", "Mekong Pepper", opening=True)
    events.change_status(silk, "dissolved", by=None, reason="owner's request")
    body = client.get(f"{API}/events").json()
    kinds = [(e["kind"], e["registration_number"]) for e in body["events"]]
    assert kinds == [
        ("registered", silk.registration_number),
        ("record_added", silk.registration_number),  # the TIN
        ("record_added", silk.registration_number),  # the patent tax
        ("registered", pepper.registration_number),
        ("record_added", pepper.registration_number),  # the declaration of opening
        ("status_changed", silk.registration_number),
    ]
    ids = [int(e["id"]) for e in body["events"]]
    assert ids == sorted(ids)
    assert body["events"][1]["data"]["record"] == "tax_registration"
    assert body["events"][1]["data"]["number"] == Business.objects.get(pk=silk.pk).tin
    assert body["events"][-1]["data"] == {"from": "active", "to": "dissolved"}
    assert body["next_cursor"] == body["events"][-1]["id"]

    after = body["events"][2]["id"]
    rest = client.get(f"{API}/events", {"after": after}).json()
    assert [e["id"] for e in rest["events"]] == [e["id"] for e in body["events"][3:]]
    two = client.get(f"{API}/events", {"after": 0, "limit": 2}).json()
    assert two["next_cursor"] == body["events"][1]["id"]
    nothing = client.get(f"{API}/events", {"after": body["next_cursor"]}).json()
    assert nothing == {"events": [], "next_cursor": body["next_cursor"]}
    assert client.get(f"{API}/events", {"after": "-1"}).status_code == 422


def test_an_event_exists_only_if_its_change_committed():
    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        enter("ក្រុមហ៊ុន បាត់", "Vanished Trading")
        assert RegistryEvent.objects.filter(kind="registered").count() == 1
        raise Refused
    assert not RegistryEvent.objects.exists()
    assert not Business.objects.exists()


def test_sse_sends_retry_then_each_event_with_its_cursor_as_id(client):
    silk = enter(tax=True)
    text = stream_of(client.get("/registry/events/stream"))
    assert text.startswith("retry: ")
    sent = messages(text)
    stored = list(RegistryEvent.objects.order_by("id"))
    assert [m["id"] for m in sent] == [str(e.id) for e in stored]
    assert [m["event"] for m in sent] == ["registered", "record_added", "record_added"]
    assert sent[0]["data"]["registration_number"] == silk.registration_number
    assert sent[0]["data"]["id"] == sent[0]["id"]
    for secret in SECRETS:
        assert secret not in text


def test_sse_resumes_after_last_event_id_which_wins_over_the_url(client):
    enter(tax=True)
    first = messages(stream_of(client.get("/registry/events/stream?after=0")))
    enter("សហគ្រាស មេគង្គ ម្រេច", "Mekong Pepper")
    # EventSource reconnects to the URL it started with, sending the last id it saw.
    resumed = messages(
        stream_of(client.get("/registry/events/stream?after=0", HTTP_LAST_EVENT_ID=first[-1]["id"]))
    )
    assert [m["event"] for m in resumed] == ["registered"]
    assert int(resumed[0]["id"]) > int(first[-1]["id"])
    refused = client.get("/registry/events/stream", HTTP_LAST_EVENT_ID="abc")
    assert refused.status_code == 400


def test_sse_polls_for_a_bounded_time_then_ends(client, settings):
    settings.REGISTRY_STREAM_SECONDS = 1
    settings.REGISTRY_STREAM_POLL_MILLISECONDS = 200
    settings.REGISTRY_STREAM_RETRY_MILLISECONDS = 3000
    started = time.monotonic()
    text = stream_of(client.get("/registry/events/stream"))
    took = time.monotonic() - started
    assert 0.9 <= took < 3
    assert text.startswith("retry: 3000\n\n")
    assert ": waiting" in text  # comments keep idle proxies from closing the connection


def test_when_every_waiting_place_is_taken_a_stream_sends_what_exists_and_ends(client, settings):
    settings.REGISTRY_STREAM_SECONDS = 2
    settings.REGISTRY_STREAM_POLL_MILLISECONDS = 100
    settings.REGISTRY_STREAM_MAX_OPEN = 1
    enter()
    cache.add("registry:stream-slot:0", 1, timeout=30)  # another stream is waiting
    started = time.monotonic()
    text = stream_of(client.get("/registry/events/stream"))
    assert time.monotonic() - started < 1
    assert [m["event"] for m in messages(text)] == ["registered"] and ": waiting" not in text
    cache.delete("registry:stream-slot:0")
    settings.REGISTRY_STREAM_SECONDS = 1
    text = stream_of(client.get("/registry/events/stream"))
    assert ": waiting" in text
    assert cache.add("registry:stream-slot:0", 1, timeout=1)  # given back when it ended


def test_sse_counts_against_the_api_limit(client, settings):
    settings.REGISTRY_API_ANON_RATE = "1/60"
    assert client.get("/registry/events/stream").status_code == 200
    refused = client.get("/registry/events/stream")
    assert refused.status_code == 429 and refused["Retry-After"]


def test_an_approved_file_puts_its_public_particulars_and_events_on_the_register():
    """Through the agencies' approvals: MOC enters the business with its address to the
    commune, activities and officers; GDT, MLVT and MOI add records; each is an event."""
    app = submit(filed())
    business = registered(app)
    assert business.commune_id == app.commune_code and business.district_id == app.district_code
    assert list(business.activities.values_list("activity_id", "main")) == [("0128", True)]
    roles = list(business.officers.values_list("role", flat=True))
    assert roles == ["shareholder", "shareholder", "director"]
    kinds = list(
        RegistryEvent.objects.filter(business=business)
        .order_by("id")
        .values_list("kind", "data__record")
    )
    assert kinds[0] == ("registered", None)
    assert sorted(k[1] for k in kinds[1:]) == [
        "address_confirmation", "opening_declaration", "patent_tax", "tax_registration",
    ]  # fmt: skip
    for event in RegistryEvent.objects.all():
        assert "Street 51" not in json.dumps(event.data, ensure_ascii=False)


def test_a_status_changed_by_the_operator_in_the_admin_is_an_event(client):
    business = enter()
    operator = UserFactory(roles=[Role.OPERATOR], is_staff=True, is_superuser=True)
    device = totp_device(operator)
    client.post(reverse("accounts:login"), {"username": operator.email, "password": PASSWORD})
    client.post(reverse("accounts:second_factor"), {"token": current_totp(device)})
    page = client.get(f"/admin/registry/business/{business.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {"status": "suspended", "records-TOTAL_FORMS": "0", "records-INITIAL_FORMS": "0",
         "records-MIN_NUM_FORMS": "0", "records-MAX_NUM_FORMS": "1000"}
    )  # fmt: skip
    response = client.post(f"/admin/registry/business/{business.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = RegistryEvent.objects.filter(kind="status_changed").get()
    assert event.data == {"from": "active", "to": "suspended"}
