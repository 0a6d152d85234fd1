"""Check a label's signature offline: no database, only the published keys."""

import json
import os
import urllib.request
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from singleportal.certificates import verification
from singleportal.labels import signing


class Command(BaseCommand):
    help = (
        "Check a label offline: its QR code's URL or payload against the published keys. "
        "Exit 0 when the signature holds (a withdrawal shows only online), 1 otherwise."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("label", help="the URL a label's QR code holds, or its payload")
        parser.add_argument(
            "--keys", help="the published keys: a URL or a file (default: SITE_URL's)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = (
            options["keys"]
            or os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
            + "/.well-known/singleportal-keys.json"
        )
        if source.startswith(("https://", "http://")):
            with urllib.request.urlopen(source, timeout=20) as response:  # noqa: S310 (the user's URL)
                document = json.load(response)
        else:
            document = json.loads(Path(source).read_text())
        text = options["label"]
        found = verification.PAYLOAD_TEXT.search(text)
        if found is None:
            raise CommandError("not genuine: no label payload found")
        # The code from a URL (…/l/<code>/?p=…): the claims must name that code.
        code = text.split("/l/", 1)[1].split("/", 1)[0] if "/l/" in text else None
        checked = signing.check(found.group(0), verification.keys_by_id(document), code)
        if not checked.genuine:
            raise CommandError(f"not genuine: {checked.reason}")
        claims = checked.claims
        maker = claims.get("n") or "not registered"
        self.stdout.write(
            f"genuine: label {claims['c']}, product {claims['p']} of {claims['o']} "
            f"(registration {maker}), village {claims['g']}, {claims['q']} items, "
            f"made {claims['d']}; signature only (a withdrawal shows online)"
        )
