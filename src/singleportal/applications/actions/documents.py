"""Uploaded documents: stored once their content is checked, removed with their file."""

import hashlib
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.accounts.models import User
from singleportal.applications import uploads
from singleportal.applications.actions.common import editing
from singleportal.applications.models import Application, Document, DocumentKind


def upload_document(
    application: Application, user: User, *, kind: str, file: IO[bytes], name: str, size: int
) -> Document:
    """Store an uploaded file under MEDIA_ROOT with a random name, once its content proves it
    is a PDF, JPEG or PNG within the size limit, and the scanner passes it."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose the document type.")})
    content_type = uploads.check_upload(file, size)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    with editing(
        application, user, "document_uploaded", {"kind": kind}, section="documents"
    ) as app:
        document = Document(
            application=app,
            kind=kind,
            original_name=uploads.safe_display_name(name),
            content_type=content_type,
            size=size,
            sha256=digest.hexdigest(),
            scan_status="clean",
            uploaded_by=user,
        )
        document.file.save("upload", File(file), save=False)
        try:
            document.save()
        except BaseException:
            document.file.delete(save=False)  # no orphan file when the row is not written
            raise
    return document


def remove_document(application: Application, user: User, document_id: int) -> None:
    with editing(
        application, user, "document_removed", {"id": document_id}, section="documents"
    ) as app:
        document = app.documents.filter(pk=document_id).first()
        if document is None:
            raise ValidationError(_("This document is not in the application."))
        if app.versions.exists():  # a frozen version names it: keep the file
            document.removed_at = timezone.now()
            document.save(update_fields=["removed_at"])
            return
        name = document.file.name or ""
        document.delete()
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(name))
