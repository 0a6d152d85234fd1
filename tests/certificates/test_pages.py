"""/verify/<id> (public) in each state, the published keys (public), and the owner's
certificates page with its extract button (the business's owner only)."""

import re

import pytest
from django.core.exceptions import ValidationError

from singleportal.certificates import actions
from singleportal.certificates.models import Certificate, CertificateKind
from tests.certificates.helpers import business, record
from tests.conftest import in_english
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def verdict(client, certificate_id, **params):
    in_english(client)
    response = client.get(f"/verify/{certificate_id}/", params)
    return response, response.content.decode()


def test_a_current_certificate_is_genuine_and_shows_what_it_certifies(client):
    certificate = actions.issue_for_record(record(business()).pk)
    response, page = verdict(client, certificate.pk)
    assert response.status_code == 200
    assert 'data-state="current"' in page and "Genuine and current" in page
    assert "ក្រុមហ៊ុន មេគង្គ ម្រេច" in page and "Mekong Pepper" in page
    assert certificate.business.registration_number in page and certificate.file_sha256 in page


def test_the_scanned_payload_is_checked_too(client):
    certificate = actions.issue_for_record(record(business()).pk)
    _, page = verdict(client, certificate.pk, p=certificate.payload)
    assert 'data-genuine="yes"' in page
    other = actions.issue_for_record(record(business()).pk)
    _, page = verdict(client, certificate.pk, p=other.payload)
    assert 'data-genuine="no"' in page


def test_a_superseded_certificate_links_to_the_current_one(client):
    owner = business()
    first = actions.issue_for_record(record(owner).pk)
    second = actions.issue_for_record(record(owner).pk)  # an amendment: a new registration record
    assert second.version == 2 and second.supersedes == first
    _, page = verdict(client, first.pk)
    assert 'data-state="superseded"' in page and f"/verify/{second.pk}/" in page
    _, page = verdict(client, second.pk)
    assert 'data-state="current"' in page


def test_a_revoked_certificate_and_a_revoked_key_show_as_revoked_at_once(client):
    certificate = actions.issue_for_record(record(business()).pk)
    other = actions.issue_for_record(record(business()).pk)
    for shown in (certificate, other):  # pages now kept in the process
        _, page = verdict(client, shown.pk, p=shown.payload)
        assert 'data-state="current"' in page and 'data-genuine="yes"' in page
    actions.revoke_certificate(certificate, by=None, reason="Issued in error")
    _, page = verdict(client, certificate.pk, p=certificate.payload)
    assert 'data-state="revoked"' in page and "Issued in error" in page

    actions.revoke_signing_key(other.key.kid, by=None, reason="leaked")
    _, page = verdict(client, other.pk, p=other.payload)
    assert 'data-state="revoked"' in page and "The key that signed it was revoked" in page
    assert 'data-genuine="no"' in page


def test_a_verification_shown_before_costs_one_query(client, django_assert_num_queries):
    owner = business()
    first = actions.issue_for_record(record(owner).pk)
    page = verdict(client, first.pk, p=first.payload)[1]
    with django_assert_num_queries(1):  # the version: nothing else, no rendering
        again = verdict(client, first.pk, p=first.payload)[1]
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", again) == token.sub("", page)
    second = actions.issue_for_record(record(owner).pk)  # supersedes the first
    _, page = verdict(client, first.pk, p=first.payload)
    assert 'data-state="superseded"' in page and f"/verify/{second.pk}/" in page


def test_an_unknown_certificate_is_not_found(client):
    response, page = verdict(client, "5f0c7a53-7a53-4c1e-9d1e-000000000000")
    assert response.status_code == 404 and 'data-state="not_found"' in page


def test_the_verification_page_is_in_khmer_by_default(client):
    certificate = actions.issue_for_record(record(business()).pk)
    page = client.get(f"/verify/{certificate.pk}/").content.decode()
    assert '<html lang="km">' in page and "ក្រុមហ៊ុន មេគង្គ ម្រេច" in page


def test_the_keys_are_published_as_a_jwks(client):
    certificate = actions.issue_for_record(record(business()).pk)
    response = client.get("/.well-known/singleportal-keys.json")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    (key,) = response.json()["keys"]
    assert key["kid"] == certificate.key.kid
    assert (key["kty"], key["crv"], key["status"]) == ("OKP", "Ed25519", "active")
    assert len(key["x"]) == 43 and key["revoked_at"] is None and key["not_before"]
    actions.revoke_signing_key(key["kid"], by=None, reason="leaked")
    (key,) = client.get("/.well-known/singleportal-keys.json").json()["keys"]
    assert key["status"] == "revoked" and key["revoked_at"]


def test_certificates_are_never_changed():
    certificate = actions.issue_for_record(record(business()).pk)
    with pytest.raises(ValidationError):
        certificate.save()
    with pytest.raises(ValidationError):
        certificate.delete()


@pytest.fixture
def owned(django_capture_on_commit_callbacks):
    """A business registered through the whole flow, its certificates issued on commit."""
    from tests.agencies.flow import filed, submit

    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        app = submit(filed(user=user))
    from singleportal.registry.models import Business

    return user, Business.objects.get(application_reference=app.reference)


def test_permissions_of_the_owners_pages(client, owned):
    user, owner_business = owned
    certificate = owner_business.certificates.get(kind=CertificateKind.REGISTRATION)
    pages = {
        "business": f"/certificates/business/{owner_business.registration_number}/",
        "download": f"/certificates/{certificate.pk}.pdf",
    }
    # Anonymous: sign in first.
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # Someone else: as if it did not exist.
    client.force_login(UserFactory())
    for url in pages.values():
        assert client.get(url).status_code == 404
    extract_url = pages["business"] + "extract/"
    assert client.post(extract_url).status_code == 404
    # The owner: the list, the PDF and the extract button.
    client.force_login(user)
    in_english(client)
    page = client.get(pages["business"]).content.decode()
    assert 'id="issue-extract"' in page and "Certificate of incorporation" in page
    response = client.get(pages["download"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    # Public: the verification page and the keys need no sign-in.
    client.logout()
    assert client.get(f"/verify/{certificate.pk}/").status_code == 200
    assert client.get("/.well-known/singleportal-keys.json").status_code == 200


def test_the_owner_issues_an_extract_and_a_new_one_supersedes_it(client, owned):
    user, owner_business = owned
    client.force_login(user)
    url = f"/certificates/business/{owner_business.registration_number}/extract/"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    first, second = Certificate.objects.filter(
        business=owner_business, kind=CertificateKind.EXTRACT
    ).order_by("version")
    assert first.record is None and second.supersedes == first
    in_english(client)
    page = client.get(f"/certificates/business/{owner_business.registration_number}/").content
    assert b"Superseded" in page and b"Business extract" in page


def test_the_operator_sees_certificates_and_keys_in_the_admin(client):
    from singleportal.accounts.models import Role
    from tests.factories import PASSWORD, current_totp, totp_device

    certificate = actions.issue_for_record(record(business()).pk)
    operator = UserFactory(roles=[Role.OPERATOR], is_staff=True, is_superuser=True)
    device = totp_device(operator)
    client.post("/accounts/login/", {"username": operator.email, "password": PASSWORD})
    client.post("/accounts/second-factor/", {"token": current_totp(device)})
    in_english(client)
    page = client.get("/admin/certificates/certificate/").content.decode()
    assert certificate.business.registration_number in page
    assert certificate.key.kid in client.get("/admin/certificates/signingkey/").content.decode()
    change = client.get(f"/admin/certificates/certificate/{certificate.pk}/change/")
    assert change.status_code == 200 and b'name="_save"' not in change.content
