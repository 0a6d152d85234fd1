from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from singleportal.core.calendar import holidays_from_package, seed_public_holidays


class Command(BaseCommand):
    help = (
        "Add the public holidays of the given years from the `holidays` package. Dates already "
        "in the table (seeded or entered by the operator) are left unchanged; safe to re-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            dest="years",
            type=int,
            action="append",
            help="a year to seed; repeat for several (default: this year and next)",
        )

    def handle(self, *args: object, years: list[int] | None = None, **options: object) -> None:
        if not years:
            this_year = timezone.localdate().year
            years = [this_year, this_year + 1]
        for year in sorted(set(years)):
            added = len(seed_public_holidays([year]))
            listed = len(holidays_from_package(year))
            self.stdout.write(f"{year}: {added} added, {listed - added} already present")
