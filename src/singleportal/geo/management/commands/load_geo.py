"""Bring the database's geography up to date with the shipped file (safe to run again)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from singleportal.geo import data_file, loading


class Command(BaseCommand):
    help = "Load geo/data/cambodia_geo.json.gz: create new places, update changed ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=data_file.DATA_FILE)
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Also delete places that are no longer in the file (kept if still referred to).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        document = data_file.read(options["file"])
        source = document["source"]
        self.stdout.write(
            f"Loading {source['package']} {source['version']} ({source['data_year']}), "
            f"cleaned on {source['cleaned_on']}"
        )
        results = loading.sync(loading.place_models(), document, prune=options["prune"])
        for level, result in results.items():
            line = (
                f"{level}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
            if result.stale:
                line += f", {len(result.stale)} not in the file"
                line += f" ({result.pruned} deleted)" if options["prune"] else " (kept)"
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Geography is up to date."))
