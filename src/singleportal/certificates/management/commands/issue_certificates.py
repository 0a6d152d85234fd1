"""Issue the certificates of records that have none (a key was missing, a worker was down)."""

from typing import Any

from django.core.management.base import BaseCommand

from singleportal.certificates import actions


class Command(BaseCommand):
    help = "Issue the certificate of every record on the register that has none yet."

    def handle(self, *args: Any, **options: Any) -> None:
        issued = actions.issue_missing()
        self.stdout.write(f"Issued {issued} certificate(s).")
