from django.db import migrations

from singleportal.agencies.reference import seed_plan


def seed(apps, schema_editor):
    seed_plan(apps)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0003_tasks")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
