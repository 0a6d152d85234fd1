from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks


def signing_key_configured(**kwargs: Any) -> list[checks.CheckMessage]:
    """`manage.py check --deploy`: production names a signing key file that exists."""
    if settings.CERTIFICATE_GENERATE_KEY:
        return []
    path = settings.CERTIFICATE_SIGNING_KEY_FILE
    if path and Path(path).is_file():
        return []
    return [
        checks.Error(
            "CERTIFICATE_SIGNING_KEY_FILE does not name an existing key file: certificates "
            "cannot be signed.",
            hint="singleportal manage certificate_key new /path/key.pem, then export "
            "CERTIFICATE_SIGNING_KEY_FILE=/path/key.pem",
            id="certificates.E001",
        )
    ]
