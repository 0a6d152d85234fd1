from django.db import migrations

from singleportal.agencies.reference import seed_agencies


def seed(apps, schema_editor):
    seed_agencies(apps.get_model("agencies", "Agency"))


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
