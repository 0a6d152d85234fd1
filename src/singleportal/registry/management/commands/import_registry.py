"""singleportal manage import_registry FILE: load registered businesses (CSV or JSON Lines)."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from singleportal.registry import actions
from singleportal.registry.importing import ImportReport


class Command(BaseCommand):
    help = (
        "Load registered businesses from CSV or JSON Lines (columns: registration_number, "
        "name_km, name_en, legal_form, status, registered_on, province_code). Idempotent on "
        "registration number; bad rows are listed with their line numbers and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--batch-size", type=int, default=20000)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes that check and normalise rows (default: all cores for big files)",
        )
        parser.add_argument("--quiet-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        started = time.monotonic()

        def progress(report: ImportReport) -> None:
            if options["quiet_progress"]:
                return
            elapsed = max(time.monotonic() - started, 1e-6)
            self.stderr.write(
                f"  {report.read:,} rows read, {report.written:,} written, "
                f"{report.bad_count:,} bad, {report.read / elapsed:,.0f} rows/s"
            )

        report = actions.import_registry(
            path, batch_size=options["batch_size"], workers=options["workers"], progress=progress
        )
        for line, message in report.bad:
            self.stdout.write(f"line {line}: {message}")
        if report.bad_count > len(report.bad):
            self.stdout.write(f"... and {report.bad_count - len(report.bad):,} more bad rows")
        elapsed = time.monotonic() - started
        summary = (
            f"{report.read:,} rows read, {report.written:,} imported, "
            f"{report.bad_count:,} bad, in {elapsed:.1f} s"
        )
        style = self.style.WARNING if report.bad_count else self.style.SUCCESS
        self.stdout.write(style(summary))
