"""Offline verification: a genuine file passes; a changed body, a changed payload, a wrong key,
a revoked key or anything added after signing fails with the reason. The CLI says the same."""

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from singleportal.certificates import actions, keys, verification
from singleportal.cli import main
from tests.certificates.helpers import business, keys_file, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    certificate = actions.issue_for_record(record(business()).pk)
    return certificate, certificate.pdf.read()


def published():
    return verification.keys_by_id(keys.published_keys())


def test_a_genuine_certificate_verifies_with_its_claims(issued):
    certificate, pdf = issued
    outcome = verification.check_pdf(pdf, published())
    assert outcome.genuine, outcome.reason
    assert outcome.claims["id"] == str(certificate.pk)
    assert outcome.claims["km"] == certificate.business.name_km
    assert outcome.claims["n"] == certificate.business.registration_number
    assert outcome.claims["h"] == certificate.body_sha256


def test_a_changed_pdf_body_fails(issued):
    _, pdf = issued
    at = pdf.index(b"1900")  # a digit of the registration number in the body's title
    tampered = pdf[:at] + b"2" + pdf[at + 1 :]
    assert verification.check_pdf(tampered, published()).reason == "PDF body changed"


def test_a_changed_payload_fails(issued):
    certificate, pdf = issued
    claims, _, signature = verification.decode_payload(certificate.payload)
    forged = verification.encode_payload({**claims, "en": "Someone Else Co"}, signature)
    tampered = pdf.replace(certificate.payload.encode(), forged.encode())
    outcome = verification.check_pdf(tampered, published())
    assert not outcome.genuine and outcome.reason.startswith("signature does not match")


def test_a_payload_signed_with_another_key_fails(issued):
    certificate, pdf = issued
    claims, signed, _ = verification.decode_payload(certificate.payload)
    forged = verification.encode_payload(claims, Ed25519PrivateKey.generate().sign(signed))
    tampered = pdf.replace(certificate.payload.encode(), forged.encode())
    assert verification.check_pdf(tampered, published()).reason.startswith("signature does not")


def test_verifying_with_the_wrong_key_fails(issued):
    _, pdf = issued
    wrong = {
        kid: {**jwk, "x": verification.b64url(keys.public_bytes(Ed25519PrivateKey.generate()))}
        for kid, jwk in published().items()
    }
    assert verification.check_pdf(pdf, wrong).reason.startswith("signature does not match")


def test_an_unknown_key_fails(issued):
    _, pdf = issued
    assert verification.check_pdf(pdf, {}).reason == "unknown key"


def test_a_revoked_key_fails_and_signs_no_more(issued):
    certificate, pdf = issued
    actions.revoke_signing_key(certificate.key.kid, by=None, reason="key file leaked")
    assert verification.check_pdf(pdf, published()).reason == "revoked key"
    with pytest.raises(keys.SigningKeyRevoked):
        actions.issue_for_record(record(business()).pk)


def test_anything_drawn_after_signing_fails(issued):
    _, pdf = issued
    extra = b"99 0 obj\n<</Length 3>>\nstream\n0 g\nendstream\nendobj\n"
    assert verification.check_pdf(pdf + extra, published()).reason == "PDF changed after signing"
    assert verification.check_pdf(b"%PDF-1.4 nothing", published()).reason == (
        "no certificate payload found"
    )


def test_old_certificates_verify_after_the_key_is_rotated(issued, signing_key, tmp_path, settings):
    certificate, pdf = issued
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "new.pem")
    keys.write_new_key(tmp_path / "new.pem")
    newer = actions.issue_for_record(record(business()).pk)
    assert newer.key.kid != certificate.key.kid
    document = keys.published_keys()
    assert {k["kid"] for k in document["keys"]} == {newer.key.kid, certificate.key.kid}
    assert verification.check_pdf(pdf, published()).genuine
    assert verification.check_pdf(newer.pdf.read(), published()).genuine


def test_cli_verifies_a_file_and_a_payload_offline(issued, tmp_path, capsys):
    certificate, pdf = issued
    keys_path = keys_file(tmp_path)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    assert main(["verify-certificate", str(path), "--keys", str(keys_path)]) == 0
    assert "genuine" in capsys.readouterr().out
    assert main(["verify-certificate", certificate.payload, "--keys", str(keys_path)]) == 0

    at = pdf.index(b"1900")
    path.write_bytes(pdf[:at] + b"2" + pdf[at + 1 :])
    assert main(["verify-certificate", str(path), "--keys", str(keys_path)]) == 1
    assert "PDF body changed" in capsys.readouterr().err

    actions.revoke_signing_key(certificate.key.kid, by=None, reason="leaked")
    keys_path.write_text(json.dumps(keys.published_keys()))
    path.write_bytes(pdf)
    assert main(["verify-certificate", str(path), "--keys", str(keys_path)]) == 1
    assert "revoked key" in capsys.readouterr().err
