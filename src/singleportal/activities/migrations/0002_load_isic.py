"""Load the shipped ISIC Rev. 4 file (activities/data/isic_rev4.tsv)."""

from django.db import migrations


def load(apps, schema_editor):
    from singleportal.activities import loading

    loading.sync(apps.get_model("activities", "Activity"), loading.read())


def unload(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    for level in ("class", "group", "division", "section"):
        Activity.objects.filter(level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(load, unload, elidable=False)]
