"""singleportal manage export_registry [--force] [--out DIR]: the open data bulk export."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from singleportal.registry import export


class Command(BaseCommand):
    help = (
        "Write today's export of the public register (CSV and JSON Lines, gzip, with "
        "manifest.json) into REGISTRY_EXPORT_DIR/<date>/, unless it exists already; keep the "
        "newest REGISTRY_EXPORT_KEEP days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="rebuild today's export")
        parser.add_argument(
            "--out", type=Path, default=None, help="exports folder (default REGISTRY_EXPORT_DIR)"
        )
        parser.add_argument("--chunk-size", type=int, default=export.EXPORT_CHUNK)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = export.export_registry(
                force=options["force"], out=options["out"], chunk_size=options["chunk_size"]
            )
        except export.ExportBusy as exc:
            raise CommandError(str(exc)) from exc
        if not result.built:
            self.stdout.write(f"{result.folder}: complete already (use --force to rebuild)")
        for item in result.manifest["files"]:
            self.stdout.write(
                f"{result.folder / item['name']}: {item['rows']:,} rows, "
                f"{item['bytes']:,} bytes, sha256 {item['sha256']}"
            )
        if result.removed:
            self.stdout.write(f"removed old exports: {', '.join(result.removed)}")
        if result.built:
            elapsed = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(f"exported in {elapsed:.1f} s"))
