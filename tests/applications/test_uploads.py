"""Uploads are judged by their content and size, stored under random names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from singleportal.applications import actions
from tests.applications.helpers import PDF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def app(owner):
    return actions.create_application(owner, legal_form="sole_proprietorship")


def post(client, app, name, content, kind="identity"):
    return client.post(
        f"/applications/{app.public_id}/step/documents/",
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def test_a_file_disguised_by_its_extension_is_refused(client, app, owner):
    client.force_login(owner)
    response = post(client, app, "passport.pdf", b"MZ\x90\x00 not a pdf at all")
    assert response.status_code == 200
    assert "The file must be a PDF, JPEG or PNG." in response.content.decode()
    assert not app.documents.exists()


def test_an_oversized_upload_is_refused(client, app, owner, settings):
    settings.APPLICATION_UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(owner)
    response = post(client, app, "big.pdf", PDF + b"0" * (2 * 1024 * 1024))
    assert "larger than 1 MB" in response.content.decode()
    assert not app.documents.exists()


def test_a_50_mb_upload_is_refused(client, app, owner):
    client.force_login(owner)
    response = post(client, app, "huge.pdf", PDF + b"0" * (50 * 1024 * 1024))
    assert "larger than 10 MB" in response.content.decode()
    assert not app.documents.exists()


def test_path_traversal_names_are_neutralised(client, app, owner, settings):
    client.force_login(owner)
    response = post(client, app, "../../etc/passwd.pdf", PDF)
    assert response.status_code == 302
    document = app.documents.get()
    assert document.original_name == "passwd.pdf"
    assert document.file.name.startswith("applications/") and ".." not in document.file.name
    stored = (settings.MEDIA_ROOT / document.file.name).resolve()
    assert str(stored).startswith(str(settings.MEDIA_ROOT.resolve()))
    assert "passwd" not in document.file.name


def test_the_virus_scanner_hook_can_refuse(app, owner, settings):
    import io

    from django.core.exceptions import ValidationError

    settings.APPLICATION_VIRUS_SCANNER = "tests.applications.test_uploads.always_infected"
    with pytest.raises(ValidationError):
        actions.upload_document(
            app, owner, kind="identity", file=io.BytesIO(PDF), name="a.pdf", size=len(PDF)
        )


def always_infected(file):
    return False


def test_a_file_removed_during_a_correction_stays_for_the_version_that_named_it(owner):
    from singleportal.agencies import actions as agency_actions
    from singleportal.applications.models import Document
    from tests.applications.helpers import submitted_application, task_in_review
    from tests.factories import officer

    app = submitted_application(owner)
    clerk = officer("MOC")
    task = task_in_review(app, "MOC", clerk)
    agency_actions.request_correction(task, clerk, reason="ID_UNREADABLE", sections=["documents"])
    lease = app.documents.get(kind="lease")

    actions.remove_document(app, owner, lease.pk)

    assert not app.documents.filter(pk=lease.pk).exists()  # gone from the file being edited
    kept = Document.with_removed.get(pk=lease.pk)
    assert kept.removed_at is not None and kept.file.storage.exists(kept.file.name)


def test_a_draft_file_removed_is_deleted(app, owner):
    from singleportal.applications.models import Document
    from tests.applications.helpers import upload

    document = upload(app, owner)
    actions.remove_document(app, owner, document.pk)
    assert not Document.with_removed.filter(pk=document.pk).exists()
