import importlib

from django.db import migrations

# The similar-name search ranks keys with an in-process trigram index (names/trigram_index.py,
# ADR 0004), so the banded GIN indexes of 0005 and the key sizes they were partitioned by go.
BANDS_0005 = importlib.import_module(
    "singleportal.registry.migrations.0005_name_key_search_on_postgresql"
).BANDS


def drop_banded_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for short in ("en", "km"):
        for low, high in BANDS_0005:
            schema_editor.execute(f"DROP INDEX IF EXISTS registry_namekey_{short}_{low}_{high}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_name_key_search_on_postgresql"),
    ]

    operations = [
        migrations.RunPython(drop_banded_indexes, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="business",
            name="registry_km_key_size",
        ),
        migrations.RemoveIndex(
            model_name="business",
            name="registry_en_key_size",
        ),
        migrations.RemoveField(
            model_name="business",
            name="name_en_key_size",
        ),
        migrations.RemoveField(
            model_name="business",
            name="name_km_key_size",
        ),
        migrations.RemoveField(
            model_name="namekey",
            name="key_size",
        ),
    ]
