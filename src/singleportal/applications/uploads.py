"""Checking uploaded documents: type by content (magic bytes), size, a virus-scan hook.

The scanner is a dotted path in settings.APPLICATION_VIRUS_SCANNER: a function taking the
file and returning True when clean. The default scans nothing and says "clean"; production
plugs ClamAV or the ministry's scanner in here.
"""

from collections.abc import Callable
from typing import IO, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def max_bytes() -> int:
    return int(getattr(settings, "APPLICATION_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes) -> str | None:
    """The content type the first bytes prove, or None."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def no_scan(file: IO[bytes]) -> bool:
    return True


def scanner() -> Callable[[IO[bytes]], bool]:
    path = getattr(settings, "APPLICATION_VIRUS_SCANNER", "")
    return cast(Callable[[IO[bytes]], bool], import_string(path)) if path else no_scan


def safe_display_name(name: str) -> str:
    """The uploader's file name, for display only: no folders, no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".")
    return name[:200] or "document"


def check_upload(file: IO[bytes], size: int) -> str:
    """The content type of an acceptable file; ValidationError on the `file` field otherwise."""
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)s MB. Send a smaller file.")
                % {"limit": limit // (1024 * 1024)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    file.seek(0)
    content_type = sniff(file.read(16))
    file.seek(0)
    if content_type is None:
        raise ValidationError({"file": _("The file must be a PDF, JPEG or PNG.")})
    if not scanner()(file):
        raise ValidationError({"file": _("The file did not pass the virus check.")})
    file.seek(0)
    return content_type
