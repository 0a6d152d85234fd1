from django.db import migrations

# Similar-name search (names/search.py) uses pg_trgm's `%` on the search keys; these GIN indexes
# make it fast. Keys are computed in Python (names/normalization.py), so unaccent is not needed.
# SQLite has neither: its fallback narrows candidates by the indexed trigram counts instead.
CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS registry_business_en_key_trgm
    ON registry_business USING gin (name_en_key gin_trgm_ops);
CREATE INDEX IF NOT EXISTS registry_business_km_key_trgm
    ON registry_business USING gin (name_km_key gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS registry_business_en_key_trgm;
DROP INDEX IF EXISTS registry_business_km_key_trgm;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
