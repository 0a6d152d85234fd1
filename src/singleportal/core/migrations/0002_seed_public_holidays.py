"""Seed this year's and next year's public holidays from the `holidays` package.

The years are those of the day the migration runs, so a new installation starts with a usable
calendar; later years come from `manage.py seed_holidays`. Rows are defaults the operator edits.
"""

from django.db import migrations
from django.utils import timezone

from singleportal.core.calendar import holidays_from_package


def seed(apps, schema_editor):
    PublicHoliday = apps.get_model("core", "PublicHoliday")
    this_year = timezone.localdate().year
    rows = [row for year in (this_year, this_year + 1) for row in holidays_from_package(year)]
    present = set(PublicHoliday.objects.values_list("date", flat=True))
    PublicHoliday.objects.bulk_create(
        PublicHoliday(date=day, name_km=km, name_en=en, source="seed")
        for day, km, en in rows
        if day not in present
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
