"""Certificate signing keys: make a key file, rotate the embedded default's, revoke, list."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from singleportal.certificates import actions, keys
from singleportal.certificates.models import SigningKey


class Command(BaseCommand):
    help = "Manage the keys that sign certificates."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        new = sub.add_parser("new", help="write a new private key file (for production)")
        new.add_argument("path")
        sub.add_parser("rotate", help="replace the configured key file by a new key")
        revoke = sub.add_parser("revoke", help="revoke a key: its certificates stop verifying")
        revoke.add_argument("kid")
        revoke.add_argument("--reason", required=True)
        sub.add_parser("list", help="the published keys")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "new":
            path = Path(options["path"])
            if path.exists():
                raise CommandError(f"{path} exists: choose another path.")
            keys.write_new_key(path)
            self.stdout.write(f"Wrote {path}. Export CERTIFICATE_SIGNING_KEY_FILE={path}.")
        elif action == "rotate":
            # The old key's public half stays published (its row), so its certificates verify.
            keys.current_signing_key()
            path = keys.signing_key_file()
            keys.write_new_key(path)
            loaded, _ = keys.current_signing_key()
            self.stdout.write(f"New certificates are signed with key {loaded.kid} ({path}).")
        elif action == "revoke":
            if not SigningKey.objects.filter(kid=options["kid"]).exists():
                raise CommandError(f"No key {options['kid']}.")
            actions.revoke_signing_key(options["kid"], by=None, reason=options["reason"])
            self.stdout.write(f"Revoked {options['kid']}.")
        else:
            for key in keys.published_keys()["keys"]:
                self.stdout.write(f"{key['kid']}  {key['status']:8} from {key['not_before']}")
