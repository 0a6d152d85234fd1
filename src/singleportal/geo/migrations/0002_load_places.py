"""Load the shipped geography (geo/data/cambodia_geo.json.gz) into the new tables.

Runs on every fresh database, including each test run's, so it loads in bulk. Later refreshes
of the file reach existing databases through `manage.py load_geo`, not through this migration.
"""

from django.db import migrations


def load(apps, schema_editor):
    from singleportal.geo import data_file, loading

    loading.sync(loading.place_models(apps), data_file.read())


def unload(apps, schema_editor):
    from singleportal.geo import loading

    models = loading.place_models(apps)
    for key in ("alias", "village", "commune", "district", "province"):
        models[key].objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(load, unload, elidable=False)]
