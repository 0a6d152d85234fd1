from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from singleportal.core.calendar import holidays_from_package, seed_public_holidays
from singleportal.core.models import HolidaySeedYear


class Command(BaseCommand):
    help = (
        "Add the public holidays of the given years from the `holidays` package, once per year: "
        "a year seeded before is skipped (the operator's edits stand) unless --again. Dates "
        "already in the table are never changed; safe to re-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            dest="years",
            type=int,
            action="append",
            help="a year to seed; repeat for several (default: this year and next)",
        )
        parser.add_argument(
            "--again",
            action="store_true",
            help="also add missing dates to years seeded before (after a package update)",
        )

    def handle(
        self, *args: object, years: list[int] | None = None, again: bool = False, **options: object
    ) -> None:
        if not years:
            this_year = timezone.localdate().year
            years = [this_year, this_year + 1]
        seeded_before = set(HolidaySeedYear.objects.values_list("year", flat=True))
        for year in sorted(set(years)):
            if year in seeded_before and not again:
                self.stdout.write(f"{year}: seeded before, skipped (use --again to add new dates)")
                continue
            added = len(seed_public_holidays([year], again=again))
            listed = len(holidays_from_package(year))
            self.stdout.write(f"{year}: {added} added, {listed - added} already present")
