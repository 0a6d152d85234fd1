"""The public page a label's QR code opens: genuine or not and why, what the label states,
how many times the code was scanned, light enough for a phone, one query when seen before."""

import pytest

from singleportal.certificates.actions import revoke_signing_key
from singleportal.labels import actions, signing
from singleportal.labels.models import Label
from tests.labels import factories

pytestmark = pytest.mark.django_db


def scan_url(label: Label, payload: str | None = None) -> str:
    return f"/l/{label.code}/?p={label.payload if payload is None else payload}"


def verdict(response) -> tuple[str, str]:
    page = response.content.decode()
    start = page.index('id="verdict"')
    genuine = page[start:].split('data-genuine="', 1)[1].split('"', 1)[0]
    reason = ""
    if 'data-reason="' in page[start : start + 200]:
        reason = page[start:].split('data-reason="', 1)[1].split('"', 1)[0]
    return genuine, reason


def test_a_batch_label_is_genuine_and_shows_maker_village_materials_marks_and_batch_size(
    english, people
):
    factories.mark(people.product)
    label = factories.run(people.product, people.owner).labels.get()
    response = english.get(scan_url(label))
    assert response.status_code == 200
    assert verdict(response) == ("yes", "")
    page = response.content.decode()
    registration = people.product.profile.business.registration_number
    assert "Verified in the register" in page
    assert f'href="/registry/{registration}/"' in page
    assert "ក្រមាសូត្រ" in page and "Silk krama" in page
    assert factories.village().name_en in page
    assert "Silk, Cotton" in page
    assert "Hand-woven on a wooden loom" in page
    assert "One Village One Product designation" in page and "OVOP-2026-014" in page
    assert "A batch of 250 items" in page and "LOT-7" in page
    assert "2026-11-20" in page


def test_an_unregistered_group_is_shown_as_such_and_unverified_marks_are_not(english, people):
    group = factories.product(factories.profile(people.owner, registered=False))
    factories.mark(group, status="pending", number="PENDING-1")
    label = factories.run(group, people.owner).labels.get()
    page = english.get(scan_url(label)).content.decode()
    assert "Village group, not registered" in page
    assert "Verified in the register" not in page
    assert "PENDING-1" not in page


def test_a_product_with_no_village_anywhere_still_verifies_without_one(english, people):
    owner_profile = factories.profile(people.owner, registered=False)
    owner_profile.village = None
    owner_profile.save()
    placeless = factories.product(owner_profile, origin_village=None)
    label = factories.run(placeless, people.owner).labels.get()
    response = english.get(scan_url(label))
    assert verdict(response) == ("yes", "")
    assert "Village of origin" not in response.content.decode()
    assert label.run.facts["origin"] is None


def test_a_single_item_label_names_its_item(english, people):
    run = factories.run(people.product, people.owner, kind="single", quantity=3)
    label = run.labels.get(item=2)
    page = english.get(scan_url(label)).content.decode()
    assert "Item 2 of 3" in page
    assert "3 items made, each with its own code." in page


def test_a_changed_payload_is_not_genuine(english, people):
    label = factories.run(people.product, people.owner).labels.get()
    claims_part = label.payload.split(".")[1]
    changed = label.payload.replace(
        claims_part, claims_part[:-3] + ("A" if claims_part[-3] != "A" else "B") + claims_part[-2:]
    )
    response = english.get(scan_url(label, changed))
    assert response.status_code == 200
    assert verdict(response) == ("no", signing.Reason.CHANGED_PAYLOAD)
    assert "The signed data in this code was changed" in response.content.decode()


def test_the_payload_of_another_label_is_not_genuine_for_this_code(english, people):
    first, second = factories.run(
        people.product, people.owner, kind="single", quantity=2
    ).labels.all()
    response = english.get(scan_url(first, second.payload))
    assert verdict(response) == ("no", signing.Reason.OTHER_CODE)


def test_a_withdrawn_run_scans_as_withdrawn_with_its_reason(english, people):
    run = factories.run(people.product, people.owner)
    actions.withdraw_run(run, by=people.owner, reason="Labels stolen from the workshop")
    response = english.get(scan_url(run.labels.get()))
    assert verdict(response) == ("no", signing.Reason.WITHDRAWN)
    assert "Labels stolen from the workshop" in response.content.decode()


def test_a_revoked_key_fails_every_label_it_signed(english, people):
    run = factories.run(people.product, people.owner)
    revoke_signing_key(run.key.kid, by=None, reason="leaked")
    label = run.labels.get()
    assert verdict(english.get(scan_url(label))) == ("no", signing.Reason.REVOKED_KEY)
    # Typed by hand (no payload): the stored label is checked, with the same answer.
    assert verdict(english.get(f"/l/{label.code}/")) == ("no", signing.Reason.REVOKED_KEY)


def test_a_payload_signed_by_an_unknown_key_is_not_genuine(english, people):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    label = factories.run(people.product, people.owner).labels.get()
    claims = signing.claims_for(label.run.facts, code=label.code, item=None, key_id="stranger")
    forged = signing.sign(claims, Ed25519PrivateKey.generate())
    assert verdict(english.get(scan_url(label, forged))) == ("no", signing.Reason.UNKNOWN_KEY)


def test_a_code_typed_by_hand_in_lower_case_with_dashes_finds_its_label(english, people):
    label = factories.run(people.product, people.owner).labels.get()
    typed = "-".join(label.code[i : i + 4] for i in (0, 4, 8)).lower()
    response = english.get(f"/l/?code={typed}")
    assert response.status_code == 302
    response = english.get(response["Location"], follow=True)
    assert verdict(response) == ("yes", "")


def test_a_code_in_lower_case_in_the_url_is_sent_to_its_canonical_page_with_the_payload(
    client, people
):
    label = factories.run(people.product, people.owner).labels.get()
    response = client.get(f"/l/{label.code.lower()}/?p={label.payload}")
    assert response.status_code == 301
    assert response["Location"] == f"/l/{label.code}/?p={label.payload}"


def test_an_unknown_code_is_a_404_page_with_the_report_form(english, db):
    response = english.get("/l/ZZZZZZZZZZZZ/?p=SPC1.abc.def")
    assert response.status_code == 404
    page = response.content.decode()
    assert verdict(response) == ("no", signing.Reason.UNKNOWN_CODE)
    assert 'action="/l/ZZZZZZZZZZZZ/report/"' in page
    assert 'name="description"' in page


def test_each_scan_is_counted_and_shown(english, people):
    label = factories.run(people.product, people.owner).labels.get()
    for expected in (1, 2, 3):
        page = english.get(scan_url(label)).content.decode()
        assert f"Times this code was scanned: <strong>{expected}</strong>" in page
    label.refresh_from_db()
    assert label.scans == 3


def test_a_one_item_code_scanned_many_times_warns_the_buyer(english, people, settings):
    label = factories.run(people.product, people.owner, kind="single", quantity=1).labels.get()
    Label.objects.filter(pk=label.pk).update(scans=20)
    page = english.get(scan_url(label)).content.decode()
    assert 'id="many-scans"' in page
    batch = factories.run(people.product, people.owner).labels.get()
    Label.objects.filter(pk=batch.pk).update(scans=500)
    assert 'id="many-scans"' not in english.get(scan_url(batch)).content.decode()


def test_the_page_is_light_has_no_script_and_no_web_font(client, people):
    factories.mark(people.product)
    label = factories.run(people.product, people.owner).labels.get()
    response = client.get(scan_url(label))
    page = response.content.decode()
    assert len(response.content) <= 20 * 1024
    assert "<script" not in page
    assert "@font-face" not in page and ".woff" not in page
    # Khmer first: the page's language is Khmer unless the visitor chose English.
    assert '<html lang="km">' in page


def test_a_repeat_scan_costs_one_query_and_still_counts(client, people, django_assert_num_queries):
    label = factories.run(people.product, people.owner).labels.get()
    url = scan_url(label)
    first = client.get(url)
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.status_code == 200
    assert b"<strong>2</strong>" in again.content
    assert (
        first.content.replace(b"<strong>1</strong>", b"<strong>2</strong>").split(
            b"csrfmiddlewaretoken"
        )[0]
        == again.content.split(b"csrfmiddlewaretoken")[0]
    )


def test_a_kept_page_changes_when_the_run_is_withdrawn(client, people):
    run = factories.run(people.product, people.owner)
    url = scan_url(run.labels.get())
    assert verdict(client.get(url)) == ("yes", "")
    actions.withdraw_run(run, by=people.owner, reason="printed in error")
    assert verdict(client.get(url)) == ("no", signing.Reason.WITHDRAWN)


def test_the_kept_page_has_a_fresh_csrf_token_for_each_visitor(people):
    from django.test import Client

    label = factories.run(people.product, people.owner).labels.get()
    url = scan_url(label)
    tokens = []
    for _ in range(2):
        page = Client().get(url).content.decode()
        tokens.append(page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0])
    assert tokens[0] != tokens[1]
    assert "\x00" not in tokens[0] + tokens[1]


def test_a_head_request_is_refused_and_not_counted(client, people):
    label = factories.run(people.product, people.owner).labels.get()
    assert client.head(scan_url(label)).status_code == 405
    label.refresh_from_db()
    assert label.scans == 0
