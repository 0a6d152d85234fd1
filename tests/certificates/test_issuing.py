"""The register's hook: a file approved straight through gets a certificate for each record,
once; without a signing key the registration stands and the error is logged."""

import logging

import pytest

from singleportal.certificates import tasks
from singleportal.certificates.models import Certificate
from singleportal.registry.models import Business, BusinessRecord
from tests.agencies.flow import filed, submit
from tests.certificates.helpers import business, record

pytestmark = pytest.mark.django_db


def test_an_approved_file_gets_one_certificate_per_record(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = submit(filed(incentives=True))
    registered = Business.objects.get(application_reference=app.reference)
    records = BusinessRecord.objects.filter(business=registered)
    kinds = set(records.values_list("kind", flat=True))
    assert {"registration", "tax_registration", "patent_tax"} <= kinds
    certified = Certificate.objects.filter(business=registered)
    assert {c.record_id for c in certified} == {r.pk for r in records}
    assert {c.kind for c in certified} == kinds
    assert all(c.version == 1 and c.pdf.name.endswith(".pdf") for c in certified)

    for entry in records:  # the task again (a redelivered message): nothing new
        tasks.issue_certificate(entry.pk)
    assert Certificate.objects.filter(business=registered).count() == len(records)


def test_without_a_signing_key_the_record_stays_uncertified_and_it_is_logged(settings, caplog):
    settings.CERTIFICATE_SIGNING_KEY_FILE = ""
    entry = record(business())
    with caplog.at_level(logging.ERROR, logger="singleportal.certificates.tasks"):
        tasks.issue_certificate(entry.pk)
    assert not Certificate.objects.exists()
    assert "CERTIFICATE_SIGNING_KEY_FILE is not set" in caplog.text


def test_the_deploy_check_reports_a_missing_key(settings):
    from singleportal.certificates.checks import signing_key_configured

    assert signing_key_configured() == []
    settings.CERTIFICATE_SIGNING_KEY_FILE = "/nonexistent/key.pem"
    (error,) = signing_key_configured()
    assert error.id == "certificates.E001"


def test_the_key_command_rotates_and_revokes(settings, tmp_path, capsys):
    from django.core.management import call_command

    from singleportal.certificates import actions, keys, verification

    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "rotating.pem")
    keys.write_new_key(tmp_path / "rotating.pem")
    old = actions.issue_for_record(record(business()).pk)
    call_command("certificate_key", "rotate")
    new = actions.issue_for_record(record(business()).pk)
    assert new.key.kid != old.key.kid
    call_command("certificate_key", "revoke", old.key.kid, "--reason", "leaked")
    published = verification.keys_by_id(keys.published_keys())
    assert verification.check_pdf(old.pdf.read(), published).reason == "revoked key"
    assert verification.check_pdf(new.pdf.read(), published).genuine
    call_command("certificate_key", "list")
    assert "revoked" in capsys.readouterr().out
    with pytest.raises(Exception, match="exists"):
        call_command("certificate_key", "new", str(tmp_path / "rotating.pem"))


def test_records_left_without_a_certificate_are_issued_later(settings):
    from django.core.management import call_command

    key_file = settings.CERTIFICATE_SIGNING_KEY_FILE
    settings.CERTIFICATE_SIGNING_KEY_FILE = ""
    entries = [record(business()) for _ in range(2)]
    for entry in entries:
        tasks.issue_certificate(entry.pk)
    assert not Certificate.objects.exists()
    settings.CERTIFICATE_SIGNING_KEY_FILE = key_file
    call_command("issue_certificates")
    assert {c.record_id for c in Certificate.objects.all()} == {e.pk for e in entries}
