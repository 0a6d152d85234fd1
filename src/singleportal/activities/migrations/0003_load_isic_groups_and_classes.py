"""Load the ISIC Rev. 4 groups and classes now shipped in activities/data/isic_rev4.tsv, and the
Khmer names of sections and divisions that had none.

Rows the operator may have edited are left alone: only codes not yet in the table, and rows whose
Khmer name is still blank, are synced (a blank row keeps its English name and its `active` flag).
On a new database 0002 has already loaded the whole file and this finds nothing to do.
"""

from django.db import migrations


def load(apps, schema_editor):
    from singleportal.activities import loading

    Activity = apps.get_model("activities", "Activity")
    current = {a.code: a for a in Activity.objects.only("code", "name_en", "name_km")}
    rows = []
    for row in loading.read():
        found = current.get(row["code"])
        if found is None:
            rows.append(row)
        elif not found.name_km and row.get("name_km"):
            rows.append({**row, "name_en": found.name_en})
    loading.sync(Activity, rows)


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_load_isic")]

    # Going back leaves the rows: applications may already name a class (PROTECT), and 0002's
    # own reverse removes every level.
    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
